/* The loader's consent rules (issue #11): kinds of bad record, skipping by
 * kind, the reject budget, filters, numeric ids and their twins, and
 * cancellations netted against an earlier purchase day. */
#include "custseg.h"
#include "helpers.h"
#include "test.h"

#include <stdio.h>

struct seen {
    int n;
    int kinds[16];
    long lines[16];
};

static void on_reject(void *ctx, const cs_error *e, const char *raw, size_t len, long first,
                      long last, int kind)
{
    struct seen *s = ctx;
    (void)e, (void)raw, (void)len, (void)last;
    if (s->n < 16) {
        s->kinds[s->n] = kind;
        s->lines[s->n] = first;
    }
    s->n++;
}

/* Loads text; returns the loader's code. b: NULL, or receives the builder
 * (the caller frees it). */
static int load(const char *text, cs_txn_options *to, cs_load_options *lo, cs_load_stats *st,
                cs_error *err, int returns, cs_builder **bout)
{
    const char *p = tmpfile_str(text);
    const char *paths[] = {p};
    cs_summary_options so = {.as_of = CS_DAY_NONE, .calibration_end = CS_DAY_NONE,
                             .has_amount = 1, .returns = returns};
    cs_builder *b = cs_builder_new(&so, NULL);
    memset(err, 0, sizeof *err);
    int rc = cs_load_transactions(b, paths, 1, to, lo, st, err);
    unlink(p);
    if (bout)
        *bout = b;
    else
        cs_builder_free(b);
    return rc;
}

static void test_kind_names(void)
{
    for (int k = 0; k < CS_REJECT_NKINDS; k++) {
        const char *n = cs_reject_kind_name(k);
        CHECK(n != NULL);
        CHECK_EQ_INT(cs_reject_kind_from_name(n, strlen(n)), k);
    }
    CHECK(cs_reject_kind_name(CS_REJECT_NKINDS) == NULL);
    CHECK(cs_reject_kind_name(-1) == NULL);
    CHECK_EQ_INT(cs_reject_kind_from_name("bad-dates", 9), -1);
    CHECK_EQ_INT(cs_reject_kind_from_name("bad-date,x", 8), CS_REJECT_BAD_DATE);
}

static void test_id_numeric(void)
{
    const struct {
        const char *in;
        int ok;
        const char *out;
    } c[] = {{"17850", 1, "17850"}, {"17850.0", 1, "17850"}, {"017850.00", 1, "17850"},
             {"0", 1, "0"},         {"000", 1, "0"},         {"0.0", 1, "0"},
             {"17850.", 0, ""},     {"17850.5", 0, ""},      {"17850.01", 0, ""},
             {"A7", 0, ""},         {"-5", 0, ""},           {"", 0, ""},
             {".0", 0, ""},         {"1e3", 0, ""},          {" 7", 0, ""}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        size_t st = 99, len = 99;
        int ok = cs_id_numeric(c[i].in, strlen(c[i].in), &st, &len);
        CHECK_EQ_INT(ok, c[i].ok);
        if (ok && c[i].ok) {
            char got[32];
            snprintf(got, sizeof got, "%.*s", (int)len, c[i].in + st);
            CHECK_EQ_STR(got, c[i].out);
        }
    }
}

static const char mixed[] = "customer,date,amount\n"
                            "A,2024-01-01,1\n"
                            ",2024-01-02,1\n"        /* 3: missing-id */
                            "B,2024-13-02,1\n"       /* 4: bad-date */
                            "C,2024-01-03,x\n"       /* 5: bad-amount */
                            "D,2024-01-04\n"         /* 6: ragged */
                            "E,\"2024-01-05\"x,1\n"  /* 7: bad-quote */
                            "F,2024-01-06,1\n";

