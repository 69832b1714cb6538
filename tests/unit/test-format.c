/* cs_format_double over the whole range of finite doubles: subnormals up to
 * DBL_MAX, every digit count; the text is well formed and parses back (strtod
 * and cs_parse_double) within its significant digits. */
#include "cs-io.h"
#include "test.h"

#include <ctype.h>
#include <float.h>
#include <stdint.h>
#include <stdlib.h>

static int shown;

/* the grammar: -?(plain | d(.d+)?e[+-]dd(d)?), at most `digits` significant
 * digits, an exponent from -324 to 308 */
static int well_formed(const char *s, int digits)
{
    const char *p = s;
    if (*p == '-')
        p++;
    const char *e = strchr(p, 'e');
    int sig = 0, pos = 0, first = -1, last = -1;
    for (const char *q = p; *q && q != e; q++) {
        if (*q == '.')
            continue;
        if (!isdigit((unsigned char)*q))
            return 0;
        if (*q != '0') { /* from the first nonzero digit to the last */
            if (first < 0)
                first = pos;
            last = pos;
        }
        pos++;
    }
    if (first >= 0)
        sig = last - first + 1;
    if (sig < 1 || sig > digits)
        return 0;
    if (e) {
        if (!(p[0] >= '1' && p[0] <= '9') || (p[1] != '.' && p + 1 != e))
            return 0;
        if (e[1] != '+' && e[1] != '-')
            return 0;
        size_t nd = strlen(e + 2);
        if (nd < 2 || nd > 3)
            return 0;
        for (size_t i = 0; i < nd; i++)
            if (!isdigit((unsigned char)e[2 + i]))
                return 0;
        int x = atoi(e + 2) * (e[1] == '-' ? -1 : 1);
        if (x < -324 || x > 308 || (x >= -5 && x < 15))
            return 0;
    }
    return 1;
}

static int check_one(double v, int digits)
{
    char buf[32];
    if (v == 0)
        return cs_format_double(buf, v, digits) == 1 && strcmp(buf, "0") == 0;
    memset(buf, 'x', sizeof buf);
    size_t n = cs_format_double(buf, v, digits);
    int ok = n > 0 && n < 32 && strlen(buf) == n && well_formed(buf, digits);
    double p = 0, q = 0;
    if (ok) {
        char *end;
        p = strtod(buf, &end);
        double tol = fabs(v) * pow(10, 1 - digits) + 2 * DBL_TRUE_MIN;
        ok = *end == '\0' && isfinite(p) && fabs(p - v) <= tol && (p < 0) == (v < 0) &&
             cs_parse_double(buf, n, &q) && q == p;
    }
    if (!ok && shown++ < 10)
        fprintf(stderr, "cs_format_double(%.17g, %d) = \"%s\" (back: %.17g)\n", v, digits,
                n < 32 ? buf : "(overflow)", p);
    return ok;
}

static void test_known(void)
{
    char b[32];
    cs_format_double(b, DBL_TRUE_MIN, 15);
    CHECK_EQ_STR(b, "4.94065645841247e-324");
    cs_format_double(b, DBL_TRUE_MIN, 1);
    CHECK_EQ_STR(b, "5e-324");
    cs_format_double(b, -DBL_TRUE_MIN, 6);
    CHECK_EQ_STR(b, "-4.94066e-324");
    cs_format_double(b, DBL_MIN, 15);
    CHECK_EQ_STR(b, "2.2250738585072e-308");
    cs_format_double(b, 1e-300, 12);
    CHECK_EQ_STR(b, "1e-300");
    cs_format_double(b, 1.234e-299, 12);
    CHECK_EQ_STR(b, "1.234e-299");
    cs_format_double(b, 1e-320, 12);
    CHECK_EQ_STR(b, "9.99988867183e-321"); /* the nearest subnormal */
    /* rounding up would overflow: the digits stay at or below DBL_MAX */
    cs_format_double(b, DBL_MAX, 15);
    CHECK_EQ_STR(b, "1.79769313486231e+308");
    cs_format_double(b, DBL_MAX, 3);
    CHECK_EQ_STR(b, "1.79e+308");
    cs_format_double(b, 1e308, 12);
    CHECK_EQ_STR(b, "1e+308");
    /* unchanged in the ordinary range */
    cs_format_double(b, 0.1, 12);
    CHECK_EQ_STR(b, "0.1");
    cs_format_double(b, 1.0 / 3, 12);
    CHECK_EQ_STR(b, "0.333333333333");
    cs_format_double(b, 123456789012345.0, 15);
    CHECK_EQ_STR(b, "123456789012345");
    cs_format_double(b, 1e15, 12);
    CHECK_EQ_STR(b, "1e+15");
    cs_format_double(b, 0.00001, 12);
    CHECK_EQ_STR(b, "0.00001");
    cs_format_double(b, 9.9999999999999e-6, 12);
    CHECK_EQ_STR(b, "0.00001");
    cs_format_double(b, 0, 12);
    CHECK_EQ_STR(b, "0");
    CHECK(cs_format_double(b, NAN, 12) == 0 && b[0] == '\0');
    CHECK(cs_format_double(b, -INFINITY, 12) == 0 && b[0] == '\0');
}

