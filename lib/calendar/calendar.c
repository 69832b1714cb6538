/* The calendar, in one place: days (proleptic Gregorian, days since
 * 1970-01-01), the time units of t_x and T, and calendar periods with
 * their month arithmetic. Below every other layer but util: the writer
 * formats dates with it, the loader parses them, the builder, the models
 * and the segment code count periods with it. */
#include "cs-calendar.h"
#include "util/internal.h"

#include <stdio.h>
#include <string.h>

/* ---- days ---- */

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int csi_days_in_month(int y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, with no table and no loop. */
static cs_day civil_to_days(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (cs_day)(era * 146097 + doe - 719468);
}

int cs_day_from_ymd(int year, int month, int mday, cs_day *out)
{
    if (year < CS_YEAR_MIN || year > CS_YEAR_MAX || month < 1 || month > 12 || mday < 1 ||
        mday > csi_days_in_month(year, month))
        return CS_EDATE;
    *out = civil_to_days(year, month, mday);
    return CS_OK;
}

void cs_day_to_ymd(cs_day day, int *year, int *month, int *mday)
{
    const int z = day + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int d = doy - (153 * mp + 2) / 5 + 1;
    const int m = mp < 10 ? mp + 3 : mp - 9;
    *year = yoe + era * 400 + (m <= 2);
    *month = m;
    *mday = d;
}

void cs_day_format(cs_day day, char buf[11])
{
    int y, m, d;
    cs_day_to_ymd(day, &y, &m, &d);
    buf[0] = (char)('0' + y / 1000 % 10);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
}

/* ---- time units ---- */

int cs_unit_from_name(const char *name)
{
    if (!strcmp(name, "day") || !strcmp(name, "days"))
        return CS_UNIT_DAY;
    if (!strcmp(name, "week") || !strcmp(name, "weeks"))
        return CS_UNIT_WEEK;
    if (!strcmp(name, "month") || !strcmp(name, "months"))
        return CS_UNIT_MONTH;
    return -1;
}

const char *cs_unit_suffix(int unit)
{
    switch (unit) {
    case CS_UNIT_WEEK: return "weeks";
    case CS_UNIT_MONTH: return "months";
    default: return "days";
    }
}

void cs_unit_days(int unit, int64_t *num, int64_t *den)
{
    switch (unit) {
    case CS_UNIT_WEEK: *num = 7, *den = 1; break;
    case CS_UNIT_MONTH: *num = 1461, *den = 48; break;
    default: *num = 1, *den = 1; break;
    }
}

/* ---- calendar periods ---- */

int cs_period_from_name(const char *name)
{
    if (!strcmp(name, "year") || !strcmp(name, "years"))
        return CS_PERIOD_YEAR;
    if (!strcmp(name, "quarter") || !strcmp(name, "quarters"))
        return CS_PERIOD_QUARTER;
    if (!strcmp(name, "month") || !strcmp(name, "months"))
        return CS_PERIOD_MONTH;
    return -1;
}

const char *cs_period_name(int period)
{
    return period == CS_PERIOD_YEAR ? "year" : period == CS_PERIOD_QUARTER ? "quarter" : "month";
}

int cs_period_of(cs_day d, int period)
{
    int y, m, dd;
    cs_day_to_ymd(d, &y, &m, &dd);
    return period == CS_PERIOD_YEAR      ? y
           : period == CS_PERIOD_QUARTER ? y * 4 + (m - 1) / 3
                                         : y * 12 + m - 1;
}

/* the first day of period index k */
cs_day cs_period_start(int k, int period)
{
    cs_day d;
    if (period == CS_PERIOD_YEAR)
        cs_day_from_ymd(k, 1, 1, &d);
    else if (period == CS_PERIOD_QUARTER)
        cs_day_from_ymd(k / 4, (k % 4) * 3 + 1, 1, &d);
    else
        cs_day_from_ymd(k / 12, k % 12 + 1, 1, &d);
    return d;
}

void cs_period_label(int k, int period, char buf[16])
{
    if (period == CS_PERIOD_YEAR)
        snprintf(buf, 16, "%d", k);
    else if (period == CS_PERIOD_QUARTER)
        snprintf(buf, 16, "%d-Q%d", k / 4, k % 4 + 1);
    else
        snprintf(buf, 16, "%d-%02d", k / 12, k % 12 + 1);
}

static int months_in(int period)
{
    return period == CS_PERIOD_YEAR ? 12 : period == CS_PERIOD_QUARTER ? 3 : 1;
}

/* start + k periods (month arithmetic; the day is clamped to the month's end) */
cs_day cs_period_add(cs_day start, int k, int period)
{
    int y, m, d;
    cs_day_to_ymd(start, &y, &m, &d);
    int months = k * months_in(period);
    int mm = (m - 1) + months;
    y += mm / 12;
    m = mm % 12 + 1;
    int last = csi_days_in_month(y, m);
    cs_day out;
    if (cs_day_from_ymd(y, m, d < last ? d : last, &out) != CS_OK)
        return INT32_MAX;
    return out;
}

int cs_period_number(cs_day start, cs_day day, int period, int strict)
{
    int y0, m0, d0, y1, m1, d1;
    cs_day_to_ymd(start, &y0, &m0, &d0);
    cs_day_to_ymd(day, &y1, &m1, &d1);
    int len = months_in(period);
    int k = ((y1 - y0) * 12 + (m1 - m0)) / len - 1;
    if (k < 1)
        k = 1;
    for (;;) {
        cs_day e = cs_period_add(start, k, period);
        if (strict ? day < e : day <= e)
            return k;
        k++;
    }
}

int cs_day_parse(const char *s, size_t len, cs_day *out)
{
    int v[8], k = 0;
    if (len != 10 && len != 8)
        return CS_EDATE;
    for (size_t i = 0; i < len; i++) {
        if (len == 10 && (i == 4 || i == 7)) {
            if (s[i] != '-')
                return CS_EDATE;
            continue;
        }
        if (s[i] < '0' || s[i] > '9')
            return CS_EDATE;
        v[k++] = s[i] - '0';
    }
    int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
    return cs_day_from_ymd(y, v[4] * 10 + v[5], v[6] * 10 + v[7], out);
}
