/* Splitting input into records. Lines without a quote character are split
 * in place (the common case, and the fast one); a line with a quote goes to
 * libcsv, fed line by line until the record ends, so quoted delimiters and
 * line breaks follow RFC 4180 exactly. */
#include "cs-io.h"
#include "util/internal.h"

#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BUF_INITIAL (1u << 20)
#define SCRATCH (64u << 10)

struct cs_records {
    cs_input *in;
    int delim;
    char *buf;
    size_t cap, pos, end;
    int eof;
    int started;
    long line; /* line number of the byte at pos */
    int fatal; /* sticky error code after an unrecoverable error */
    size_t max_line; /* the longest record accepted, in bytes */
    int too_long;    /* fill found the record at pos longer than max_line */
    char *scratch;   /* for dropping the rest of an over-long line */

    const char **fp;
    size_t *fl;
    size_t fcap, nf;

    struct csv_parser csv;
    int csv_ready;
    char *store;
    size_t store_len, store_cap;
    int rec_done, oversize, nomem;

    const char *raw;
    size_t raw_len;
    long raw_line, raw_last; /* the lines it spans */

    size_t clean_end; /* [pos, clean_end) holds no quote and no NUL byte */
    int fault; /* enum cs_record_fault of the last record rejected */
};

static int no_space(unsigned char c)
{
    (void)c;
    return 0; /* keep every byte of a field: ids are opaque */
}

static int is_term(unsigned char c)
{
    return c == '\n';
}

static int csv_start(cs_records *r)
{
    if (r->csv_ready)
        csv_free(&r->csv);
    r->csv_ready = 0;
    if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return CS_ENOMEM;
    csv_set_delim(&r->csv, (unsigned char)r->delim);
    csv_set_space_func(&r->csv, no_space);
    csv_set_term_func(&r->csv, is_term);
    r->csv_ready = 1;
    return CS_OK;
}

cs_records *cs_records_new(cs_input *in, int delimiter, cs_error *err)
{
    cs_records *r = calloc(1, sizeof *r);
    if (!r)
        goto nomem;
    r->in = in;
    r->delim = delimiter;
    r->line = 1;
    r->max_line = CS_LINE_MAX_DEFAULT;
    r->raw = "";
    r->cap = BUF_INITIAL;
    r->buf = malloc(r->cap);
    r->fcap = 16;
    r->fp = malloc(r->fcap * sizeof *r->fp);
    r->fl = malloc(r->fcap * sizeof *r->fl);
    if (!r->buf || !r->fp || !r->fl)
        goto nomem;
    return r;
nomem:
    cs_records_free(r);
    csi_fail(err, CS_ENOMEM, "out of memory");
    return NULL;
}

void cs_records_free(cs_records *r)
{
    if (!r)
        return;
    if (r->csv_ready)
        csv_free(&r->csv);
    free(r->buf);
    free(r->fp);
    free(r->fl);
    free(r->store);
    free(r->scratch);
    free(r);
}

int cs_records_delimiter(const cs_records *r)
{
    return r->delim;
}

void cs_records_set_max_line(cs_records *r, size_t bytes)
{
    if (bytes > SIZE_MAX / 4)
        bytes = SIZE_MAX / 4; /* room for the line end in the buffer size */
    r->max_line = bytes ? bytes : CS_LINE_MAX_DEFAULT;
}

size_t cs_records_max_line(const cs_records *r)
{
    return r->max_line;
}

const char *cs_records_raw(const cs_records *r, size_t *len, long *line)
{
    if (len)
        *len = r->raw_len;
    if (line)
        *line = r->raw_line;
    return r->raw;
}

long cs_records_raw_last_line(const cs_records *r)
{
    return r->raw_last;
}

static int fail_at(cs_records *r, cs_error *err, long line, int code, const char *msg)
{
    csi_fail(err, code, "%s", msg);
    csi_error_where(err, cs_input_name(r->in), line, 0, NULL, 0);
    return code;
}

/* Sets the raw text of a rejected or returned record: its first len bytes
 * from s (at most max_line of them), spanning lines first..last. */
