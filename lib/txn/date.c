/* Calendar days and date parsing. */
#include "cs-txn.h"
#include "util/internal.h"

#include <stdio.h>
#include <string.h>

static int digits(const char *s, size_t n, int *v)
{
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i] - '0';
        if (c > 9)
            return 0;
        x = x * 10 + (int)c;
    }
    *v = x;
    return 1;
}

/* Checks an ISO time part after the date: [T ]HH:MM[:SS[.fff]][Z|+hh[:mm]|-hh[:mm]].
 * The time is validated so that garbage is not taken for a date, then ignored. */
static int iso_time_ok(const char *s, size_t n)
{
    if (n == 0)
        return 1;
    if (s[0] != 'T' && s[0] != ' ')
        return 0;
    s++, n--;
    int hh, mm, ss;
    if (n < 5 || !digits(s, 2, &hh) || s[2] != ':' || !digits(s + 3, 2, &mm) || hh > 24 ||
        mm > 59)
        return 0;
    s += 5, n -= 5;
    if (n >= 3 && s[0] == ':') {
        if (!digits(s + 1, 2, &ss) || ss > 60)
            return 0;
        s += 3, n -= 3;
        if (n && (s[0] == '.' || s[0] == ',')) {
            size_t k = 1;
            while (k < n && s[k] >= '0' && s[k] <= '9')
                k++;
            if (k == 1)
                return 0;
            s += k, n -= k;
        }
    }
    if (n == 0)
        return 1;
    if (n == 1 && s[0] == 'Z')
        return 1;
    if (s[0] == '+' || s[0] == '-') {
        int oh, om;
        if (n == 3 && digits(s + 1, 2, &oh))
            return 1;
        if (n == 5 && digits(s + 1, 4, &oh))
            return 1;
        if (n == 6 && digits(s + 1, 2, &oh) && s[3] == ':' && digits(s + 4, 2, &om))
            return 1;
    }
    return 0;
}

static int parse_iso(const char *s, size_t n, cs_day *out)
{
    int y, m, d;
    if (n < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
        !digits(s + 8, 2, &d))
        return CS_EDATE;
    if (!iso_time_ok(s + 10, n - 10))
        return CS_EDATE;
    return cs_day_from_ymd(y, m, d, out);
}

static int parse_compact(const char *s, size_t n, cs_day *out)
{
    int y, m, d;
    if (n != 8 || !digits(s, 4, &y) || !digits(s + 4, 2, &m) || !digits(s + 6, 2, &d))
        return CS_EDATE;
    return cs_day_from_ymd(y, m, d, out);
}

static const char *const month_names[12] = {"january", "february", "march", "april",
                                            "may", "june", "july", "august",
                                            "september", "october", "november", "december"};

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Reads 1..maxd digits (at least mind). */
static int take_num(const char *s, size_t n, size_t *i, int mind, int maxd, int *v)
{
    int x = 0, k = 0;
    while (*i < n && k < maxd && s[*i] >= '0' && s[*i] <= '9') {
        x = x * 10 + (s[*i] - '0');
        (*i)++, k++;
    }
    if (k < mind)
        return 0;
    *v = x;
    return 1;
}

