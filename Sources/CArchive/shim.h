#ifndef HOSTED_ENGINE_CARCHIVE_SHIM_H
#define HOSTED_ENGINE_CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>

// Swift cannot call C variadic functions; callbacks report failures through this.
static inline void carchive_set_error(struct archive *a, int error_number, const char *message) {
    archive_set_error(a, error_number, "%s", message);
}

// The AE_IF* macros carry a cast, which Swift does not import; these restate them.
static const unsigned int CARCHIVE_IFMT = AE_IFMT;
static const unsigned int CARCHIVE_IFREG = AE_IFREG;
static const unsigned int CARCHIVE_IFDIR = AE_IFDIR;
static const unsigned int CARCHIVE_IFLNK = AE_IFLNK;
static const unsigned int CARCHIVE_IFCHR = AE_IFCHR;
static const unsigned int CARCHIVE_IFBLK = AE_IFBLK;
static const unsigned int CARCHIVE_IFIFO = AE_IFIFO;
static const unsigned int CARCHIVE_IFSOCK = AE_IFSOCK;

#endif
