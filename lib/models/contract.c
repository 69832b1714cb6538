/* Contractual data for the sBG model: cohort survivor tables (one row per
 * cohort, or one row per cohort and period) and subscription records
 * (customer, start, end), checked and turned into sBG observations. */
#include "models/family.h"
#include "cs-summary.h"
#include "util/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- header names (normalised: lower case, letters and digits only) ---- */

static const char *const customer_names[] = {"customerid", "customer", "subscriberid",
                                             "subscriber", "accountid", "account", "id", NULL};
static const char *const start_names[] = {"start", "startdate", "started", "signup",
                                          "signupdate", "subscribed", NULL};
static const char *const end_names[] = {"end", "enddate", "ended", "cancelled", "canceled",
                                        "canceldate", "churndate", NULL};
static const char *const period_names[] = {"period", "year", "month", "quarter", "t", NULL};
static const char *const active_names[] = {"active", "survivors", "survived", "alive",
                                           "remaining", NULL};
static const char *const cohort_names[] = {"cohort", "segment", "plan", NULL};

int cs_sbg_input_kind(const cs_record *header)
{
    if (csi_find_known(header, start_names) >= 0 && csi_find_known(header, end_names) >= 0)
        return CS_SBG_SUBSCRIPTIONS;
    if (csi_find_known(header, active_names) >= 0 && csi_find_known(header, period_names) >= 0)
        return CS_SBG_LONG;
    return CS_SBG_WIDE;
}

/* ---- survivor counts ---- */

int cs_sbg_from_survivors(const double *s, int np, cs_obs *o, double *w, cs_error *err)
{
    if (np < 2)
        return csi_fail(err, CS_EEMPTY,
                        "a cohort needs its size and at least one period's survivors");
    if (!(s[0] > 0) || !isfinite(s[0]))
        return csi_fail(err, CS_EINVAL, "the cohort's size (the first count) must be positive, "
                                        "not %g",
                        s[0]);
    int k = 0;
    for (int t = 1; t < np; t++) {
        if (!(s[t] >= 0) || !isfinite(s[t]))
            return csi_fail(err, CS_EINVAL, "survivors after period %d: %g is not a count", t,
                            s[t]);
        if (s[t] > s[t - 1])
            return csi_fail(err, CS_EINVAL,
                            "survivors increase from period %d to %d (%g -> %g): a cohort can "
                            "only shrink",
                            t - 1, t, s[t - 1], s[t]);
        o[k] = (cs_obs){.x = t, .tx = 0, .T = np - 1};
        w[k++] = s[t - 1] - s[t];
    }
    o[k] = (cs_obs){.x = 0, .tx = 0, .T = np - 1};
    w[k++] = s[np - 1];
    return k;
}

static int add_cohort(cs_survivors *sv, const char *name, size_t len)
{
    if (sv->ncohorts % 16 == 0) {
        size_t nc = sv->ncohorts + 16;
        char **nn = realloc(sv->name, nc * sizeof *nn);
        if (nn)
            sv->name = nn;
        double **ns = realloc(sv->count, nc * sizeof *ns);
        if (ns)
            sv->count = ns;
        int *np = realloc(sv->nper, nc * sizeof *np);
        if (np)
            sv->nper = np;
        if (!nn || !ns || !np)
            return CS_ENOMEM;
    }
    size_t i = sv->ncohorts;
    sv->name[i] = malloc(len + 1);
    sv->count[i] = NULL;
    sv->nper[i] = 0;
    if (!sv->name[i])
        return CS_ENOMEM;
    memcpy(sv->name[i], name, len);
    sv->name[i][len] = '\0';
    sv->ncohorts++;
    return CS_OK;
}

static int add_count(cs_survivors *sv, double v)
{
    size_t i = sv->ncohorts - 1;
    int n = sv->nper[i];
    if ((n & (n - 1)) == 0) { /* 0, 1, 2, 4, ...: grow to the next power of two */
        double *nv = realloc(sv->count[i], (size_t)(n ? 2 * n : 1) * sizeof *nv);
        if (!nv)
            return CS_ENOMEM;
        sv->count[i] = nv;
    }
    sv->count[i][n] = v;
    sv->nper[i] = n + 1;
    return CS_OK;
}

void cs_survivors_free(cs_survivors *sv)
{
    if (!sv)
        return;
    for (size_t i = 0; i < sv->ncohorts; i++)
        free(sv->name[i]), free(sv->count[i]);
    free(sv->name);
    free(sv->count);
    free(sv->nper);
    free(sv);
}