static void set_raw(cs_records *r, const char *s, size_t len, long first, long last)
{
    r->raw = s;
    r->raw_len = len < r->max_line ? len : r->max_line;
    r->raw_line = first;
    r->raw_last = last;
}

static long count_lines(const char *s, size_t n)
{
    long k = 0;
    for (const char *e = s + n; (s = memchr(s, '\n', (size_t)(e - s))) != NULL; s++)
        k++;
    return k;
}

/* A record over max_line bytes: the message, for a record that starts on
 * line first and ends on line last. */
static int too_long_error(cs_records *r, cs_error *err, long first, long last)
{
    r->fault = CS_FAULT_LONG;
    if (last > first)
        csi_fail(err, CS_EFORMAT,
                 "a quoted record runs over %zu bytes, over lines %ld-%ld (a stray quote?)",
                 r->max_line, first, last);
    else
        csi_fail(err, CS_EFORMAT, "line longer than %zu bytes (is this a text file?)",
                 r->max_line);
    csi_error_where(err, cs_input_name(r->in), first, 0, NULL, 0);
    return CS_EFORMAT;
}

/* Moves the unread bytes to the front and reads more. Returns bytes read,
 * 0 at the end of input, or a negative code (sticky). */
static ssize_t fill(cs_records *r, cs_error *err)
{
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->end -= r->pos;
        r->pos = 0;
    }
    /* fill is only called while the record at pos has not ended */
    if (r->end > r->max_line + 1) { /* + 1: a CR before the line end */
        /* not sticky: the caller rejects the record (too_long_record) */
        r->too_long = 1;
        return CS_EFORMAT;
    }
    if (r->end == r->cap) {
        /* room for max_line bytes and a CR LF, not more */
        size_t ncap = r->cap * 2;
        if (ncap > r->max_line + 3)
            ncap = r->max_line + 3; /* > cap: end == cap <= max_line + 1 */
        char *nb = realloc(r->buf, ncap);
        if (!nb) {
            r->fatal = fail_at(r, err, r->line, CS_ENOMEM, "out of memory");
            return r->fatal;
        }
        r->buf = nb;
        r->cap = ncap;
    }
    ssize_t n = cs_input_read(r->in, r->buf + r->end, r->cap - r->end, err);
    if (n < 0) {
        if (err && err->line == 0)
            err->line = r->line;
        r->fatal = (int)n;
        return n;
    }
    if (n == 0)
        r->eof = 1;
    r->end += (size_t)n;
    r->clean_end = 0; /* the buffer moved: scan again */
    return n;
}

/* After fill found the record at pos over max_line bytes: the bytes from
 * end on are the rest of its last line. Reads past the next line end (or to
 * the end of the input) and pushes back what follows it, so the buffer and
 * the raw text stay as they are. */
static int drop_rest_of_line(cs_records *r, cs_error *err)
{
    if (!r->scratch && !(r->scratch = malloc(SCRATCH)))
        return r->fatal = fail_at(r, err, r->line, CS_ENOMEM, "out of memory");
    while (!r->eof) {
        ssize_t n = cs_input_read(r->in, r->scratch, SCRATCH, err);
        if (n < 0) {
            if (err && err->line == 0)
                err->line = r->line;
            return r->fatal = (int)n;
        }
        if (n == 0) {
            r->eof = 1;
            break;
        }
        const char *nl = memchr(r->scratch, '\n', (size_t)n);
        if (nl) {
            size_t rest = (size_t)n - (size_t)(nl + 1 - r->scratch);
            if (rest && cs_input_unread(r->in, nl + 1, rest, err) != CS_OK)
                return r->fatal = fail_at(r, err, r->line, CS_ENOMEM, "out of memory");
            break;
        }
    }
    return CS_OK;
}

/* The record at pos (skip: a byte order mark before it) is over max_line
 * bytes and has not ended. It is rejected: the reader drops it up to the
 * end of the line in which it crossed the limit (the record's own line, or
 * for a quoted record, the line the quote state had reached: there is no
 * telling where a record that long should have ended) and goes on with the
 * next line. Its raw text is its first max_line bytes. */
