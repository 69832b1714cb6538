/* The report's text buffer, numbers for people, nice ticks and the SVG
 * charts (lib/report). With a folder argument the test also writes sample
 * charts there, one .svg file each, for tests/unit/check-svg.py. */
#include "report/chart.h"
#include "test.h"

#include <locale.h>
#include <stdlib.h>

/* ---- numbers for people ---- */

static const char *fmt(double v, int kind, int decimals)
{
    static char buf[64];
    return csi_format_human(buf, sizeof buf, v, kind, decimals);
}

static void test_format(void)
{
    CHECK_EQ_STR(fmt(1234567.891, CSI_NUM_MONEY, 0), "1,234,567.89");
    CHECK_EQ_STR(fmt(-1234567.891, CSI_NUM_MONEY, 5), "-1,234,567.89");
    CHECK_EQ_STR(fmt(0.5, CSI_NUM_MONEY, 0), "0.50");
    CHECK_EQ_STR(fmt(-0.001, CSI_NUM_MONEY, 0), "0.00"); /* no "-0.00" */
    CHECK_EQ_STR(fmt(-0.5, CSI_NUM_PERCENT, 1), "-50.0 %");
    CHECK_EQ_STR(fmt(0.123, CSI_NUM_PERCENT, 1), "12.3 %");
    CHECK_EQ_STR(fmt(0.6425, CSI_NUM_PERCENT, 0), "64 %");
    CHECK_EQ_STR(fmt(-0.0001, CSI_NUM_PERCENT, 1), "0.0 %");
    CHECK_EQ_STR(fmt(0, CSI_NUM_PLAIN, 2), "0");
    CHECK_EQ_STR(fmt(0, CSI_NUM_COUNT, 0), "0");
    CHECK_EQ_STR(fmt(0, CSI_NUM_MONEY, 0), "0.00");
    CHECK_EQ_STR(fmt(0, CSI_NUM_PERCENT, 0), "0 %");
    CHECK_EQ_STR(fmt(1e15, CSI_NUM_COUNT, 0), "1,000,000,000,000,000");
    CHECK_EQ_STR(fmt(1e15, CSI_NUM_PLAIN, 2), "1,000,000,000,000,000");
    CHECK_EQ_STR(fmt(-1e15, CSI_NUM_MONEY, 2), "-1,000,000,000,000,000.00");
    CHECK(strchr(fmt(1e20, CSI_NUM_PLAIN, 2), 'e') != NULL); /* past 1e15: an exponent */
    CHECK_EQ_STR(fmt(NAN, CSI_NUM_PLAIN, 2), "\xe2\x80\x93");
    CHECK_EQ_STR(fmt(INFINITY, CSI_NUM_MONEY, 2), "\xe2\x80\x93");
    CHECK_EQ_STR(fmt(-INFINITY, CSI_NUM_DATE, 0), "\xe2\x80\x93");
    CHECK_EQ_STR(fmt(1234.5, CSI_NUM_PLAIN, 2), "1,234.5");
    CHECK_EQ_STR(fmt(1234.5678, CSI_NUM_PLAIN, 2), "1,234.57");
    CHECK_EQ_STR(fmt(999.9999, CSI_NUM_PLAIN, 2), "1,000");
    CHECK_EQ_STR(fmt(123, CSI_NUM_PLAIN, 0), "123");
    CHECK_EQ_STR(fmt(1234, CSI_NUM_PLAIN, 0), "1,234");
    CHECK_EQ_STR(fmt(123456, CSI_NUM_PLAIN, 0), "123,456");
    CHECK_EQ_STR(fmt(-1234.4, CSI_NUM_COUNT, 3), "-1,234");
    CHECK_EQ_STR(fmt(0.000123, CSI_NUM_PLAIN, 6), "0.000123");
    CHECK_EQ_STR(fmt(15155, CSI_NUM_DATE, 0), "2011-06-30");
    CHECK_EQ_STR(fmt(0, CSI_NUM_DATE, 0), "1970-01-01");
    CHECK_EQ_STR(fmt(-1, CSI_NUM_DATE, 0), "1969-12-31");
    CHECK_EQ_STR(fmt(15154.6, CSI_NUM_DATE, 0), "2011-06-30");
    CHECK_EQ_STR(fmt(1e9, CSI_NUM_DATE, 0), "\xe2\x80\x93");
    /* the locale does not matter (a comma-decimal locale if there is one) */
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
        CHECK_EQ_STR(fmt(1234567.891, CSI_NUM_MONEY, 0), "1,234,567.89");
        CHECK_EQ_STR(fmt(0.125, CSI_NUM_PERCENT, 1), "12.5 %");
        setlocale(LC_NUMERIC, "C");
    }
}

