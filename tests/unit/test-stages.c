/* Relationship stages through the library: undated side rows count at both
 * dates, successful referrals, the migration and the API's refusals;
 * answers derived by hand. */
#include "custseg.h"
#include "helpers.h"
#include "test.h"

static cs_day D(int y, int m, int d)
{
    cs_day v;
    cs_day_from_ymd(y, m, d, &v);
    return v;
}

/* X: one purchase day (2024-01-01); Y: three (Jan 1, Feb 1, Mar 1). */
static cs_summary *log_at(cs_day as_of)
{
    cs_summary_options o = {.as_of = as_of, .calibration_end = CS_DAY_NONE, .has_amount = 1};
    cs_builder *b = cs_builder_new(&o, NULL);
    CHECK(cs_builder_track_nth(b, 3, NULL) == CS_OK);
    struct {
        const char *id;
        cs_day day;
    } r[] = {{"X", D(2024, 1, 1)}, {"Y", D(2024, 1, 1)}, {"Y", D(2024, 2, 1)}, {"Y", D(2024, 3, 1)}};
    for (int i = 0; i < 4; i++) {
        cs_txn t = {r[i].id, 1, r[i].day, 5000000};
        cs_builder_add(b, &t, NULL);
    }
    return cs_builder_finish(b, NULL);
}

static int read_side(cs_stages *st, int kind, const char *text, cs_error *err)
{
    cs_input *in = cs_input_open(tmpfile_str(text), err);
    cs_side_spec spec = {.kind = kind};
    int rc = in ? cs_stages_read(st, in, &spec, err) : CS_EIO;
    cs_input_close(in);
    return rc;
}

static const cs_stage_row *find(const cs_stages_result *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->rows[i].id_len == strlen(id) && !memcmp(r->rows[i].id, id, strlen(id)))
            return &r->rows[i];
    return NULL;
}

/* The data of test_dates, computed with or without the rows. */
static int compute_dates(int no_rows, cs_stages_result *r)
{
    cs_stages_options o = {.loyal_min_days = 3, .advocate_min_referrals = 1,
                           .active_within = 365.25, .no_rows = no_rows};
    cs_summary *now = log_at(D(2024, 6, 30)), *before = log_at(D(2024, 1, 15));
    cs_stages *st = cs_stages_new(&o, NULL);
    int rc = cs_stages_set_log(st, now, before, D(2024, 1, 15), NULL);
    if (rc == CS_OK)
        rc = read_side(st, CS_SIDE_REFERRALS, "referrer_id,referred_id\nX,Y\nY,Z\nY,Y\nX,Y\n", NULL);
    if (rc == CS_OK)
        rc = read_side(st, CS_SIDE_CONTACTS, "customer_id,date\nW,2024-03-01\nW,2023-12-01\n", NULL);
    if (rc == CS_OK)
        rc = cs_stages_compute(st, r, NULL);
    cs_stages_free(st); /* (the rows borrow their ids from st: not read after) */
    cs_summary_free(now);
    cs_summary_free(before);
    return rc;
}

/* Without the rows (a report, a migration): the same counts, values,
 * funnel and migration, and no rows. */
static void test_no_rows(void)
{
    cs_stages_result a, b;
    CHECK(compute_dates(0, &a) == CS_OK && compute_dates(1, &b) == CS_OK);
    CHECK(a.rows != NULL && b.rows == NULL && a.n == b.n && a.n == 4);
    for (int s = 0; s < CS_STAGE_COUNT; s++)
        CHECK(a.count[s] == b.count[s] && a.value[s] == b.value[s] &&
              a.side_only[s] == b.side_only[s]);
    for (int f = 0; f <= CS_STAGE_COUNT; f++)
        for (int s = 0; s < CS_STAGE_COUNT; s++)
            CHECK(a.migration[f][s] == b.migration[f][s]);
    for (int s = 0; s < CS_FUNNEL_COUNT; s++)
        CHECK(a.reached[s] == b.reached[s]);
    for (int s = 0; s < CS_FUNNEL_COUNT - 1; s++)
        CHECK(a.step[s].base == b.step[s].base && a.step[s].converted == b.step[s].converted &&
              a.step[s].timed == b.step[s].timed &&
              (a.step[s].median_days == b.step[s].median_days ||
               (isnan(a.step[s].median_days) && isnan(b.step[s].median_days))));
    CHECK(a.up == b.up && a.down == b.down && a.stay == b.stay &&
          a.new_customers == b.new_customers);
    /* W's contact (Dec 1) counts at both dates: a potential buyer then and now */
    CHECK_EQ_INT(b.count[CS_STAGE_POTENTIAL], 1);
    CHECK_EQ_INT(b.migration[CS_STAGE_POTENTIAL][CS_STAGE_POTENTIAL], 1);
    cs_stages_result_free(&a);
    cs_stages_result_free(&b);
}

