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

/* The data of test_dates (and rows dated after the end: V's contact, X's
 * referral of Q), computed with or without the rows, with the side tables
 * read after or before the log (early: the end is not known yet). */
static int compute_dates(int no_rows, int early, cs_stages_result *r)
{
    cs_stages_options o = {.loyal_min_days = 3, .advocate_min_referrals = 1,
                           .active_within = 365.25, .no_rows = no_rows};
    cs_summary *now = log_at(D(2024, 6, 30)), *before = log_at(D(2024, 1, 15));
    cs_stages *st = cs_stages_new(&o, NULL);
    int rc = early ? CS_OK : cs_stages_set_log(st, now, before, D(2024, 1, 15), NULL);
    if (rc == CS_OK)
        rc = read_side(st, CS_SIDE_REFERRALS,
                       "referrer_id,referred_id,date\nX,Y,\nY,Z,\nY,Y,\nX,Q,2024-08-01\nX,Y,\n",
                       NULL);
    if (rc == CS_OK)
        rc = read_side(st, CS_SIDE_CONTACTS,
                       "customer_id,date\nW,2024-03-01\nV,2024-07-05\nW,2023-12-01\n", NULL);
    if (rc == CS_OK && early)
        rc = cs_stages_set_log(st, now, before, D(2024, 1, 15), NULL);
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
    CHECK(compute_dates(0, 0, &a) == CS_OK && compute_dates(1, 0, &b) == CS_OK);
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

/* Side tables read before the log (on another thread while the log loads,
 * say) give what they give after it: the rows dated after the end are
 * left out when the end is known. */
static void test_read_before_log(void)
{
    cs_stages_result a, b;
    CHECK(compute_dates(0, 0, &a) == CS_OK && compute_dates(0, 1, &b) == CS_OK);
    CHECK(a.n == 4 && b.n == 4);
    for (size_t i = 0; i < a.n && i < b.n; i++)
        CHECK(a.rows[i].stage == b.rows[i].stage &&
              a.rows[i].stage_before == b.rows[i].stage_before &&
              a.rows[i].referrals == b.rows[i].referrals && a.rows[i].in_log == b.rows[i].in_log);
    for (int k = 0; k < CS_SIDE_NKINDS; k++)
        CHECK(!memcmp(&a.side[k], &b.side[k], sizeof a.side[k]));
    CHECK_EQ_INT(b.side[CS_SIDE_CONTACTS].after_as_of, 1);
    CHECK_EQ_INT(b.side[CS_SIDE_REFERRALS].after_as_of, 1);
    CHECK_EQ_INT(b.side[CS_SIDE_REFERRALS].new_ids, 1); /* Z; not Q */
    CHECK_EQ_INT(b.side[CS_SIDE_CONTACTS].new_ids, 1);  /* W; not V */
    for (int s = 0; s < CS_STAGE_COUNT; s++)
        CHECK(a.count[s] == b.count[s] && a.value[s] == b.value[s]);
    CHECK(a.up == b.up && a.down == b.down && a.stay == b.stay);
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

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Distinct strings of v[0..n), sorted (in place); returns their number. */
static size_t distinct(char **v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_str);
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (!w || strcmp(v[i], v[w - 1]))
            v[w++] = v[i];
    return w;
}

/* Tables large enough for every path of the join: short ids, long ids
 * sharing their first 8 and 16 bytes (radix passes 8 bytes at a time,
 * ids that start others), 80,000 copies of one id (more than a merge sort
 * takes); against a sort and count of the same rows here. */
static void test_many_ids(void)
{
    enum { NP = 200000, NC = 90000 };
    static char pid[NP][24], cid[NC][24], cday[NC][11];
    char **all = malloc((NP + NC + 2) * sizeof *all), **tmp = malloc(NC * sizeof *tmp);
    uint64_t x = 12345;
    for (int i = 0; i < NP; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        unsigned r = (unsigned)(x >> 33) % 40000;
        switch (i % 5) {
        case 0: snprintf(pid[i], sizeof pid[i], "P%07u", r); break;          /* 8 bytes */
        case 1: snprintf(pid[i], sizeof pid[i], "customer-%07u", r); break;  /* 16 */
        case 2: snprintf(pid[i], sizeof pid[i], "customer-%07u-x", r); break;
        default: snprintf(pid[i], sizeof pid[i], "customer-0000001"); break; /* 80,000 copies */
        }
    }
    for (int i = 0; i < NC; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        unsigned r = (unsigned)(x >> 33) % 30000;
        snprintf(cid[i], sizeof cid[i], i % 2 ? "customer-%07u" : "s%u", r);
        snprintf(cday[i], sizeof cday[i], "2024-0%u-01", 1 + (unsigned)(x >> 20) % 3);
    }
    size_t cap = (size_t)(NP + NC) * 48 + 64, len = 0;
    char *pt = malloc(cap), *ct = malloc(cap);
    len = (size_t)snprintf(pt, cap, "customer_id\n");
    for (int i = 0; i < NP; i++)
        len += (size_t)snprintf(pt + len, cap - len, "%s\n", pid[i]);
    len = (size_t)snprintf(ct, cap, "customer_id,date\n");
    for (int i = 0; i < NC; i++)
        len += (size_t)snprintf(ct + len, cap - len, "%s,%s\n", cid[i], cday[i]);
    cs_stages_options o = {.loyal_min_days = 3, .advocate_min_referrals = 1,
                           .active_within = 365.25};
    cs_summary *now = log_at(CS_DAY_NONE);
    cs_stages *st = cs_stages_new(&o, NULL);
    CHECK(now && st && cs_stages_set_log(st, now, NULL, CS_DAY_NONE, NULL) == CS_OK);
    CHECK(read_side(st, CS_SIDE_PROSPECTS, pt, NULL) == CS_OK);
    CHECK(read_side(st, CS_SIDE_CONTACTS, ct, NULL) == CS_OK);
    cs_stages_result r;
    CHECK(cs_stages_compute(st, &r, NULL) == CS_OK);
    /* the customers: the log's X and Y and every distinct side id, sorted */
    size_t n = 0;
    for (int i = 0; i < NP; i++)
        all[n++] = pid[i];
    size_t np = distinct(all, n);
    char **pd = malloc(np * sizeof *pd);
    memcpy(pd, all, np * sizeof *pd);
    /* contacts: distinct (id, day) pairs */
    char (*pair)[40] = malloc((size_t)NC * sizeof *pair);
    for (int i = 0; i < NC; i++) {
        snprintf(pair[i], sizeof pair[i], "%.23s %.10s", cid[i], cday[i]);
        tmp[i] = pair[i];
    }
    size_t npairs = distinct(tmp, NC);
    for (int i = 0; i < NC; i++)
        tmp[i] = cid[i];
    size_t nc = distinct(tmp, NC);
    size_t potential = nc, n_all = np;
    for (size_t i = 0; i < nc; i++)
        all[n_all++] = tmp[i];
    all[n_all++] = "X";
    all[n_all++] = "Y";
    n_all = distinct(all, n_all);
    CHECK_EQ_INT(r.n, n_all);
    size_t wrong = 0;
    for (size_t i = 0; i < r.n && i < n_all; i++)
        wrong += !(r.rows[i].id_len == strlen(all[i]) &&
                   !memcmp(r.rows[i].id, all[i], r.rows[i].id_len));
    CHECK_EQ_INT(wrong, 0);
    CHECK_EQ_INT(r.side[CS_SIDE_PROSPECTS].duplicates, NP - np);
    CHECK_EQ_INT(r.side[CS_SIDE_PROSPECTS].new_ids, np);
    CHECK_EQ_INT(r.side[CS_SIDE_CONTACTS].duplicates, NC - npairs);
    CHECK_EQ_INT(r.count[CS_STAGE_POTENTIAL], potential);
    CHECK_EQ_INT(r.count[CS_STAGE_PROSPECT], n_all - 2 - potential);
    /* contact ids not among the prospects are new to the contacts */
    size_t fresh = 0;
    for (size_t i = 0; i < nc; i++)
        fresh += bsearch(&tmp[i], pd, np, sizeof *pd, cmp_str) == NULL;
    CHECK(fresh > 1000);
    CHECK_EQ_INT(r.side[CS_SIDE_CONTACTS].new_ids, fresh);
    cs_stages_result_free(&r);
    cs_stages_free(st);
    cs_summary_free(now);
    free(pt), free(ct), free(all), free(tmp), free(pair), free(pd);
}

/* A summary table keeps its file's order: rows not sorted by id, and a
 * customer named twice (its last row counts), are joined as sorted ones. */
static void test_unsorted_summary(void)
{
    const char *text =
        "customer_id,first_purchase,last_purchase,transactions,purchase_days,frequency,"
        "t_x_days,T_days,days_since_last,total_value,monetary_value\n"
        "Y,2024-01-01,2024-03-01,3,3,2,60,182,122,15,5\n"
        "X,2024-01-01,2024-01-01,1,1,0,0,182,182,5,0\n"
        "W,2024-02-01,2024-02-01,1,1,0,0,151,151,7,0\n"
        "X,2024-01-01,2024-02-01,2,2,1,31,182,151,9,4\n";
    cs_input *in = cs_input_open(tmpfile_str(text), NULL);
    cs_summary *now = in ? cs_summary_read(in, NULL) : NULL;
    cs_input_close(in);
    CHECK(now != NULL);
    if (!now)
        return;
    cs_stages_options o = {.loyal_min_days = 3, .advocate_min_referrals = 1,
                           .active_within = 365.25};
    cs_stages *st = cs_stages_new(&o, NULL);
    CHECK(read_side(st, CS_SIDE_CONTACTS, "customer_id\nX\nV\nW\n", NULL) == CS_OK);
    CHECK(cs_stages_set_log(st, now, NULL, CS_DAY_NONE, NULL) == CS_OK);
    cs_stages_result r;
    CHECK(cs_stages_compute(st, &r, NULL) == CS_OK);
    const char *want[] = {"V", "W", "X", "Y"};
    CHECK_EQ_INT(r.n, 4);
    for (size_t i = 0; i < r.n && i < 4; i++)
        CHECK(r.rows[i].id_len == 1 && r.rows[i].id[0] == want[i][0]);
    CHECK_EQ_INT(r.side[CS_SIDE_CONTACTS].new_ids, 1); /* V */
    const cs_stage_row *x = find(&r, "X");
    CHECK(x && x->in_log && x->purchase_days == 2); /* the last of X's rows */
    CHECK_EQ_INT(r.count[CS_STAGE_LOYAL], 1);       /* Y */
    CHECK_EQ_INT(r.count[CS_STAGE_PURCHASER], 2);   /* W and X, not twice */
    CHECK_EQ_INT(r.count[CS_STAGE_POTENTIAL], 1);   /* V */
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
    test_read_before_log();
    test_side_order();
    test_many_ids();
    test_unsorted_summary();
    test_refusals();
    return test_result("stages");
}
