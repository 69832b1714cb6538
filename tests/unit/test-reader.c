/* The transaction reader's hardening: the line cap (a reader option, set
 * small here so the tests stay fast under ASan), the lines a rejected record
 * spans, and the second reading of a log that was replaced in between. */
#include "custseg.h"
#include "helpers.h"
#include "test.h"

#include <stdio.h>
#include <zlib.h>

#define CAP 4096

/* One step of a records reader: the return code and what came with it. */
struct step {
    int rc;
    char first[64]; /* field 0 of a record */
    long line, raw_line, raw_last;
    size_t raw_len;
    char msg[512];
    long err_line;
};

static int read_steps(const char *path, size_t cap, struct step *s, int max)
{
    cs_input *in = cs_input_open(path, NULL);
    cs_records *r = cs_records_new(in, ',', NULL);
    if (cap)
        cs_records_set_max_line(r, cap);
    int n = 0;
    for (; n < max; n++) {
        cs_record rec;
        cs_error err = {0};
        memset(&s[n], 0, sizeof s[n]);
        int rc = cs_records_next(r, &rec, &err);
        s[n].rc = rc;
        if (rc == 0)
            break;
        if (rc > 0) {
            snprintf(s[n].first, sizeof s[n].first, "%.*s", (int)(rec.len[0] < 63 ? rec.len[0] : 63),
                     rec.field[0]);
            s[n].line = rec.line;
        } else {
            snprintf(s[n].msg, sizeof s[n].msg, "%s", err.message);
            s[n].err_line = err.line;
            if (rc != CS_EFORMAT)
                break;
        }
        cs_records_raw(r, &s[n].raw_len, &s[n].raw_line);
        s[n].raw_last = cs_records_raw_last_line(r);
    }
    cs_records_free(r);
    cs_input_close(in);
    return n;
}

/* "a,b\n" + a line of len bytes of x + tail */
static char *with_long_line(size_t len, const char *tail, size_t *total)
{
    size_t tl = strlen(tail);
    char *s = malloc(4 + len + tl + 1);
    memcpy(s, "a,b\n", 4);
    memset(s + 4, 'x', len);
    memcpy(s + 4 + len, tail, tl + 1);
    *total = 4 + len + tl;
    return s;
}

static void test_cap_plain(void)
{
    struct step s[8];
    size_t n;
    /* a line over the cap, within the first buffer, then one far over it
     * (3 MB: the buffer fills and the rest is dropped in pieces) */
    size_t lens[] = {CAP + 1, 10000, 3u << 20};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        char *t = with_long_line(lens[k], "\nc,d\n", &n);
        const char *p = tmpfile_with(t, n);
        int got = read_steps(p, CAP, s, 8);
        unlink(p);
        free(t);
        CHECK_EQ_INT(got, 3);
        CHECK(s[0].rc == 1 && !strcmp(s[0].first, "a"));
        CHECK_EQ_INT(s[1].rc, CS_EFORMAT);
        CHECK_EQ_INT(s[1].err_line, 2);
        CHECK_EQ_STR(s[1].msg, "line longer than 4096 bytes (is this a text file?)");
        CHECK_EQ_INT(s[1].raw_len, CAP); /* cut to the cap */
        CHECK(s[1].raw_line == 2 && s[1].raw_last == 2);
        CHECK(s[2].rc == 1 && !strcmp(s[2].first, "c") && s[2].line == 3);
        CHECK_EQ_INT(s[3].rc, 0);
    }
    /* the input ends inside the long line */
    char *t = with_long_line(3u << 20, "", &n);
    const char *p = tmpfile_with(t, n);
    int got = read_steps(p, CAP, s, 8);
    unlink(p);
    free(t);
    CHECK(got == 2 && s[1].rc == CS_EFORMAT && s[2].rc == 0);
    /* exactly the cap is accepted, with LF or CR LF; one byte more is not */
    const char *ends[] = {"\nc,d\n", "\r\nc,d\r\n"};
    for (int e = 0; e < 2; e++)
        for (size_t extra = 0; extra < 2; extra++) {
            t = with_long_line(CAP + extra, ends[e], &n);
            p = tmpfile_with(t, n);
            got = read_steps(p, CAP, s, 8);
            unlink(p);
            free(t);
            CHECK_EQ_INT(s[1].rc, extra ? CS_EFORMAT : 1);
            CHECK(s[2].rc == 1 && !strcmp(s[2].first, "c"));
        }
    /* the default */
    cs_input *in = cs_input_open(tmpfile_str("a\n"), NULL);
    cs_records *r = cs_records_new(in, ',', NULL);
    CHECK_EQ_INT(cs_records_max_line(r), 64u << 20);
    cs_records_set_max_line(r, 100);
    CHECK_EQ_INT(cs_records_max_line(r), 100);
    cs_records_set_max_line(r, 0);
    CHECK_EQ_INT(cs_records_max_line(r), CS_LINE_MAX_DEFAULT);
    cs_records_free(r);
    cs_input_close(in);
}

