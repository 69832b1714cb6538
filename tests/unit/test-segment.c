/* Segment reports worked out by hand: the RFM segment report, the pyramid
 * tier report, and the migration matrices of a pyramid between two dates. */
#include "custseg.h"
#include "helpers.h"
#include "test.h"

#include <math.h>

/* Six customers, cut points fixed by hand:
 *   recency cuts 10 20 30 40 (score 1 + cuts above), frequency 1 2 3 4,
 *   monetary 100 200 300 400 (1 + cuts below).
 *   id  rec freq  value  scores  segment
 *   c1    5    5    500  5 5 5   Active
 *   c2   15    4    100  4 4 1   Active
 *   c3   50    1     50  1 1 1   Lapsed
 *   c4   35    2    250  2 2 3   Others (no rule takes r = 2)
 *   c5    8    1     30  5 1 1   Active
 *   c6   45    3    120  1 3 2   Lapsed
 * Rules: Active r [4, 5]; Never f [5, 5] m [1, 2] (nobody); Lapsed r [1, 1].
 * Revenue: Active 630, Lapsed 170, Others 250, total 1050: sorted Active,
 * Others, Lapsed; Never has no customers and no row.
 * Active: recency 5 15 8 (mean 28/3, median 8), frequency 5 4 1 (10/3, 4),
 *         monetary 500 100 30 (210, 100)
 * Others: c4 alone. Lapsed: recency 50 45 (47.5, 47.5), frequency 1 3
 *         (2, 2), monetary 50 120 (85, 85). */
static void rfm_fixture(cs_rfm_data *d, cs_rfm_breaks *b, cs_rfm_rules *r, cs_rfm_rule *rule)
{
    static char ids[] = "c1c2c3c4c5c6";
    static size_t off[6] = {0, 2, 4, 6, 8, 10};
    static uint32_t len[6] = {2, 2, 2, 2, 2, 2};
    static double rec[6] = {5, 15, 50, 35, 8, 45}, freq[6] = {5, 4, 1, 2, 1, 3},
                  val[6] = {500, 100, 50, 250, 30, 120};
    *d = (cs_rfm_data){.n = 6, .ids = {.n = 6, .bytes = ids, .off = off, .len = len},
                       .v = {rec, freq, val}, .total = val};
    static const double fixed[3][CS_RFM_MAX_BINS] = {
        {10, 20, 30, 40}, {1, 2, 3, 4}, {100, 200, 300, 400}};
    static const int nfixed[3] = {4, 4, 4};
    CHECK_EQ_INT(cs_rfm_breaks_compute(b, d, 5, fixed, nfixed, NULL), CS_OK);
    rule[0] = (cs_rfm_rule){"Active", {4, 1, 1}, {5, 5, 5}, 0};
    rule[1] = (cs_rfm_rule){"Never", {1, 5, 1}, {5, 5, 2}, 1};
    rule[2] = (cs_rfm_rule){"Lapsed", {1, 1, 1}, {1, 5, 5}, 0};
    *r = (cs_rfm_rules){.n = 3, .rule = rule};
}

static void test_rfm_scores(void)
{
    cs_rfm_data d;
    cs_rfm_breaks b;
    cs_rfm_rules r;
    cs_rfm_rule rule[3];
    rfm_fixture(&d, &b, &r, rule);
    static const char *const cell[6] = {"555", "441", "111", "223", "511", "132"};
    static const char *const seg[6] = {"Active", "Active", "Lapsed", "Others", "Active",
                                       "Lapsed"};
    static const int sum[6] = {15, 9, 3, 7, 7, 6};
    for (size_t i = 0; i < 6; i++) {
        cs_rfm_scored s;
        cs_rfm_score_customer(&b, &r, &d, i, &s);
        CHECK_EQ_STR(s.cell, cell[i]);
        CHECK_EQ_STR(s.segment, seg[i]);
        CHECK_EQ_INT(s.sum, sum[i]);
    }
    CHECK_EQ_INT(cs_rfm_segment_index(&r, (int[3]){2, 2, 3}), 3);
    CHECK_EQ_INT(cs_rfm_segment_index(&r, (int[3]){5, 5, 1}), 0); /* first rule wins */
    CHECK_EQ_INT(cs_rfm_segment_index(&r, (int[3]){3, 5, 1}), 1);
}

