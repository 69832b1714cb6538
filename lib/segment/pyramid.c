/* Customer pyramids and concentration of value. */
#include "cs-segment.h"
#include "cs-stats.h"
#include "cs-summary.h"
#include "cs-txn.h"
#include "util/internal.h"

#include <cJSON.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const curry_names[] = {"Top", "Big", "Medium", "Small", "Inactive"};
static const char *const zeithaml_names[] = {"Platinum", "Gold", "Iron", "Lead"};
static const char *const custom_names[] = {"Tier 1", "Tier 2", "Tier 3", "Tier 4", "Tier 5",
                                           "Tier 6", "Tier 7", "Tier 8", "Tier 9", "Tier 10"};

int cs_pyramid_init(cs_pyramid *p, int scheme, const double *cuts, int ncuts, cs_error *err)
{
    memset(p, 0, sizeof *p);
    p->scheme = scheme;
    static const double curry[] = {0.01, 0.05, 0.20}, zeit[] = {0.05, 0.20};
    if (ncuts <= 0) {
        if (scheme == CS_PYR_CURRY)
            cuts = curry, ncuts = 3;
        else if (scheme == CS_PYR_ZEITHAML)
            cuts = zeit, ncuts = 2;
        else
            return csi_fail(err, CS_EINVAL, "custom tiers need cut points");
    }
    int want = scheme == CS_PYR_CURRY ? 3 : scheme == CS_PYR_ZEITHAML ? 2 : -1;
    if (want > 0 && ncuts != want)
        return csi_fail(err, CS_EINVAL, "the %s scheme takes %d cut points, not %d",
                        scheme == CS_PYR_CURRY ? "curry" : "zeithaml", want, ncuts);
    if (ncuts > CS_PYR_MAX_TIERS - 1)
        return csi_fail(err, CS_EINVAL, "at most %d cut points", CS_PYR_MAX_TIERS - 1);
    for (int i = 0; i < ncuts; i++) {
        if (!(cuts[i] > 0 && cuts[i] < 1) || (i && cuts[i] <= cuts[i - 1]))
            return csi_fail(err, CS_EINVAL,
                            "cut points must be increasing shares between 0 and 1");
        p->cuts[i] = cuts[i];
    }
    p->ncuts = ncuts;
    int tiers = ncuts + 1;
    for (int i = 0; i < tiers; i++)
        p->names[i] = scheme == CS_PYR_CURRY      ? curry_names[i]
                      : scheme == CS_PYR_ZEITHAML ? zeithaml_names[i]
                                                  : custom_names[i];
    p->ntiers = tiers;
    if (scheme == CS_PYR_CURRY || scheme == CS_PYR_ZEITHAML)
        p->names[p->ntiers++] = scheme == CS_PYR_CURRY ? curry_names[4] : zeithaml_names[3];
    return CS_OK;
}

struct iv {
    double v;
    size_t i;
};

