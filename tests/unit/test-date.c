/* Dates: the calendar arithmetic and every accepted and refused form. */
#include "custseg.h"
#include "test.h"

static cs_day ymd(int y, int m, int d)
{
    cs_day v = CS_DAY_NONE;
    cs_day_from_ymd(y, m, d, &v);
    return v;
}

static void test_known_days(void)
{
    CHECK_EQ_INT(ymd(1970, 1, 1), 0);
    CHECK_EQ_INT(ymd(1970, 1, 2), 1);
    CHECK_EQ_INT(ymd(1969, 12, 31), -1);
    CHECK_EQ_INT(ymd(2000, 3, 1) - ymd(2000, 2, 28), 2); /* 2000 is a leap year */
    CHECK_EQ_INT(ymd(1997, 9, 30) - ymd(1997, 1, 1), 272); /* CDNOW: T = 272/7 weeks */
    cs_day d;
    CHECK(cs_day_from_ymd(1900, 2, 29, &d) == CS_EDATE); /* 1900 is not */
    CHECK(cs_day_from_ymd(2100, 2, 29, &d) == CS_EDATE);
    CHECK(cs_day_from_ymd(2000, 2, 29, &d) == CS_OK);
    CHECK(cs_day_from_ymd(1899, 12, 31, &d) == CS_EDATE);
    CHECK(cs_day_from_ymd(2201, 1, 1, &d) == CS_EDATE);
    CHECK(cs_day_from_ymd(2024, 4, 31, &d) == CS_EDATE);
    CHECK(cs_day_from_ymd(2024, 13, 1, &d) == CS_EDATE);
}

static void test_round_trip(void)
{
    /* every day of the accepted range converts both ways, one after another */
    cs_day first = ymd(1900, 1, 1), last = ymd(2200, 12, 31);
    int bad = 0;
    for (cs_day d = first; d <= last; d++) {
        int y, m, dd;
        cs_day back;
        cs_day_to_ymd(d, &y, &m, &dd);
        if (cs_day_from_ymd(y, m, dd, &back) != CS_OK || back != d)
            bad++;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(last - first + 1, 301 * 365 + 73); /* 73 leap days in 1900..2200 */
    char buf[11];
    cs_day_format(ymd(1997, 9, 30), buf);
    CHECK_EQ_STR(buf, "1997-09-30");
}

static int parse(const cs_datefmt *f, const char *s, cs_day *d)
{
    return cs_date_parse(f, s, strlen(s), d, NULL);
}

static void test_formats(void)
{
    cs_datefmt any = {0}, iso = {.kind = CS_DATE_ISO}, compact = {.kind = CS_DATE_COMPACT};
    cs_day d;
    const char *good[] = {"1997-01-01", "1997-01-01 08:26:00", "1997-01-01T08:26",
                          "1997-01-01T08:26:00Z", "1997-01-01T08:26:00.123+02:00",
                          "1997-01-01 23:59:59-0500", "19970101"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        d = 0;
        CHECK(parse(&any, good[i], &d) == CS_OK && d == ymd(1997, 1, 1));
    }
    const char *bad[] = {"1997-13-45", "1997-1-5", "19970132", "", " 1997-01-01",
                         "1997-01-01x", "1899-12-31", "2201-01-01", "1997-01-01T25:00",
                         "1997/01/01", "97-01-01", "1997-01-01 8:26"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(parse(&any, bad[i], &d) == CS_EDATE);
    CHECK(parse(&iso, "19970101", &d) == CS_EDATE); /* one format per column */
    CHECK(parse(&compact, "1997-01-01", &d) == CS_EDATE);
    int kind = 0;
    CHECK(cs_date_parse(&any, "19970101", 8, &d, &kind) == CS_OK && kind == CS_DATE_COMPACT);
}

static void test_patterns(void)
{
    cs_datefmt f = {0};
    cs_day d;
    CHECK(cs_datefmt_set_pattern(&f, "%m/%d/%Y %H:%M", NULL) == CS_OK);
    CHECK(parse(&f, "12/01/2010 08:26", &d) == CS_OK && d == ymd(2010, 12, 1));
    CHECK(parse(&f, "13/01/2010 08:26", &d) == CS_EDATE);
    CHECK(cs_datefmt_set_pattern(&f, "%d.%m.%Y", NULL) == CS_OK);
    CHECK(parse(&f, "05.01.1997", &d) == CS_OK && d == ymd(1997, 1, 5));
    CHECK(cs_datefmt_set_pattern(&f, "%Y%j", NULL) == CS_OK);
    CHECK(parse(&f, "1997060", &d) == CS_OK && d == ymd(1997, 3, 1));
    CHECK(parse(&f, "1997366", &d) == CS_EDATE);
    CHECK(cs_datefmt_set_pattern(&f, "%b %d %Y", NULL) == CS_OK);
    CHECK(parse(&f, "Jan 5 1997", &d) == CS_OK && d == ymd(1997, 1, 5));
    CHECK(parse(&f, "january 5 1997", &d) == CS_OK && d == ymd(1997, 1, 5));
    CHECK(parse(&f, "Jam 5 1997", &d) == CS_EDATE);
    cs_error err = {0};
    CHECK(cs_datefmt_set_pattern(&f, "%Q-%m-%d", &err) == CS_EINVAL);
    CHECK(strstr(err.message, "'%Q' is not supported") != NULL);
    CHECK(cs_datefmt_set_pattern(&f, "%m-%d", &err) == CS_EINVAL);
    CHECK(cs_datefmt_set_pattern(&f, "%Y-%m-%d %", &err) == CS_EINVAL);
}

int main(void)
{
    test_known_days();
    test_round_trip();
    test_formats();
    test_patterns();
    return test_result("date");
}