/* ---- ticks ---- */

/* step is 1, 2 or 5 times a power of ten */
static int nice_step(double step)
{
    double p = pow(10, floor(log10(step)));
    double m = step / p;
    return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9 ||
           fabs(m - 10) < 1e-9;
}

static void check_ticks(double lo, double hi, int target, int kind)
{
    csi_ticks t;
    int before = test_failures;
    int rc = csi_nice_ticks(lo, hi, target, kind, &t);
    CHECK_EQ_INT(rc, CS_OK);
    if (rc != CS_OK)
        return;
    double a = lo < hi ? lo : hi, b = lo < hi ? hi : lo;
    CHECK(t.n >= 2 && t.n <= CSI_TICKS_MAX + 1);
    CHECK(t.value[0] <= a);
    CHECK(t.value[t.n - 1] >= b);
    CHECK(t.lo == t.value[0] && t.hi == t.value[t.n - 1]);
    if (a != b) /* about the target: within half of it either way */
        CHECK(abs(t.n - target) <= target / 2 + 1);
    for (int i = 1; i < t.n; i++)
        CHECK(t.value[i] > t.value[i - 1]);
    /* no tick lies a whole step outside the data (unless the range is
     * below what a double resolves and was widened) */
    if (a != b && kind != CSI_NUM_DATE && b - a > 1e-11 * fmax(fabs(a), fabs(b))) {
        CHECK(t.value[1] > a);
        CHECK(t.value[t.n - 2] < b);
    }
    if (kind != CSI_NUM_DATE) {
        CHECK(nice_step(t.step));
        for (int i = 0; i < t.n; i++) /* whole multiples of the step */
            CHECK(fabs(t.value[i] - round(t.value[i] / t.step) * t.step) <=
                  1e-9 * t.step + 1e-15 * fabs(t.value[i]));
    }
    /* the printed ticks are all different */
    char prev[64] = "", cur[64];
    for (int i = 0; i < t.n; i++) {
        csi_format_human(cur, sizeof cur, t.value[i], kind, t.decimals);
        CHECK(strcmp(cur, prev) != 0);
        memcpy(prev, cur, sizeof cur);
    }
    if (test_failures != before)
        fprintf(stderr, "  in ticks of [%.17g, %.17g] target %d kind %d: n %d step %g\n", lo, hi,
                target, kind, t.n, t.step);
}

