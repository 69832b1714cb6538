/* Input streams: plain files, standard input, gzip recognised by content. */
#include "cs-io.h"
#include "util/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define IN_CHUNK (256 * 1024)
#define RING_N 4
#define RING_BUF (1u << 20)

/* gzip is inflated by a thread of its own into a ring of buffers, so that
 * inflating and parsing overlap: inflating a log costs about half as much
 * as reading it. */
struct ring {
    pthread_t th;
    pthread_mutex_t m;
    pthread_cond_t cv;
    unsigned char *buf[RING_N];
    size_t len[RING_N];
    int head, count;
    int done, stop;
    int err_code; /* delivered after the buffers before it */
    cs_error err;
    int cur;      /* the consumer holds buf[head] */
    size_t pos;
};

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
    struct ring *ring;
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
        __atomic_fetch_add(&in->bytes, (uint64_t)n, __ATOMIC_RELAXED);
        if (n == 0)
            in->eof = 1;
        return n;
    }
}

static ssize_t gz_read(cs_input *in, unsigned char *buf, size_t cap, cs_error *err);

static void *ring_main(void *arg)
{
    cs_input *in = arg;
    struct ring *r = in->ring;
    for (;;) {
        pthread_mutex_lock(&r->m);
        while (r->count == RING_N && !r->stop)
            pthread_cond_wait(&r->cv, &r->m);
        if (r->stop) {
            pthread_mutex_unlock(&r->m);
            break;
        }
        int slot = (r->head + r->count) % RING_N;
        pthread_mutex_unlock(&r->m);
        size_t total = 0;
        ssize_t n = 0;
        cs_error e = {0};
        while (total < RING_BUF && (n = gz_read(in, r->buf[slot] + total, RING_BUF - total, &e)) > 0)
            total += (size_t)n;
        pthread_mutex_lock(&r->m);
        if (total) {
            r->len[slot] = total;
            r->count++;
        }
        if (n <= 0 && total < RING_BUF) {
            r->done = 1;
            if (n < 0) {
                r->err_code = (int)n;
                r->err = e;
            }
        }
        int finished = r->done;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->m);
        if (finished)
            break;
    }
    return NULL;
}

static int ring_start(cs_input *in)
{
    struct ring *r = calloc(1, sizeof *r);
    if (!r)
        return CS_ENOMEM;
    for (int i = 0; i < RING_N; i++)
        if (!(r->buf[i] = malloc(RING_BUF))) {
            for (int k = 0; k < i; k++)
                free(r->buf[k]);
            free(r);
            return CS_ENOMEM;
        }
    pthread_mutex_init(&r->m, NULL);
    pthread_cond_init(&r->cv, NULL);
    r->cur = -1;
    in->ring = r;
    if (pthread_create(&r->th, NULL, ring_main, in) != 0) {
        /* no thread: inflate in the caller's thread instead */
        pthread_mutex_destroy(&r->m);
        pthread_cond_destroy(&r->cv);
        for (int i = 0; i < RING_N; i++)
            free(r->buf[i]);
        free(r);
        in->ring = NULL;
    }
    return CS_OK;
}

static void ring_stop(cs_input *in)
{
    struct ring *r = in->ring;
    if (!r)
        return;
    pthread_mutex_lock(&r->m);
    r->stop = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->m);
    pthread_join(r->th, NULL);
    pthread_mutex_destroy(&r->m);
    pthread_cond_destroy(&r->cv);
    for (int i = 0; i < RING_N; i++)
        free(r->buf[i]);
    free(r);
    in->ring = NULL;
}

static ssize_t ring_read(cs_input *in, void *buf, size_t cap, cs_error *err)
{
    struct ring *r = in->ring;
    if (r->cur < 0) {
        pthread_mutex_lock(&r->m);
        while (r->count == 0 && !r->done)
            pthread_cond_wait(&r->cv, &r->m);
        if (r->count == 0) {
            int code = r->err_code;
            if (code && err)
                *err = r->err;
            pthread_mutex_unlock(&r->m);
            return code;
        }
        r->cur = r->head;
        r->pos = 0;
        pthread_mutex_unlock(&r->m);
    }
    size_t n = r->len[r->cur] - r->pos;
    if (n > cap)
        n = cap;
    memcpy(buf, r->buf[r->cur] + r->pos, n);
    r->pos += n;
    if (r->pos == r->len[r->cur]) {
        pthread_mutex_lock(&r->m);
        r->head = (r->head + 1) % RING_N;
        r->count--;
        r->cur = -1;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->m);
    }
    return (ssize_t)n;
}

/* The formats people hand a text tool by mistake, by their first bytes:
 * what to say instead of "NUL byte in the line"; NULL for anything else. */
