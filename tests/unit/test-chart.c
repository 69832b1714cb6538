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
    /* a short buffer gets the start of the same text */
    char small[8];
    CHECK_EQ_STR(csi_format_human(small, sizeof small, 1234567.891, CSI_NUM_MONEY, 0), "1,234,5");
    CHECK_EQ_STR(csi_format_human(small, 2, 5, CSI_NUM_COUNT, 0), "");
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

/* ---- charts ---- */

static const char *sample_dir; /* where the samples go, or NULL */

static csi_chart chart(const char *id, const char *title)
{
    csi_chart c = {.id = id, .title = title, .note = "How to read it.", .x_label = "x (units)",
                   .y_label = "y (units)", .x_min = NAN, .x_max = NAN, .y_min = NAN,
                   .y_max = NAN};
    return c;
}

/* Keeps the chart text for the XML checker when asked to. */
static void sample(const char *name, const csi_buf *b)
{
    if (!sample_dir || b->failed)
        return;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.xml", sample_dir, name);
    FILE *fp = fopen(path, "w");
    CHECK(fp != NULL);
    if (!fp)
        return;
    CHECK(fwrite(b->data, 1, b->len, fp) == b->len);
    CHECK(fclose(fp) == 0);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* The <text> element ending in `end` has the attribute `attr_text`. */
static int text_has(const char *data, const char *end, const char *attr_text)
{
    const char *e = strstr(data, end);
    if (!e)
        return 0;
    const char *t = e;
    while (t > data && strncmp(t, "<text", 5) != 0)
        t--;
    char el[512];
    size_t n = (size_t)(e - t) < sizeof el - 1 ? (size_t)(e - t) : sizeof el - 1;
    memcpy(el, t, n);
    el[n] = '\0';
    return strstr(el, attr_text) != NULL;
}

enum { LINES, BARS, STACKED, HBARS, HEATMAP, KINDS };

/* Draws a chart of kind `kind` whose every text field (id, title, note,
 * axis titles, labels, mark text, cell text) is `text`. */
static int draw_with_text(csi_buf *b, int kind, const char *text, cs_error *err)
{
    csi_chart c = {.id = text, .title = text, .note = text, .x_label = text, .y_label = text,
                   .x_min = NAN, .x_max = NAN, .y_min = NAN, .y_max = NAN};
    static const double x[3] = {1, 2, 3}, y[3] = {2, -1, 4}, y2[3] = {1, 1, 1};
    csi_series s[2] = {{.label = text, .x = x, .y = y, .n = 3, .markers = 1},
                       {.label = text, .x = x, .y = y2, .n = 3, .style = 1}};
    const char *labels[3] = {text, text, text};
    csi_mark m = {2, 1, text};
    const char *cells[6] = {text, NULL, text, text, NULL, text};
    static const double v[6] = {1, 2, 3, 4, 5, 6};
    switch (kind) {
    case LINES: return csi_svg_lines(b, &c, s, 2, &m, 1, err);
    case BARS: return csi_svg_bars(b, &c, labels, 3, s, 2, 0, 0, err);
    case STACKED: return csi_svg_bars(b, &c, labels, 3, s, 2, 1, 0, err);
    case HBARS: return csi_svg_bars(b, &c, labels, 3, s, 2, 0, 1, err);
    default: return csi_svg_heatmap(b, &c, labels, 2, labels, 3, v, cells, text, 0, err);
    }
}

static void test_chart_escaping(void)
{
    static const char *const names[KINDS] = {"lines", "bars", "stacked", "hbars", "heatmap"};
    for (int k = 0; k < KINDS; k++) {
        csi_buf b;
        cs_error err;
        char name[64];
        csi_buf_init(&b);
        CHECK_EQ_INT(draw_with_text(&b, k, "<script>alert(1)</script>", &err), CS_OK);
        CHECK(strstr(b.data, "<script") == NULL);
        CHECK(strstr(b.data, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
        CHECK(strstr(b.data, "<svg") != NULL);
        CHECK(strstr(b.data, "id=\"-script-alert-1---script-\"") != NULL); /* the id attribute */
        snprintf(name, sizeof name, "escape-script-%s", names[k]);
        sample(name, &b);
        csi_buf_free(&b);

        csi_buf_init(&b);
        CHECK_EQ_INT(draw_with_text(&b, k, "A&B \"q\" 'x'", &err), CS_OK);
        CHECK(strstr(b.data, "A&amp;B &quot;q&quot; &#39;x&#39;") != NULL);
        CHECK(strstr(b.data, "A&B") == NULL);
        CHECK(strstr(b.data, "\"q\"") == NULL);
        snprintf(name, sizeof name, "escape-amp-%s", names[k]);
        sample(name, &b);
        csi_buf_free(&b);

        csi_buf_init(&b);
        CHECK_EQ_INT(draw_with_text(&b, k, "bad \xff\xfe byte\x01", &err), CS_OK);
        CHECK(strchr(b.data, '\xff') == NULL && strchr(b.data, '\x01') == NULL);
        CHECK(strstr(b.data, "bad \xef\xbf\xbd\xef\xbf\xbd byte\xef\xbf\xbd") != NULL);
        snprintf(name, sizeof name, "escape-utf8-%s", names[k]);
        sample(name, &b);
        csi_buf_free(&b);
    }
}

static void test_chart_empty(void)
{
    csi_buf b;
    cs_error err;
    csi_chart c = chart("empty", "Nothing & more");
    static const double nan3[3] = {NAN, NAN, NAN}, x[3] = {1, 2, 3};
    csi_series s = {.label = "s", .x = x, .y = nan3, .n = 3};
    const char *labels[3] = {"a", "b", "c"};
    for (int k = 0; k < 8; k++) {
        csi_buf_init(&b);
        int rc;
        switch (k) {
        case 0: rc = csi_svg_lines(&b, &c, NULL, 0, NULL, 0, &err); break;
        case 1: rc = csi_svg_lines(&b, &c, &s, 1, NULL, 0, &err); break;
        case 2: rc = csi_svg_bars(&b, &c, labels, 0, &s, 1, 0, 0, &err); break;
        case 3: rc = csi_svg_bars(&b, &c, labels, 3, &s, 1, 1, 0, &err); break;
        case 4: rc = csi_svg_bars(&b, &c, labels, 3, NULL, 0, 0, 1, &err); break;
        case 5: rc = csi_svg_heatmap(&b, &c, labels, 0, labels, 0, NULL, NULL, "v", 0, &err); break;
        case 6: rc = csi_svg_heatmap(&b, &c, labels, 1, labels, 3, nan3, NULL, "v", 0, &err); break;
        default: rc = csi_svg_heatmap(&b, &c, labels, 3, labels, 1, nan3, NULL, NULL, 0, &err);
        }
        CHECK_EQ_INT(rc, CS_OK);
        CHECK(strstr(b.data, "No data for this chart.") != NULL);
        CHECK(strstr(b.data, "<h3>Nothing &amp; more</h3>") != NULL);
        CHECK(strstr(b.data, "<svg") == NULL);
        if (k == 1)
            sample("empty-lines", &b);
        if (k == 6)
            sample("empty-heatmap", &b);
        csi_buf_free(&b);
    }
    /* no title or note: the caller's mistake */
    csi_buf_init(&b);
    c.note = NULL;
    CHECK_EQ_INT(csi_svg_lines(&b, &c, &s, 1, NULL, 0, &err), CS_EINVAL);
    c.note = "n";
    c.width = -5;
    CHECK_EQ_INT(csi_svg_bars(&b, &c, labels, 3, &s, 1, 0, 0, &err), CS_EINVAL);
    CHECK(b.len == 0);
    csi_buf_free(&b);
}

static void test_chart_lines(void)
{
    csi_buf b;
    cs_error err;
    /* NaN leaves gaps: three runs, one of them a single point (a dot) */
    static const double x[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    static const double y[8] = {1, 2, NAN, 3, NAN, 4, 5, 6};
    csi_series s = {.label = "gappy", .x = x, .y = y, .n = 8, .markers = 1};
    csi_chart c = chart("gaps", "Gaps");
    csi_buf_init(&b);
    CHECK_EQ_INT(csi_svg_lines(&b, &c, &s, 1, NULL, 0, &err), CS_OK);
    const char *d = strstr(b.data, " d=\"");
    CHECK(d != NULL);
    if (d) {
        const char *e = strchr(d + 4, '"');
        size_t moves = 0;
        for (const char *p = d + 4; p < e; p++)
            moves += *p == 'M';
        CHECK_EQ_INT(moves, 3);
        CHECK(strstr(d, "h0") != NULL && strstr(d, "h0") < e);
    }
    CHECK_EQ_INT(count(b.data, "<circle"), 6); /* one marker per finite point */
    CHECK(strstr(b.data, "cs-legend") == NULL); /* one labelled series: no legend */
    sample("lines-gaps", &b);
    csi_buf_free(&b);

    /* thousands of points: one path per series, no element per point */
    enum { N = 5000 };
    static double bx[N], by[N], bz[N];
    for (int i = 0; i < N; i++) {
        bx[i] = i;
        by[i] = sin(i / 300.0) * 1000;
        bz[i] = cos(i / 300.0) * 1000;
    }
    csi_series two[2] = {{.label = "sin", .x = bx, .y = by, .n = N},
                         {.label = "cos", .x = bx, .y = bz, .n = N, .style = 1}};
    csi_buf_init(&b);
    CHECK_EQ_INT(csi_svg_lines(&b, &c, two, 2, NULL, 0, &err), CS_OK);
    CHECK_EQ_INT(count(b.data, "<path"), 2);
    CHECK_EQ_INT(count(b.data, "<circle"), 0);
    CHECK(strstr(b.data, "stroke-dasharray") != NULL);
    CHECK(strstr(b.data, "cs-legend") != NULL);
    CHECK(b.len < 200000);
    csi_buf_free(&b);

    /* one point: an axis around it and a dot */
    static const double one_x[1] = {3}, one_y[1] = {42};
    csi_series one = {.label = "one", .x = one_x, .y = one_y, .n = 1};
    csi_buf_init(&b);
    CHECK_EQ_INT(csi_svg_lines(&b, &c, &one, 1, NULL, 0, &err), CS_OK);
    CHECK(strstr(b.data, "h0\"") != NULL);
    CHECK_EQ_INT(count(b.data, "<circle"), 1); /* marked though markers is 0 */
    sample("lines-one-point", &b);
    csi_buf_free(&b);
    /* no x: the index; a flat line */
    static const double flat[4] = {7, 7, 7, 7};
    csi_series fl = {.label = "flat", .y = flat, .n = 4, .markers = 1};
    csi_buf_init(&b);
    CHECK_EQ_INT(csi_svg_lines(&b, &c, &fl, 1, NULL, 0, &err), CS_OK);
    CHECK_EQ_INT(count(b.data, "<circle"), 4);
    sample("lines-flat", &b);
    csi_buf_free(&b);

    /* explicit bounds, a tiny range, dates, negative values, a mark */
    static const double tx[3] = {1e-12, 2e-12, 3e-12}, ty[3] = {-5e-13, 0, 7e-13};
    csi_series t = {.label = "tiny", .x = tx, .y = ty, .n = 3, .markers = 1};
    csi_mark m = {2e-12, 0, "the middle"};
    csi_buf_init(&b);
    CHECK_EQ_INT(csi_svg_lines(&b, &c, &t, 1, &m, 1, &err), CS_OK);
    CHECK(strstr(b.data, "the middle") != NULL);
    sample("lines-tiny", &b);
    csi_buf_free(&b);
    static const double dx[4] = {15000, 15100, 15200, 15400}, dy[4] = {1e15, 2e14, 5e14, 0};
    csi_series ds = {.label = "dates", .x = dx, .y = dy, .n = 4};
    c.x_kind = CSI_NUM_DATE;
    c.y_kind = CSI_NUM_MONEY;
    csi_buf_init(&b);
    CHECK_EQ_INT(csi_svg_lines(&b, &c, &ds, 1, NULL, 0, &err), CS_OK);
    CHECK(strstr(b.data, "2011-") != NULL);
    sample("lines-dates", &b);
    csi_buf_free(&b);
    c.x_kind = c.y_kind = 0;
    c.y_min = 0;
    c.y_max = 1;
    c.x_min = INFINITY;
    csi_buf_init(&b);
    CHECK_EQ_INT(csi_svg_lines(&b, &c, &ds, 1, NULL, 0, &err), CS_EINVAL);
    csi_buf_free(&b);
}

static void test_chart_bars(void)
{
    csi_buf b;
    cs_error err;
    const char *labels[4] = {"north", "a very long category name that cannot fit", "south", "east"};
    static const double a[4] = {10, -4, NAN, 7}, bb[4] = {3, 5, 2, -6};
    csi_series s[2] = {{.label = "first", .y = a, .n = 4}, {.label = "second", .y = bb, .n = 4}};
    csi_chart c = chart("bars", "Bars");
    for (int stacked = 0; stacked < 2; stacked++)
        for (int horizontal = 0; horizontal < 2; horizontal++) {
            csi_buf_init(&b);
            CHECK_EQ_INT(csi_svg_bars(&b, &c, labels, 4, s, 2, stacked, horizontal, &err), CS_OK);
            CHECK_EQ_INT(count(b.data, "class=\"cs-bar\""), 7); /* the NaN draws nothing */
            CHECK(strstr(b.data, "\xe2\x80\xa6") != NULL);       /* the long label cut ... */
            CHECK(strstr(b.data, "<title>a very long category name that cannot fit</title>") !=
                  NULL); /* ... whole in its title */
            CHECK(strstr(b.data, "cs-legend") != NULL);
            CHECK(strstr(b.data, ">-6<") != NULL || strstr(b.data, ">-6.") != NULL ||
                  stacked); /* a negative value label */
            char name[64];
            snprintf(name, sizeof name, "bars-%s-%s", stacked ? "stacked" : "grouped",
                     horizontal ? "horizontal" : "vertical");
            sample(name, &b);
            csi_buf_free(&b);
        }
    /* a stacked bar: the negative part goes down from zero, the positive up */
    static const double p[1] = {5}, q[1] = {-3}, r[1] = {2};
    csi_series st[3] = {{.y = p, .n = 1}, {.y = q, .n = 1}, {.y = r, .n = 1}};
    csi_buf_init(&b);
    c.y_min = -10;
    c.y_max = 10; /* 20 units over the plot's height */
    CHECK_EQ_INT(csi_svg_bars(&b, &c, labels, 1, st, 3, 1, 0, &err), CS_OK);
    CHECK_EQ_INT(count(b.data, "class=\"cs-bar\""), 3);
    sample("bars-stacked-signs", &b);
    csi_buf_free(&b);
    /* many categories: labels turn */
    const char *many[20];
    double mv[20];
    for (int i = 0; i < 20; i++) {
        many[i] = "category name";
        mv[i] = i * 1.5;
    }
    csi_series ms = {.label = "one", .y = mv, .n = 20};
    c.y_min = c.y_max = NAN;
    csi_buf_init(&b);
    CHECK_EQ_INT(csi_svg_bars(&b, &c, many, 20, &ms, 1, 0, 0, &err), CS_OK);
    CHECK(strstr(b.data, "rotate(-40)") != NULL);
    sample("bars-many", &b);
    csi_buf_free(&b);
    /* more categories than lines of text: every few labelled, every bar
     * titled */
    enum { M = 120 };
    static const char *lots[M];
    static double lv[M];
    for (int i = 0; i < M; i++) {
        lots[i] = i % 2 ? "odd one" : "even one";
        lv[i] = i;
    }
    csi_series ls = {.label = "lots", .y = lv, .n = M};
    for (int horizontal = 0; horizontal < 2; horizontal++) {
        csi_buf_init(&b);
        CHECK_EQ_INT(csi_svg_bars(&b, &c, lots, M, &ls, 1, 0, horizontal, &err), CS_OK);
        CHECK_EQ_INT(count(b.data, "class=\"cs-bar\""), M);
        size_t shown = count(b.data, "class=\"cs-cat\"");
        CHECK(shown >= 10 && shown <= M / 2);
        sample(horizontal ? "bars-lots-horizontal" : "bars-lots", &b);
        csi_buf_free(&b);
    }
    /* all zero: still a chart with an axis */
    static const double z[2] = {0, 0};
    csi_series zs = {.y = z, .n = 2};
    csi_buf_init(&b);
    CHECK_EQ_INT(csi_svg_bars(&b, &c, labels, 2, &zs, 1, 0, 0, &err), CS_OK);
    CHECK(strstr(b.data, "<svg") != NULL);
    sample("bars-zero", &b);
    csi_buf_free(&b);
}

static void test_chart_heatmap(void)
{
    csi_buf b;
    cs_error err;
    const char *rows[3] = {"r1", "r2", "r3"}, *cols[4] = {"c1", "c2", "c3", "c4"};
    static const double v[12] = {0, 1, 2, 3, 4, 5, NAN, 7, 8, 9, 10, 1100};
    csi_chart c = chart("heat", "Heat");
    csi_buf_init(&b);
    CHECK_EQ_INT(csi_svg_heatmap(&b, &c, rows, 3, cols, 4, v, NULL, "customers", CSI_NUM_COUNT,
                                 &err),
                 CS_OK);
    CHECK_EQ_INT(count(b.data, "<rect class=\"cs-cell"), 12);
    CHECK_EQ_INT(count(b.data, "<text class=\"cs-cell-text"), 11); /* not in the empty cell */
    CHECK_EQ_INT(count(b.data, "cs-cell cs-empty"), 1);
    CHECK(strstr(b.data, ">1,100<") != NULL);
    CHECK(text_has(b.data, ">1,100</text>", "fill=\"#ffffff\"")); /* light on the darkest */
    CHECK(text_has(b.data, ">0</text>", "fill=\"#111111\""));     /* dark on the lightest */
    CHECK(strstr(b.data, ">customers<") != NULL);
    sample("heatmap", &b);
    csi_buf_free(&b);
    /* one value everywhere, cell texts given */
    static const double one[4] = {3, 3, 3, 3};
    const char *texts[4] = {"a", "b", NULL, "d"};
    csi_buf_init(&b);
    CHECK_EQ_INT(csi_svg_heatmap(&b, &c, rows, 2, cols, 2, one, texts, "v", 0, &err), CS_OK);
    CHECK(strstr(b.data, ">a<") != NULL && strstr(b.data, ">d<") != NULL);
    sample("heatmap-flat", &b);
    csi_buf_free(&b);
    /* one cell */
    csi_buf_init(&b);
    CHECK_EQ_INT(csi_svg_heatmap(&b, &c, rows, 1, cols, 1, v + 5, NULL, "v", CSI_NUM_PERCENT,
                                 &err),
                 CS_OK);
    CHECK(strstr(b.data, ">500 %<") != NULL || strstr(b.data, ">500.0 %<") != NULL);
    sample("heatmap-one", &b);
    csi_buf_free(&b);
    /* a big grid: no text that does not fit, still one rect per cell */
    enum { R = 40, C = 60 };
    static double big[R * C];
    for (int i = 0; i < R * C; i++)
        big[i] = i % 97;
    csi_buf_init(&b);
    CHECK_EQ_INT(csi_svg_heatmap(&b, &c, NULL, R, NULL, C, big, NULL, "v", 0, &err), CS_OK);
    CHECK_EQ_INT(count(b.data, "<rect class=\"cs-cell"), R * C);
    CHECK_EQ_INT(count(b.data, "cs-cell-text"), 0);
    sample("heatmap-big", &b);
    csi_buf_free(&b);
    /* and with labels: every few shown */
    static const char *rl[R], *cl[C];
    for (int i = 0; i < R; i++)
        rl[i] = "row";
    for (int i = 0; i < C; i++)
        cl[i] = "2011-07";
    csi_buf_init(&b);
    CHECK_EQ_INT(csi_svg_heatmap(&b, &c, rl, R, cl, C, big, NULL, "v", 0, &err), CS_OK);
    size_t shown = count(b.data, "class=\"cs-cat\"");
    CHECK(shown >= 10 && shown < R + C);
    sample("heatmap-big-labels", &b);
    csi_buf_free(&b);
}

/* The smallest picture with long texts everywhere: still sane numbers
 * (the checker and UBSan look at them). */
static void test_chart_small(void)
{
    static const char *const names[KINDS] = {"lines", "bars", "stacked", "hbars", "heatmap"};
    const char *longtext = "a long text that takes far more room than a small chart has";
    for (int k = 0; k < KINDS; k++) {
        csi_buf b;
        cs_error err;
        csi_chart c = chart("small", longtext);
        c.width = c.height = 1; /* raised to the smallest size */
        static const double x[3] = {1, 2, 3}, y[3] = {2e15, -1e15, 4e14};
        csi_series s[3] = {{.label = longtext, .x = x, .y = y, .n = 3},
                           {.label = longtext, .x = x, .y = y, .n = 3},
                           {.label = longtext, .x = x, .y = y, .n = 3}};
        const char *labels[3] = {longtext, longtext, longtext};
        csi_buf_init(&b);
        int rc;
        switch (k) {
        case LINES: rc = csi_svg_lines(&b, &c, s, 3, NULL, 0, &err); break;
        case BARS: rc = csi_svg_bars(&b, &c, labels, 3, s, 3, 0, 0, &err); break;
        case STACKED: rc = csi_svg_bars(&b, &c, labels, 3, s, 3, 1, 0, &err); break;
        case HBARS: rc = csi_svg_bars(&b, &c, labels, 3, s, 3, 0, 1, &err); break;
        default:
            rc = csi_svg_heatmap(&b, &c, labels, 3, labels, 1, y, NULL, longtext,
                                 CSI_NUM_MONEY, &err);
        }
        CHECK_EQ_INT(rc, CS_OK);
        CHECK(strstr(b.data, "viewBox=\"0 0 240 160\"") != NULL);
        char name[64];
        snprintf(name, sizeof name, "small-%s", names[k]);
        sample(name, &b);
        csi_buf_free(&b);
    }
}

/* Every chart reports a buffer that ran out, whatever the point. */
static void test_chart_failure(void)
{
    for (int k = 0; k < KINDS; k++)
        for (size_t max = 1; max < 1500; max = max * 3 + 7) {
            csi_buf b;
            cs_error err;
            csi_buf_init(&b);
            b.max = max;
            cs_error_clear(&err);
            CHECK_EQ_INT(draw_with_text(&b, k, "label", &err), CS_ENOMEM);
            CHECK_EQ_INT(err.code, CS_ENOMEM);
            CHECK(b.len <= max);
            csi_buf_free(&b);
        }
}

/* The same chart under a comma-decimal locale, byte for byte. */
static void test_chart_locale(void)
{
    csi_buf a, b;
    cs_error err;
    csi_buf_init(&a);
    csi_buf_init(&b);
    for (int k = 0; k < KINDS; k++)
        CHECK_EQ_INT(draw_with_text(&a, k, "x", &err), CS_OK);
    if (setlocale(LC_ALL, "de_DE.UTF-8") || setlocale(LC_ALL, "fr_FR.UTF-8")) {
        for (int k = 0; k < KINDS; k++)
            CHECK_EQ_INT(draw_with_text(&b, k, "x", &err), CS_OK);
        CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
        setlocale(LC_ALL, "C");
    }
    csi_buf_free(&a);
    csi_buf_free(&b);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        sample_dir = argv[1];
    test_format();
    test_ticks();
    test_buf();
    test_escape();
    test_chart_escaping();
    test_chart_empty();
    test_chart_lines();
    test_chart_bars();
    test_chart_heatmap();
    test_chart_small();
    test_chart_failure();
    test_chart_locale();
    return test_result("test-chart");
}