static void test_ticks(void)
{
    static const double ranges[][2] = {
        {0, 1},       {0, 10},       {0, 100},     {0, 7},          {0.3, 0.7},
        {-5, 5},      {-123, 4567},  {-1e6, -1e3}, {-0.003, -0.001}, {1e-12, 2e-12},
        {0, 1e-12},   {0, 1e15},     {1e15, 2e15}, {-1e15, 1e15},   {1e14, 1e14 + 3},
        {3.7, 3.7},   {0, 0},        {-2, -2},     {1e-12, 1e-12},  {1e15, 1e15},
        {99, 101},    {0.95, 1.05},  {1, 1 + 1e-14}, {42, 17},      {0, 123456789},
        {-0.5, 0.25}, {0.001, 1000}, {5e-7, 9e-7},
    };
    static const int targets[] = {2, 4, 5, 6, 8, 10, 16};
    for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++)
        for (size_t k = 0; k < sizeof targets / sizeof *targets; k++) {
            check_ticks(ranges[i][0], ranges[i][1], targets[k], CSI_NUM_PLAIN);
            check_ticks(ranges[i][0], ranges[i][1], targets[k], CSI_NUM_PERCENT);
        }
    check_ticks(0, 1, 6, CSI_NUM_COUNT);
    check_ticks(0, 37, 6, CSI_NUM_COUNT);
    check_ticks(5, 5, 6, CSI_NUM_COUNT);
    check_ticks(0, 1234.56, 6, CSI_NUM_MONEY);

    csi_ticks t;
    /* one value: a range around it; zero: from 0 to 1 */
    CHECK_EQ_INT(csi_nice_ticks(0, 0, 5, CSI_NUM_PLAIN, &t), CS_OK);
    CHECK(t.lo == 0 && t.hi == 1);
    CHECK_EQ_INT(csi_nice_ticks(50, 50, 5, CSI_NUM_PLAIN, &t), CS_OK);
    CHECK(t.lo < 50 && t.hi > 50);
    /* well known choices */
    CHECK_EQ_INT(csi_nice_ticks(0, 1, 6, CSI_NUM_PLAIN, &t), CS_OK);
    CHECK_EQ_INT(t.n, 6);
    CHECK_NEAR(t.step, 0.2, 1e-15);
    CHECK_EQ_INT(t.decimals, 1);
    CHECK_EQ_INT(csi_nice_ticks(0, 1, 6, CSI_NUM_PERCENT, &t), CS_OK);
    CHECK_EQ_INT(t.decimals, 0); /* 0 %, 20 %, ... */
    CHECK_EQ_INT(csi_nice_ticks(-7, 93, 6, CSI_NUM_PLAIN, &t), CS_OK);
    CHECK(t.value[0] == -20 && t.step == 20 && t.value[1] == 0);
    /* a tick at zero exactly when the range spans it */
    int zero = 0;
    for (int i = 0; i < t.n; i++)
        zero |= t.value[i] == 0 && !signbit(t.value[i]);
    CHECK(zero);
    /* bad input */
    CHECK_EQ_INT(csi_nice_ticks(NAN, 1, 5, CSI_NUM_PLAIN, &t), CS_EINVAL);
    CHECK_EQ_INT(csi_nice_ticks(0, INFINITY, 5, CSI_NUM_PLAIN, &t), CS_EINVAL);
    CHECK_EQ_INT(csi_nice_ticks(-INFINITY, 0, 5, CSI_NUM_PLAIN, &t), CS_EINVAL);
    CHECK_EQ_INT(csi_nice_ticks(0, 1e308, 5, CSI_NUM_PLAIN, &t), CS_EINVAL);

    /* dates: whole days, Monday weeks, first days of months and years */
    static const double dranges[][2] = {
        {15156, 15156}, {15156, 15160}, {15156, 15200}, {15156, 15400},
        {15156, 16000}, {15156, 19000}, {0, 30000},     {-20000, 40000},
    };
    for (size_t i = 0; i < sizeof dranges / sizeof *dranges; i++)
        for (int target = 4; target <= 8; target += 2)
            check_ticks(dranges[i][0], dranges[i][1], target, CSI_NUM_DATE);
    char day[64];
    CHECK_EQ_INT(csi_nice_ticks(15156, 15400, 6, CSI_NUM_DATE, &t), CS_OK); /* ~8 months */
    for (int i = 0; i < t.n; i++) /* the first of a month */
        CHECK(strcmp(csi_format_human(day, sizeof day, t.value[i], CSI_NUM_DATE, 0) + 8, "01") == 0);
    CHECK_EQ_INT(csi_nice_ticks(15156, 15200, 6, CSI_NUM_DATE, &t), CS_OK); /* 6 weeks */
    CHECK(t.step == 7 || t.step == 14);
    for (int i = 0; i < t.n; i++) /* Mondays: 1970-01-05 was one */
        CHECK(((long)t.value[i] - 4) % 7 == 0);
    CHECK_EQ_INT(csi_nice_ticks(0, 30000, 6, CSI_NUM_DATE, &t), CS_OK); /* 82 years */
    for (int i = 0; i < t.n; i++)
        CHECK(strcmp(csi_format_human(day, sizeof day, t.value[i], CSI_NUM_DATE, 0) + 4, "-01-01") == 0);
    CHECK_EQ_INT(csi_nice_ticks(0, 1e9, 6, CSI_NUM_DATE, &t), CS_EINVAL);
}