static int too_long_record(cs_records *r, size_t skip, cs_error *err)
{
    r->too_long = 0;
    r->started = 1;
    long first = r->line;
    const char *s = r->buf + r->pos + skip;
    size_t n = r->end - r->pos - skip;
    long last = first + count_lines(s, n);
    if (drop_rest_of_line(r, err) != CS_OK)
        return r->fatal;
    set_raw(r, s, n, first, last);
    r->pos = r->end; /* the buffer keeps the raw text until the next call */
    r->clean_end = r->end;
    r->line = last + 1;
    return too_long_error(r, err, first, last);
}

/* Most logs hold no quote and no NUL at all: one memchr pass per buffer
 * tells, so lines before the first such byte skip the per-line checks. */
static void scan_clean(cs_records *r)
{
    size_t from = r->pos;
    const char *z = memchr(r->buf + from, '\0', r->end - from);
    size_t lim = z ? (size_t)(z - r->buf) : r->end;
    if (r->delim != CS_DELIM_WHITESPACE) { /* quotes mean nothing in whitespace mode */
        const char *q = memchr(r->buf + from, '"', lim - from);
        if (q)
            lim = (size_t)(q - r->buf);
    }
    r->clean_end = lim;
}

static int grow_fields(cs_records *r)
{
    size_t ncap = r->fcap * 2;
    const char **nfp = realloc(r->fp, ncap * sizeof *nfp);
    if (!nfp)
        return CS_ENOMEM;
    r->fp = nfp;
    size_t *nfl = realloc(r->fl, ncap * sizeof *nfl);
    if (!nfl)
        return CS_ENOMEM;
    r->fl = nfl;
    r->fcap = ncap;
    return CS_OK;
}

static int add_field(cs_records *r, const char *p, size_t len)
{
    if (r->nf == r->fcap && grow_fields(r) != CS_OK)
        return CS_ENOMEM;
    r->fp[r->nf] = p;
    r->fl[r->nf] = len;
    r->nf++;
    return CS_OK;
}

static void detect_delimiter(cs_records *r, const char *s, size_t n)
{
    if (memchr(s, '\t', n))
        r->delim = '\t';
    else if (memchr(s, ',', n))
        r->delim = ',';
    else if (memchr(s, ';', n))
        r->delim = ';';
    else if (memchr(s, ' ', n))
        r->delim = CS_DELIM_WHITESPACE;
    else
        r->delim = ',';
}

static int split_plain(cs_records *r, const char *s, size_t n)
{
    r->nf = 0;
    if (r->delim == CS_DELIM_WHITESPACE) {
        size_t i = 0;
        for (;;) {
            while (i < n && (s[i] == ' ' || s[i] == '\t'))
                i++;
            if (i == n)
                break;
            size_t b = i;
            while (i < n && s[i] != ' ' && s[i] != '\t')
                i++;
            if (add_field(r, s + b, i - b) != CS_OK)
                return CS_ENOMEM;
        }
        return CS_OK;
    }
    /* fields are short: a byte loop beats a memchr call per field */
    const char delim = (char)r->delim;
    size_t b = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == delim) {
            if (add_field(r, s + b, i - b) != CS_OK)
                return CS_ENOMEM;
            b = i + 1;
        }
    return add_field(r, s + b, n - b);
}

static void on_field(void *data, size_t len, void *ctx)
{
    cs_records *r = ctx;
    if (len > CS_FIELD_MAX)
        r->oversize = 1;
    if (r->store_len + len > r->store_cap) {
        size_t ncap = r->store_cap ? r->store_cap : 4096;
        while (ncap < r->store_len + len)
            ncap *= 2;
        char *ns = realloc(r->store, ncap);
        if (!ns) {
            r->nomem = 1;
            return;
        }
        r->store = ns;
        r->store_cap = ncap;
    }
    if (len)
        memcpy(r->store + r->store_len, data, len);
    /* offsets now, pointers once the store stops moving */
    if (add_field(r, (const char *)(uintptr_t)r->store_len, len) != CS_OK)
        r->nomem = 1;
    r->store_len += len;
}

static void on_record(int c, void *ctx)
{
    (void)c;
    ((cs_records *)ctx)->rec_done = 1;
}