static void test_rfm_report(void)
{
    cs_rfm_data d;
    cs_rfm_breaks b;
    cs_rfm_rules r;
    cs_rfm_rule rule[3];
    rfm_fixture(&d, &b, &r, rule);
    cs_rfm_report rep;
    CHECK_EQ_INT(cs_rfm_report_compute(&rep, &d, &b, &r, NULL), CS_OK);
    CHECK_EQ_INT(rep.n, 3);
    if (rep.n != 3)
        return;
    const cs_rfm_report_row *a = &rep.row[0], *o = &rep.row[1], *l = &rep.row[2];
    CHECK_EQ_STR(a->segment, "Active");
    CHECK_EQ_STR(o->segment, "Others");
    CHECK_EQ_STR(l->segment, "Lapsed");
    CHECK_EQ_INT(a->customers, 3);
    CHECK_EQ_INT(o->customers, 1);
    CHECK_EQ_INT(l->customers, 2);
    CHECK_NEAR(a->customer_share, 0.5, 1e-15);
    CHECK_NEAR(l->customer_share, 1.0 / 3, 1e-15);
    CHECK_NEAR(a->revenue, 630, 0);
    CHECK_NEAR(o->revenue, 250, 0);
    CHECK_NEAR(l->revenue, 170, 0);
    CHECK_NEAR(a->revenue_share, 0.6, 1e-15);
    CHECK_NEAR(o->revenue_share, 250.0 / 1050, 1e-15);
    CHECK_NEAR(a->mean[CS_RFM_R], 28.0 / 3, 1e-12);
    CHECK_NEAR(a->median[CS_RFM_R], 8, 0);
    CHECK_NEAR(a->mean[CS_RFM_F], 10.0 / 3, 1e-12);
    CHECK_NEAR(a->median[CS_RFM_F], 4, 0);
    CHECK_NEAR(a->mean[CS_RFM_M], 210, 1e-12);
    CHECK_NEAR(a->median[CS_RFM_M], 100, 0);
    CHECK_NEAR(o->mean[CS_RFM_R], 35, 0);
    CHECK_NEAR(o->median[CS_RFM_M], 250, 0);
    CHECK_NEAR(l->mean[CS_RFM_R], 47.5, 0);
    CHECK_NEAR(l->median[CS_RFM_R], 47.5, 0);
    CHECK_NEAR(l->mean[CS_RFM_F], 2, 0);
    CHECK_NEAR(l->median[CS_RFM_M], 85, 0);
    cs_rfm_report_free(&rep);
    CHECK(rep.row == NULL && rep.n == 0);
    /* the customers' values are left as they were */
    CHECK_NEAR(d.v[CS_RFM_R][0], 5, 0);
    CHECK_NEAR(d.v[CS_RFM_M][5], 120, 0);
}

/* Cut points computed from the data, and fixed ones kept: frequency
 * 5 4 1 2 1 3 in 3 bins: sorted 1 1 2 3 4 5, h = 5/3: 1 + 2/3 (2 - 1);
 * h = 10/3: 3 + 1/3 (4 - 3). */
static void test_rfm_breaks(void)
{
    cs_rfm_data d;
    cs_rfm_breaks b;
    cs_rfm_rules r;
    cs_rfm_rule rule[3];
    rfm_fixture(&d, &b, &r, rule);
    static const double fixed[3][CS_RFM_MAX_BINS] = {{30}, {0}, {0}};
    const int nfixed[3] = {1, -1, -1};
    CHECK_EQ_INT(cs_rfm_breaks_compute(&b, &d, 3, fixed, nfixed, NULL), CS_OK);
    CHECK_EQ_INT(b.bins, 3);
    CHECK_EQ_INT(b.ncut[CS_RFM_R], 1);
    CHECK_NEAR(b.cut[CS_RFM_R][0], 30, 0);
    CHECK_EQ_INT(b.ncut[CS_RFM_F], 2);
    CHECK_NEAR(b.cut[CS_RFM_F][0], 5.0 / 3, 1e-12);
    CHECK_NEAR(b.cut[CS_RFM_F][1], 10.0 / 3, 1e-12);
    CHECK_NEAR(d.v[CS_RFM_F][0], 5, 0); /* d unchanged */
    CHECK_EQ_INT(cs_rfm_breaks_compute(&b, &d, 11, NULL, NULL, NULL), CS_EINVAL);
    CHECK_EQ_INT(cs_rfm_data_check(&d, NULL), CS_OK);
    double zero[6] = {0};
    d.v[CS_RFM_M] = zero;
    CHECK_EQ_INT(cs_rfm_data_check(&d, NULL), CS_EEMPTY);
}

/* Cut points from a histogram of distinct values (cs_rfm_hist), the global
 * step over partitions: the customers split in 3 tables of other sizes and
 * orders give, for every number of bins, the cut points of
 * cs_rfm_breaks_compute on all of them, bit for bit, for whole recency and
 * frequency with many ties and a monetary mean with fractions. Also by hand:
 * values 1 1 2 3 5 8 in two tables, 3 bins: type-7 quantiles at 1/3 and 2/3
 * are positions 5/3 and 10/3: 1 + 2/3 * (2 - 1) and 3 + 1/3 * (5 - 3). */
