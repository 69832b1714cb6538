/* Whole periods with a purchase, per customer, from the summary builder's
 * period sets: the histories BG/BB patterns are made of (models/patterns.c)
 * and observed churn rates by period. */
#include "cs-summary.h"
#include "summary/builder-internal.h"
#include "util/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cs_builder_track_periods(cs_builder *b, int period, cs_error *err)
{
    if (period != CS_PERIOD_YEAR && period != CS_PERIOD_QUARTER && period != CS_PERIOD_MONTH)
        return csi_fail(err, CS_EINVAL, "not a period: %d", period);
    if (b->st.records || b->sh[0].ncust)
        return csi_fail(err, CS_EINVAL, "periods must be tracked before records are added");
    csi_builder_track_periods(b, period);
    return CS_OK;
}

int cs_builder_track_days(cs_builder *b, cs_error *err)
{
    if (b->st.records || b->sh[0].ncust)
        return csi_fail(err, CS_EINVAL, "days must be tracked before records are added");
    b->track_days = 1;
    return CS_OK;
}

int cs_builder_repeat_days(cs_builder *b, cs_day *first, size_t *n, uint32_t **counts,
                           cs_error *err)
{
    *first = CS_DAY_NONE, *n = 0, *counts = NULL;
    if (!b->track_days)
        return csi_fail(err, CS_EINVAL, "the builder does not track days (cs_builder_track_days)");
    int rc = csi_builder_settle(b, err);
    if (rc != CS_OK)
        return rc;
    if (cs_builder_unsorted(b) || b->replaying)
        return csi_fail(err, CS_EORDER, "the records of some customers came out of date order: "
                                        "their purchase days per day are not known");
    cs_day lo = INT32_MAX, hi = INT32_MIN;
    for (int i = 0; i < b->nshards; i++) {
        const struct shard *s = &b->sh[i];
        for (int k = 0; s->rdays && k < s->rdays_n; k++)
            if (s->rdays[k]) {
                cs_day d = s->rdays_lo + k;
                lo = d < lo ? d : lo;
                hi = d > hi ? d : hi;
            }
    }
    if (lo > hi)
        return CS_OK; /* no repeat purchase at all */
    size_t len = (size_t)(hi - lo) + 1;
    uint32_t *v = calloc(len, sizeof *v);
    if (!v)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    for (int i = 0; i < b->nshards; i++) {
        const struct shard *s = &b->sh[i];
        for (int k = 0; s->rdays && k < s->rdays_n; k++)
            if (s->rdays[k])
                v[s->rdays_lo + k - lo] += s->rdays[k];
    }
    *first = lo, *n = len, *counts = v;
    return CS_OK;
}

/* 1 when period k (absolute) holds a purchase day */
static int has(const struct pset *p, int k)
{
    int rel = k - p->first;
    if (rel < 0)
        return 0;
    if (rel < 64)
        return (int)((p->w >> rel) & 1);
    int word = (rel - 64) / 64;
    return word < p->nmore && ((p->more[word] >> ((rel - 64) % 64)) & 1);
}

/* Settles the builder; *kend: the last whole period on or before the end of
 * observation (as_of, or the last date in the data). */
static int settle(cs_builder *b, int *kend, cs_day *end, cs_error *err)
{
    if (!b->track_periods)
        return csi_fail(err, CS_EINVAL, "the builder does not track periods "
                                        "(cs_builder_track_periods)");
    int rc = csi_builder_settle(b, err);
    if (rc != CS_OK)
        return rc;
    if (b->st.max_day == CS_DAY_NONE) {
        if (b->opt.as_of != CS_DAY_NONE && b->st.after_as_of) {
            char d[11];
            cs_day_format(b->opt.as_of, d);
            return csi_fail(err, CS_EEMPTY, "no records on or before %s (the as-of date)", d);
        }
        return csi_fail(err, CS_EEMPTY, "no records");
    }
    *end = b->opt.as_of != CS_DAY_NONE ? b->opt.as_of : b->st.max_day;
    int k = cs_period_of(*end, b->period);
    if (cs_period_start(k + 1, b->period) - 1 > *end)
        k--; /* as_of cuts the period short: it does not count */
    *kend = k;
    return CS_OK;
}