/* ---- the buffer ---- */

static void test_buf(void)
{
    csi_buf b;
    csi_buf_init(&b);
    CHECK(b.data && b.len == 0 && b.data[0] == '\0');
    csi_buf_puts(&b, "abc");
    csi_buf_printf(&b, "%d-%s", 42, "x");
    for (int i = 0; i < 1000; i++)
        csi_buf_puts(&b, "0123456789");
    CHECK_EQ_INT(b.len, 3 + 4 + 10000);
    CHECK(strncmp(b.data, "abc42-x0123", 11) == 0);
    CHECK_EQ_INT(csi_buf_ok(&b, NULL), CS_OK);
    char *s = csi_buf_take(&b);
    CHECK(s && strlen(s) == 10007);
    free(s);
    CHECK(b.data == NULL);
    csi_buf_free(&b);

    /* the failure path: a cap stands in for memory running out */
    csi_buf_init(&b);
    b.max = 100;
    csi_buf_puts(&b, "0123456789");
    for (int i = 0; i < 20; i++)
        csi_buf_printf(&b, "%s", "0123456789");
    CHECK(b.failed);
    CHECK(b.len <= 100);
    csi_buf_puts(&b, "more"); /* nothing happens */
    CHECK(b.len <= 100);
    cs_error err;
    cs_error_clear(&err);
    CHECK_EQ_INT(csi_buf_ok(&b, &err), CS_ENOMEM);
    CHECK_EQ_INT(err.code, CS_ENOMEM);
    CHECK(strstr(err.message, "100") != NULL);
    CHECK(csi_buf_take(&b) == NULL);
    csi_buf_free(&b);
    csi_buf_free(NULL);
}

static void check_escape(const char *in, size_t len, const char *want)
{
    csi_buf b;
    csi_buf_init(&b);
    csi_buf_escape(&b, in, len);
    CHECK_EQ_STR(b.data, want);
    csi_buf_free(&b);
}

static void test_escape(void)
{
    check_escape("<script>alert(1)</script>", 25, "&lt;script&gt;alert(1)&lt;/script&gt;");
    check_escape("A&B \"q\" 'x'", 11, "A&amp;B &quot;q&quot; &#39;x&#39;");
    check_escape("caf\xc3\xa9 \xe2\x82\xac", 9, "caf\xc3\xa9 \xe2\x82\xac"); /* café € kept */
    check_escape("a\xff" "b", 3, "a\xef\xbf\xbd" "b");                    /* a stray byte */
    check_escape("a\xc3", 2, "a\xef\xbf\xbd");                           /* cut short */
    check_escape("\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd");             /* overlong */
    check_escape("\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* surrogate */
    check_escape("a\x01" "b\tc\nd\re", 9, "a\xef\xbf\xbd" "b\tc\nd\xef\xbf\xbd" "e");
    check_escape("x\0y", 3, "x\xef\xbf\xbdy");
    check_escape("\xc2\x85", 2, "\xef\xbf\xbd"); /* a C1 control */
    check_escape("\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80");
    check_escape("", 0, "");
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    test_format();
    test_ticks();
    test_buf();
    test_escape();
    return test_result("test-chart");
}