/* A record that holds a quote: libcsv, one line at a time, from r->pos. */
static int parse_quoted(cs_records *r, cs_record *rec, size_t skip, cs_error *err)
{
    long start_line = r->line;
    r->nf = 0;
    r->store_len = 0;
    r->rec_done = r->oversize = r->nomem = 0;
    if (csv_start(r) != CS_OK)
        return r->fatal = fail_at(r, err, start_line, CS_ENOMEM, "out of memory");
    size_t rel = skip; /* offset of the next line from r->pos */
    long lines = 0;
    size_t content_end;
    for (;;) {
        char *nl;
        for (;;) {
            nl = memchr(r->buf + r->pos + rel, '\n', r->end - r->pos - rel);
            if (nl || r->eof)
                break;
            if (fill(r, err) < 0)
                return r->too_long ? too_long_record(r, skip, err) : r->fatal;
        }
        size_t cur = r->pos + rel;
        size_t lend = nl ? (size_t)(nl - r->buf) : r->end;
        content_end = lend;
        if (content_end > cur && r->buf[content_end - 1] == '\r')
            content_end--;
        lines++;
        if (content_end - r->pos - skip > r->max_line) {
            /* the record passes the cap in this line: drop it through the
             * end of the line (or of the input) */
            long last = start_line + lines - 1;
            set_raw(r, r->buf + r->pos + skip, content_end - r->pos - skip, start_line, last);
            r->pos = nl ? lend + 1 : lend;
            r->line += lines;
            return too_long_error(r, err, start_line, last);
        }
        size_t len = content_end - cur;
        int bad = 0;
        if (memchr(r->buf + cur, '\0', len)) {
            bad = 1;
        } else if (csv_parse(&r->csv, r->buf + cur, len, on_field, on_record, r) != len) {
            bad = 2;
        } else if (nl) {
            if (csv_parse(&r->csv, "\n", 1, on_field, on_record, r) != 1)
                bad = 2;
        } else if (csv_fini(&r->csv, on_field, on_record, r) != 0) {
            /* the input ended inside a quoted field; when it ends with a
             * line end, there is no line after it */
            size_t rlen = content_end - r->pos - skip;
            long last = start_line + lines - 1;
            if (cur == r->end && lines > 1) {
                last--;
                if (rlen && r->buf[r->pos + skip + rlen - 1] == '\n')
                    rlen--;
                if (rlen && r->buf[r->pos + skip + rlen - 1] == '\r')
                    rlen--;
            }
            set_raw(r, r->buf + r->pos + skip, rlen, start_line, last);
            r->pos = r->end;
            r->line += lines;
            r->fault = CS_FAULT_QUOTE;
            if (last == start_line)
                return fail_at(r, err, start_line, CS_EFORMAT,
                               "unterminated quoted field (the input ends inside quotes)");
            csi_fail(err, CS_EFORMAT,
                     "unterminated quoted field (the input ends inside quotes, lines %ld-%ld "
                     "lost)",
                     start_line, last);
            csi_error_where(err, cs_input_name(r->in), start_line, 0, NULL, 0);
            return CS_EFORMAT;
        }
        if (r->nomem)
            return r->fatal = fail_at(r, err, start_line, CS_ENOMEM, "out of memory");
        if (bad) {
            set_raw(r, r->buf + r->pos + skip, content_end - r->pos - skip, start_line,
                    start_line + lines - 1);
            r->pos = nl ? lend + 1 : lend;
            r->line += lines;
            r->fault = bad == 1 ? CS_FAULT_NUL : CS_FAULT_QUOTE;
            return fail_at(r, err, start_line + lines - 1, CS_EFORMAT,
                           bad == 1 ? "NUL byte in the line"
                                    : "bad quoting (a quote must open a field, and a closing "
                                      "quote must be followed by the delimiter or the line end)");
        }
        if (r->rec_done || !nl) {
            size_t total = content_end - r->pos - skip;
            set_raw(r, r->buf + r->pos + skip, total, start_line, start_line + lines - 1);
            r->pos = nl ? lend + 1 : lend;
            r->line += lines;
            if (total > r->max_line)
                return too_long_error(r, err, start_line, start_line + lines - 1);
            break;
        }
        rel = lend + 1 - r->pos;
    }
    for (size_t i = 0; i < r->nf; i++)
        /* no store when every field was empty: no arithmetic on NULL */
        r->fp[i] = r->store ? r->store + (uintptr_t)r->fp[i] : "";
    if (r->oversize) {
        r->fault = CS_FAULT_LONG;
        return fail_at(r, err, start_line, CS_EFORMAT,
                       "a field is longer than 65536 bytes (the limit)");
    }
    rec->nfields = r->nf;
    rec->field = r->fp;
    rec->len = r->fl;
    rec->line = start_line;
    rec->raw = r->raw;
    rec->raw_len = r->raw_len;
    return 1;
}

