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
    *d = (cs_rfm_data){.n = 6, .ids = ids, .id_off = off, .id_len = len,
                       .v = {rec, freq, val}, .total = val};
    static const double fixed[3][CS_RFM_MAX_BINS] = {
        {10, 20, 30, 40}, {1, 2, 3, 4}, {100, 200, 300, 400}};
    static const int nfixed[3] = {4, 4, 4};
    CHECK_EQ_INT(cs_rfm_breaks_compute(b, d, 5, fixed, nfixed, NULL), CS_OK);
    rule[0] = (cs_rfm_rule){"Active", {4, 1, 1}, {5, 5, 5}};
    rule[1] = (cs_rfm_rule){"Never", {1, 5, 1}, {5, 5, 2}};
    rule[2] = (cs_rfm_rule){"Lapsed", {1, 1, 1}, {1, 5, 5}};
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

int main(void)
{
    test_rfm_scores();
    test_rfm_report();
    test_rfm_breaks();
    return test_result("segment");
}