static void test_rfm_hist(void)
{
    enum { N = 997 };
    static double rec[N], freq[N], mon[N], tot[N];
    unsigned long s = 12345;
    for (int i = 0; i < N; i++) {
        s = s * 6364136223846793005UL + 1442695040888963407UL;
        rec[i] = (double)((s >> 33) % 400);
        freq[i] = 1 + (double)((s >> 20) % 7 == 0 ? (s >> 40) % 30 : (s >> 40) % 3);
        tot[i] = (double)((s >> 12) % 50000) / 100;
        mon[i] = tot[i] / freq[i];
    }
    cs_rfm_data all = {.n = N, .v = {rec, freq, mon}, .total = tot, .monetary = CS_RFM_MEAN,
                       .as_of = 100};
    for (int bins = 2; bins <= CS_RFM_MAX_BINS; bins++) {
        cs_rfm_breaks want, got;
        CHECK_EQ_INT(cs_rfm_breaks_compute(&want, &all, bins, NULL, NULL, NULL), CS_OK);
        cs_rfm_hist *h = cs_rfm_hist_new(NULL);
        /* 3 tables: 0..99 (from the end), 100..599, 600..N-1 */
        static double pr[N], pf[N], pm[N];
        const int from[4] = {0, 100, 600, N};
        for (int t = 0; t < 3; t++) {
            int n = from[t + 1] - from[t];
            for (int i = 0; i < n; i++) {
                int j = t == 0 ? from[1] - 1 - i : from[t] + i;
                pr[i] = rec[j], pf[i] = freq[j], pm[i] = mon[j];
            }
            cs_rfm_data part = {.n = (size_t)n, .v = {pr, pf, pm}, .total = pm,
                                .monetary = CS_RFM_MEAN, .as_of = 100};
            CHECK_EQ_INT(cs_rfm_hist_add(h, &part, NULL), CS_OK);
        }
        CHECK_EQ_INT(cs_rfm_hist_breaks(h, &got, bins, NULL, NULL, NULL), CS_OK);
        CHECK(got.bins == bins && got.monetary == CS_RFM_MEAN && got.as_of == 100 &&
              !got.rf_only);
        for (int v = 0; v < 3; v++) {
            CHECK_EQ_INT(got.ncut[v], want.ncut[v]);
            CHECK(!memcmp(got.cut[v], want.cut[v], sizeof got.cut[v]));
        }
        CHECK(cs_rfm_hist_values(h, CS_RFM_R) <= 400 && cs_rfm_hist_values(h, CS_RFM_F) <= 30);
        cs_rfm_hist_free(h);
    }
    /* by hand */
    double a[3] = {8, 1, 3}, b2[3] = {2, 1, 5}, z[3] = {0, 0, 0};
    cs_rfm_data da = {.n = 3, .v = {a, a, z}, .rf_only = 1, .as_of = CS_DAY_NONE};
    cs_rfm_data db = {.n = 3, .v = {b2, b2, z}, .rf_only = 1, .as_of = CS_DAY_NONE};
    cs_rfm_hist *h = cs_rfm_hist_new(NULL);
    CHECK_EQ_INT(cs_rfm_hist_add(h, &da, NULL), CS_OK);
    CHECK_EQ_INT(cs_rfm_hist_add(h, &db, NULL), CS_OK);
    cs_rfm_breaks br;
    CHECK_EQ_INT(cs_rfm_hist_breaks(h, &br, 3, NULL, NULL, NULL), CS_OK);
    CHECK_EQ_INT(br.ncut[CS_RFM_F], 2);
    CHECK_NEAR(br.cut[CS_RFM_F][0], 1 + 2.0 / 3, 1e-15);
    CHECK_NEAR(br.cut[CS_RFM_F][1], 3 + 2.0 / 3, 1e-15);
    /* recency, cut negated: -8 -5 -3 -2 -1 -1 at 5/3 and 10/3: -5 + 2/3 * 2 and
     * -2 + 1/3 * 1, back in increasing order: 1 + 2/3 and 3 + 2/3 */
    CHECK_EQ_INT(br.ncut[CS_RFM_R], 2);
    CHECK_NEAR(br.cut[CS_RFM_R][0], 1 + 2.0 / 3, 1e-15);
    CHECK_NEAR(br.cut[CS_RFM_R][1], 3 + 2.0 / 3, 1e-15);
    /* a table with amounts after ones without: refused */
    cs_rfm_data dm = {.n = 3, .v = {a, a, a}, .monetary = CS_RFM_TOTAL};
    cs_error err = {0};
    CHECK_EQ_INT(cs_rfm_hist_add(h, &dm, &err), CS_EINVAL);
    CHECK(strstr(err.message, "amounts") != NULL);
    cs_rfm_hist_free(h);
}

/* Zeithaml on 20 -5 100 0 50 10 (total 175): 4 customers have value > 0;
 * the thresholds are at positions ceil(.05 x 4) = 1 and ceil(.2 x 4) = 1,
 * both 100: Platinum 100, Gold nobody, Iron 50 20 10, Lead 0 -5. */