/* "id,day\n" "1,\"stray\n" then good lines "c<i>,2\n" for i = 3..nlines+2 */
static char *stray(int nlines, size_t *len)
{
    char *s = malloc((size_t)nlines * 16 + 64);
    size_t o = (size_t)sprintf(s, "id,day\n1,\"stray\n");
    for (int i = 3; i < nlines + 3; i++)
        o += (size_t)sprintf(s + o, "c%d,2\n", i);
    *len = o;
    return s;
}

static void write_gz(const char *path, const char *s, size_t n)
{
    gzFile z = gzopen(path, "wb");
    gzwrite(z, s, (unsigned)n);
    gzclose(z);
}

static void test_cap_quoted(void)
{
    /* a stray quote: the quoted record runs over the cap across many lines;
     * it is dropped to the end of the line where it passed the cap, and the
     * lines after it are read */
    for (int gz = 0; gz < 2; gz++)
        for (int big = 0; big < 2; big++) {
            size_t n;
            int nlines = big ? 400000 : 2000; /* 400000: past the 1 MiB buffer */
            char *t = stray(nlines, &n);
            const char *p = tmpfile_with(t, n);
            if (gz)
                write_gz(p, t, n);
            free(t);
            struct step s[4];
            int got = read_steps(p, CAP, s, 4);
            unlink(p);
            CHECK(got == 4 && s[0].rc == 1);
            CHECK_EQ_INT(s[1].rc, CS_EFORMAT);
            CHECK_EQ_INT(s[1].err_line, 2);
            long last = s[1].raw_last;
            /* "1,\"stray\n" is 9 bytes, "c<i>,2\n" 7 to 8 bytes: the cap
             * falls in line 2 + 4087 / 7.x */
            CHECK(last > 500 && last < 700);
            char want[128];
            snprintf(want, sizeof want,
                     "a quoted record runs over 4096 bytes, over lines 2-%ld (a stray quote?)",
                     last);
            CHECK_EQ_STR(s[1].msg, want);
            CHECK(s[1].raw_line == 2 && s[1].raw_len == CAP);
            /* the next record is the line after the last one dropped */
            snprintf(want, sizeof want, "c%ld", last + 1);
            CHECK(s[2].rc == 1 && s[2].line == last + 1);
            CHECK_EQ_STR(s[2].first, want);
            CHECK(s[3].rc == 1 && s[3].line == last + 2);
        }
}

/* ---- through the loader ---- */

struct rejects {
    int n;
    long first, last;
    size_t len;
    char msg[512];
};

static void on_reject(void *ctx, const cs_error *e, const char *raw, size_t len, long first,
                      long last, int kind)
{
    struct rejects *r = ctx;
    (void)raw;
    (void)kind;
    r->n++;
    r->first = first;
    r->last = last;
    r->len = len;
    snprintf(r->msg, sizeof r->msg, "%s", e->message);
}

