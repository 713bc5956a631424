#ifndef HOSTED_ENGINE_GLIBC_COMPAT_H
#define HOSTED_ENGINE_GLIBC_COMPAT_H

// Definitions of two functions that EL9's glibc 2.34 lacks (arc4random_buf, new in 2.36, asked
// for by Debian's libarchive.a; hypotf@GLIBC_2.35, asked for by the static Swift runtime), so
// that the release binary resolves them inside itself and runs on an EL9 host.
int hosted_engine_glibc_compat_linked(void);

#endif
