/* Customer tables: custseg-summary output and BG/BB pattern tables. */
#include "models/family.h"
#include "cs-summary.h"
#include "util/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cs_customers_free(cs_customers *c)
{
    if (!c)
        return;
    cs_ids_clear(&c->ids);
    free(c->obs);
    free(c->monetary);
    free(c->x_holdout);
    free(c->weight);
    free(c);
}

static int grow(cs_customers *c, size_t cap)
{
#define G(f)                                                        \
    do {                                                            \
        void *p = realloc(c->f, cap * sizeof *c->f);                \
        if (!p)                                                     \
            return CS_ENOMEM;                                       \
        c->f = p;                                                   \
    } while (0)
    G(obs);
    G(monetary);
    G(x_holdout);
    G(weight);
#undef G
    return CS_OK;
}

static int unit_suffix(const char *s, size_t n, const char *prefix)
{
    size_t pn = strlen(prefix);
    if (n <= pn || memcmp(s, prefix, pn) != 0)
        return -2;
    char u[16];
    if (n - pn >= sizeof u)
        return -1;
    memcpy(u, s + pn, n - pn);
    u[n - pn] = '\0';
    return cs_unit_from_name(u);
}

static int eq(const char *s, size_t n, const char *name)
{
    return strlen(name) == n && memcmp(s, name, n) == 0;
}

struct cols {
    int id, x, tx, T, m, xh, dur, periods, w;
    int unit, unit_T, unit_dur;
};

/* The columns of a header (names exactly as custseg-summary and the pattern
 * tables write them) and what they make: enum cs_table_kind. */
static int find_cols(const cs_record *h, struct cols *c)
{
    memset(c, -1, sizeof *c);
    c->unit = c->unit_T = c->unit_dur = -2;
    int plain_recency = -1;
    for (size_t i = 0; i < h->nfields; i++) {
        const char *f = h->field[i];
        size_t len = h->len[i];
        int u;
        if (eq(f, len, "customer_id"))
            c->id = (int)i;
        else if (eq(f, len, "frequency"))
            c->x = (int)i;
        else if (eq(f, len, "recency"))
            plain_recency = (int)i;
        else if (eq(f, len, "periods"))
            c->periods = (int)i;
        else if (eq(f, len, "weights") || eq(f, len, "weight") || eq(f, len, "count"))
            c->w = (int)i;
        else if (eq(f, len, "monetary_value"))
            c->m = (int)i;
        else if (eq(f, len, "frequency_holdout"))
            c->xh = (int)i;
        else if ((u = unit_suffix(f, len, "recency_")) != -2)
            c->tx = (int)i, c->unit = u;
        else if ((u = unit_suffix(f, len, "T_")) != -2)
            c->T = (int)i, c->unit_T = u;
        else if ((u = unit_suffix(f, len, "duration_holdout_")) != -2)
            c->dur = (int)i, c->unit_dur = u;
    }
    if (c->x >= 0 && plain_recency >= 0 && c->periods >= 0) {
        c->tx = plain_recency;
        return CS_TABLE_PATTERNS;
    }
    if (c->x >= 0 && c->tx >= 0 && c->T >= 0)
        return CS_TABLE_SUMMARY;
    return CS_TABLE_OTHER;
}

int cs_table_kind(const char *line, size_t len)
{
    /* split on the first delimiter found: tab or comma */
    char d = memchr(line, '\t', len) ? '\t' : ',';
    const char *f[64];
    size_t l[64], nf = 0, b = 0;
    if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
        b = 3;
    while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
        len--;
    for (size_t i = b; i <= len && nf < 64; i++)
        if (i == len || line[i] == d) {
            f[nf] = line + b;
            l[nf] = i - b;
            /* a quoted name ("customer_id", as R's write.csv writes it) */
            if (l[nf] >= 2 && f[nf][0] == '"' && f[nf][l[nf] - 1] == '"')
                f[nf]++, l[nf] -= 2;
            nf++;
            b = i + 1;
        }
    const cs_record h = {.nfields = nf, .field = f, .len = l};
    struct cols c;
    return find_cols(&h, &c);
}