/* every power of ten from 1e-323 to 1e308 times a few mantissas */
static void test_powers(void)
{
    static const double mant[] = {1, 1.5, 2.2250738585072014, 3.14159265358979, 4.9,
                                  5.5, 7.0000000000001, 9.5, 9.99999999999999, 9.9999999999999999};
    static const int dig[] = {1, 2, 3, 6, 10, 12, 14, 15};
    int bad = 0, tried = 0;
    for (int x = -324; x <= 308; x++)
        for (size_t i = 0; i < sizeof mant / sizeof *mant; i++) {
            char t[64];
            snprintf(t, sizeof t, "%.17ge%d", mant[i], x);
            double v = strtod(t, NULL);
            if (v == 0 || !isfinite(v))
                continue;
            for (size_t k = 0; k < sizeof dig / sizeof *dig; k++) {
                tried += 2;
                bad += !check_one(v, dig[k]);
                bad += !check_one(-v, dig[k]);
            }
        }
    /* the subnormals' edges and every power of two */
    for (int x = -1074; x <= 1023; x++)
        for (int k = 1; k <= 15; k++) {
            double v = ldexp(1, x);
            tried += 3;
            bad += !check_one(v, k);
            bad += !check_one(nextafter(v, 0), k);
            bad += !check_one(nextafter(v, INFINITY), k);
        }
    CHECK(tried > 100000);
    CHECK_EQ_INT(bad, 0);
}

/* random bit patterns from a fixed seed: every finite double is fair game */
static void test_random(void)
{
    uint64_t s = 0x9E3779B97F4A7C15u;
    int bad = 0, tried = 0;
    for (int i = 0; i < 400000; i++) {
        s ^= s << 13; /* xorshift64 */
        s ^= s >> 7;
        s ^= s << 17;
        double v;
        memcpy(&v, &s, sizeof v);
        if (!isfinite(v) || v == 0)
            continue;
        tried++;
        bad += !check_one(v, (int)(s >> 60) % 15 + 1);
        /* and the same mantissas low in the range: subnormals */
        uint64_t sub = s & 0x800FFFFFFFFFFFFFu;
        memcpy(&v, &sub, sizeof v);
        if (v != 0)
            bad += !check_one(v, (int)(s % 15) + 1);
    }
    CHECK(tried > 300000);
    CHECK_EQ_INT(bad, 0);
}

static void test_count(void)
{
    char buf[32];
    CHECK_EQ_STR(cs_format_count(buf, 0), "0");
    CHECK_EQ_STR(cs_format_count(buf, 999), "999");
    CHECK_EQ_STR(cs_format_count(buf, 1000), "1,000");
    CHECK_EQ_STR(cs_format_count(buf, 234047), "234,047");
    CHECK_EQ_STR(cs_format_count(buf, UINT64_MAX), "18,446,744,073,709,551,615");
}

int main(void)
{
    test_count();
    test_known();
    test_powers();
    test_random();
    return test_result("format");
}