static void test_pyramid_report(void)
{
    cs_pyramid p;
    CHECK_EQ_INT(cs_pyramid_init(&p, CS_PYR_ZEITHAML, NULL, 0, NULL), CS_OK);
    CHECK_EQ_INT(p.ntiers, 4);
    const double v[6] = {20, -5, 100, 0, 50, 10};
    int tier[6];
    CHECK_EQ_INT(cs_pyramid_tier(&p, v, NULL, 6, tier, NULL, NULL, NULL), CS_OK);
    static const int want[6] = {2, 3, 0, 3, 2, 2};
    for (int i = 0; i < 6; i++)
        CHECK_EQ_INT(tier[i], want[i]);
    cs_pyramid_report_row row[4];
    CHECK_EQ_INT(cs_pyramid_report(&p, v, tier, 6, row, NULL), CS_OK);
    CHECK_EQ_STR(row[0].tier, "Platinum");
    CHECK_EQ_INT(row[0].customers, 1);
    CHECK_NEAR(row[0].customer_share, 1.0 / 6, 1e-15);
    CHECK_NEAR(row[0].value, 100, 0);
    CHECK_NEAR(row[0].value_share, 100.0 / 175, 1e-15);
    CHECK_NEAR(row[0].median, 100, 0);
    CHECK_EQ_STR(row[1].tier, "Gold");
    CHECK_EQ_INT(row[1].customers, 0);
    CHECK_NEAR(row[1].value, 0, 0);
    CHECK(isnan(row[1].mean) && isnan(row[1].median) && isnan(row[1].min) && isnan(row[1].max));
    CHECK_EQ_STR(row[2].tier, "Iron");
    CHECK_EQ_INT(row[2].customers, 3);
    CHECK_NEAR(row[2].customer_share, 0.5, 0);
    CHECK_NEAR(row[2].value, 80, 0);
    CHECK_NEAR(row[2].mean, 80.0 / 3, 1e-12);
    CHECK_NEAR(row[2].median, 20, 0);
    CHECK_NEAR(row[2].min, 10, 0);
    CHECK_NEAR(row[2].max, 50, 0);
    CHECK_EQ_STR(row[3].tier, "Lead");
    CHECK_EQ_INT(row[3].customers, 2);
    CHECK_NEAR(row[3].value, -5, 0);
    CHECK_NEAR(row[3].value_share, -5.0 / 175, 1e-15);
    CHECK_NEAR(row[3].mean, -2.5, 0);
    CHECK_NEAR(row[3].median, -2.5, 0);
    CHECK_NEAR(row[3].min, -5, 0);
    CHECK_NEAR(row[3].max, 0, 0);
    int bad[6] = {0, 0, 0, 0, 0, 4};
    CHECK_EQ_INT(cs_pyramid_report(&p, v, bad, 6, row, NULL), CS_EINVAL);
}

static size_t cell(const cs_pyramid_migration *m, int f, int t)
{
    return (size_t)f * (size_t)(m->ntiers + 1) + (size_t)t;
}

/* Two tiers (custom, --cuts 0.5: the top half by position ceil(.5 m)).
 *        date 0         date 1
 *   a    100 Tier 1     20 Tier 2     down
 *   b     50 Tier 1    200 Tier 1     stay
 *   c     10 Tier 2    300 Tier 1     up
 *   d      5 Tier 2    (none)         Lost
 *   e    (none)         40 Tier 2     New
 * Date 0 tiers a b c d (threshold: the 2nd of 100 50 10 5, 50); date 1
 * tiers a b c e (the 2nd of 300 200 40 20, 200). */
static void test_migrate_dates(void)
{
    cs_pyramid p;
    const double cut = 0.5;
    CHECK_EQ_INT(cs_pyramid_init(&p, CS_PYR_CUTS, &cut, 1, NULL), CS_OK);
    double v0[5] = {100, 50, 10, 5, 0}, v1[5] = {20, 200, 300, 0, 40};
    double d0[5] = {1, 1, 1, 1, NAN}, d1[5] = {1, 1, 1, NAN, 1};
    static char ids[] = "abcde";
    size_t off[5] = {0, 1, 2, 3, 4};
    uint32_t len[5] = {1, 1, 1, 1, 1};
    cs_values2 v = {.n = 5, .ids = {.n = 5, .bytes = ids, .off = off, .len = len},
                    .value = {v0, v1},
                    .days_since_last = {d0, d1}};
    cs_pyramid_migration m;
    CHECK_EQ_INT(cs_pyramid_migrate_dates(&m, &p, &v, 365, NULL), CS_OK);
    CHECK_EQ_INT(m.ntiers, 2);
    size_t total = 0;
    for (int f = 0; f <= 2; f++)
        for (int t = 0; t <= 2; t++)
            total += m.customers[cell(&m, f, t)];
    CHECK_EQ_INT(total, 5);
    CHECK_EQ_INT(m.customers[cell(&m, 0, 0)], 1);
    CHECK_EQ_INT(m.customers[cell(&m, 0, 1)], 1);
    CHECK_EQ_INT(m.customers[cell(&m, 1, 0)], 1);
    CHECK_EQ_INT(m.customers[cell(&m, 1, 2)], 1); /* d: Lost */
    CHECK_EQ_INT(m.customers[cell(&m, 2, 1)], 1); /* e: New, to Tier 2 */
    CHECK_EQ_INT(m.up, 1);
    CHECK_EQ_INT(m.down, 1);
    CHECK_EQ_INT(m.stay, 1);
    CHECK_EQ_INT(m.new_customers, 1);
    CHECK_EQ_INT(m.lost, 1);
    CHECK_NEAR(m.value_before[cell(&m, 0, 1)], 100, 0);
    CHECK_NEAR(m.value_after[cell(&m, 0, 1)], 20, 0);
    CHECK_NEAR(m.value_before[cell(&m, 1, 0)], 10, 0);
    CHECK_NEAR(m.value_after[cell(&m, 1, 0)], 300, 0);
    CHECK_NEAR(m.value_before[cell(&m, 1, 2)], 5, 0);
    CHECK_NEAR(m.value_after[cell(&m, 1, 2)], 0, 0);
    CHECK_NEAR(m.value_before[cell(&m, 2, 1)], 0, 0);
    CHECK_NEAR(m.value_after[cell(&m, 2, 1)], 40, 0);
    cs_pyramid_migration_free(&m);
    CHECK(m.customers == NULL);
}

static cs_pyramid_tiers *read_tiers(const char *text, const cs_pyramid *p, cs_error *err)
{
    const char *path = tmpfile_str(text);
    cs_input *in = cs_input_open(path, err);
    cs_pyramid_tiers *t = in ? cs_pyramid_tiers_read(in, p, err) : NULL;
    cs_input_close(in);
    unlink(path);
    return t;
}