cs_customers *cs_customers_read(cs_input *in, cs_error *err)
{
    cs_customers *c = calloc(1, sizeof *c);
    if (!c) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    cs_table *t = cs_table_open(in, CS_DELIM_AUTO, err);
    size_t cap = 0;
    if (!t)
        goto fail;
    const char *file = cs_table_file(t);
    struct cols k;
    c->kind = find_cols(cs_table_header(t), &k);
    if (c->kind == CS_TABLE_OTHER) {
        csi_fail(err, CS_ECOLUMN,
                 "not a customer summary: the header needs frequency, recency_UNIT and "
                 "T_UNIT (custseg-summary output) or frequency, recency, periods (BG/BB "
                 "patterns)");
        csi_error_where(err, file, cs_table_line(t), 0, NULL, 0);
        goto fail;
    }
    if (c->kind == CS_TABLE_SUMMARY && (k.unit < 0 || k.unit != k.unit_T ||
                                        (k.dur >= 0 && k.unit_dur != k.unit))) {
        csi_fail(err, CS_ECOLUMN,
                 "the recency, T and duration columns must carry the same unit (days, weeks "
                 "or months)");
        csi_error_where(err, file, cs_table_line(t), 0, NULL, 0);
        goto fail;
    }
    int patterns = c->kind == CS_TABLE_PATTERNS;
    c->unit = patterns ? -1 : k.unit;
    c->has_monetary = k.m >= 0;
    c->has_holdout = k.xh >= 0 && k.dur >= 0;
    c->duration_holdout = NAN;
    /* frequency, recency and T (patterns: x, t_x and n, whole periods) */
    const int col[3] = {k.x, k.tx, patterns ? k.periods : k.T};
    const unsigned whole = CS_TABLE_NONNEG | CS_TABLE_WHOLE;
    const unsigned flag[3] = {whole, patterns ? whole : CS_TABLE_NONNEG,
                              patterns ? whole : CS_TABLE_NONNEG};
    int rc;
    while ((rc = cs_table_next(t, err)) == 1) {
        if (c->n == cap) {
            cap = cap ? cap * 2 : 1024;
            if (grow(c, cap) != CS_OK) {
                csi_fail(err, CS_ENOMEM, "out of memory");
                goto fail;
            }
        }
        size_t i = c->n;
        double v[3];
        for (int j = 0; j < 3; j++)
            if (cs_table_real(t, col[j], flag[j], &v[j], err) != CS_OK)
                goto fail;
        if (v[1] > v[2]) { /* the last purchase after the end of observation */
            const char *rn = cs_table_name(t, col[1]), *tn = cs_table_name(t, col[2]);
            csi_fail(err, CS_EFORMAT,
                     "%s %g is greater than %s %g: the last purchase cannot be after the end "
                     "of observation",
                     rn, v[1], tn, v[2]);
            csi_error_where(err, file, cs_table_line(t), col[1] + 1, rn, strlen(rn));
            goto fail;
        }
        c->obs[i].x = v[0];
        c->obs[i].tx = v[1];
        c->obs[i].T = v[2];
        c->obs[i].litt = 0;
        c->monetary[i] = c->x_holdout[i] = NAN;
        c->weight[i] = 1;
        if (k.m >= 0 && cs_table_real(t, k.m, CS_TABLE_EMPTY_NAN, &c->monetary[i], err) != CS_OK)
            goto fail;
        if (c->has_holdout) {
            double d;
            if (cs_table_real(t, k.xh, CS_TABLE_EMPTY_NAN | whole, &c->x_holdout[i], err) !=
                    CS_OK ||
                cs_table_real(t, k.dur, CS_TABLE_EMPTY_NAN | CS_TABLE_NONNEG, &d, err) != CS_OK)
                goto fail;
            if (!isnan(d))
                c->duration_holdout = d;
        }
        if (k.w >= 0 && cs_table_real(t, k.w, CS_TABLE_NONNEG, &c->weight[i], err) != CS_OK)
            goto fail;
        if (k.id >= 0) {
            if (cs_table_id(t, k.id, &c->ids, err) != CS_OK)
                goto fail;
        } else { /* a pattern table has no ids: number the rows */
            char gen[32];
            int n = snprintf(gen, sizeof gen, "%zu", i + 1);
            if (cs_ids_push(&c->ids, gen, (size_t)n) != CS_OK) {
                csi_fail(err, CS_ENOMEM, "out of memory");
                goto fail;
            }
        }
        c->n++;
    }
    if (rc < 0)
        goto fail;
    if (c->n == 0) {
        csi_fail(err, CS_EEMPTY, "no customers after the header line");
        csi_error_where(err, file, 0, 0, NULL, 0);
        goto fail;
    }
    cs_table_free(t);
    return c;
fail:
    cs_table_free(t);
    cs_customers_free(c);
    return NULL;
}

