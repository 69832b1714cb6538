/* Amounts: strict decimal parsing into micro-units, and number formatting. */
#include "custseg.h"
#include "test.h"

static int64_t amt(const char *s, int *ok)
{
    int64_t v = 0;
    *ok = cs_amount_parse(s, strlen(s), &v, NULL) == CS_OK;
    return v;
}

static void test_parse(void)
{
    int ok;
    CHECK(amt("12.30", &ok) == 12300000 && ok);
    CHECK(amt("-3", &ok) == -3000000 && ok);
    CHECK(amt("+4.5", &ok) == 4500000 && ok);
    CHECK(amt(".5", &ok) == 500000 && ok);
    CHECK(amt("0.0000005", &ok) == 1 && ok); /* half a micro-unit rounds away from 0 */
    CHECK(amt("0.0000004", &ok) == 0 && ok);
    CHECK(amt("-0.0000005", &ok) == -1 && ok);
    CHECK(amt("1.5e3", &ok) == 1500000000 && ok);
    CHECK(amt("1E-2", &ok) == 10000 && ok);
    CHECK(amt("000123.4500", &ok) == 123450000 && ok);
    CHECK(amt("999999999999.999999", &ok) == 999999999999999999LL && ok);
    const char *bad[] = {"", "1,234.50", "12.3.4", "NaN", "nan", "inf", "-inf", "0x10", "1e",
                         " 1", "1 ", "--1", "1e999", "1e13", "10000000000000", ".", "-", "e5"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        amt(bad[i], &ok);
        if (ok)
            fprintf(stderr, "accepted '%s'\n", bad[i]);
        CHECK(!ok);
    }
    const char *why = NULL;
    int64_t v;
    cs_amount_parse("1,2", 3, &v, &why);
    CHECK(why && strstr(why, "comma"));
    cs_amount_parse("1.2.3", 5, &v, &why);
    CHECK(why && strstr(why, "decimal point"));
}

static void test_mul(void)
{
    int64_t v;
    CHECK(cs_amount_mul(6000000, 2550000, &v) == CS_OK && v == 15300000); /* 6 x 2.55 */
    CHECK(cs_amount_mul(333333, 3000000, &v) == CS_OK && v == 999999);
    CHECK(cs_amount_mul(-2000000, 1250000, &v) == CS_OK && v == -2500000);
    CHECK(cs_amount_mul(999999999999000000LL, 1000000000LL, &v) == CS_EAMOUNT);
}

static void test_format(void)
{
    char b[64];
    cs_format_money(b, 59060000);
    CHECK_EQ_STR(b, "59.06");
    cs_format_money(b, -3000000);
    CHECK_EQ_STR(b, "-3");
    cs_format_money(b, 0);
    CHECK_EQ_STR(b, "0");
    cs_format_money(b, 1);
    CHECK_EQ_STR(b, "0.000001");
    cs_format_ratio(b, 1, 3, 6);
    CHECK_EQ_STR(b, "0.333333");
    cs_format_ratio(b, 2, 3, 6);
    CHECK_EQ_STR(b, "0.666667");
    cs_format_ratio(b, 272, 7, 12);
    CHECK_EQ_STR(b, "38.857142857143");
    cs_format_ratio(b, -1, 3, 2);
    CHECK_EQ_STR(b, "-0.33");
    cs_format_ratio(b, -1, 1000, 2); /* rounds to zero: no "-0" */
    CHECK_EQ_STR(b, "0");
    cs_format_double(b, 0.1, 12);
    CHECK_EQ_STR(b, "0.1");
    cs_format_double(b, 1.0 / 3, 12);
    CHECK_EQ_STR(b, "0.333333333333");
    cs_format_double(b, 38.857142857142854, 12);
    CHECK_EQ_STR(b, "38.8571428571");
    cs_format_double(b, -2.5e-9, 12);
    CHECK_EQ_STR(b, "-2.5e-09");
    cs_format_double(b, 1e20, 12);
    CHECK_EQ_STR(b, "1e+20");
    cs_format_double(b, 999999999999.5, 12);
    CHECK_EQ_STR(b, "1000000000000"); /* plain up to 1e15 */
    cs_format_double(b, 123456, 12);
    CHECK_EQ_STR(b, "123456");
    double v;
    CHECK(cs_parse_double("38.857142857143", 15, &v) && v == 38.857142857143);
    CHECK(cs_parse_double("-0.5", 4, &v) && v == -0.5);
    CHECK(cs_parse_double("3.25e-3", 7, &v) && v == 3.25e-3);
    CHECK(cs_parse_double("0.1000000000000000055511151231257827", 36, &v) && v == 0.1);
    CHECK(!cs_parse_double("nan", 3, &v) && !cs_parse_double("", 0, &v) &&
          !cs_parse_double("1,5", 3, &v) && !cs_parse_double(" 1", 2, &v));
}

int main(void)
{
    test_parse();
    test_mul();
    test_format();
    return test_result("amount");
}
