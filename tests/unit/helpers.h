/* Writing test inputs to temporary files. */
#ifndef CS_UNIT_HELPERS_H
#define CS_UNIT_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes len bytes to a new temporary file; returns its path (static per
 * slot, 4 slots). */
static inline const char *tmpfile_with(const void *data, size_t len)
{
    static char paths[4][64];
    static int slot;
    char *p = paths[slot++ % 4];
    snprintf(p, 64, "/tmp/custseg-unit-XXXXXX");
    int fd = mkstemp(p);
    if (fd < 0)
        return NULL;
    FILE *fp = fdopen(fd, "wb");
    fwrite(data, 1, len, fp);
    fclose(fp);
    return p;
}

static inline const char *tmpfile_str(const char *s)
{
    return tmpfile_with(s, strlen(s));
}

#endif
