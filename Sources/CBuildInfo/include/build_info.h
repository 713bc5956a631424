#ifndef HOSTED_ENGINE_BUILD_INFO_H
#define HOSTED_ENGINE_BUILD_INFO_H

/// The git commit the binary was built from, as scripts/build-release passes it
/// (-Xcc -DHE_BUILD_COMMIT=<40 hex digits, "-dirty" when the tree had changes>); "" when the
/// build did not say (a plain swift build).
const char *he_build_commit(void);

#endif
