/* Numbers for people (thousands separators, money, percentages, dates) and
 * nice axis ticks, without the locale. */
#include "cs-calendar.h"
#include "cs-io.h"
#include "report/chart.h"
#include "util/internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EN_DASH "\xe2\x80\x93"
/* Days of 0001-01-01 and 9999-12-31 since 1970-01-01. */
#define DAY_FIRST (-719162)
#define DAY_LAST 2932896

/* ---- numbers for people ---- */

/* |v| rounded to `decimals` places as digits with separators: an integer
 * path while v * 10^decimals fits 62 bits. */
static void put_grouped(char *o, size_t size, double av, int decimals, int strip, int *zero)
{
    while (decimals > 0 && av * csi_pow10[decimals] >= 4e18)
        decimals--;
    uint64_t scaled = (uint64_t)llround(av * csi_pow10[decimals]);
    uint64_t p = (uint64_t)csi_pow10[decimals];
    uint64_t ip = scaled / p, fp = scaled % p;
    *zero = scaled == 0;
    char digits[32];
    int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)ip);
    size_t k = 0;
    for (int i = 0; i < nd && k + 2 < size; i++) {
        if (i && (nd - i) % 3 == 0)
            o[k++] = ',';
        o[k++] = digits[i];
    }
    int nf = decimals;
    if (strip)
        while (nf > 0 && fp % 10 == 0) {
            fp /= 10;
            nf--;
        }
    if (nf > 0 && k + (size_t)nf + 2 < size) {
        o[k++] = '.';
        for (int i = nf - 1; i >= 0; i--) {
            o[k + (size_t)i] = (char)('0' + fp % 10);
            fp /= 10;
        }
        k += (size_t)nf;
    }
    o[k] = '\0';
}

const char *csi_format_human(char *buf, size_t size, double v, int kind, int decimals)
{
    if (size < 4) { /* too small for anything but nothing */
        if (size)
            buf[0] = '\0';
        return buf;
    }
    if (!isfinite(v)) {
        snprintf(buf, size, "%s", EN_DASH);
        return buf;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 15)
        decimals = 15;
    if (kind == CSI_NUM_DATE) {
        double d = round(v);
        if (d < DAY_FIRST || d > DAY_LAST) {
            snprintf(buf, size, "%s", EN_DASH);
            return buf;
        }
        char day[11];
        cs_day_format((cs_day)d, day);
        snprintf(buf, size, "%s", day);
        return buf;
    }
    int strip = 0;
    const char *suffix = "";
    if (kind == CSI_NUM_COUNT) {
        decimals = 0;
    } else if (kind == CSI_NUM_MONEY) {
        decimals = 2;
    } else if (kind == CSI_NUM_PERCENT) {
        v *= 100;
        suffix = " %";
    } else {
        strip = 1;
    }
    double av = fabs(v);
    if (av >= 1e15 * 1.0000001) {
        /* beyond what a person reads digit by digit: an exponent */
        char tmp[40];
        cs_format_double(tmp, v, 15);
        snprintf(buf, size, "%s%s", tmp, suffix);
        return buf;
    }
    char digits[40];
    int zero;
    put_grouped(digits, sizeof digits, av, decimals, strip, &zero);
    snprintf(buf, size, "%s%s%s", v < 0 && !zero ? "-" : "", digits, suffix);
    return buf;
}

