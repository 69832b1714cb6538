/* What the fuzz targets share: the input bytes as a file the library can
 * open (a memfd, named /proc/self/fd/N), and the check that a failure says
 * why. Each target aborts when a property fails, so libFuzzer reports it
 * and the corpus replay (regression.c) fails. */
#ifndef CS_FUZZ_H
#define CS_FUZZ_H

#include "custseg.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A memfd holding size bytes of data; its path in path. -1 on failure. */
static inline int fuzz_memfd(const void *data, size_t size, char *path, size_t cap)
{
    int fd = memfd_create("fuzz", 0);
    if (fd < 0)
        return -1;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return -1;
    }
    snprintf(path, cap, "/proc/self/fd/%d", fd);
    return fd;
}

/* An input over size bytes of data, or NULL when cs_input_open refuses it
 * (e.g. UTF-16 text): then err says why. *fd is closed by fuzz_close. */
static inline cs_input *fuzz_input(const void *data, size_t size, int *fd, cs_error *err)
{
    char path[64];
    *fd = fuzz_memfd(data, size, path, sizeof path);
    if (*fd < 0)
        abort(); /* the system, not the input */
    cs_input *in = cs_input_open(path, err);
    if (!in) {
        close(*fd);
        *fd = -1;
        if (err->message[0] == '\0')
            abort(); /* a refusal without a message */
    }
    return in;
}

static inline void fuzz_close(cs_input *in, int fd)
{
    cs_input_close(in);
    if (fd >= 0)
        close(fd);
}

/* A failure must carry a code and a message. */
static inline void fuzz_failed(int rc, const cs_error *err)
{
    if (rc >= 0 || err->code == 0 || err->message[0] == '\0')
        abort();
}

/* Two doubles that are the same value (NaN equals NaN, -0 is not 0). */
static inline int fuzz_same(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0 || (a != a && b != b);
}

#endif