/* A saved pyramid and the customers now, all ids of 13 bytes whose first
 * 8 ("customer") are the same: a join on a prefix would mix them up.
 *   saved: 0001 Tier 1, 0002 Tier 2, 0003 Tier 2, 0009 Tier 1
 *   now:   0001 Tier 2 (down), 0002 Tier 1 (up), 0003 Tier 2 (stay),
 *          0004 Tier 1 (New); 0009 is Lost from Tier 1. */
static void test_migrate_before(void)
{
    cs_pyramid p;
    const double cut = 0.5;
    CHECK_EQ_INT(cs_pyramid_init(&p, CS_PYR_CUTS, &cut, 1, NULL), CS_OK);
    cs_error err = {0};
    cs_pyramid_tiers *then = read_tiers("customer_id,value,tier\n"
                                        "customer-0001,9,Tier 1\n"
                                        "customer-0002,3,Tier 2\n"
                                        "\"customer-0003\",2,Tier 2\n"
                                        "customer-0009,8,Tier 1\n",
                                        &p, &err);
    CHECK(then != NULL);
    if (!then) {
        fprintf(stderr, "%s\n", err.message);
        return;
    }
    CHECK_EQ_INT(then->n, 4);
    CHECK_EQ_INT(then->tier[1], 1);
    CHECK_EQ_INT(then->ids.len[2], 13);
    static char ids[] = "customer-0004customer-0003customer-0002customer-0001";
    size_t off[4] = {0, 13, 26, 39};
    uint32_t len[4] = {13, 13, 13, 13};
    double value[4] = {0};
    cs_values now = {.n = 4, .ids = {.n = 4, .bytes = ids, .off = off, .len = len},
                     .value = value};
    const int tier_now[4] = {0, 1, 0, 1}; /* 0004, 0003, 0002, 0001 */
    cs_pyramid_migration m;
    CHECK_EQ_INT(cs_pyramid_migrate_before(&m, &p, then, &now, tier_now, NULL), CS_OK);
    CHECK(m.value_before == NULL && m.value_after == NULL);
    CHECK_EQ_INT(m.customers[cell(&m, 0, 1)], 1); /* 0001 down */
    CHECK_EQ_INT(m.customers[cell(&m, 1, 0)], 1); /* 0002 up */
    CHECK_EQ_INT(m.customers[cell(&m, 1, 1)], 1); /* 0003 stay */
    CHECK_EQ_INT(m.customers[cell(&m, 0, 2)], 1); /* 0009 Lost */
    CHECK_EQ_INT(m.customers[cell(&m, 2, 0)], 1); /* 0004 New */
    CHECK_EQ_INT(m.customers[cell(&m, 0, 0)], 0);
    CHECK_EQ_INT(m.customers[cell(&m, 2, 1)], 0);
    CHECK_EQ_INT(m.up, 1);
    CHECK_EQ_INT(m.down, 1);
    CHECK_EQ_INT(m.stay, 1);
    CHECK_EQ_INT(m.lost, 1);
    CHECK_EQ_INT(m.new_customers, 1);
    cs_pyramid_migration_free(&m);
    cs_pyramid_tiers_free(then);
}

/* Errors of the saved pyramid's reader, with their line and column. */
static void test_tiers_errors(void)
{
    cs_pyramid p;
    CHECK_EQ_INT(cs_pyramid_init(&p, CS_PYR_CURRY, NULL, 0, NULL), CS_OK);
    cs_error err = {0};
    CHECK(read_tiers("customer_id,value,tier\na,1,Top\nb,2,Gold\n", &p, &err) == NULL);
    CHECK_EQ_INT(err.code, CS_EFORMAT);
    CHECK_EQ_INT(err.line, 3);
    CHECK_EQ_INT(err.column, 3);
    CHECK_EQ_STR(err.field, "tier");
    CHECK(strstr(err.message, "'Gold'") != NULL);
    CHECK(strncmp(err.file, "/tmp/custseg-unit-", 18) == 0);
    cs_error_clear(&err);
    CHECK(read_tiers("customer_id,value\na,1\n", &p, &err) == NULL);
    CHECK_EQ_INT(err.code, CS_ECOLUMN);
    CHECK_EQ_INT(err.line, 1);
    cs_error_clear(&err);
    CHECK(read_tiers("customer_id,tier\na,Top\nb\n", &p, &err) == NULL);
    CHECK_EQ_INT(err.code, CS_EFORMAT);
    CHECK_EQ_INT(err.line, 3);
    cs_error_clear(&err);
    CHECK(read_tiers("", &p, &err) == NULL);
    CHECK_EQ_INT(err.code, CS_EEMPTY);
    cs_pyramid_tiers *t = read_tiers("tier,customer_id\nInactive,x\n", &p, &err);
    CHECK(t && t->n == 1 && t->tier[0] == 4);
    cs_pyramid_tiers_free(t);
}

static cs_input *input_str(const char *text, const char **path, cs_error *err)
{
    *path = tmpfile_str(text);
    return cs_input_open(*path, err);
}

/* RFM's table by column names: any names, any order; errors with line and
 * column. */