int cs_pyramid_tier(const cs_pyramid *p, const double *value, const int *active, size_t n,
                    int *tier, size_t *rank, double *pct, cs_error *err)
{
    int special = p->scheme == CS_PYR_CURRY || p->scheme == CS_PYR_ZEITHAML;
    int last = p->ntiers - 1;
    struct iv *s = csi_big_alloc((n + 1) * sizeof *s, 0);
    double *ev = csi_big_alloc((n + 1) * sizeof *ev, 0);
    size_t *order = csi_big_alloc((n + 1) * sizeof *order, 0);
    if (!s || !ev || !order) {
        free(s), free(ev), free(order);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    size_t m = 0;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        int eligible = p->scheme == CS_PYR_CURRY      ? (!active || active[i])
                       : p->scheme == CS_PYR_ZEITHAML ? value[i] > 0
                                                      : 1;
        tier[i] = last;
        if (rank)
            rank[i] = 0;
        if (pct)
            pct[i] = NAN;
        if (!eligible)
            continue;
        ev[m] = value[i];
        s[m].i = i;
        total += value[i];
        m++;
    }
    /* by value, largest first; equal values in input order */
    if (m > 0)
        cs_stats_order(ev, m, 1, order);
    for (size_t j = 0; j < m; j++)
        order[j] = s[order[j]].i;
    for (size_t j = 0; j < m; j++) {
        s[j].i = order[j];
        s[j].v = value[order[j]];
    }
    free(ev), free(order);
    /* the threshold value of each tier */
    double thr[CS_PYR_MAX_TIERS];
    for (int k = 0; k < p->ncuts; k++) {
        if (m == 0)
            break;
        size_t pos;
        if (p->scheme == CS_PYR_VALUE) {
            double cum = 0, goal = p->cuts[k] * total;
            pos = m;
            for (size_t j = 0; j < m; j++) {
                cum += s[j].v;
                if (cum >= goal) {
                    pos = j + 1;
                    break;
                }
            }
        } else {
            pos = (size_t)ceil(p->cuts[k] * (double)m - 1e-9);
            if (pos < 1)
                pos = 1;
        }
        thr[k] = s[pos - 1].v;
    }
    size_t j = 0;
    while (j < m) {
        size_t e = j;
        while (e < m && s[e].v == s[j].v)
            e++;
        /* positions j..e-1 share a value: one rank, one tier */
        int t = special ? last - 1 : p->ncuts;
        for (int k = 0; k < p->ncuts; k++)
            if (s[j].v >= thr[k]) {
                t = k;
                break;
            }
        for (size_t q = j; q < e; q++) {
            tier[s[q].i] = t;
            if (rank)
                rank[s[q].i] = j + 1;
            if (pct)
                pct[s[q].i] = (double)(m - j) / (double)m;
        }
        j = e;
    }
    free(s);
    return CS_OK;
}

int cs_pyramid_report(const cs_pyramid *p, const double *value, const int *tier, size_t n,
                      cs_pyramid_report_row *row, cs_error *err)
{
    size_t T = (size_t)p->ntiers, cnt[CS_PYR_MAX_TIERS + 1];
    double sum[CS_PYR_MAX_TIERS + 1];
    int rc = cs_stats_group_sums(value, tier, n, T, sum, cnt, err);
    if (rc != CS_OK)
        return rc;
    double total = cs_stats_sum(value, n), *buf = csi_big_alloc((n + 1) * sizeof *buf, 0);
    if (!buf)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    for (size_t t = 0; t < T; t++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (tier[i] == (int)t)
                buf[m++] = value[i];
        cs_stats_sort(buf, m);
        row[t] = (cs_pyramid_report_row){
            .tier = p->names[t],
            .customers = m,
            .customer_share = (double)m / (double)n,
            .value = sum[t],
            .value_share = total != 0 ? sum[t] / total : 0,
            .mean = m ? sum[t] / (double)m : NAN,
            .median = cs_stats_median_sorted(buf, m),
            .min = m ? buf[0] : NAN,
            .max = m ? buf[m - 1] : NAN,
        };
    }
    free(buf);
    return CS_OK;
}