/* A number at col of the current row; an error names the column by its
 * number and says what was expected in the survivor tables' words ("'x' is
 * not a count"). */
static int number_at(const cs_table *t, int col, unsigned flags, const char *what, double *v,
                     cs_error *err)
{
    if (cs_table_real(t, col, flags, v, NULL) == CS_OK)
        return CS_OK;
    const char *f = "";
    size_t n = 0;
    cs_table_str(t, col, &f, &n);
    char ex[64];
    csi_excerpt(ex, sizeof ex, f, n);
    csi_fail(err, CS_EFORMAT, "'%s' is not %s", ex, what);
    csi_error_where(err, cs_table_file(t), cs_table_line(t), col + 1, NULL, 0);
    return CS_EFORMAT;
}

/* checks a finished cohort; the error names the line of its first row */
static int check_cohort(const cs_survivors *sv, const char *file, long line, cs_error *err)
{
    size_t i = sv->ncohorts - 1;
    int n = sv->nper[i];
    cs_obs *o = malloc(((size_t)n + 1) * sizeof *o);
    double *w = malloc(((size_t)n + 1) * sizeof *w);
    int rc = o && w ? cs_sbg_from_survivors(sv->count[i], n, o, w, err)
                    : csi_fail(err, CS_ENOMEM, "out of memory");
    free(o);
    free(w);
    if (rc < 0) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%s", err->message);
        csi_fail(err, rc, "cohort '%s': %s", sv->name[i], msg);
        csi_error_where(err, file, line, 0, NULL, 0);
        return rc;
    }
    return CS_OK;
}

cs_survivors *cs_survivors_read(cs_table *t, cs_error *err)
{
    cs_survivors *sv = calloc(1, sizeof *sv);
    if (!sv) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    const char *file = cs_table_file(t);
    int kind = cs_sbg_input_kind(cs_table_header(t));
    if (kind == CS_SBG_SUBSCRIPTIONS) {
        csi_fail(err, CS_ECOLUMN, "subscription records, not a table of survivors");
        csi_error_where(err, file, cs_table_line(t), 0, NULL, 0);
        goto fail;
    }
    size_t ncols = cs_table_ncols(t);
    int ccol = kind == CS_SBG_LONG ? cs_table_find_known(t, cohort_names) : 0;
    int pcol = kind == CS_SBG_LONG ? cs_table_find_known(t, period_names) : -1;
    int acol = kind == CS_SBG_LONG ? cs_table_find_known(t, active_names) : -1;
    int rc;
    long first_line = 0;
    double last_period = 0;
    while ((rc = cs_table_next(t, err)) == 1) {
        long line = cs_table_line(t);
        const char *cn = "all";
        size_t cl = 3;
        if (ccol >= 0)
            cs_table_str(t, ccol, &cn, &cl);
        if (kind == CS_SBG_WIDE) {
            if (ncols < 3) {
                csi_fail(err, CS_EFORMAT, "a cohort row needs its name, its size and at least "
                                          "one period's survivors");
                csi_error_where(err, file, line, 0, NULL, 0);
                goto fail;
            }
            if (add_cohort(sv, cn, cl) != CS_OK)
                goto nomem;
            for (size_t c = 1; c < ncols; c++) {
                double v;
                if (number_at(t, (int)c, CS_TABLE_NONNEG, "a count", &v, err) != CS_OK)
                    goto fail;
                if (add_count(sv, v) != CS_OK)
                    goto nomem;
            }
            if (check_cohort(sv, file, line, err) != CS_OK)
                goto fail;
            continue;
        }
        /* long: cohort (optional), period, active; a cohort's rows together */
        double p, v;
        if (number_at(t, pcol, CS_TABLE_WHOLE, "a period number", &p, err) != CS_OK ||
            number_at(t, acol, CS_TABLE_NONNEG, "a count", &v, err) != CS_OK)
            goto fail;
        int same = sv->ncohorts && strlen(sv->name[sv->ncohorts - 1]) == cl &&
                   !memcmp(sv->name[sv->ncohorts - 1], cn, cl);
        if (!same) {
            if (sv->ncohorts && check_cohort(sv, file, first_line, err) != CS_OK)
                goto fail;
            for (size_t i = 0; i < sv->ncohorts; i++)
                if (strlen(sv->name[i]) == cl && !memcmp(sv->name[i], cn, cl)) {
                    char ex[64];
                    csi_excerpt(ex, sizeof ex, cn, cl);
                    csi_fail(err, CS_EFORMAT, "cohort '%s' again after other cohorts: give a "
                                              "cohort's rows together",
                             ex);
                    csi_error_where(err, file, line, ccol + 1, NULL, 0);
                    goto fail;
                }
            if (add_cohort(sv, cn, cl) != CS_OK)
                goto nomem;
            first_line = line;
        } else if (p != last_period + 1) {
            const char *f = "";
            size_t n = 0;
            cs_table_str(t, pcol, &f, &n);
            char ex[64];
            csi_excerpt(ex, sizeof ex, f, n);
            csi_fail(err, CS_EFORMAT, "period %s after period %.0f: periods must follow one "
                                      "another (0, 1, 2, ...)",
                     ex, last_period);
            csi_error_where(err, file, line, pcol + 1, NULL, 0);
            goto fail;
        }
        last_period = p;
        if (add_count(sv, v) != CS_OK)
            goto nomem;
    }
    if (rc < 0)
        goto fail;
    if (kind == CS_SBG_LONG && sv->ncohorts && check_cohort(sv, file, first_line, err) != CS_OK)
        goto fail;
    if (sv->ncohorts == 0) {
        csi_fail(err, CS_EEMPTY, "no cohorts after the header line");
        csi_error_where(err, file, 0, 0, NULL, 0);
        goto fail;
    }
    return sv;
nomem:
    csi_fail(err, CS_ENOMEM, "out of memory");
fail:
    cs_survivors_free(sv);
    return NULL;
}