/* ---- ticks ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (any year). */
static long civil_days(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Numeric ticks with step `step`: fills t when they number 2..MAX+1. */
static int ticks_with_step(double lo, double hi, double step, csi_ticks *t)
{
    double f = floor(lo / step), l = ceil(hi / step);
    while (f * step > lo)
        f--;
    while ((f + 1) * step <= lo)
        f++;
    while (l * step < hi)
        l++;
    while ((l - 1) * step >= hi && l - 1 > f)
        l--;
    double n = l - f + 1;
    if (n > CSI_TICKS_MAX + 1)
        return 0;
    if (n < 2) {
        l = f + 1;
        n = 2;
    }
    t->n = (int)n;
    for (int i = 0; i < t->n; i++)
        t->value[i] = (f + i) * step;
    t->step = step;
    t->lo = t->value[0];
    t->hi = t->value[t->n - 1];
    return 1;
}

static int numeric_ticks(double lo, double hi, int target, int kind, csi_ticks *t)
{
    double range = hi - lo;
    double raw = range / (target - 1);
    int k = (int)floor(log10(raw));
    static const double mult[3] = {1, 2, 5};
    csi_ticks best = {0}, cand;
    int have = 0, best_pow = 0;
    for (int j = k - 1; j <= k + 2; j++) {
        for (int m = 0; m < 3; m++) {
            double step = mult[m] * pow(10, j);
            if (kind == CSI_NUM_COUNT && step < 1)
                continue;
            if (!ticks_with_step(lo, hi, step, &cand))
                continue;
            /* the closest count to the target; on a tie the tighter span */
            if (!have || abs(cand.n - target) < abs(best.n - target) ||
                (abs(cand.n - target) == abs(best.n - target) &&
                 cand.hi - cand.lo < best.hi - best.lo)) {
                best = cand;
                best_pow = j;
                have = 1;
            }
        }
    }
    if (!have) /* COUNT over a range of less than one: steps of one */
        for (int j = 0; !have && j < 20; j++)
            for (int m = 0; m < 3 && !have; m++)
                if (ticks_with_step(lo, hi, mult[m] * pow(10, j), &best)) {
                    best_pow = j;
                    have = 1;
                }
    *t = best;
    int dec = best_pow < 0 ? -best_pow : 0;
    if (kind == CSI_NUM_PERCENT)
        dec = dec > 2 ? dec - 2 : 0;
    if (kind == CSI_NUM_COUNT)
        dec = 0;
    t->decimals = dec;
    return CS_OK;
}

/* Month-based ticks every `months` months (years: 12 * n), aligned. */
static int month_ticks(double lo, double hi, int months, csi_ticks *t)
{
    int y, m, d;
    cs_day_to_ymd((cs_day)floor(lo), &y, &m, &d);
    long k = (long)y * 12 + (m - 1);
    long r = ((k % months) + months) % months;
    k -= r;
    int n = 0;
    for (;; k += months) {
        if (n > CSI_TICKS_MAX)
            return 0;
        long yy = k >= 0 ? k / 12 : -((-k + 11) / 12);
        int mm = (int)(k - yy * 12) + 1;
        double day = (double)civil_days(yy, mm, 1);
        t->value[n++] = day;
        if (day >= hi && n >= 2)
            break;
    }
    t->n = n;
    t->step = months * 30.436875;
    t->lo = t->value[0];
    t->hi = t->value[n - 1];
    t->decimals = 0;
    return 1;
}

static int date_ticks(double lo, double hi, int target, csi_ticks *t)
{
    lo = floor(lo);
    hi = ceil(hi);
    if (hi == lo) {
        lo -= 1;
        hi += 1;
    }
    /* day steps (weeks start on Mondays), then months, then years */
    static const int days[] = {1, 2, 7, 14};
    static const int months[] = {1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000};
    csi_ticks best = {0}, cand;
    int have = 0;
    for (size_t i = 0; i < sizeof days / sizeof *days; i++) {
        double step = days[i], off = days[i] == 1 ? 0 : days[i] == 2 ? 0 : 4; /* day 4: a Monday */
        if (!ticks_with_step(lo - off, hi - off, step, &cand))
            continue;
        for (int k = 0; k < cand.n; k++)
            cand.value[k] += off;
        cand.lo += off;
        cand.hi += off;
        cand.decimals = 0;
        if (!have || abs(cand.n - target) < abs(best.n - target)) {
            best = cand;
            have = 1;
        }
    }
    for (size_t i = 0; i < sizeof months / sizeof *months; i++) {
        if (!month_ticks(lo, hi, months[i], &cand))
            continue;
        if (!have || abs(cand.n - target) < abs(best.n - target)) {
            best = cand;
            have = 1;
        }
    }
    if (!have)
        return CS_EINVAL;
    *t = best;
    return CS_OK;
}

int csi_nice_ticks(double lo, double hi, int target, int kind, csi_ticks *t)
{
    memset(t, 0, sizeof *t);
    if (!isfinite(lo) || !isfinite(hi))
        return CS_EINVAL;
    if (lo > hi) {
        double s = lo;
        lo = hi;
        hi = s;
    }
    if (target < 2)
        target = 2;
    if (target > CSI_TICKS_MAX)
        target = CSI_TICKS_MAX;
    if (kind == CSI_NUM_DATE) {
        if (lo < DAY_FIRST || hi > DAY_LAST)
            return CS_EINVAL;
        return date_ticks(lo, hi, target, t);
    }
    double mag = fmax(fabs(lo), fabs(hi));
    if (mag > 1e300)
        return CS_EINVAL;
    if (lo == hi) {
        if (lo == 0) {
            hi = 1;
        } else {
            lo -= mag * 0.1;
            hi += mag * 0.1;
        }
    } else if (hi - lo < mag * 1e-12) {
        /* a range below what a double resolves at this magnitude */
        double mid = lo / 2 + hi / 2;
        lo = mid - mag * 5e-13;
        hi = mid + mag * 5e-13;
    }
    if (kind == CSI_NUM_COUNT && hi - lo < 1) {
        lo = floor(lo);
        hi = lo + 1 >= hi ? lo + 1 : ceil(hi);
    }
    return numeric_ticks(lo, hi, target, kind, t);
}