cs_customers *cs_customers_from_summary(const cs_summary *s, int unit, cs_error *err)
{
    cs_customers *c = calloc(1, sizeof *c);
    if (!c || grow(c, s->n + 1) != CS_OK) {
        cs_customers_free(c);
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    int64_t num, den;
    cs_unit_days(unit, &num, &den);
    double per_day = (double)den / (double)num; /* units per day */
    int hold = s->calibration_end != CS_DAY_NONE;
    cs_day end = hold ? s->calibration_end : s->as_of;
    c->kind = CS_TABLE_SUMMARY;
    c->unit = unit;
    c->has_monetary = s->has_amount;
    c->has_holdout = hold;
    c->duration_holdout = hold ? (s->as_of - s->calibration_end) * per_day : NAN;
    for (size_t i = 0; i < s->n; i++) {
        const cs_summary_row *r = &s->rows[i];
        uint32_t x = r->purchase_days - 1;
        if (cs_ids_push(&c->ids, r->id, r->id_len) != CS_OK) {
            cs_customers_free(c);
            csi_fail(err, CS_ENOMEM, "out of memory");
            return NULL;
        }
        c->obs[i].x = x;
        c->obs[i].tx = (r->last - r->first) * per_day;
        c->obs[i].T = (end - r->first) * per_day;
        c->obs[i].litt = 0;
        c->monetary[i] = !s->has_amount ? NAN
                         : x         ? (double)r->repeat_value / ((double)x * CS_MICRO)
                                     : 0;
        c->x_holdout[i] = hold ? r->holdout_days : NAN;
        c->weight[i] = 1;
    }
    c->n = s->n;
    return c;
}

cs_dataset *csi_model_dataset(const struct csi_family *f, const cs_obs *obs,
                              const double *monetary, const double *w, size_t n, cs_error *err)
{
    cs_obs *o = malloc((n + 1) * sizeof *o);
    double *ow = malloc((n + 1) * sizeof *ow);
    if (!o || !ow) {
        free(o);
        free(ow);
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if ((f->caps & CS_CAP_REPEAT_ONLY) && !(obs[i].x > 0))
            continue;
        /* a spend model sees x and, in t_x, the mean repeat value */
        o[m] =
            f->caps & CS_CAP_MONETARY ? (cs_obs){.x = obs[i].x, .tx = monetary[i], .T = 0} : obs[i];
        ow[m++] = w ? w[i] : 1;
    }
    cs_dataset *d = cs_dataset_group(o, ow, m, err);
    free(o);
    free(ow);
    return d;
}

cs_dataset *cs_customers_dataset(const cs_customers *c, int kind, cs_error *err)
{
    const struct csi_family *f = csi_family(kind);
    if (!f) {
        csi_fail(err, CS_EINVAL, "no such model");
        return NULL;
    }
    int patterns = (f->caps & CS_CAP_PATTERNS) != 0;
    if (patterns != (c->kind == CS_TABLE_PATTERNS)) {
        char names[128];
        cs_model_list(~0u, CS_CAP_PATTERNS, 0, " or ", names, sizeof names);
        if (patterns)
            csi_fail(err, CS_EINVAL, "%s", f->table_msg);
        else
            csi_fail(err, CS_EINVAL, "a pattern table (frequency, recency, periods) is for %s",
                     names);
        return NULL;
    }
    if ((f->caps & CS_CAP_MONETARY) && !c->has_monetary && c->n > 0) {
        csi_fail(err, CS_EINVAL,
                 "the %s model needs monetary values: the input has no monetary_value column",
                 f->title);
        return NULL;
    }
    return csi_model_dataset(f, c->obs, c->monetary, c->weight, c->n, err);
}

cs_customers *cs_builder_customers(cs_builder *b, int patterns, int unit, size_t *too_recent,
                                   cs_error *err)
{
    if (too_recent)
        *too_recent = 0;
    if (patterns) {
        size_t recent = 0;
        cs_customers *c = cs_builder_periods(b, &recent, err);
        cs_builder_free(b);
        if (too_recent)
            *too_recent = recent;
        return c;
    }
    cs_summary *s = cs_builder_finish(b, err); /* frees b */
    if (!s)
        return NULL;
    cs_customers *c = cs_customers_from_summary(s, unit, err);
    cs_summary_free(s);
    return c;
}

int cs_model_unit_matches(const cs_model *m, const cs_customers *c)
{
    if (!cs_model_has(m, CS_CAP_TIME_UNIT))
        return 1;
    return c->kind == CS_TABLE_SUMMARY && c->unit == m->unit;
}

int cs_customers_fit(const cs_customers *c, int kind, const cs_fit_options *opt, cs_model *m,
                     cs_error *err)
{
    memset(m, 0, sizeof *m);
    m->kind = kind;
    m->calibration_end = m->as_of = CS_DAY_NONE;
    cs_dataset *d = cs_customers_dataset(c, kind, err);
    if (!d)
        return err ? err->code : CS_EINVAL;
    int rc = cs_model_fit(kind, d, opt, m, err);
    cs_dataset_free(d);
    m->unit = c->unit >= 0 ? c->unit : 0; /* patterns: periods, not a time unit */
    return rc;
}
