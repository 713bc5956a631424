#include "glibc_compat.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/types.h>

void arc4random_buf(void *buffer, size_t count) {
    unsigned char *bytes = buffer;
    while (count > 0) {
        ssize_t got = getrandom(bytes, count, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            abort();
        }
        bytes += got;
        count -= (size_t)got;
    }
}

// Through doubles and sqrt (GLIBC_2.2.5): hypot itself is versioned 2.35 on this glibc too.
float hypotf(float x, float y) {
    double a = x, b = y;
    return (float)sqrt(a * a + b * b);
}

int hosted_engine_glibc_compat_linked(void) { return 1; }