int cs_concentration_compute(const double *value, size_t n, cs_concentration *c, cs_error *err)
{
    memset(c, 0, sizeof *c);
    double *x = csi_big_alloc((n + 1) * sizeof *x, 0);
    if (!x)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    memcpy(x, value, n * sizeof *x);
    cs_stats_sort(x, n);
    if (n > 0 && x[0] < 0) {
        size_t neg = 0;
        while (neg < n && x[neg] < 0)
            neg++;
        double low = x[0];
        free(x);
        return csi_fail(err, CS_EINVAL,
                        "%zu of %zu values are negative (the lowest %g): the Gini coefficient "
                        "and the Lorenz curve are defined for values >= 0 (concentrate revenue, "
                        "or leave the negative values out)",
                        neg, n, low);
    }
    double total = cs_stats_sum(x, n), wsum = cs_stats_wsum(x, NULL, n);
    if (n == 0 || total == 0) {
        free(x);
        return csi_fail(err, CS_EINVAL,
                        "the values add up to 0: concentration is not defined (all-zero "
                        "values?)");
    }
    c->gini = 2 * wsum / ((double)n * total) - (double)(n + 1) / (double)n;
    /* Lorenz: the share held by the lowest fraction p of customers,
     * interpolating within a customer */
    double *cum = csi_big_alloc((n + 1) * sizeof *cum, 0);
    if (!cum) {
        free(x);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    cum[0] = 0;
    for (size_t i = 0; i < n; i++)
        cum[i + 1] = cum[i] + x[i];
    for (int k = 1; k <= 100; k++) {
        double pos = (double)n * k / 100.0;
        size_t i = (size_t)floor(pos);
        double v = i >= n ? cum[n] : cum[i] + (pos - (double)i) * x[i];
        c->lorenz[k - 1] = v / total;
    }
    const double tops[3] = {0.01, 0.05, 0.20};
    for (int t = 0; t < 3; t++) {
        double pos = (double)n * (1 - tops[t]);
        size_t i = (size_t)floor(pos);
        double below = i >= n ? cum[n] : cum[i] + (pos - (double)i) * x[i];
        c->top_share[t] = (total - below) / total;
    }
    free(cum);
    free(x);
    return CS_OK;
}

void cs_values_free(cs_values *v)
{
    if (!v)
        return;
    cs_ids_clear(&v->ids);
    free(v->value);
    free(v->days_since_last);
    free(v);
}

void cs_values_scale(cs_values *v, double factor)
{
    for (size_t i = 0; i < v->n; i++)
        v->value[i] *= factor;
}

int cs_values_check(const cs_values *v, cs_error *err)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->value[i] != 0)
            return CS_OK;
    return csi_fail(err, CS_EEMPTY, "every customer's value is 0: there is no pyramid to build");
}

int cs_concentration_save(const cs_concentration *c, size_t n, FILE *fp, cs_error *err)
{
    locale_t cl = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0), old = (locale_t)0;
    if (cl != (locale_t)0)
        old = uselocale(cl);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "customers", (double)n);
    cJSON_AddNumberToObject(root, "gini", c->gini);
    cJSON_AddNumberToObject(root, "top_1pct_share", c->top_share[0]);
    cJSON_AddNumberToObject(root, "top_5pct_share", c->top_share[1]);
    cJSON_AddNumberToObject(root, "top_20pct_share", c->top_share[2]);
    cJSON_AddItemToObject(root, "lorenz", cJSON_CreateDoubleArray(c->lorenz, 100));
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (cl != (locale_t)0) {
        uselocale(old);
        freelocale(cl);
    }
    if (!text)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    int bad = fputs(text, fp) < 0 || fputc('\n', fp) == EOF || fflush(fp) != 0;
    cJSON_free(text);
    return bad ? csi_fail(err, CS_EIO, "write error") : CS_OK;
}

size_t cs_values_active(const cs_values *v, double inactive_after, int *active)
{
    size_t unknown = 0;
    for (size_t i = 0; i < v->n; i++) {
        double d = v->days_since_last[i];
        unknown += isnan(d);
        active[i] = isnan(d) || d <= inactive_after;
    }
    return unknown;
}

