/* Fuzz target for the typed table reader (cs_table: the header line, rows,
 * cs_table_real, cs_table_day, cs_table_id), with the delimiter detected
 * and with a comma, a tab and whitespace.
 *
 * Checks: no crash, leak or undefined behaviour; a refusal has a message;
 * every row has the header's number of fields; every field read as a
 * number is finite, equal to what strtod makes of it (correctly rounded),
 * and cs_format_double with 15 digits gives a number that cs_parse_double
 * reads back to the same double when the field has at most 15 significant
 * digits (else to within the 15 digits), and that prints the same again;
 * the flags (>= 0, whole) refuse exactly what they should; a field read as
 * a day prints (cs_day_format) as a date that reads back to the same day;
 * an id accepted is non-empty. */
#include "fuzz.h"

#include <float.h>
#include <locale.h>

static locale_t c_locale;

static int significant_digits(const char *s, size_t n)
{
    int nd = 0, lead = 1;
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
    /* digits up to the exponent, leading zeros not counted, trailing ones are */
    int pending = 0;
    for (; i < n && s[i] != 'e' && s[i] != 'E'; i++) {
        if (s[i] == '.')
            continue;
        if (s[i] == '0') {
            if (!lead)
                pending++;
            continue;
        }
        lead = 0;
        nd += pending + 1;
        pending = 0;
    }
    return nd;
}

static void check_number(const cs_table *t, int col)
{
    const char *s;
    size_t n;
    if (cs_table_str(t, col, &s, &n) != CS_OK)
        abort();
    double v;
    cs_error err = {0};
    int rc = cs_table_real(t, col, 0, &v, &err);
    if (rc != CS_OK) {
        fuzz_failed(rc, &err);
        /* the flags only add conditions */
        if (cs_table_real(t, col, CS_TABLE_NONNEG | CS_TABLE_WHOLE, &v, &err) == CS_OK)
            abort();
        return;
    }
    if (!isfinite(v))
        abort();
    char buf[512];
    memcpy(buf, s, n); /* cs_parse_double takes at most 400 bytes */
    buf[n] = '\0';
    char *end;
    double ref = strtod_l(buf, &end, c_locale);
    if (*end || ref != v)
        abort(); /* not what a correctly rounding strtod gives */
    double x;
    err = (cs_error){0};
    if ((cs_table_real(t, col, CS_TABLE_NONNEG, &x, &err) == CS_OK) != (v >= 0))
        abort();
    err = (cs_error){0};
    if ((cs_table_real(t, col, CS_TABLE_WHOLE, &x, &err) == CS_OK) != (v == floor(v)))
        abort();
    char text[32];
    size_t len = cs_format_double(text, v, 15);
    double w;
    if (len == 0 || len >= sizeof text || !cs_parse_double(text, len, &w))
        abort(); /* the formatter's text must parse */
    if (fabs(v) >= DBL_MIN) {
        if (significant_digits(s, n) <= 15 && w != v)
            abort(); /* 15 digits name a double exactly */
        /* half a unit in the 15th digit, and the rounding of w to a double */
        if (!(fabs(w - v) <= 5.2e-15 * fabs(v)))
            abort(); /* not the nearest 15 digits */
        char again[32];
        size_t len2 = cs_format_double(again, w, 15);
        if (len2 != len || memcmp(again, text, len) != 0)
            abort(); /* 15 digits print as themselves */
    }
}

static void check_day(const cs_table *t, int col)
{
    cs_day d, d2;
    cs_error err = {0};
    int rc = cs_table_day(t, col, 0, &d, &err);
    if (rc != CS_OK) {
        fuzz_failed(rc, &err);
        return;
    }
    char buf[11];
    cs_day_format(d, buf);
    if (cs_day_parse(buf, 10, &d2) != CS_OK || d2 != d)
        abort();
}

static void check_id(const cs_table *t, int col)
{
    cs_ids ids = {0};
    cs_error err = {0};
    int rc = cs_table_id(t, col, &ids, &err);
    if (rc != CS_OK) {
        fuzz_failed(rc, &err);
    } else {
        size_t len;
        cs_ids_get(&ids, 0, &len);
        if (ids.n != 1 || len == 0)
            abort();
    }
    cs_ids_clear(&ids);
}

static void read_table(const uint8_t *data, size_t size, int delimiter)
{
    int fd;
    cs_error err = {0};
    cs_input *in = fuzz_input(data, size, &fd, &err);
    if (!in)
        return;
    cs_table *t = cs_table_open(in, delimiter, &err);
    if (!t) {
        fuzz_failed(err.code ? err.code : -1, &err);
        fuzz_close(in, fd);
        return;
    }
    size_t nc = cs_table_ncols(t);
    if (nc == 0 || cs_table_header(t)->nfields != nc)
        abort();
    for (size_t c = 0; c < nc; c++) {
        const char *name = cs_table_name(t, (int)c);
        if (!name)
            abort();
        int f = cs_table_find(t, name);
        if (f < 0 || f > (int)c)
            abort(); /* a column is found by its own name (or an earlier twin) */
    }
    int rc, rows = 0;
    while ((rc = cs_table_next(t, &err)) == 1 && rows < 64) {
        const cs_record *r = cs_table_row(t);
        if (!r || r->nfields != nc || cs_table_line(t) < 2)
            abort();
        for (size_t c = 0; c < nc && c < 16; c++) {
            check_number(t, (int)c);
            check_day(t, (int)c);
            check_id(t, (int)c);
        }
        rows++;
    }
    if (rc < 0)
        fuzz_failed(rc, &err);
    cs_table_free(t);
    fuzz_close(in, fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!c_locale)
        c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    const int delims[] = {CS_DELIM_AUTO, ',', '\t', CS_DELIM_WHITESPACE};
    for (int k = 0; k < 4; k++)
        read_table(data, size, delims[k]);
    return 0;
}
