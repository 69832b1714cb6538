/* Numbers as text and back, whatever the locale: exact ratios, money in
 * micro-units and doubles with a dot, and strict decimal parsing (a
 * dot, nothing else). Below the writer and the table reader. */
#include "cs-io.h"
#include "util/internal.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The common case in 64 bits: 128-bit division per digit costs more than
 * everything else in writing a summary row. */
static size_t format_ratio64(char *buf, uint64_t n, uint64_t d, uint64_t pow, int decimals,
                             int neg)
{
    char *o = buf;
    uint64_t scaled = (n * pow * 2 + d) / (2 * d);
    uint64_t ip = scaled / pow, fp = scaled % pow;
    if (neg && scaled)
        *o++ = '-';
    char tmp[24];
    int t = 0;
    do {
        tmp[t++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    while (t)
        *o++ = tmp[--t];
    if (fp) {
        int nd = decimals;
        while (fp % 10 == 0) {
            fp /= 10;
            nd--;
        }
        *o++ = '.';
        for (int k = nd - 1; k >= 0; k--) {
            o[k] = (char)('0' + fp % 10);
            fp /= 10;
        }
        o += nd;
    }
    *o = '\0';
    return (size_t)(o - buf);
}

size_t cs_format_ratio(char *buf, int64_t num, int64_t den, int decimals)
{
    {
        uint64_t n = num < 0 ? (uint64_t)0 - (uint64_t)num : (uint64_t)num, pow = 1;
        for (int k = 0; k < decimals; k++)
            pow *= 10;
        /* n * pow * 2 + den must not overflow 64 bits */
        if (decimals <= 15 && den > 0 && n < (UINT64_MAX / 4) / pow &&
            (uint64_t)den < UINT64_MAX / 4)
            return format_ratio64(buf, n, (uint64_t)den, pow, decimals, num < 0);
    }
    char *o = buf;
    unsigned __int128 n;
    if (num < 0) {
        *o++ = '-';
        n = (unsigned __int128)(-(__int128)num);
    } else {
        n = (unsigned __int128)num;
    }
    unsigned __int128 d = (unsigned __int128)den;
    unsigned __int128 pow = 1;
    for (int k = 0; k < decimals; k++)
        pow *= 10;
    /* scaled = round(n * 10^decimals / d) */
    unsigned __int128 scaled = (n * pow * 2 + d) / (2 * d);
    unsigned __int128 ip = scaled / pow, fp = scaled % pow;
    char tmp[48];
    int t = 0;
    do {
        tmp[t++] = (char)('0' + (int)(ip % 10));
        ip /= 10;
    } while (ip);
    if (scaled == 0 && o != buf)
        o--; /* no "-0" */
    while (t)
        *o++ = tmp[--t];
    if (fp) {
        int nd = decimals;
        while (fp % 10 == 0) {
            fp /= 10;
            nd--;
        }
        *o++ = '.';
        for (int k = nd - 1; k >= 0; k--) {
            o[k] = (char)('0' + (int)(fp % 10));
            fp /= 10;
        }
        o += nd;
    }
    *o = '\0';
    return (size_t)(o - buf);
}

size_t cs_format_money(char *buf, int64_t micro)
{
    return cs_format_ratio(buf, micro, CS_MICRO, 6);
}

/* v * 10^sh for v > 0 finite and sh from -308 to 338, without overflow
 * in the power: the result is below 10^16 */
static double scale10(double v, int sh)
{
    if (sh > 308) /* 10^sh would overflow: scale in two steps (v is tiny) */
        return v * 1e200 * pow(10, sh - 200);
    if (sh >= 0)
        return sh <= 22 ? v * csi_pow10[sh] : v * pow(10, sh);
    return -sh <= 22 ? v / csi_pow10[-sh] : v / pow(10, -sh);
}

const char *cs_format_count(char *buf, uint64_t n)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)n), o = 0;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
    return buf;
}