static int load(const char *const *paths, size_t n, size_t cap, int skip, cs_load_stats *st,
                cs_error *err, struct rejects *rj, cs_summary_stats *sum,
                void (*on_open)(void *, const cs_txn_reader *, const char *))
{
    cs_summary_options so = {.as_of = CS_DAY_NONE, .calibration_end = CS_DAY_NONE,
                             .has_amount = 1};
    cs_builder *b = cs_builder_new(&so, NULL);
    cs_txn_options to = {.delimiter = ',', .max_line = cap};
    cs_load_options lo = {.skip_bad = skip, .on_reject = on_reject, .on_open = on_open,
                          .ctx = rj};
    memset(err, 0, sizeof *err);
    int rc = cs_load_transactions(b, paths, n, &to, &lo, st, err);
    if (sum)
        *sum = *cs_builder_stats(b);
    cs_builder_free(b);
    return rc;
}

static void test_load_cap_and_lines(void)
{
    size_t n;
    /* header, 2 good lines, a stray quote, then 2000 good lines */
    char *t = malloc(2000 * 32 + 128);
    size_t o = (size_t)sprintf(t, "customer,date,amount\nA,2024-01-01,1\nB,2024-01-02,1\n"
                                  "C,\"2024-01-03,1\n");
    for (int i = 0; i < 2000; i++)
        o += (size_t)sprintf(t + o, "D%d,2024-01-04,1\n", i);
    n = o;
    const char *p = tmpfile_with(t, n);
    free(t);
    const char *paths[] = {p};
    cs_load_stats st;
    cs_error err;
    struct rejects rj = {0};
    cs_summary_stats sum;

    /* stop mode: a clear error at the record's first line */
    int rc = load(paths, 1, CAP, 0, &st, &err, &rj, NULL, NULL);
    CHECK_EQ_INT(rc, CS_EFORMAT);
    CHECK_EQ_INT(err.line, 4);
    CHECK_EQ_STR(err.file, p);
    CHECK(strstr(err.message, "runs over 4096 bytes, over lines 4-") != NULL);

    /* skip mode: one record, every line it spans counted, reading goes on */
    rc = load(paths, 1, CAP, 1, &st, &err, &rj, &sum, NULL);
    CHECK_EQ_INT(rc, CS_OK);
    CHECK_EQ_INT(st.skipped, 1);
    CHECK_EQ_INT(st.bad_format, 1);
    CHECK(rj.n == 1 && rj.first == 4 && rj.last > 200 && rj.last < 300);
    CHECK_EQ_INT(rj.len, CAP);
    CHECK_EQ_INT(st.skipped_lines, (uint64_t)(rj.last - rj.first + 1));
    /* every line not spanned is a record: 2 + the D lines after the last */
    CHECK_EQ_INT(sum.records, 2 + (2004 - rj.last));

    /* default cap: the stray quote runs to the end of the input, and all
     * its 2001 lines are lost (one record) */
    memset(&rj, 0, sizeof rj);
    rc = load(paths, 1, 0, 1, &st, &err, &rj, &sum, NULL);
    CHECK_EQ_INT(rc, CS_OK);
    CHECK_EQ_INT(st.skipped, 1);
    CHECK_EQ_INT(st.skipped_lines, 2001);
    CHECK(rj.first == 4 && rj.last == 2004);
    CHECK_EQ_STR(rj.msg, "unterminated quoted field (the input ends inside quotes, lines "
                         "4-2004 lost)");
    CHECK_EQ_INT(sum.records, 2);
    unlink(p);

    /* a bad date on one line: one line */
    p = tmpfile_str("customer,date,amount\nA,2024-13-01,1\nB,2024-01-02,1\n");
    paths[0] = p;
    rc = load(paths, 1, 0, 1, &st, &err, &rj, NULL, NULL);
    CHECK(rc == CS_OK && st.skipped == 1 && st.skipped_lines == 1 && rj.first == 2 &&
          rj.last == 2);
    unlink(p);
    /* a quoted record over 3 lines with a bad date: 3 lines */
    p = tmpfile_str("customer,date,amount\n\"A\n\nx\",2024-13-01,1\nB,2024-01-02,1\n");
    paths[0] = p;
    rc = load(paths, 1, 0, 1, &st, &err, &rj, NULL, NULL);
    CHECK(rc == CS_OK && st.skipped == 1 && st.skipped_lines == 3 && rj.first == 2 &&
          rj.last == 4);
    unlink(p);
}