static int parse_pattern(const char *pat, const char *s, size_t n, cs_day *out)
{
    int y = -1, m = -1, d = -1, yday = -1, hh = 0, mi = 0, se = 0;
    size_t i = 0;
    for (const char *p = pat; *p; p++) {
        if (*p == ' ') {
            if (i >= n || s[i] != ' ')
                return CS_EDATE;
            while (i < n && s[i] == ' ')
                i++;
            continue;
        }
        if (*p != '%') {
            if (i >= n || s[i] != *p)
                return CS_EDATE;
            i++;
            continue;
        }
        p++;
        int ok = 1, v;
        switch (*p) {
        case 'Y': ok = take_num(s, n, &i, 4, 4, &y); break;
        case 'y':
            ok = take_num(s, n, &i, 2, 2, &v);
            y = v < 69 ? 2000 + v : 1900 + v;
            break;
        case 'm': ok = take_num(s, n, &i, 1, 2, &m); break;
        case 'd':
        case 'e':
            if (*p == 'e' && i < n && s[i] == ' ')
                i++;
            ok = take_num(s, n, &i, 1, 2, &d);
            break;
        case 'j': ok = take_num(s, n, &i, 1, 3, &yday); break;
        case 'H': ok = take_num(s, n, &i, 1, 2, &hh) && hh <= 24; break;
        case 'M': ok = take_num(s, n, &i, 1, 2, &mi) && mi <= 59; break;
        case 'S': ok = take_num(s, n, &i, 1, 2, &se) && se <= 60; break;
        case 'T':
            ok = take_num(s, n, &i, 1, 2, &hh) && i < n && s[i++] == ':' &&
                 take_num(s, n, &i, 2, 2, &mi) && i < n && s[i++] == ':' &&
                 take_num(s, n, &i, 2, 2, &se) && hh <= 24 && mi <= 59 && se <= 60;
            break;
        case 'F':
            ok = take_num(s, n, &i, 4, 4, &y) && i < n && s[i++] == '-' &&
                 take_num(s, n, &i, 1, 2, &m) && i < n && s[i++] == '-' &&
                 take_num(s, n, &i, 1, 2, &d);
            break;
        case 'b':
        case 'B':
        case 'h': {
            ok = 0;
            for (int k = 0; k < 12 && !ok; k++) {
                const char *name = month_names[k];
                size_t len = strlen(name);
                size_t j = 0;
                while (j < len && i + j < n && lower(s[i + j]) == name[j])
                    j++;
                /* full name, or the three-letter abbreviation */
                if (j == len || (j == 3 && (i + j >= n || !((s[i + j] | 32) >= 'a' &&
                                                            (s[i + j] | 32) <= 'z')))) {
                    m = k + 1;
                    i += j;
                    ok = 1;
                }
            }
            break;
        }
        case '%': ok = i < n && s[i++] == '%'; break;
        default: return CS_EDATE;
        }
        if (!ok)
            return CS_EDATE;
    }
    if (i != n || y < 0)
        return CS_EDATE;
    if (yday >= 0 && m < 0) {
        cs_day jan1, dec31;
        if (cs_day_from_ymd(y, 1, 1, &jan1) != CS_OK || cs_day_from_ymd(y, 12, 31, &dec31) != CS_OK ||
            yday < 1 || yday > dec31 - jan1 + 1)
            return CS_EDATE;
        *out = jan1 + yday - 1;
        return CS_OK;
    }
    if (m < 0 || d < 0)
        return CS_EDATE;
    return cs_day_from_ymd(y, m, d, out);
}

int cs_datefmt_set_pattern(cs_datefmt *fmt, const char *pattern, cs_error *err)
{
    size_t len = strlen(pattern);
    if (len == 0 || len >= sizeof fmt->pattern)
        return csi_fail(err, CS_EINVAL, "date format '%s' is empty or longer than %zu characters",
                       pattern, sizeof fmt->pattern - 1);
    int year = 0, month = 0, day = 0, yday = 0;
    for (const char *p = pattern; *p; p++) {
        if (*p != '%')
            continue;
        p++;
        switch (*p) {
        case 'Y': case 'y': year = 1; break;
        case 'm': case 'b': case 'B': case 'h': month = 1; break;
        case 'd': case 'e': day = 1; break;
        case 'F': year = month = day = 1; break;
        case 'j': yday = 1; break;
        case 'H': case 'M': case 'S': case 'T': case '%': break;
        case '\0':
            return csi_fail(err, CS_EINVAL, "date format '%s' ends with a lone '%%'", pattern);
        default:
            return csi_fail(err, CS_EINVAL,
                           "date format '%s': '%%%c' is not supported (supported: %%Y %%y %%m "
                           "%%d %%e %%b %%B %%j %%H %%M %%S %%T %%F %%%%)",
                           pattern, *p);
        }
    }
    if (!year || !((month && day) || yday))
        return csi_fail(err, CS_EINVAL,
                       "date format '%s' must give the year and the month and day (or %%j)",
                       pattern);
    fmt->kind = CS_DATE_PATTERN;
    memcpy(fmt->pattern, pattern, len + 1);
    return CS_OK;
}

int cs_date_parse(const cs_datefmt *fmt, const char *s, size_t len, cs_day *out, int *kind_out)
{
    switch (fmt->kind) {
    case CS_DATE_ISO: return parse_iso(s, len, out);
    case CS_DATE_COMPACT: return parse_compact(s, len, out);
    case CS_DATE_PATTERN: return parse_pattern(fmt->pattern, s, len, out);
    default:
        if (len == 8) {
            if (kind_out)
                *kind_out = CS_DATE_COMPACT;
            return parse_compact(s, len, out);
        }
        if (kind_out)
            *kind_out = CS_DATE_ISO;
        return parse_iso(s, len, out);
    }
}

const char *cs_datefmt_expected(const cs_datefmt *fmt)
{
    switch (fmt->kind) {
    case CS_DATE_ISO: return "YYYY-MM-DD";
    case CS_DATE_COMPACT: return "YYYYMMDD";
    case CS_DATE_PATTERN: return fmt->pattern;
    default: return "YYYY-MM-DD or YYYYMMDD";
    }
}