static void test_rfm_read_columns(void)
{
    cs_error err = {0};
    const char *path;
    cs_rfm_columns cols = {.customer = "client", .recency = "days", .frequency = "orders",
                           .monetary = "spent"};
    cs_input *in = input_str("spent,client,orders,days\n30,a,3,4\n5,bb,1,0\n", &path, &err);
    cs_rfm_data *d = in ? cs_rfm_data_read_columns(in, &cols, 1, &err) : NULL;
    cs_input_close(in);
    unlink(path);
    CHECK(d != NULL);
    if (d) {
        size_t len;
        CHECK_EQ_INT(d->n, 2);
        CHECK_EQ_INT(d->ids.n, 2);
        CHECK(memcmp(cs_ids_get(&d->ids, 1, &len), "bb", 2) == 0 && len == 2);
        CHECK_NEAR(d->v[CS_RFM_R][0], 4, 0);
        CHECK_NEAR(d->v[CS_RFM_F][0], 3, 0);
        CHECK_NEAR(d->v[CS_RFM_M][0], 10, 0); /* mean: 30 / 3 */
        CHECK_NEAR(d->total[0], 30, 0);
        cs_rfm_data_free(d);
    }
    /* the summary's names by default; a missing column is named */
    in = input_str("client,days,orders,spent\na,1,1,1\n", &path, &err);
    CHECK(in && cs_rfm_data_read(in, 0, &err) == NULL);
    CHECK_EQ_INT(err.code, CS_ECOLUMN);
    CHECK_EQ_INT(err.line, 1);
    CHECK(strstr(err.message, "'customer_id'") != NULL);
    cs_input_close(in);
    unlink(path);
    cs_error_clear(&err);
    /* a frequency below 1, a recency below 0, an empty id */
    static const char *const bad[3] = {"client,days,orders,spent\na,1,1,1\nb,2,0,1\n",
                                       "client,days,orders,spent\na,-1,1,1\n",
                                       "client,days,orders,spent\na,1,1,1\n,1,1,1\n"};
    static const int code[3] = {CS_EFORMAT, CS_EFORMAT, CS_EID}, line[3] = {3, 2, 3},
                     column[3] = {3, 2, 1};
    for (int k = 0; k < 3; k++) {
        in = input_str(bad[k], &path, &err);
        CHECK(in && cs_rfm_data_read_columns(in, &cols, 0, &err) == NULL);
        CHECK_EQ_INT(err.code, code[k]);
        CHECK_EQ_INT(err.line, line[k]);
        CHECK_EQ_INT(err.column, column[k]);
        cs_input_close(in);
        unlink(path);
        cs_error_clear(&err);
    }
}

/* The recency column and the name custseg-rfm wrote it under before the
 * rename: "recency", named, reads days_since_last when the table lacks it;
 * with both, the default reads days_since_last and the name reads recency;
 * recency alone is never read unless named (it is often the BTYD t_x). */
static double rfm_first_r(const char *text, const char *rname, cs_error *err)
{
    const char *path;
    cs_rfm_columns cols = {.recency = rname};
    cs_input *in = input_str(text, &path, err);
    cs_rfm_data *d = in ? cs_rfm_data_read_columns(in, &cols, 0, err) : NULL;
    cs_input_close(in);
    unlink(path);
    double r = d ? d->v[CS_RFM_R][0] : -1;
    cs_rfm_data_free(d);
    return r;
}

static void test_rfm_read_recency_names(void)
{
    cs_error err = {0};
    const char *both = "customer_id,days_since_last,purchase_days,total_value,recency\n"
                       "a,4,2,10,300\n";
    const char *now = "customer_id,days_since_last,purchase_days,total_value\na,4,2,10\n";
    const char *old = "customer_id,recency,purchase_days,total_value\na,7,2,10\n";
    CHECK_NEAR(rfm_first_r(both, NULL, &err), 4, 0);
    CHECK_NEAR(rfm_first_r(both, "recency", &err), 300, 0);
    CHECK_NEAR(rfm_first_r(now, "recency", &err), 4, 0);
    CHECK_NEAR(rfm_first_r(old, "recency", &err), 7, 0);
    cs_error_clear(&err);
    CHECK_NEAR(rfm_first_r(old, NULL, &err), -1, 0);
    CHECK_EQ_INT(err.code, CS_ECOLUMN);
    CHECK(strstr(err.message, "no column 'days_since_last'") &&
          strstr(err.message, "'recency' is read as the recency only when named"));
    cs_error_clear(&err);
    /* another name is literal: no fallback */
    CHECK_NEAR(rfm_first_r(now, "days", &err), -1, 0);
    CHECK_EQ_INT(err.code, CS_ECOLUMN);
    CHECK(strstr(err.message, "no column 'days'") && !strstr(err.message, "only when named"));
    cs_error_clear(&err);
}

