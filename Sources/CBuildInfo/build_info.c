#include "build_info.h"

// A define's value made a string literal: the commit is passed bare, so no shell or SwiftPM
// quoting can change it.
#define HE_STRING(value) #value
#define HE_EXPANDED_STRING(value) HE_STRING(value)

const char *he_build_commit(void) {
#ifdef HE_BUILD_COMMIT
    return HE_EXPANDED_STRING(HE_BUILD_COMMIT);
#else
    return "";
#endif
}
