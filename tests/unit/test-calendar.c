/* The calendar module: time units, period indexes, labels and month
 * arithmetic, against values worked out by hand. */
#include "custseg.h"
#include "test.h"

#include <stdint.h>

static cs_day ymd(int y, int m, int d)
{
    cs_day v = CS_DAY_NONE;
    cs_day_from_ymd(y, m, d, &v);
    return v;
}

static void test_units(void)
{
    int64_t n, d;
    cs_unit_days(CS_UNIT_DAY, &n, &d);
    CHECK(n == 1 && d == 1);
    cs_unit_days(CS_UNIT_WEEK, &n, &d);
    CHECK(n == 7 && d == 1);
    cs_unit_days(CS_UNIT_MONTH, &n, &d);
    CHECK_NEAR((double)n / (double)d, 365.25 / 12, 1e-12);
    CHECK_EQ_INT(cs_unit_from_name("weeks"), CS_UNIT_WEEK);
    CHECK_EQ_INT(cs_unit_from_name("fortnight"), -1);
    CHECK_EQ_STR(cs_unit_suffix(CS_UNIT_MONTH), "months");
}

static void test_period_index(void)
{
    /* 2024-05-17: year 2024, quarter 4 * 2024 + 1, month 12 * 2024 + 4 */
    cs_day d = ymd(2024, 5, 17);
    CHECK_EQ_INT(cs_period_of(d, CS_PERIOD_YEAR), 2024);
    CHECK_EQ_INT(cs_period_of(d, CS_PERIOD_QUARTER), 4 * 2024 + 1);
    CHECK_EQ_INT(cs_period_of(d, CS_PERIOD_MONTH), 12 * 2024 + 4);
    CHECK_EQ_INT(cs_period_start(4 * 2024 + 1, CS_PERIOD_QUARTER), ymd(2024, 4, 1));
    CHECK_EQ_INT(cs_period_start(12 * 2024 + 1, CS_PERIOD_MONTH), ymd(2024, 2, 1));
    CHECK_EQ_INT(cs_period_start(1997, CS_PERIOD_YEAR), ymd(1997, 1, 1));
    /* every day of a period maps to it, and the next period starts after */
    for (int p = CS_PERIOD_YEAR; p <= CS_PERIOD_MONTH; p++)
        for (cs_day x = ymd(2023, 12, 1); x < ymd(2024, 4, 1); x++) {
            int k = cs_period_of(x, p);
            CHECK(cs_period_start(k, p) <= x && x < cs_period_start(k + 1, p));
        }
    char buf[16];
    cs_period_label(4 * 2024 + 3, CS_PERIOD_QUARTER, buf);
    CHECK_EQ_STR(buf, "2024-Q4");
    cs_period_label(12 * 1997 + 8, CS_PERIOD_MONTH, buf);
    CHECK_EQ_STR(buf, "1997-09");
    CHECK_EQ_INT(cs_period_from_name("quarters"), CS_PERIOD_QUARTER);
    CHECK_EQ_STR(cs_period_name(CS_PERIOD_YEAR), "year");
}

static void test_month_arithmetic(void)
{
    /* the day of the month is kept, clamped to the month's end */
    CHECK_EQ_INT(cs_period_add(ymd(2024, 1, 31), 1, CS_PERIOD_MONTH), ymd(2024, 2, 29));
    CHECK_EQ_INT(cs_period_add(ymd(2023, 1, 31), 1, CS_PERIOD_MONTH), ymd(2023, 2, 28));
    CHECK_EQ_INT(cs_period_add(ymd(2024, 1, 31), 3, CS_PERIOD_MONTH), ymd(2024, 4, 30));
    CHECK_EQ_INT(cs_period_add(ymd(2024, 11, 15), 2, CS_PERIOD_MONTH), ymd(2025, 1, 15));
    CHECK_EQ_INT(cs_period_add(ymd(2024, 2, 29), 1, CS_PERIOD_YEAR), ymd(2025, 2, 28));
    CHECK_EQ_INT(cs_period_add(ymd(2024, 8, 31), 1, CS_PERIOD_QUARTER), ymd(2024, 11, 30));
    CHECK_EQ_INT(cs_period_add(ymd(2200, 12, 1), 1, CS_PERIOD_MONTH), INT32_MAX);
    /* period numbers from a start on the 15th: [15 Jan, 15 Feb) is 1 */
    cs_day s = ymd(2024, 1, 15);
    CHECK_EQ_INT(cs_period_number(s, ymd(2024, 1, 20), CS_PERIOD_MONTH, 1), 1);
    CHECK_EQ_INT(cs_period_number(s, ymd(2024, 2, 14), CS_PERIOD_MONTH, 1), 1);
    CHECK_EQ_INT(cs_period_number(s, ymd(2024, 2, 15), CS_PERIOD_MONTH, 1), 2);
    CHECK_EQ_INT(cs_period_number(s, ymd(2024, 2, 15), CS_PERIOD_MONTH, 0), 1);
    CHECK_EQ_INT(cs_period_number(s, ymd(2025, 1, 14), CS_PERIOD_MONTH, 1), 12);
    CHECK_EQ_INT(cs_period_number(s, ymd(2025, 1, 15), CS_PERIOD_YEAR, 1), 2);
}

static void test_day_parse(void)
{
    cs_day d;
    CHECK(cs_day_parse("1997-09-30", 10, &d) == CS_OK && d == ymd(1997, 9, 30));
    CHECK(cs_day_parse("19970930", 8, &d) == CS_OK && d == ymd(1997, 9, 30));
    const char *bad[] = {"1997-9-30", "1997-09-31", "1997/09/30", "1997-09-30T10:00", "97-09-30",
                         "1899-12-31", "2201-01-01", "", "1997-09-3x", " 1997-09-3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(cs_day_parse(bad[i], strlen(bad[i]), &d) == CS_EDATE);
}

int main(void)
{
    test_day_parse();
    test_units();
    test_period_index();
    test_month_arithmetic();
    return test_result("calendar");
}