/* A pyramid's values by column names, with a cost subtracted. */
static void test_values_read_columns(void)
{
    cs_error err = {0};
    const char *path;
    cs_input *in = input_str("who,rev,cost,days_since_last\nx,10,4,3\ny,2,1,\n", &path, &err);
    cs_values *v = in ? cs_values_read_columns(in, "who", "rev", "cost", &err) : NULL;
    cs_input_close(in);
    unlink(path);
    CHECK(v != NULL);
    if (v) {
        size_t len;
        CHECK_EQ_INT(v->n, 2);
        CHECK(memcmp(cs_ids_get(&v->ids, 0, &len), "x", 1) == 0 && len == 1);
        CHECK_NEAR(v->value[0], 6, 0);
        CHECK_NEAR(v->value[1], 1, 0);
        CHECK_NEAR(v->days_since_last[0], 3, 0);
        CHECK(isnan(v->days_since_last[1]));
        cs_values_free(v);
    }
    in = input_str("who,rev\nx,10\ny,abc\n", &path, &err);
    CHECK(in && cs_values_read_columns(in, "who", "rev", NULL, &err) == NULL);
    CHECK_EQ_INT(err.code, CS_EFORMAT);
    CHECK_EQ_INT(err.line, 3);
    CHECK_EQ_INT(err.column, 2);
    CHECK_EQ_STR(err.field, "rev");
    cs_input_close(in);
    unlink(path);
    cs_error_clear(&err);
    in = input_str("who,rev\nx,10\n", &path, &err);
    CHECK(in && cs_values_read(in, "rev", &err) == NULL); /* no customer_id */
    CHECK_EQ_INT(err.code, CS_ECOLUMN);
    CHECK(strstr(err.message, "(columns: who, rev)") != NULL);
    cs_input_close(in);
    unlink(path);
}

static cs_day day_of(const char *s)
{
    cs_day d = CS_DAY_NONE;
    CHECK_EQ_INT(cs_day_parse(s, strlen(s), &d), CS_OK);
    return d;
}

/* Values at two dates with a 30-day window, by the summary builder:
 *   z: 01-10 100, 06-01 5          at 03-31: 0, 81 days; at 06-30: 5, 29
 *   b: 01-15 10, 06-02 300 - 300   (06-02 nets 0 with a return: no purchase
 *                                   day) 0, 76; 0, 167
 *   c: 05-31 7, 06-03 50           not yet (NAN); 50 (05-31 is 30 days
 *                                   before: outside), 27
 * Customers sorted by id: b c z. */
static void test_values_at_dates(void)
{
    const char *path = tmpfile_str("customer_id,date,amount\nz,2024-01-10,100\nb,2024-01-15,10\n"
                                   "c,2024-05-31,7\nz,2024-06-01,5\nb,2024-06-02,300\n"
                                   "b,2024-06-02,-300\nc,2024-06-03,50\n");
    cs_txn_options txn = {0};
    cs_summary_options so = {.threads = 2};
    const int32_t dates[2] = {day_of("2024-03-31"), day_of("2024-06-30")};
    cs_error err = {0};
    cs_values2 *v = cs_values_at_dates(&path, 1, &txn, NULL, &so, dates, 2, 30, &err);
    CHECK(v != NULL);
    if (!v) {
        fprintf(stderr, "%s\n", err.message);
        unlink(path);
        return;
    }
    CHECK_EQ_INT(v->n, 3);
    static const char *const id[3] = {"b", "c", "z"};
    const double val[2][3] = {{0, 0, 0}, {0, 50, 5}}, days[2][3] = {{76, NAN, 81}, {167, 27, 29}};
    for (size_t i = 0; i < 3 && i < v->n; i++) {
        size_t len;
        const char *s = cs_ids_get(&v->ids, i, &len);
        CHECK(len == 1 && s[0] == id[i][0]);
        for (int k = 0; k < 2; k++) {
            CHECK_NEAR(v->value[k][i], val[k][i], 0);
            if (isnan(days[k][i]))
                CHECK(isnan(v->days_since_last[k][i]));
            else
                CHECK_NEAR(v->days_since_last[k][i], days[k][i], 0);
        }
    }
    cs_values2_free(v);
    /* no window: all the value up to the date */
    v = cs_values_at_dates(&path, 1, &txn, NULL, NULL, dates + 1, 1, 0, &err);
    CHECK(v && v->n == 3);
    if (v) {
        CHECK_NEAR(v->value[0][0], 10, 0);
        CHECK_NEAR(v->value[0][1], 57, 0);
        CHECK_NEAR(v->value[0][2], 105, 0);
    }
    cs_values2_free(v);
    unlink(path);
    /* two dates read the log twice: not standard input */
    const char *dash = "-";
    CHECK(cs_values_at_dates(&dash, 1, &txn, NULL, NULL, dates, 2, 0, &err) == NULL);
    CHECK_EQ_INT(err.code, CS_EINVAL);
}

/* Orders and AOV in the report (the fixture's customers with 1..6 records:
 * Active c1 c2 c5: 1 + 2 + 5 = 8 orders, revenue 630, AOV 78.75; Others c4:
 * 4, AOV 62.5; Lapsed c3 c6: 3 + 6 = 9, AOV 170/9), and the same customers
 * scored on recency and frequency alone: cells "R5F5", the sum of two
 * scores, no revenue, sorted by orders (Lapsed 9, Active 8, Others 4). */