static const struct pset *pset_of(const cs_builder *b, int si, size_t i)
{
    const struct shard *s = &b->sh[si];
    const struct cust *c = cust_at(s, i);
    return c->flags & F_PSET ? pset_at(s, i) : NULL;
}

int cs_builder_period_histories(cs_builder *b, cs_period_fn fn, void *ctx, size_t *too_recent,
                                cs_error *err)
{
    int kend;
    cs_day end;
    *too_recent = 0;
    int rc = settle(b, &kend, &end, err);
    if (rc != CS_OK)
        return rc;
    size_t n = 0;
    uint64_t *order = csi_builder_sorted(b, &n);
    if (!order && n)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && rc == CS_OK; i++) {
        int si = (int)(order[i] >> 32);
        size_t ci = order[i] & 0xffffffffu;
        const struct pset *p = pset_of(b, si, ci);
        if (!p)
            continue; /* no purchase day at all (returns only) */
        /* the opportunities: the whole periods after the first purchase */
        int nop = kend - p->first;
        if (nop <= 0) {
            (*too_recent)++;
            continue;
        }
        int x = 0, tx = 0;
        for (int j = 1; j <= nop; j++)
            if (has(p, p->first + j)) {
                x++;
                tx = j;
            }
        const struct cust *c = cust_at(&b->sh[si], ci);
        rc = fn(ctx, cust_id(&b->sh[si], c), c->id_len, x, tx, nop);
    }
    free(order);
    return rc;
}

void cs_rates_free(cs_rates *r)
{
    if (!r)
        return;
    free(r->active);
    free(r->churned);
    free(r->cohort_size);
    free(r->cohort_active);
    memset(r, 0, sizeof *r);
}

int cs_builder_rates(cs_builder *b, cs_rates *r, cs_error *err)
{
    memset(r, 0, sizeof *r);
    int kend;
    cs_day end;
    int rc = settle(b, &kend, &end, err);
    if (rc != CS_OK)
        return rc;
    int first = INT32_MAX;
    for (int si = 0; si < b->nshards; si++)
        for (size_t i = 0; i < b->sh[si].ncust; i++) {
            const struct pset *p = pset_of(b, si, i);
            if (p && p->first < first)
                first = p->first;
        }
    if (first == INT32_MAX || first > kend) {
        char d[11];
        cs_day_format(end, d);
        return csi_fail(err, CS_EEMPTY,
                        "no whole %s with a purchase ends on or before %s (%s): choose a "
                        "shorter period%s",
                        cs_period_name(b->period), d,
                        b->opt.as_of != CS_DAY_NONE ? "the as-of date" : "the last date in the data",
                        b->opt.as_of != CS_DAY_NONE ? " or a later as-of date" : "");
    }
    int np = kend - first + 1;
    if (np > 1200)
        return csi_fail(err, CS_EINVAL, "%d %ss from the first purchase to the end: at most "
                        "1200; choose a longer period", np, cs_period_name(b->period));
    r->period = b->period;
    r->first = first;
    r->nper = np;
    r->end = end;
    r->data_start = b->st.min_day;
    r->first_partial = b->st.min_day > cs_period_start(first, b->period);
    r->active = calloc((size_t)np, sizeof *r->active);
    r->churned = calloc((size_t)np, sizeof *r->churned);
    r->cohort_size = calloc((size_t)np, sizeof *r->cohort_size);
    r->cohort_active = calloc((size_t)np * (size_t)np, sizeof *r->cohort_active);
    if (!r->active || !r->churned || !r->cohort_size || !r->cohort_active) {
        cs_rates_free(r);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    for (int si = 0; si < b->nshards; si++)
        for (size_t i = 0; i < b->sh[si].ncust; i++) {
            const struct pset *p = pset_of(b, si, i);
            if (!p || p->first > kend)
                continue;
            int cohort = p->first - first;
            r->cohort_size[cohort]++;
            size_t *row = r->cohort_active + (size_t)cohort * (size_t)np;
            for (int k = cohort; k < np; k++) {
                if (!has(p, first + k))
                    continue;
                r->active[k]++;
                row[k]++;
                if (k + 1 < np && !has(p, first + k + 1))
                    r->churned[k]++;
            }
        }
    return CS_OK;
}