/* ---- subscription records ---- */

void cs_subscriptions_free(cs_subscriptions *s)
{
    if (!s)
        return;
    cs_ids_clear(&s->ids);
    free(s->start);
    free(s->end);
    free(s->periods);
    free(s->cohort);
    for (size_t i = 0; i < s->ncohorts; i++)
        free(s->cohort_name[i]);
    free(s->cohort_name);
    free(s);
}

struct sub_reader {
    cs_subscriptions *s;
    size_t cap, ncap;
};

static int cohort_index(struct sub_reader *rd, const char *name, size_t len, uint32_t *out)
{
    cs_subscriptions *s = rd->s;
    /* few cohorts, usually in runs: look at the last one first */
    for (size_t i = s->ncohorts; i-- > 0;)
        if (strlen(s->cohort_name[i]) == len && !memcmp(s->cohort_name[i], name, len)) {
            *out = (uint32_t)i;
            return CS_OK;
        }
    if (s->ncohorts == rd->ncap) {
        size_t nc = rd->ncap ? rd->ncap * 2 : 16;
        char **nn = realloc(s->cohort_name, nc * sizeof *nn);
        if (!nn)
            return CS_ENOMEM;
        s->cohort_name = nn;
        rd->ncap = nc;
    }
    char *c = malloc(len + 1);
    if (!c)
        return CS_ENOMEM;
    memcpy(c, name, len);
    c[len] = '\0';
    s->cohort_name[s->ncohorts] = c;
    *out = (uint32_t)s->ncohorts++;
    return CS_OK;
}

/* *pp (a pointer to an array) resized to n elements of size; 0 if not */
static int regrow(void *pp, size_t n, size_t size)
{
    void **p = pp;
    void *q = realloc(*p, n * size);
    if (!q)
        return 0;
    *p = q;
    return 1;
}

static int grow(struct sub_reader *rd)
{
    cs_subscriptions *s = rd->s;
    size_t nc = rd->cap ? rd->cap * 2 : 1024;
    /* each array is kept when the next cannot grow: freed with the rest */
    int ok = regrow(&s->start, nc, sizeof *s->start) && regrow(&s->end, nc, sizeof *s->end) &&
             regrow(&s->periods, nc, sizeof *s->periods) &&
             regrow(&s->cohort, nc, sizeof *s->cohort);
    if (!ok)
        return CS_ENOMEM;
    rd->cap = nc;
    return CS_OK;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A date at col of the current row: the table's where (file, line, column
 * and its name), the subscription reader's words for what was expected. */