static const char *unread_format(const unsigned char *b, size_t n, const char **how)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *what, *how;
    } known[] = {
        {"BZh", 3, "bzip2-compressed data", "decompress it first, e.g. with bzcat"},
        {"\xfd" "7zXZ\0", 6, "xz-compressed data", "decompress it first, e.g. with xzcat"},
        {"\x28\xb5\x2f\xfd", 4, "zstd-compressed data", "decompress it first, e.g. with zstdcat"},
        {"PK\x03\x04", 4, "a zip archive",
         "extract the CSV (unzip -p); an .xlsx workbook is one too: save it as CSV"},
        {"7z\xbc\xaf\x27\x1c", 6, "a 7z archive", "extract it first"},
        {"\xff\xfe\0\0", 4, "UTF-32 text", "convert it to UTF-8 first, e.g. with iconv -f UTF-32"},
        {"\0\0\xfe\xff", 4, "UTF-32 text", "convert it to UTF-8 first, e.g. with iconv -f UTF-32"},
        {"\xff\xfe", 2, "UTF-16 text", "convert it to UTF-8 first, e.g. with iconv -f UTF-16"},
        {"\xfe\xff", 2, "UTF-16 text", "convert it to UTF-8 first, e.g. with iconv -f UTF-16"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (n < known[i].len || memcmp(b, known[i].magic, known[i].len) != 0)
            continue;
        /* bzip2: "BZh", a block size digit, then a block or end-of-stream magic */
        if (i == 0 && !(n >= 10 && b[3] >= '1' && b[3] <= '9' &&
                        (!memcmp(b + 4, "1AY&SY", 6) || !memcmp(b + 4, "\x17rE8P\x90", 6))))
            continue;
        *how = known[i].how;
        return known[i].what;
    }
    /* UTF-16 without a byte order mark: every other byte NUL in ASCII text */
    if (n >= 8 && b[1] == 0 && b[3] == 0 && b[5] == 0 && b[7] == 0 && b[0] && b[2] && b[4]) {
        *how = "convert it to UTF-8 first, e.g. with iconv -f UTF-16LE";
        return "UTF-16 text";
    }
    if (n >= 8 && b[0] == 0 && b[2] == 0 && b[4] == 0 && b[6] == 0 && b[1] && b[3] && b[5]) {
        *how = "convert it to UTF-8 first, e.g. with iconv -f UTF-16BE";
        return "UTF-16 text";
    }
    /* lines that end in a carriage return alone (old Mac text) */
    const unsigned char *cr = memchr(b, '\r', n);
    if (cr && cr + 1 < b + n && cr[1] != '\n' && !memchr(b, '\n', n) &&
        !(n >= 2 && b[0] == 0x1f && b[1] == 0x8b)) {
        *how = "convert the line ends first, e.g. with tr '\\r' '\\n'";
        return "text whose lines end in a carriage return alone";
    }
    return NULL;
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
    /* Peek at the first bytes to recognise gzip (and formats this library
     * does not read); they stay in raw. */
    while (in->raw_len < 10 && !in->eof) {
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
    const char *how = NULL, *what = unread_format(in->raw, in->raw_len, &how);
    if (what) {
        csi_fail(err, CS_EFORMAT, "%s, and custseg reads plain or gzip text: %s", what, how);
        csi_error_where(err, in->name, 0, 0, NULL, 0);
        cs_input_close(in);
        return NULL;
    }
    if (in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
        in->gzip = 1;
        if (inflateInit2(&in->z, 15 + 16) != Z_OK) {
            csi_fail(err, CS_ENOMEM, "cannot start gzip decoder");
            cs_input_close(in);
            return NULL;
        }
        if (ring_start(in) != CS_OK) {
            csi_fail(err, CS_ENOMEM, "out of memory");
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
    if (in->ring)
        return ring_read(in, buf, cap, err);
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
        __atomic_fetch_add(&in->bytes, (uint64_t)n, __ATOMIC_RELAXED);
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

int cs_input_stamp_get(const cs_input *in, cs_input_stamp *st)
{
    memset(st, 0, sizeof *st);
    struct stat sb;
    if (in->is_stdin || fstat(in->fd, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    st->dev = (uint64_t)sb.st_dev;
    st->ino = (uint64_t)sb.st_ino;
    st->size = (int64_t)sb.st_size;
    st->mtime_sec = (int64_t)sb.st_mtim.tv_sec;
    st->mtime_nsec = (int64_t)sb.st_mtim.tv_nsec;
    return 1;
}

uint64_t cs_input_bytes_read(const cs_input *in)
{
    return __atomic_load_n(&in->bytes, __ATOMIC_RELAXED);
}

void cs_input_close(cs_input *in)
{
    if (!in)
        return;
    ring_stop(in);
    if (in->gzip)
        inflateEnd(&in->z);
    if (!in->is_stdin && in->fd >= 0)
        close(in->fd);
    free(in->raw);
    free(in->back);
    free(in);
}
