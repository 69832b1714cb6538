#include "util/internal.h"

size_t csi_utf8_char(const unsigned char *s, size_t len, unsigned *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t need;
    unsigned lo = 0x80, hi = 0xbf, v;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
        v = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        v = c & 0x0f;
        if (c == 0xe0)
            lo = 0xa0; /* no overlongs */
        if (c == 0xed)
            hi = 0x9f; /* no surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xf0)
            lo = 0x90;
        if (c == 0xf4)
            hi = 0x8f;
    } else {
        return 0;
    }
    if (need >= len) /* the sequence is cut short */
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 1; k <= need; k++) {
        if (k > 1 && (s[k] < 0x80 || s[k] > 0xbf))
            return 0;
        v = (v << 6) | (s[k] & 0x3f);
    }
    *cp = v;
    return need + 1;
}

int csi_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned cp;
        size_t n = s[i] < 0x80 ? 1 : csi_utf8_char(s + i, len - i, &cp);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}