static int date_at(const cs_table *t, int col, unsigned flags, const char *what, cs_day *d,
                   cs_error *err)
{
    if (cs_table_day(t, col, flags, d, err) == CS_OK)
        return CS_OK;
    const char *f = "";
    size_t n = 0;
    cs_table_str(t, col, &f, &n);
    char ex[64];
    csi_excerpt(ex, sizeof ex, f, n);
    return csi_fail(err, CS_EDATE, "'%s' is not %s (YYYY-MM-DD or YYYYMMDD)", ex, what);
}

/* An error about the date at col of the current row. */
static int date_error(const cs_table *t, int col, cs_error *err)
{
    const char *name = cs_table_name(t, col);
    csi_error_where(err, cs_table_file(t), cs_table_line(t), col + 1, name, strlen(name));
    return CS_EDATE;
}

cs_subscriptions *cs_subscriptions_read(cs_table *t, const cs_subs_options *opt, cs_error *err)
{
    struct sub_reader rd = {0};
    cs_subscriptions *s = rd.s = calloc(1, sizeof *s);
    if (!s) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    s->period = opt->period;
    s->as_of = opt->as_of;
    if (opt->as_of == CS_DAY_NONE) {
        csi_fail(err, CS_EINVAL, "subscriptions need the day they describe (as_of)");
        goto fail;
    }
    const char *file = cs_table_file(t);
    int icol = cs_table_find_known(t, customer_names), scol = cs_table_find_known(t, start_names),
        ecol = cs_table_find_known(t, end_names), ccol = -1;
    if (icol < 0 || scol < 0 || ecol < 0) {
        csi_fail(err, CS_ECOLUMN,
                 "subscription records need columns customer (or customer_id, id, subscriber, "
                 "account), start (start_date, signup, ...) and end (end_date, cancelled, ...; "
                 "empty while active)");
        csi_error_where(err, file, cs_table_line(t), 0, NULL, 0);
        goto fail;
    }
    if (opt->cohort_column && (ccol = cs_table_find(t, opt->cohort_column)) < 0) {
        csi_fail(err, CS_ECOLUMN, "no column named '%s' for the cohorts", opt->cohort_column);
        csi_error_where(err, file, cs_table_line(t), 0, NULL, 0);
        goto fail;
    }
    char asof[11];
    cs_day_format(opt->as_of, asof);
    int rc;
    while ((rc = cs_table_next(t, err)) == 1) {
        cs_day st, en;
        if (cs_table_id(t, icol, &s->ids, err) != CS_OK ||
            date_at(t, scol, 0, "a start date", &st, err) != CS_OK ||
            date_at(t, ecol, CS_TABLE_EMPTY_NAN, "an end date (or nothing while active)", &en,
                    err) != CS_OK)
            goto fail;
        if (st > opt->as_of || (en != CS_DAY_NONE && en > opt->as_of)) {
            int col = st > opt->as_of ? scol : ecol;
            const char *f = "";
            size_t n = 0;
            cs_table_str(t, col, &f, &n);
            char ex[64];
            csi_excerpt(ex, sizeof ex, f, n);
            csi_fail(err, CS_EDATE, "%s is after %s, the day the data describe", ex, asof);
            csi_hint(err, CS_HINT_AS_OF);
            date_error(t, col, err);
            goto fail;
        }
        if (en != CS_DAY_NONE && en < st) {
            char a[11], b[11];
            cs_day_format(st, a);
            cs_day_format(en, b);
            csi_fail(err, CS_EDATE, "the subscription ends (%s) before it starts (%s)", b, a);
            date_error(t, ecol, err);
            goto fail;
        }
        if (s->n == rd.cap && grow(&rd) != CS_OK)
            goto nomem;
        size_t i = s->n;
        s->start[i] = st;
        s->end[i] = en;
        /* cancelled: the period in which it ended (an end on a renewal day
         * is a cancellation at that renewal); active: the period it is in */
        s->periods[i] = en != CS_DAY_NONE ? cs_period_number(st, en, opt->period, 0)
                                          : cs_period_number(st, opt->as_of, opt->period, 1);
        if (en == CS_DAY_NONE)
            s->nactive++;
        char lab[16];
        const char *cn = lab;
        size_t cl;
        if (ccol >= 0) {
            cs_table_str(t, ccol, &cn, &cl);
        } else {
            cs_period_label(cs_period_of(st, opt->period), opt->period, lab);
            cl = strlen(lab);
        }
        if (cohort_index(&rd, cn, cl, &s->cohort[i]) != CS_OK)
            goto nomem;
        s->n++;
    }
    if (rc < 0)
        goto fail;
    if (s->n == 0) {
        csi_fail(err, CS_EEMPTY, "no subscriptions after the header line");
        csi_error_where(err, file, 0, 0, NULL, 0);
        goto fail;
    }
    /* cohorts in name order (start periods: in time order), renumbered */
    char **sorted = malloc(s->ncohorts * sizeof *sorted);
    uint32_t *map = malloc(s->ncohorts * sizeof *map);
    if (!sorted || !map) {
        free(sorted);
        free(map);
        goto nomem;
    }
    memcpy(sorted, s->cohort_name, s->ncohorts * sizeof *sorted);
    qsort(sorted, s->ncohorts, sizeof *sorted, cmp_names);
    for (size_t i = 0; i < s->ncohorts; i++)
        for (size_t j = 0; j < s->ncohorts; j++)
            if (sorted[j] == s->cohort_name[i])
                map[i] = (uint32_t)j;
    for (size_t i = 0; i < s->n; i++)
        s->cohort[i] = map[s->cohort[i]];
    free(s->cohort_name);
    s->cohort_name = sorted;
    free(map);
    return s;
nomem:
    csi_fail(err, CS_ENOMEM, "out of memory");
fail:
    cs_subscriptions_free(s);
    return NULL;
}