static void test_kinds_and_skip(void)
{
    cs_txn_options to = {.delimiter = ','};
    struct seen s = {0};
    cs_load_options lo = {.skip_bad = 1, .on_reject = on_reject, .ctx = &s};
    cs_load_stats st;
    cs_error err;
    CHECK_EQ_INT(load(mixed, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_OK);
    CHECK_EQ_INT(s.n, 5);
    const int want[] = {CS_REJECT_MISSING_ID, CS_REJECT_BAD_DATE, CS_REJECT_BAD_AMOUNT,
                        CS_REJECT_RAGGED, CS_REJECT_BAD_QUOTE};
    for (int i = 0; i < 5; i++) {
        CHECK_EQ_INT(s.kinds[i], want[i]);
        CHECK_EQ_INT(s.lines[i], i + 3);
        CHECK_EQ_INT(st.kind_records[want[i]], 1);
        CHECK_EQ_INT(st.kind_lines[want[i]], 1);
        CHECK_EQ_INT(st.kind_first[want[i]].line, i + 3);
    }
    CHECK_EQ_INT(st.records_read, 7);
    CHECK_EQ_INT(st.lines_read, 7);
    CHECK_EQ_INT(st.skipped, 5);
    /* only missing ids and bad dates skipped: the bad amount stops it */
    lo.skip_kinds = 1u << CS_REJECT_MISSING_ID | 1u << CS_REJECT_BAD_DATE;
    s.n = 0;
    CHECK_EQ_INT(load(mixed, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_EAMOUNT);
    CHECK_EQ_INT(err.line, 5);
    CHECK_EQ_INT(s.n, 2);
}

static void test_budget(void)
{
    cs_txn_options to = {.delimiter = ','};
    cs_reject_budget bg;
    for (int k = 0; k < CS_REJECT_NKINDS; k++)
        bg.max_lines[k] = -1, bg.max_rate[k] = -1, bg.rate_min_lines[k] = 0;
    bg.max_rate[CS_REJECT_BAD_DATE] = 0.2; /* 1 of 7 lines: within */
    cs_load_options lo = {.skip_bad = 1, .budget = &bg};
    cs_load_stats st;
    cs_error err;
    CHECK_EQ_INT(load(mixed, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_OK);
    bg.max_rate[CS_REJECT_BAD_DATE] = 0.1; /* 1/7 > 0.1 */
    CHECK_EQ_INT(load(mixed, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_EDATE);
    CHECK_EQ_INT(err.line, 4);
    CHECK_EQ_STR(err.setting, "max_reject_rate");
    CHECK(strstr(err.message, "1 bad-date record skipped, 14.3 % of the 7 lines read") != NULL);
    /* a floor: the rate only counts past rate_min_lines */
    bg.rate_min_lines[CS_REJECT_BAD_DATE] = 1;
    CHECK_EQ_INT(load(mixed, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_OK);
    /* a count limit */
    bg.max_lines[CS_REJECT_RAGGED] = 0;
    CHECK_EQ_INT(load(mixed, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_EFORMAT);
    CHECK_EQ_INT(err.line, 6);
    CHECK_EQ_STR(err.setting, "max_rejects");
    /* without skipping, no budget: the first bad record stops the load */
    lo.skip_bad = 0;
    CHECK_EQ_INT(load(mixed, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_EID);
    /* lines lost count: a stray quote swallowing 20 lines is 20 */
    char big[2048];
    size_t o = (size_t)snprintf(big, sizeof big, "customer,date,amount\nA,2024-01-01,1\n"
                                                 "B,\"2024-01-02,1\n");
    for (int i = 0; i < 19; i++)
        o += (size_t)snprintf(big + o, sizeof big - o, "C%d,2024-01-03,1\n", i);
    for (int k = 0; k < CS_REJECT_NKINDS; k++)
        bg.max_lines[k] = -1, bg.max_rate[k] = -1;
    bg.max_lines[CS_REJECT_BAD_QUOTE] = 19;
    lo.skip_bad = 1;
    CHECK_EQ_INT(load(big, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_EFORMAT);
    CHECK_EQ_INT(st.kind_lines[CS_REJECT_BAD_QUOTE], 20);
    bg.max_lines[CS_REJECT_BAD_QUOTE] = 20;
    CHECK_EQ_INT(load(big, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_OK);
}

static void test_filters(void)
{
    const char *text = "code,customer,date,amount\n"
                       "X,A,2024-01-01,10\n"
                       "POST,A,2024-01-01,3.5\n"
                       "BANK CHARGES,,2024-01-02,1\n" /* filtered before the id check */
                       "X,B,2024-01-02,4\n"
                       "DOT,B,bad,2\n"; /* filtered before the date */
    cs_txn_filter f[] = {{.column = "code", .values = "POST,DOT,BANK CHARGES"}};
    cs_txn_options to = {.delimiter = ',', .filters = f, .nfilters = 1};
    cs_load_options lo = {0};
    cs_load_stats st;
    cs_error err;
    CHECK_EQ_INT(load(text, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_OK);
    CHECK_EQ_INT(st.filtered, 3);
    CHECK_EQ_INT(st.filtered_value, 6500000);
    CHECK_EQ_INT(st.records_read, 5);
    /* include by number: only X */
    cs_txn_filter g[] = {{.column = "1", .values = "X", .include = 1}};
    to.filters = g;
    CHECK_EQ_INT(load(text, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_OK);
    CHECK_EQ_INT(st.filtered, 3);
    /* an unknown column */
    cs_txn_filter h[] = {{.column = "Code2", .values = "X"}};
    to.filters = h;
    CHECK_EQ_INT(load(text, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_ECOLUMN);
    CHECK_EQ_STR(err.setting, "exclude");
}

static void test_ids(void)
{
    const char *text = "customer,date,amount\n"
                       "17733,2024-01-01,1\n"
                       "17733.0,2024-01-02,1\n"
                       "0042,2024-01-02,1\n"
                       "42,2024-01-03,1\n"
                       "0099,2024-01-03,1\n" /* no plain twin */
                       "7,2024-01-04,1\n";
    cs_txn_options to = {.delimiter = ','};
    cs_load_options lo = {0};
    cs_load_stats st;
    cs_error err;
    cs_builder *b;
    CHECK_EQ_INT(load(text, &to, &lo, &st, &err, CS_RETURNS_NET, &b), CS_OK);
    char ex[96];
    CHECK_EQ_INT(cs_builder_id_twins(b, ex, sizeof ex), 2);
    CHECK_EQ_STR(ex, "0042 and 42");
    cs_builder_free(b);
    to.id_mode = CS_ID_NUMERIC;
    CHECK_EQ_INT(load(text, &to, &lo, &st, &err, CS_RETURNS_NET, &b), CS_OK);
    CHECK_EQ_INT(cs_builder_id_twins(b, ex, sizeof ex), 0);
    CHECK_EQ_INT(cs_builder_stats(b)->customers_seen, 4);
    cs_builder_free(b);
    CHECK_EQ_INT(load("customer,date,amount\n7,2024-01-01,1\nA7,2024-01-01,1\n", &to, &lo, &st,
                      &err, CS_RETURNS_NET, NULL),
                 CS_EID);
    CHECK_EQ_INT(err.line, 3);
    CHECK_EQ_STR(err.setting, "id_normalize");
}

static void test_net_customer(void)
{
    /* A: +100, +50, then -30 alone on a later day; B: -5 with nothing
     * earlier; C: +40, -40 the next day, +10 */
    const char *text = "customer,date,amount\n"
                       "A,2024-01-01,100\nA,2024-01-10,50\nA,2024-01-20,-30\n"
                       "B,2024-01-02,-5\n"
                       "C,2024-01-03,40\nC,2024-01-04,-40\nC,2024-01-25,10\n";
    cs_txn_options to = {.delimiter = ','};
    cs_load_options lo = {0};
    cs_load_stats st;
    cs_error err;
    for (int pass = 0; pass < 2; pass++) {
        cs_builder *b;
        int ret = pass ? CS_RETURNS_NET_CUSTOMER : CS_RETURNS_NET;
        CHECK_EQ_INT(load(text, &to, &lo, &st, &err, ret, &b), CS_OK);
        cs_summary *s = cs_builder_finish(b, &err);
        CHECK(s != NULL);
        if (!s)
            continue;
        CHECK_EQ_INT(s->n, 2);
        /* A: repeat value 50 (net) or 50 - 30 (net-customer) */
        CHECK_EQ_INT(s->rows[0].repeat_value, pass ? 20000000 : 50000000);
        CHECK_EQ_INT(s->rows[0].total_value, 120000000);
        CHECK_EQ_INT(s->rows[0].purchase_days, 2);
        /* C: its first day is cancelled the next day: first-day value 0 */
        CHECK_EQ_INT(s->rows[1].repeat_value, 10000000);
        CHECK_EQ_INT(s->rows[1].purchase_days, 2);
        CHECK_EQ_INT(s->stats.cancelled_days, pass ? 1 : 3);
        CHECK_EQ_INT(s->stats.cancelled_value, pass ? -5000000 : -75000000);
        CHECK_EQ_INT(s->stats.netted_days, pass ? 2 : 0);
        CHECK_EQ_INT(s->stats.netted_value, pass ? -70000000 : 0);
        cs_summary_free(s);
    }
    /* no partial form */
    cs_builder *b;
    CHECK_EQ_INT(load(text, &to, &lo, &st, &err, CS_RETURNS_NET_CUSTOMER, &b), CS_OK);
    FILE *fp = tmpfile();
    CHECK_EQ_INT(cs_builder_write_partial(b, fp, &err), CS_EINVAL);
    fclose(fp);
    cs_builder_free(b);
}

static void test_dates_after_12th(void)
{
    const char *text = "customer,date,amount\nA,05/01/2024,1\nA,13/01/2024,1\nB,02/03/2024,1\n";
    cs_txn_options to = {.delimiter = ','};
    cs_error err;
    CHECK_EQ_INT(cs_datefmt_set_pattern(&to.datefmt, "%d/%m/%Y", &err), CS_OK);
    cs_load_options lo = {0};
    cs_load_stats st;
    CHECK_EQ_INT(load(text, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_OK);
    CHECK_EQ_INT(st.dated, 3);
    CHECK_EQ_INT(st.dated_after_12th, 1);
}

/* Appends records of one customer a day from first to last (days since
 * 1970), n a day, dated as pattern writes them ('d': d/m/Y, 'm': m/d/Y). */
static size_t put_days(char *buf, size_t o, size_t cap, cs_day first, cs_day last, int n,
                       char order)
{
    for (cs_day d = first; d <= last; d++) {
        int y, m, md;
        cs_day_to_ymd(d, &y, &m, &md);
        for (int k = 0; k < n && o < cap; k++)
            o += (size_t)snprintf(buf + o, cap - o, "C%d,%02d/%02d/%04d,1\n", (int)(d % 50),
                                  order == 'd' ? md : m, order == 'd' ? m : md, y);
    }
    return o;
}

/* The second day/month signal: early dates (day 1-12) far outside the span
 * of the late ones (day 13-31), which fit inside read the other way round. */
static void test_dates_outside_range(void)
{
    static char text[1 << 20];
    cs_day a, b, c, e;
    cs_day_from_ymd(2024, 6, 1, &a);
    cs_day_from_ymd(2024, 6, 12, &b);
    cs_day_from_ymd(2024, 6, 13, &c);
    cs_day_from_ymd(2024, 9, 30, &e);
    cs_txn_options to = {.delimiter = ','};
    cs_error err;
    CHECK_EQ_INT(cs_datefmt_set_pattern(&to.datefmt, "%d/%m/%Y", &err), CS_OK);
    cs_load_options lo = {0};
    cs_load_stats st;
    /* the right pattern: nothing outside */
    size_t o = (size_t)snprintf(text, sizeof text, "customer,date,amount\n");
    size_t head = o;
    o = put_days(text, o, sizeof text, a, e, 2, 'd');
    CHECK_EQ_INT(load(text, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_OK);
    CHECK_EQ_INT(st.dated_early_outside, 0);
    CHECK_EQ_INT(st.dates_swap_suspect, 0);
    CHECK_EQ_INT(st.dated_late_first, c);
    CHECK_EQ_INT(st.dated_late_last, e);
    /* June 1-12 exported month first: read as the 6th of January ..
     * December */
    o = put_days(text, head, sizeof text, a, b, 2, 'm');
    o = put_days(text, o, sizeof text, c, e, 2, 'd');
    CHECK_EQ_INT(load(text, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_OK);
    CHECK_EQ_INT(st.dated_after_12th, 2 * (18 + 19 + 19 + 18)); /* June 13-30 .. Sep 13-30 */
    /* more than 31 days before June 13 or after September 30: the 6th of
     * January to May, November and December, 2 records each */
    CHECK_EQ_INT(st.dated_early_outside, 14);
    CHECK_EQ_INT(st.dated_early_swap_inside, 14);
    CHECK(st.dated_early_gap >= CS_DATE_SWAP_MIN_GAP);
    CHECK_EQ_INT(st.dates_swap_suspect, 1);
    /* the same shape with one record a day: under the least number */
    o = put_days(text, head, sizeof text, a, b, 1, 'm');
    o = put_days(text, o, sizeof text, c, e, 1, 'd');
    CHECK_EQ_INT(load(text, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_OK);
    CHECK_EQ_INT(st.dated_early_swap_inside, 7);
    CHECK_EQ_INT(st.dates_swap_suspect, 0);
    /* a sparse log: a late date now and then, early dates far off in a
     * cohort's first day; the stretch without late dates is what such a
     * log has, not evidence */
    o = head;
    o += (size_t)snprintf(text + o, sizeof text - o, "X1,14/06/2024,1\nX2,20/08/2024,1\n");
    for (int k = 0; k < 20; k++)
        o += (size_t)snprintf(text + o, sizeof text - o, "Y%d,02/01/2024,1\n", k);
    CHECK_EQ_INT(load(text, &to, &lo, &st, &err, CS_RETURNS_NET, NULL), CS_OK);
    CHECK_EQ_INT(st.dated_early_outside, 20);
    CHECK_EQ_INT(st.dated_early_swap_inside, 0); /* February 1st: outside too */
    CHECK_EQ_INT(st.dates_swap_suspect, 0);
    /* no pattern (ISO dates): nothing is looked at */
    cs_txn_options iso = {.delimiter = ','};
    CHECK_EQ_INT(load("customer,date,amount\nA,2024-01-05,1\n", &iso, &lo, &st, &err,
                      CS_RETURNS_NET, NULL), CS_OK);
    CHECK_EQ_INT(st.dated, 0);
    CHECK_EQ_INT(st.dated_late_first, CS_DAY_NONE);
}

/* Customers all of whose records are after as_of are counted as customers. */
static void test_customers_after_as_of(void)
{
    const char *text = "customer,date,amount\nA,2024-01-05,1\nB,2024-03-01,1\nA,2024-03-02,1\n"
                       "C,2024-01-07,2\nB,2024-04-01,1\nD,2024-02-28,1\n";
    const char *p = tmpfile_str(text);
    const char *paths[] = {p};
    cs_summary_options so = {.as_of = CS_DAY_NONE, .calibration_end = CS_DAY_NONE,
                             .has_amount = 1};
    cs_day_from_ymd(2024, 2, 1, &so.as_of);
    for (int threads = 1; threads <= 2; threads++) {
        so.threads = threads;
        cs_builder *b = cs_builder_new(&so, NULL);
        cs_txn_options to = {.delimiter = ','};
        cs_load_stats st;
        cs_error err;
        CHECK_EQ_INT(cs_load_transactions(b, paths, 1, &to, NULL, &st, &err), CS_OK);
        CHECK_EQ_INT(cs_builder_stats(b)->after_as_of, 4);
        CHECK_EQ_INT(st.customers_after_as_of, 2); /* B and D; A has a record before */
        cs_builder_free(b);
    }
    /* no as_of: nothing is after it */
    so.as_of = CS_DAY_NONE;
    cs_builder *b = cs_builder_new(&so, NULL);
    cs_txn_options to = {.delimiter = ','};
    cs_load_stats st;
    CHECK_EQ_INT(cs_load_transactions(b, paths, 1, &to, NULL, &st, NULL), CS_OK);
    CHECK_EQ_INT(st.customers_after_as_of, 0);
    cs_builder_free(b);
    unlink(p);
}

int main(void)
{
    test_kind_names();
    test_id_numeric();
    test_kinds_and_skip();
    test_budget();
    test_filters();
    test_ids();
    test_net_customer();
    test_dates_after_12th();
    test_dates_outside_range();
    test_customers_after_as_of();
    return test_result("consent");
}
