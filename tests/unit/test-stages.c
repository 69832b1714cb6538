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
    test_side_order();
    test_refusals();
    return test_result("stages");
}