cs_dataset *cs_subscriptions_dataset(const cs_subscriptions *s, long cohort, cs_error *err)
{
    cs_obs *o = malloc((s->n + 1) * sizeof *o);
    if (!o) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (cohort >= 0 && s->cohort[i] != (uint32_t)cohort)
            continue;
        int p = s->periods[i];
        /* cancelled in period p: P(T = p); active in period p: S(p - 1) */
        o[k++] = s->end[i] != CS_DAY_NONE ? (cs_obs){.x = p, .tx = 0, .T = p}
                                          : (cs_obs){.x = 0, .tx = 0, .T = p - 1};
    }
    cs_dataset *d = cs_dataset_group(o, NULL, k, err);
    free(o);
    return d;
}

int cs_subscriptions_km(const cs_subscriptions *s, long cohort, double *surv, int maxt)
{
    /* churned with T = t: an event at t; active in period n: at risk up to
     * n - 1 (the renewals seen) */
    double *events = calloc((size_t)maxt + 2, sizeof *events);
    double *atrisk = calloc((size_t)maxt + 2, sizeof *atrisk);
    if (!events || !atrisk) {
        free(events);
        free(atrisk);
        return CS_ENOMEM;
    }
    int last = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (cohort >= 0 && s->cohort[i] != (uint32_t)cohort)
            continue;
        int p = s->periods[i];
        int seen = s->end[i] != CS_DAY_NONE ? p : p - 1; /* periods whose outcome is known */
        if (s->end[i] != CS_DAY_NONE && p <= maxt)
            events[p]++;
        atrisk[1]++;
        if (seen + 1 <= maxt + 1)
            atrisk[seen + 1]--; /* at risk in periods 1..seen */
        if (seen > last)
            last = seen;
    }
    surv[0] = 1;
    double r = 0;
    for (int t = 1; t <= maxt; t++) {
        r += atrisk[t];
        surv[t] = r > 0 ? surv[t - 1] * (1 - events[t] / r) : NAN;
    }
    free(events);
    free(atrisk);
    return last < maxt ? last : maxt;
}

struct id_ref {
    const char *p;
    uint32_t len;
};

static int cmp_id_ref(const void *a, const void *b)
{
    const struct id_ref *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->p, y->p, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

long cs_subscriptions_repeat_ids(const cs_subscriptions *s)
{
    struct id_ref *v = malloc((s->n + 1) * sizeof *v);
    if (!v)
        return CS_ENOMEM;
    for (size_t i = 0; i < s->n; i++) {
        size_t len;
        const char *p = cs_ids_get(&s->ids, i, &len);
        v[i] = (struct id_ref){p, (uint32_t)len};
    }
    qsort(v, s->n, sizeof *v, cmp_id_ref);
    long repeat = 0;
    for (size_t i = 1; i < s->n; i++)
        if (!cmp_id_ref(&v[i - 1], &v[i]) && (i < 2 || cmp_id_ref(&v[i - 2], &v[i - 1])))
            repeat++;
    free(v);
    return repeat;
}