static void test_dates(void)
{
    cs_stages_options o = {.loyal_min_days = 3, .advocate_min_referrals = 1,
                           .active_within = 365.25};
    cs_summary *now = log_at(D(2024, 6, 30)), *before = log_at(D(2024, 1, 15));
    cs_stages *st = cs_stages_new(&o, NULL);
    CHECK(now && before && st);
    CHECK(read_side(st, CS_SIDE_CONTACTS, "customer_id\nW\n", NULL) == CS_EINVAL); /* log first */
    CHECK(cs_stages_set_log(st, now, before, D(2024, 1, 15), NULL) == CS_OK);
    CHECK(cs_stages_set_log(st, now, before, D(2024, 1, 15), NULL) == CS_EINVAL);
    /* undated: X referred Y (who bought: a success at both dates), Y
     * referred Z (who never bought), W had a contact */
    CHECK(read_side(st, CS_SIDE_REFERRALS, "referrer_id,referred_id\nX,Y\nY,Z\nY,Y\nX,Y\n", NULL) ==
          CS_OK);
    CHECK(read_side(st, CS_SIDE_CONTACTS, "customer_id\nW\nW\n", NULL) == CS_OK);
    cs_stages_result r;
    CHECK(cs_stages_compute(st, &r, NULL) == CS_OK);
    CHECK_EQ_INT(r.n, 4);
    const cs_stage_row *x = find(&r, "X"), *y = find(&r, "Y"), *z = find(&r, "Z"),
                       *w = find(&r, "W");
    CHECK(x && y && z && w);
    if (x && y && z && w) {
        CHECK_EQ_INT(x->stage, CS_STAGE_ADVOCATE); /* active, one success */
        CHECK_EQ_INT(x->stage_before, CS_STAGE_ADVOCATE);
        CHECK_EQ_INT(x->referrals, 1);
        CHECK_EQ_INT(y->stage, CS_STAGE_LOYAL);
        CHECK_EQ_INT(y->stage_before, CS_STAGE_PURCHASER); /* one day by Jan 15 */
        CHECK_EQ_INT(z->stage, CS_STAGE_PROSPECT);         /* referred */
        CHECK_EQ_INT(z->stage_before, CS_STAGE_PROSPECT);
        CHECK_EQ_INT(w->stage, CS_STAGE_POTENTIAL);
        CHECK_EQ_INT(w->stage_before, CS_STAGE_POTENTIAL);
        CHECK(z->in_log == 0 && w->in_log == 0 && x->in_log == 1);
    }
    CHECK(r.rows[0].id[0] == 'W' && r.rows[3].id[0] == 'Z'); /* sorted by id */
    CHECK(r.up == 1 && r.down == 0 && r.stay == 3 && r.new_customers == 0);
    CHECK_EQ_INT(r.migration[CS_STAGE_PURCHASER][CS_STAGE_LOYAL], 1);
    CHECK_EQ_INT(r.side[CS_SIDE_REFERRALS].self_referrals, 1);
    CHECK_EQ_INT(r.side[CS_SIDE_REFERRALS].duplicates, 1);
    CHECK_EQ_INT(r.side[CS_SIDE_REFERRALS].new_ids, 1); /* Z */
    CHECK_EQ_INT(r.side[CS_SIDE_CONTACTS].duplicates, 1);
    CHECK_EQ_INT(r.side_only[CS_STAGE_PROSPECT] + r.side_only[CS_STAGE_POTENTIAL], 2);
    /* the funnel: purchaser -> loyal is Y, 60 days from Jan 1 to Mar 1;
     * X reached advocate (dated by Y's first purchase) but not loyal */
    CHECK(r.step[CS_FUNNEL_PURCHASER].base == 2 && r.step[CS_FUNNEL_PURCHASER].converted == 1);
    CHECK(r.step[CS_FUNNEL_PURCHASER].median_days == 60);
    CHECK(r.step[CS_FUNNEL_LOYAL].base == 1 && r.step[CS_FUNNEL_LOYAL].converted == 0);
    CHECK_EQ_INT(r.reached[CS_FUNNEL_ADVOCATE], 1);
    CHECK(r.loyal_dates == 1);
    cs_stages_result_free(&r);
    cs_stages_free(st);
    cs_summary_free(now);
    cs_summary_free(before);
}

