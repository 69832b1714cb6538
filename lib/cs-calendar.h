/* custseg: the calendar. Days, the time units of t_x and T, and
 * calendar periods (months, quarters, years) with their arithmetic: one
 * module (lib/calendar/calendar.c) that every layer above util uses. */
#ifndef CS_CALENDAR_H
#define CS_CALENDAR_H

#include "cs-error.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A calendar day: days since 1970-01-01 (proleptic Gregorian). Dates are
 * accepted from 1900-01-01 to 2200-12-31; outside that is an error. */
typedef int32_t cs_day;
#define CS_DAY_NONE INT32_MIN
#define CS_YEAR_MIN 1900
#define CS_YEAR_MAX 2200

/* Converts a date; returns CS_OK or CS_EDATE when it is not a real date or
 * is outside [CS_YEAR_MIN, CS_YEAR_MAX]. */
int cs_day_from_ymd(int year, int month, int mday, cs_day *out);
/* Splits a day into year, month (1-12) and day of month (1-31). */
void cs_day_to_ymd(cs_day day, int *year, int *month, int *mday);
/* Writes YYYY-MM-DD and a NUL into buf (11 bytes). */
void cs_day_format(cs_day day, char buf[11]);
/* Parses exactly YYYY-MM-DD or YYYYMMDD (len bytes, no time, no spaces):
 * CS_OK, or CS_EDATE for anything else or a date outside the range. The
 * tables this library writes hold dates so; transaction logs take every
 * form of cs_date_parse (cs-txn.h). */
int cs_day_parse(const char *s, size_t len, cs_day *out);

enum cs_unit { CS_UNIT_DAY = 0, CS_UNIT_WEEK, CS_UNIT_MONTH };

/* Parses "day", "week", "month" (plural too); returns the enum or -1. */
int cs_unit_from_name(const char *name);
/* "days", "weeks", "months": the suffix of column names. Static string. */
const char *cs_unit_suffix(int unit);
/* Length of one unit in days as a fraction num/den: 1/1, 7/1, 1461/48
 * (a month is 365.25/12 days). */
void cs_unit_days(int unit, int64_t *num, int64_t *den);

/* Calendar periods: BG/BB opportunities, churn rates, contract periods. */
enum cs_period { CS_PERIOD_YEAR = 0, CS_PERIOD_QUARTER, CS_PERIOD_MONTH };

/* Parses "year", "quarter", "month" (plural too); returns the enum or -1. */
int cs_period_from_name(const char *name);
/* "year", "quarter", "month". Static string. */
const char *cs_period_name(int period);

/* The absolute index of the period holding day d: a year y is y, a quarter
 * 4 y + q (q = 0..3), a month 12 y + m (m = 0..11). */
int cs_period_of(cs_day d, int period);
/* The first day of period index k. */
cs_day cs_period_start(int k, int period);
/* start + k periods by month arithmetic: the same day of the month, clamped
 * to the month's last day (Jan 31 + 1 month = Feb 28 or 29); INT32_MAX
 * past CS_YEAR_MAX. */
cs_day cs_period_add(cs_day start, int k, int period);
/* The period number of day in a run of periods from start: the smallest
 * k >= 1 with day < cs_period_add(start, k) (strict), or with day <= it
 * (!strict: a day on a period's boundary belongs to the period it ends). */
int cs_period_number(cs_day start, cs_day day, int period, int strict);
/* "2024", "2024-Q1", "2024-03" */
void cs_period_label(int k, int period, char buf[16]);

#ifdef __cplusplus
}
#endif
#endif
