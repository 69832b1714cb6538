/* The growable text buffer the report and its charts are written into, and
 * the escaping of data text for HTML and SVG. */
#include "report/chart.h"
#include "util/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_FIRST 256

void csi_buf_init(csi_buf *b)
{
    b->len = 0;
    b->max = 0;
    b->failed = 0;
    b->cap = BUF_FIRST;
    b->data = malloc(BUF_FIRST);
    if (!b->data) {
        b->cap = 0;
        b->failed = 1;
        return;
    }
    b->data[0] = '\0';
}

void csi_buf_free(csi_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* Room for `more` bytes and a NUL; 0 (and the buffer failed) if not. */
static int reserve(csi_buf *b, size_t more)
{
    if (b->failed)
        return 0;
    if (b->max && (more > b->max || b->len > b->max - more)) {
        b->failed = 2;
        return 0;
    }
    if (more > SIZE_MAX / 4 - b->len) {
        b->failed = 1;
        return 0;
    }
    size_t need = b->len + more + 1;
    if (need <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : BUF_FIRST;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return 0;
    }
    b->data = p;
    b->cap = cap;
    return 1;
}

void csi_buf_put(csi_buf *b, const char *s, size_t len)
{
    if (len == 0 || !reserve(b, len))
        return;
    memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void csi_buf_puts(csi_buf *b, const char *s)
{
    csi_buf_put(b, s, strlen(s));
}

void csi_buf_printf(csi_buf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        csi_buf_put(b, small, (size_t)n);
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void csi_buf_escape(csi_buf *b, const char *str, size_t len)
{
    static const char fffd[] = "\xef\xbf\xbd";
    const unsigned char *s = (const unsigned char *)str;
    size_t run = 0; /* start of the bytes copied as they are */
    size_t i = 0;
    while (i < len && !b->failed) {
        unsigned char c = s[i];
        const char *rep = NULL;
        size_t adv = 1;
        if (c < 0x80) {
            switch (c) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&#39;"; break;
            case '\t':
            case '\n': break;
            default:
                if (c < 0x20 || c == 0x7f)
                    rep = fffd;
            }
        } else {
            unsigned cp = 0;
            adv = csi_utf8_char(s + i, len - i, &cp);
            /* C1 controls and the non-characters XML refuses */
            if (adv == 0) {
                adv = 1;
                rep = fffd;
            } else if ((cp >= 0x80 && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff) {
                rep = fffd;
            }
        }
        if (rep) {
            csi_buf_put(b, str + run, i - run);
            csi_buf_puts(b, rep);
            run = i + adv;
        }
        i += adv;
    }
    csi_buf_put(b, str + run, len - run);
}

void csi_buf_escapes(csi_buf *b, const char *s)
{
    if (s)
        csi_buf_escape(b, s, strlen(s));
}

int csi_buf_ok(const csi_buf *b, cs_error *err)
{
    if (!b->failed)
        return CS_OK;
    if (b->failed == 2)
        return csi_fail(err, CS_ENOMEM, "the report text would grow past its limit of %zu bytes",
                        b->max);
    return csi_fail(err, CS_ENOMEM,
                    "out of memory while writing the report text (%zu bytes written)", b->len);
}

char *csi_buf_take(csi_buf *b)
{
    char *p = b->failed ? NULL : b->data;
    if (b->failed)
        free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