/* Customers only in side tables are sorted by a radix on their first 8
 * bytes and then by the whole id: ids sharing their first 8 bytes, an id
 * that starts another, bytes above 0x7f, and ids that come before, between
 * and after the log's X and Y. The rows must be in byte order (memcmp, a
 * shorter id before a longer one it starts). */
static void test_side_order(void)
{
    cs_stages_options o = {.loyal_min_days = 3, .advocate_min_referrals = 1,
                           .active_within = 365.25};
    cs_summary *now = log_at(CS_DAY_NONE);
    cs_stages *st = cs_stages_new(&o, NULL);
    CHECK(now && st && cs_stages_set_log(st, now, NULL, CS_DAY_NONE, NULL) == CS_OK);
    CHECK(read_side(st, CS_SIDE_PROSPECTS,
                    "customer_id\ncustomer-100\ncustomer-9\nZ\ncustomer-10\ncustomer\n"
                    "customer-1\nA\nXa\n\xc3\xa9t\xc3\xa9\ncustome\nAAAAAAAAB\nAAAAAAAAA\n"
                    "AAAAAAAA\n",
                    NULL) == CS_OK);
    cs_stages_result r;
    CHECK(cs_stages_compute(st, &r, NULL) == CS_OK);
    const char *want[] = {"A", "AAAAAAAA", "AAAAAAAAA", "AAAAAAAAB", "X", "Xa", "Y", "Z",
                          "custome", "customer", "customer-1", "customer-10", "customer-100",
                          "customer-9", "\xc3\xa9t\xc3\xa9"};
    size_t nw = sizeof want / sizeof *want;
    CHECK_EQ_INT(r.n, nw);
    for (size_t i = 0; i < r.n && i < nw; i++)
        CHECK(r.rows[i].id_len == strlen(want[i]) &&
              memcmp(r.rows[i].id, want[i], strlen(want[i])) == 0);
    cs_stages_result_free(&r);
    cs_stages_free(st);
    cs_summary_free(now);
}

static void test_refusals(void)
{
    cs_stages_options bad = {.loyal_min_days = 1, .advocate_min_referrals = 1,
                             .active_within = 365};
    cs_error err = {0};
    CHECK(cs_stages_new(&bad, &err) == NULL && err.code == CS_EINVAL);
    bad.loyal_min_days = 3;
    bad.active_within = 0;
    CHECK(cs_stages_new(&bad, NULL) == NULL);
    CHECK(cs_stage_name(CS_STAGE_COUNT) == NULL && !strcmp(cs_stage_name(0), "prospect"));
    CHECK(!strcmp(cs_funnel_stage_name(CS_FUNNEL_LOYAL), "loyal"));
    CHECK(!strcmp(cs_side_kind_name(CS_SIDE_CONTACTS), "contacts"));
    /* a bad row stops the read with its place */
    cs_stages_options o = {.loyal_min_days = 3, .advocate_min_referrals = 1,
                           .active_within = 365};
    cs_summary *now = log_at(CS_DAY_NONE);
    cs_stages *st = cs_stages_new(&o, NULL);
    CHECK(cs_stages_set_log(st, now, NULL, CS_DAY_NONE, NULL) == CS_OK);
    memset(&err, 0, sizeof err);
    CHECK(read_side(st, CS_SIDE_PROSPECTS, "customer_id,date\nA,2024-01-01\nB,2024-02-30\n",
                    &err) == CS_EDATE);
    CHECK(err.line == 3 && err.column == 2);
    memset(&err, 0, sizeof err);
    CHECK(read_side(st, CS_SIDE_REFERRALS, "referrer,who\nA,B\n", &err) == CS_ECOLUMN);
    cs_stages_free(st);
    cs_summary_free(now);
}

int main(void)
{
    test_dates();
    test_no_rows();
    test_side_order();
    test_refusals();
    return test_result("stages");
}