size_t cs_format_double(char *buf, double v, int digits)
{
    if (!isfinite(v)) {
        buf[0] = '\0';
        return 0;
    }
    if (digits < 1)
        digits = 1;
    if (digits > 15)
        digits = 15;
    char *o = buf;
    if (v == 0) {
        *o++ = '0';
        *o = '\0';
        return 1;
    }
    if (v < 0) {
        *o++ = '-';
        v = -v;
    }
    /* mantissa of `digits` digits: m = round(v * 10^(digits - 1 - e)) */
    int e = (int)floor(log10(v));
    long long lim = (long long)csi_pow10[digits];
    long long m = llround(scale10(v, digits - 1 - e));
    if (m < lim / 10) { /* log10 was one too high */
        e--;
        m = llround(scale10(v, digits - 1 - e));
    }
    if (m >= lim) { /* rounding carried into a new digit, or log10 was off */
        m = (m + 5) / 10;
        e++;
    }
    if (e == 308) { /* near DBL_MAX rounding up would print a number beyond it */
        long long top = (long long)floor(scale10(DBL_MAX, digits - 1 - e));
        if (m > top)
            m = top;
    }
    char d[16];
    for (int i = digits - 1; i >= 0; i--) {
        d[i] = (char)('0' + m % 10);
        m /= 10;
    }
    int nd = digits;
    while (nd > 1 && d[nd - 1] == '0')
        nd--;
    if (e >= -5 && e < 15) {
        if (e >= 0) {
            for (int i = 0; i <= e; i++)
                *o++ = i < nd ? d[i] : '0';
            if (nd > e + 1) {
                *o++ = '.';
                for (int i = e + 1; i < nd; i++)
                    *o++ = d[i];
            }
        } else {
            *o++ = '0';
            *o++ = '.';
            for (int i = 0; i < -e - 1; i++)
                *o++ = '0';
            for (int i = 0; i < nd; i++)
                *o++ = d[i];
        }
    } else {
        *o++ = d[0];
        if (nd > 1) {
            *o++ = '.';
            for (int i = 1; i < nd; i++)
                *o++ = d[i];
        }
        o += sprintf(o, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    }
    *o = '\0';
    return (size_t)(o - buf);
}

int cs_parse_double(const char *s, size_t len, double *v)
{
    size_t i = 0;
    int neg = 0;
    if (len == 0 || len > 400)
        return 0;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i++;
    }
    uint64_t m = 0;
    int nd = 0, scale = 0, any = 0, dot = 0;
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            any = 1;
            if (nd < 19) {
                if (m || c != '0')
                    nd++;
                m = m * 10 + (uint64_t)(c - '0');
                if (dot)
                    scale--;
            } else {
                nd++;
                if (!dot)
                    scale++;
            }
        } else if (c == '.' && !dot) {
            dot = 1;
        } else {
            break;
        }
    }
    if (!any)
        return 0;
    if (i < len) {
        if (s[i] != 'e' && s[i] != 'E')
            return 0;
        i++;
        int en = 0, ev = 0, ed = 0;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            en = s[i++] == '-';
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, ed++)
            if (ev < 10000)
                ev = ev * 10 + (s[i] - '0');
        if (!ed || i != len)
            return 0;
        scale += en ? -ev : ev;
    }
    /* Clinger's fast path: an exact integer below 2^53 and a power of ten
     * below 10^23 give the correctly rounded quotient or product at once */
    if (nd <= 15 && m < (1ULL << 53) && scale >= -22 && scale <= 22) {
        double d = (double)m;
        d = scale < 0 ? d / csi_pow10[-scale] : d * csi_pow10[scale];
        *v = neg ? -d : d;
        return 1;
    }
    char buf[402];
    memcpy(buf, s, len);
    buf[len] = '\0';
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (c == (locale_t)0)
        return 0;
    char *end;
    double d = strtod_l(buf, &end, c);
    freelocale(c);
    if (*end || !isfinite(d))
        return 0;
    *v = d;
    return 1;
}