int cs_records_next(cs_records *r, cs_record *rec, cs_error *err)
{
    r->fault = CS_FAULT_NONE;
    if (r->fatal)
        return r->fatal;
    r->raw = ""; /* never the text of a record whose memory has moved */
    r->raw_len = 0;
    for (;;) {
        size_t scan = r->pos;
        char *nl;
        for (;;) {
            nl = memchr(r->buf + scan, '\n', r->end - scan);
            if (nl || r->eof)
                break;
            size_t off = scan - r->pos;
            if (fill(r, err) < 0)
                return r->too_long ? too_long_record(r, 0, err) : r->fatal;
            scan = r->pos + off;
        }
        if (!nl && r->pos == r->end)
            return 0;
        size_t lstart = r->pos;
        size_t lend = nl ? (size_t)(nl - r->buf) : r->end;
        size_t next = nl ? lend + 1 : lend;
        size_t skip = 0;
        if (!r->started) {
            r->started = 1;
            if (lend - lstart >= 3 && memcmp(r->buf + lstart, "\xEF\xBB\xBF", 3) == 0)
                skip = 3;
        }
        size_t cend = lend;
        if (cend > lstart + skip && r->buf[cend - 1] == '\r')
            cend--;
        const char *s = r->buf + lstart + skip;
        size_t n = cend - lstart - skip;
        if (r->delim == CS_DELIM_AUTO && n > 0)
            detect_delimiter(r, s, n);
        size_t k = 0;
        if (r->delim == CS_DELIM_WHITESPACE)
            while (k < n && (s[k] == ' ' || s[k] == '\t'))
                k++;
        if (k == n) { /* blank line */
            r->pos = next;
            r->line++;
            continue;
        }
        set_raw(r, s, n, r->line, r->line);
        if (n > r->max_line) {
            long line = r->line;
            r->pos = next;
            r->line++;
            return too_long_error(r, err, line, line);
        }
        if (lend > r->clean_end && r->pos >= r->clean_end)
            scan_clean(r);
        int clean = lend <= r->clean_end;
        if (!clean && memchr(s, '\0', n)) {
            long line = r->line;
            r->pos = next;
            r->line++;
            r->fault = CS_FAULT_NUL;
            return fail_at(r, err, line, CS_EFORMAT, "NUL byte in the line");
        }
        if (!clean && r->delim != CS_DELIM_WHITESPACE && memchr(s, '"', n))
            return parse_quoted(r, rec, skip, err);
        long line = r->line;
        r->pos = next;
        r->line++;
        if (split_plain(r, s, n) != CS_OK)
            return r->fatal = fail_at(r, err, line, CS_ENOMEM, "out of memory");
        rec->nfields = r->nf;
        rec->field = r->fp;
        rec->len = r->fl;
        rec->line = line;
        rec->raw = s;
        rec->raw_len = n;
        for (size_t i = 0; i < r->nf; i++) {
            if (r->fl[i] > CS_FIELD_MAX) {
                r->fault = CS_FAULT_LONG;
                csi_fail(err, CS_EFORMAT, "the field is %zu bytes long (the limit is %d bytes)",
                         r->fl[i], CS_FIELD_MAX);
                csi_error_where(err, cs_input_name(r->in), line, (int)(i + 1), NULL, 0);
                return CS_EFORMAT;
            }
        }
        return 1;
    }
}

int cs_records_fault(const cs_records *r)
{
    return r->fault;
}
