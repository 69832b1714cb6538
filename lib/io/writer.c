/* Table output: CSV (RFC 4180), TSV (escaped) and JSON lines. */
#include "cs-io.h"
#include "util/internal.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define WBUF (64 * 1024)

/* Rows are built in a buffer of our own and handed to stdio in large
 * pieces: a call per cell costs more than the formatting itself. */
struct cs_writer {
    FILE *fp;
    int format;
    size_t ncols, col;
    char **names;
    int failed;
    locale_t c_locale;
    size_t len;
    char buf[WBUF];
};

int cs_format_from_name(const char *name)
{
    if (!strcmp(name, "csv"))
        return CS_FORMAT_CSV;
    if (!strcmp(name, "tsv"))
        return CS_FORMAT_TSV;
    if (!strcmp(name, "jsonl") || !strcmp(name, "ndjson"))
        return CS_FORMAT_JSONL;
    return -1;
}

static void drain(cs_writer *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->fp) != w->len)
        w->failed = 1;
    w->len = 0;
}

static void put(cs_writer *w, const char *s, size_t n)
{
    if (w->len + n > WBUF) {
        drain(w);
        if (n > WBUF) {
            if (fwrite(s, 1, n, w->fp) != n)
                w->failed = 1;
            return;
        }
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void putch(cs_writer *w, char c)
{
    if (w->len == WBUF)
        drain(w);
    w->buf[w->len++] = c;
}

static void put_csv_text(cs_writer *w, const char *s, size_t n)
{
    int quote = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') {
            quote = 1;
            break;
        }
    /* a leading or trailing space would be lost by some readers: quote it */
    if (n && (s[0] == ' ' || s[n - 1] == ' '))
        quote = 1;
    if (!quote) {
        put(w, s, n);
        return;
    }
    putch(w, '"');
    size_t b = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '"') {
            put(w, s + b, i + 1 - b);
            putch(w, '"');
            b = i + 1;
        }
    put(w, s + b, n - b);
    putch(w, '"');
}

static void put_tsv_text(cs_writer *w, const char *s, size_t n)
{
    size_t b = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = NULL;
        switch (s[i]) {
        case '\t': esc = "\\t"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\\': esc = "\\\\"; break;
        default: continue;
        }
        put(w, s + b, i - b);
        put(w, esc, 2);
        b = i + 1;
    }
    put(w, s + b, n - b);
}

static void put_json_text(cs_writer *w, const char *s, size_t n)
{
    putch(w, '"');
    size_t b = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(w, s + b, i - b);
        char esc[8];
        switch (c) {
        case '"': put(w, "\\\"", 2); break;
        case '\\': put(w, "\\\\", 2); break;
        case '\n': put(w, "\\n", 2); break;
        case '\r': put(w, "\\r", 2); break;
        case '\t': put(w, "\\t", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            put(w, esc, 6);
        }
        b = i + 1;
    }
    put(w, s + b, n - b);
    putch(w, '"');
}

cs_writer *cs_writer_new(FILE *fp, int format, int header, const char *const *names,
                         size_t ncols, cs_error *err)
{
    cs_writer *w = malloc(sizeof *w);
    if (w)
        memset(w, 0, offsetof(cs_writer, buf));
    if (!w)
        goto nomem;
    w->fp = fp;
    w->format = format;
    w->ncols = ncols;
    w->names = calloc(ncols, sizeof *w->names);
    w->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!w->names || w->c_locale == (locale_t)0)
        goto nomem;
    for (size_t i = 0; i < ncols; i++)
        if (!(w->names[i] = strdup(names[i])))
            goto nomem;
    if (header && format != CS_FORMAT_JSONL) {
        for (size_t i = 0; i < ncols; i++) {
            if (i)
                putch(w, format == CS_FORMAT_TSV ? '\t' : ',');
            if (format == CS_FORMAT_TSV)
                put_tsv_text(w, names[i], strlen(names[i]));
            else
                put_csv_text(w, names[i], strlen(names[i]));
        }
        putch(w, '\n');
    }
    return w;
nomem:
    cs_writer_free(w);
    csi_fail(err, CS_ENOMEM, "out of memory");
    return NULL;
}

void cs_writer_free(cs_writer *w)
{
    if (!w)
        return;
    if (w->names)
        for (size_t i = 0; i < w->ncols; i++)
            free(w->names[i]);
    free(w->names);
    if (w->c_locale != (locale_t)0)
        freelocale(w->c_locale);
    free(w);
}

static void sep(cs_writer *w)
{
    if (w->format == CS_FORMAT_JSONL) {
        putch(w, w->col ? ',' : '{');
        const char *nm = w->col < w->ncols ? w->names[w->col] : "extra";
        put_json_text(w, nm, strlen(nm));
        putch(w, ':');
    } else if (w->col) {
        putch(w, w->format == CS_FORMAT_TSV ? '\t' : ',');
    }
    w->col++;
}

void cs_writer_str(cs_writer *w, const char *s, size_t len)
{
    sep(w);
    switch (w->format) {
    case CS_FORMAT_TSV: put_tsv_text(w, s, len); break;
    case CS_FORMAT_JSONL: put_json_text(w, s, len); break;
    default: put_csv_text(w, s, len); break;
    }
}

void cs_writer_num(cs_writer *w, const char *text, size_t len)
{
    sep(w);
    put(w, text, len);
}

void cs_writer_int(cs_writer *w, long long v)
{
    char buf[32];
    char *e = buf + sizeof buf, *p = e;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    cs_writer_num(w, p, (size_t)(e - p));
}

void cs_writer_real(cs_writer *w, double v)
{
    if (!isfinite(v)) {
        cs_writer_null(w);
        return;
    }
    char buf[40];
    size_t n = cs_format_double(buf, v, CS_REAL_DIGITS);
    cs_writer_num(w, buf, n);
}

void cs_writer_money(cs_writer *w, int64_t micro)
{
    char buf[48];
    size_t n = cs_format_money(buf, micro);
    cs_writer_num(w, buf, n);
}

void cs_writer_date(cs_writer *w, int32_t day)
{
    if (day == CS_DAY_NONE) {
        cs_writer_null(w);
        return;
    }
    char buf[11];
    cs_day_format(day, buf);
    sep(w);
    if (w->format == CS_FORMAT_JSONL) {
        putch(w, '"');
        put(w, buf, 10);
        putch(w, '"');
    } else {
        put(w, buf, 10);
    }
}

void cs_writer_null(cs_writer *w)
{
    sep(w);
    if (w->format == CS_FORMAT_JSONL)
        put(w, "null", 4);
}

int cs_writer_end_row(cs_writer *w)
{
    if (w->format == CS_FORMAT_JSONL)
        put(w, w->col ? "}\n" : "{}\n", w->col ? 2 : 3);
    else
        putch(w, '\n');
    w->col = 0;
    return w->failed ? CS_EIO : CS_OK;
}

int cs_writer_finish(cs_writer *w, cs_error *err)
{
    drain(w);
    if (fflush(w->fp) != 0 || ferror(w->fp) || w->failed) {
        int e = errno ? errno : EIO;
        csi_fail(err, CS_EIO, "write error: %s", strerror(e));
        if (err)
            err->sys_errno = e;
        return CS_EIO;
    }
    return CS_OK;
}
