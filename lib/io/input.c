/* Input streams: plain files, standard input, gzip recognised by content. */
#include "cs-io.h"
#include "util/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define IN_CHUNK (256 * 1024)

struct cs_input {
    int fd;
    int is_stdin;
    int rereadable;
    int gzip;
    int eof;          /* no more raw bytes */
    int z_done;       /* the current gzip member ended */
    z_stream z;
    unsigned char *raw; /* compressed (or peeked) bytes */
    size_t raw_pos, raw_len;
    uint64_t bytes;
    char *back;       /* pushed-back bytes, returned before anything else */
    size_t back_pos, back_len;
    char name[256];
};

static ssize_t read_raw(cs_input *in, cs_error *err)
{
    if (in->raw_pos < in->raw_len)
        return (ssize_t)(in->raw_len - in->raw_pos);
    for (;;) {
        ssize_t n = read(in->fd, in->raw, IN_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            csi_fail(err, CS_EIO, "read error: %s", strerror(e));
            if (err)
                err->sys_errno = e;
            return CS_EIO;
        }
        in->raw_pos = 0;
        in->raw_len = (size_t)n;
        in->bytes += (uint64_t)n;
        if (n == 0)
            in->eof = 1;
        return n;
    }
}

cs_input *cs_input_open(const char *path, cs_error *err)
{
    cs_input *in = calloc(1, sizeof *in);
    if (!in) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    in->raw = malloc(IN_CHUNK);
    if (!in->raw) {
        free(in);
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    if (!path || strcmp(path, "-") == 0) {
        in->fd = STDIN_FILENO;
        in->is_stdin = 1;
        snprintf(in->name, sizeof in->name, "<stdin>");
    } else {
        snprintf(in->name, sizeof in->name, "%s", path);
        in->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (in->fd < 0) {
            int e = errno;
            csi_fail(err, CS_EIO, "cannot open: %s", strerror(e));
            if (err) {
                err->sys_errno = e;
                csi_error_where(err, in->name, 0, 0, NULL, 0);
            }
            free(in->raw);
            free(in);
            return NULL;
        }
    }
    struct stat st;
    if (fstat(in->fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            csi_fail(err, CS_EIO, "is a directory");
            if (err) {
                err->sys_errno = EISDIR;
                csi_error_where(err, in->name, 0, 0, NULL, 0);
            }
            cs_input_close(in);
            return NULL;
        }
        in->rereadable = !in->is_stdin && S_ISREG(st.st_mode);
#ifdef POSIX_FADV_SEQUENTIAL
        if (S_ISREG(st.st_mode))
            posix_fadvise(in->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    }
    /* Peek at the first bytes to recognise gzip; they stay in raw. */
    while (in->raw_len < 2 && !in->eof) {
        ssize_t n = read(in->fd, in->raw + in->raw_len, IN_CHUNK - in->raw_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            csi_fail(err, CS_EIO, "read error: %s", strerror(e));
            if (err) {
                err->sys_errno = e;
                csi_error_where(err, in->name, 0, 0, NULL, 0);
            }
            cs_input_close(in);
            return NULL;
        }
        if (n == 0)
            in->eof = 1;
        in->raw_len += (size_t)n;
        in->bytes += (uint64_t)n;
    }
    if (in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
        in->gzip = 1;
        if (inflateInit2(&in->z, 15 + 16) != Z_OK) {
            csi_fail(err, CS_ENOMEM, "cannot start gzip decoder");
            cs_input_close(in);
            return NULL;
        }
    }
    return in;
}

static ssize_t gz_read(cs_input *in, unsigned char *buf, size_t cap, cs_error *err)
{
    size_t out = 0;
    while (out < cap) {
        if (in->z_done) {
            /* A member ended: another may follow (as `cat a.gz b.gz` makes);
             * anything but a gzip header after it is an error. */
            ssize_t n = read_raw(in, err);
            if (n < 0)
                return n;
            if (n == 0)
                break;
            if (in->raw[in->raw_pos] != 0x1f) {
                csi_error_where(err, in->name, 0, 0, NULL, 0);
                return csi_fail(err, CS_EGZIP, "trailing garbage after gzip data");
            }
            inflateReset(&in->z);
            in->z_done = 0;
        }
        if (in->raw_pos >= in->raw_len) {
            ssize_t n = read_raw(in, err);
            if (n < 0)
                return n;
            if (n == 0) {
                csi_error_where(err, in->name, 0, 0, NULL, 0);
                return csi_fail(err, CS_EGZIP,
                               "truncated gzip data (the file ends inside a compressed stream)");
            }
        }
        in->z.next_in = in->raw + in->raw_pos;
        in->z.avail_in = (uInt)(in->raw_len - in->raw_pos);
        in->z.next_out = buf + out;
        in->z.avail_out = (uInt)(cap - out);
        int rc = inflate(&in->z, Z_NO_FLUSH);
        size_t used = (in->raw_len - in->raw_pos) - in->z.avail_in;
        in->raw_pos += used;
        out = cap - in->z.avail_out;
        if (rc == Z_STREAM_END) {
            in->z_done = 1;
            if (out > 0)
                break;
        } else if (rc == Z_BUF_ERROR) {
            continue; /* needs more input */
        } else if (rc != Z_OK) {
            csi_error_where(err, in->name, 0, 0, NULL, 0);
            return csi_fail(err, CS_EGZIP, "corrupt gzip data: %s",
                           in->z.msg ? in->z.msg : "inflate failed");
        }
        if (out > 0 && in->raw_pos >= in->raw_len)
            break;
    }
    return (ssize_t)out;
}

int cs_input_unread(cs_input *in, const void *buf, size_t len, cs_error *err)
{
    size_t left = in->back_len - in->back_pos;
    char *nb = malloc(len + left + 1);
    if (!nb)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    memcpy(nb, buf, len);
    if (left)
        memcpy(nb + len, in->back + in->back_pos, left);
    free(in->back);
    in->back = nb;
    in->back_pos = 0;
    in->back_len = len + left;
    return CS_OK;
}

ssize_t cs_input_read(cs_input *in, void *buf, size_t cap, cs_error *err)
{
    if (in->back_pos < in->back_len) {
        size_t n = in->back_len - in->back_pos;
        if (n > cap)
            n = cap;
        memcpy(buf, in->back + in->back_pos, n);
        in->back_pos += n;
        return (ssize_t)n;
    }
    if (in->gzip)
        return gz_read(in, buf, cap, err);
    if (in->raw_pos < in->raw_len) { /* peeked bytes first */
        size_t n = in->raw_len - in->raw_pos;
        if (n > cap)
            n = cap;
        memcpy(buf, in->raw + in->raw_pos, n);
        in->raw_pos += n;
        return (ssize_t)n;
    }
    if (in->eof)
        return 0;
    for (;;) {
        ssize_t n = read(in->fd, buf, cap);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            csi_error_where(err, in->name, 0, 0, NULL, 0);
            csi_fail(err, CS_EIO, "read error: %s", strerror(e));
            if (err)
                err->sys_errno = e;
            return CS_EIO;
        }
        if (n == 0)
            in->eof = 1;
        in->bytes += (uint64_t)n;
        return n;
    }
}

const char *cs_input_name(const cs_input *in)
{
    return in->name;
}

int cs_input_is_gzip(const cs_input *in)
{
    return in->gzip;
}

int cs_input_rereadable(const cs_input *in)
{
    return in->rereadable;
}

uint64_t cs_input_bytes_read(const cs_input *in)
{
    return in->bytes;
}

void cs_input_close(cs_input *in)
{
    if (!in)
        return;
    if (in->gzip)
        inflateEnd(&in->z);
    if (!in->is_stdin && in->fd >= 0)
        close(in->fd);
    free(in->raw);
    free(in->back);
    free(in);
}