/* ---- the second reading ---- */

static char a_path[64], b_path[64];
static int replace_mode; /* 0: nothing, 1: rename a new file over a, 2: append to a */

static void write_file(const char *path, const char *s)
{
    FILE *fp = fopen(path, "w");
    fputs(s, fp);
    fclose(fp);
}

/* Called when the first reading opens each input: on b, a is done. */
static void rotate(void *ctx, const cs_txn_reader *rd, const char *name)
{
    (void)ctx;
    (void)rd;
    if (strcmp(name, b_path) != 0)
        return;
    if (replace_mode == 1) {
        char tmp[80];
        snprintf(tmp, sizeof tmp, "%s.new", a_path);
        write_file(tmp, "customer,date,amount\nZ,2024-02-01,1\n");
        CHECK(rename(tmp, a_path) == 0);
    } else if (replace_mode == 2) {
        FILE *fp = fopen(a_path, "a");
        fputs("Y,2024-02-02,1\n", fp);
        fclose(fp);
    }
}

static void test_reread_replaced(void)
{
    /* customer A is out of date order in a: a second reading is needed */
    const char *a_text = "customer,date,amount\nA,2024-01-05,1\nA,2024-01-01,2\nB,2024-01-02,1\n";
    for (int mode = 0; mode < 3; mode++) {
        snprintf(a_path, sizeof a_path, "%s", tmpfile_str(a_text));
        snprintf(b_path, sizeof b_path, "%s", tmpfile_str("customer,date,amount\nC,2024-01-03,1\n"));
        replace_mode = mode;
        const char *paths[] = {a_path, b_path};
        cs_load_stats st;
        cs_error err;
        struct rejects rj = {0};
        cs_summary_stats sum;
        int rc = load(paths, 2, 0, 0, &st, &err, &rj, &sum, rotate);
        if (mode == 0) {
            CHECK_EQ_INT(rc, CS_OK);
            CHECK_EQ_INT(st.read_twice, 1);
            CHECK_EQ_INT(sum.records, 4);
        } else {
            /* replaced by rename, or written to: the second reading refuses */
            CHECK_EQ_INT(rc, CS_EIO);
            CHECK_EQ_STR(err.file, a_path);
            CHECK(strstr(err.message, "changed while it was being read") != NULL);
        }
        unlink(a_path);
        unlink(b_path);
    }
    /* stamps: a file has one, and it changes with the file */
    const char *p = tmpfile_str("x\n");
    cs_input *in = cs_input_open(p, NULL);
    cs_input_stamp s1, s2;
    CHECK_EQ_INT(cs_input_stamp_get(in, &s1), 1);
    CHECK(s1.ino != 0 && s1.size == 2);
    cs_input_close(in);
    FILE *fp = fopen(p, "a");
    fputs("y\n", fp);
    fclose(fp);
    in = cs_input_open(p, NULL);
    CHECK_EQ_INT(cs_input_stamp_get(in, &s2), 1);
    CHECK(s2.ino == s1.ino && s2.size == 4);
    cs_input_close(in);
    unlink(p);
}

int main(void)
{
    test_cap_plain();
    test_cap_quoted();
    test_load_cap_and_lines();
    test_reread_replaced();
    return test_result("reader");
}