static void test_rfm_orders_rf(void)
{
    cs_rfm_data d;
    cs_rfm_breaks b;
    cs_rfm_rules r;
    cs_rfm_rule rule[3];
    rfm_fixture(&d, &b, &r, rule);
    double orders[6] = {1, 2, 3, 4, 5, 6};
    d.orders = orders;
    cs_rfm_report rep;
    CHECK_EQ_INT(cs_rfm_report_compute(&rep, &d, &b, &r, NULL), CS_OK);
    CHECK_EQ_INT(rep.n, 3);
    if (rep.n == 3) {
        CHECK_NEAR(rep.row[0].orders, 8, 0);
        CHECK_NEAR(rep.row[0].aov, 630.0 / 8, 1e-12);
        CHECK_NEAR(rep.row[1].orders, 4, 0);
        CHECK_NEAR(rep.row[1].aov, 62.5, 1e-12);
        CHECK_NEAR(rep.row[2].orders, 9, 0);
        CHECK_NEAR(rep.row[2].aov, 170.0 / 9, 1e-12);
    }
    cs_rfm_report_free(&rep);
    d.rf_only = 1;
    rule[1].uses_m = 0; /* "Never" bounds m: refused without monetary */
    CHECK_EQ_INT(cs_rfm_rules_check_rf(&r, NULL), CS_OK);
    rule[1].uses_m = 1;
    cs_error err = {0};
    CHECK_EQ_INT(cs_rfm_rules_check_rf(&r, &err), CS_EINVAL);
    CHECK(strstr(err.message, "'Never'") != NULL);
    rule[1] = (cs_rfm_rule){"Never", {1, 5, 1}, {5, 5, 5}, 0};
    cs_rfm_scored sc;
    cs_rfm_score_customer(&b, &r, &d, 0, &sc);
    CHECK_EQ_STR(sc.cell, "R5F5");
    CHECK_EQ_INT(sc.sum, 10);
    CHECK_EQ_INT(sc.score[CS_RFM_M], 0);
    CHECK_EQ_STR(sc.segment, "Active");
    CHECK_EQ_INT(cs_rfm_report_compute(&rep, &d, &b, &r, NULL), CS_OK);
    CHECK_EQ_INT(rep.n, 3);
    if (rep.n == 3) {
        CHECK_EQ_STR(rep.row[0].segment, "Lapsed");
        CHECK_EQ_STR(rep.row[1].segment, "Active");
        CHECK(isnan(rep.row[0].revenue) && isnan(rep.row[0].aov) &&
              isnan(rep.row[0].mean[CS_RFM_M]));
    }
    cs_rfm_report_free(&rep);
    /* breaks of RF data have no monetary cut points; a file round trip
     * keeps what they were computed on, and the check compares it */
    CHECK_EQ_INT(cs_rfm_breaks_compute(&b, &d, 5, NULL, NULL, NULL), CS_OK);
    CHECK_EQ_INT(b.ncut[CS_RFM_M], 0);
    CHECK_EQ_INT(b.rf_only, 1);
    d.rf_only = 0;
    d.monetary = CS_RFM_MEAN;
    d.as_of = 19000;
    CHECK_EQ_INT(cs_rfm_breaks_compute(&b, &d, 4, NULL, NULL, NULL), CS_OK);
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    CHECK_EQ_INT(cs_rfm_breaks_save(&b, fp, NULL), CS_OK);
    fclose(fp);
    const char *path = tmpfile_str(text);
    free(text);
    cs_rfm_breaks l;
    CHECK_EQ_INT(cs_rfm_breaks_read(&l, path, &err), CS_OK);
    unlink(path);
    CHECK_EQ_INT(l.version, 2);
    CHECK_EQ_INT(l.bins, 4);
    CHECK_EQ_INT(l.monetary, CS_RFM_MEAN);
    CHECK_EQ_INT(l.rf_only, 0);
    CHECK_EQ_INT(l.as_of, 19000);
    for (int v = 0; v < 3; v++) {
        CHECK_EQ_INT(l.ncut[v], b.ncut[v]);
        for (int i = 0; i < b.ncut[v] && i < l.ncut[v]; i++)
            CHECK_NEAR(l.cut[v][i], b.cut[v][i], 0);
    }
    cs_rfm_breaks_want want = {.bins = 4, .monetary = CS_RFM_MEAN, .rf_only = 0};
    CHECK_EQ_INT(cs_rfm_breaks_check(&l, &want, &err), CS_OK);
    want.monetary = CS_RFM_TOTAL;
    CHECK_EQ_INT(cs_rfm_breaks_check(&l, &want, &err), CS_EINVAL);
    CHECK_EQ_STR(err.setting, "monetary");
    CHECK(err.line == l.line[CS_RFM_FIELD_MONETARY] && err.line > 1);
    want = (cs_rfm_breaks_want){.bins = 5, .rf_only = -1};
    CHECK_EQ_INT(cs_rfm_breaks_check(&l, &want, &err), CS_EINVAL);
    CHECK_EQ_STR(err.setting, "bins");
    want = (cs_rfm_breaks_want){.rf_only = 1};
    CHECK_EQ_INT(cs_rfm_breaks_check(&l, &want, &err), CS_EINVAL);
    CHECK_EQ_STR(err.setting, "variables");
}

int main(void)
{
    test_rfm_orders_rf();
    test_values_at_dates();
    test_rfm_read_columns();
    test_rfm_read_recency_names();
    test_values_read_columns();
    test_rfm_scores();
    test_rfm_report();
    test_rfm_breaks();
    test_rfm_hist();
    test_pyramid_report();
    test_migrate_dates();
    test_migrate_before();
    test_tiers_errors();
    return test_result("segment");
}