cs_values *cs_values_from_summary(const cs_summary *s, unsigned flags, cs_error *err)
{
    cs_values *v = calloc(1, sizeof *v);
    if (v) {
        v->value = csi_big_alloc((s->n + 1) * sizeof *v->value, 0);
        v->days_since_last = csi_big_alloc((s->n + 1) * sizeof *v->days_since_last, 0);
    }
    int ok = v && v->value && v->days_since_last;
    if (ok && (flags & CS_SUMMARY_IDS))
        ok = cs_summary_copy_ids(s, &v->ids) == CS_OK;
    /* with a holdout, the rows describe the calibration period: days since
     * the last purchase count to its end (as cs_rfm_data_from_summary) */
    cs_day end = s->calibration_end != CS_DAY_NONE ? s->calibration_end : s->as_of;
    for (size_t i = 0; ok && i < s->n; i++) {
        v->value[i] = (double)s->rows[i].total_value / CS_MICRO;
        v->days_since_last[i] = end - s->rows[i].last;
    }
    if (!ok) {
        cs_values_free(v);
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    v->n = s->n;
    return v;
}

cs_values *cs_values_read(cs_input *in, const char *column, cs_error *err)
{
    return cs_values_read_columns(in, NULL, column, NULL, err);
}

cs_values *cs_values_read_minus(cs_input *in, const char *column, const char *minus,
                                cs_error *err)
{
    return cs_values_read_columns(in, NULL, column, minus, err);
}

cs_values *cs_values_read_columns(cs_input *in, const char *customer, const char *column,
                                  const char *minus, cs_error *err)
{
    if (!customer)
        customer = "customer_id";
    cs_table *t = cs_table_open(in, CS_DELIM_AUTO, err);
    if (!t)
        return NULL;
    cs_values *v = NULL;
    int cid = cs_table_find(t, customer), cv = cs_table_find(t, column),
        cd = cs_table_find(t, "days_since_last"), cm = minus ? cs_table_find(t, minus) : -1;
    if (cid < 0 || cv < 0 || (minus && cm < 0)) {
        char cols[512] = "";
        size_t o = 0, nc = cs_table_ncols(t);
        for (size_t i = 0; i < nc; i++) {
            const char *name = cs_table_name(t, (int)i);
            if (o + strlen(name) + 3 < sizeof cols)
                o += (size_t)snprintf(cols + o, sizeof cols - o, "%s%s", i ? ", " : "", name);
        }
        csi_fail(err, CS_ECOLUMN, "no column '%s' (columns: %s)",
                 cid < 0 ? customer : cv < 0 ? column : minus, cols);
        csi_error_where(err, cs_table_file(t), cs_table_line(t), 0, NULL, 0);
        goto fail;
    }
    if (!(v = calloc(1, sizeof *v)))
        goto nomem;
    size_t cap = 0;
    int rc;
    while ((rc = cs_table_next(t, err)) == 1) {
        if (v->n == cap) {
            cap = cap ? cap * 2 : 1024;
            void *p;
            if (!(p = realloc(v->value, cap * sizeof *v->value)))
                goto nomem;
            v->value = p;
            if (!(p = realloc(v->days_since_last, cap * sizeof *v->days_since_last)))
                goto nomem;
            v->days_since_last = p;
        }
        size_t i = v->n;
        if (cs_table_real(t, cv, 0, &v->value[i], err) != CS_OK)
            goto fail;
        if (cm >= 0) {
            double c;
            if (cs_table_real(t, cm, 0, &c, err) != CS_OK)
                goto fail;
            v->value[i] -= c;
        }
        /* optional: what does not parse leaves the customer's activity unknown */
        v->days_since_last[i] = NAN;
        if (cd >= 0 && cs_table_real(t, cd, 0, &v->days_since_last[i], NULL) != CS_OK)
            v->days_since_last[i] = NAN;
        if (cs_table_id(t, cid, &v->ids, err) != CS_OK)
            goto fail;
        v->n++;
    }
    if (rc < 0)
        goto fail;
    if (v->n == 0) {
        csi_fail(err, CS_EEMPTY, "no customers after the header line");
        csi_error_where(err, cs_table_file(t), 0, 0, NULL, 0);
        goto fail;
    }
    cs_table_free(t);
    return v;
nomem:
    csi_fail(err, CS_ENOMEM, "out of memory");
fail:
    cs_table_free(t);
    cs_values_free(v);
    return NULL;
}
