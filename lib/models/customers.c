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

static int find_cols(const char *const *f, const size_t *len, size_t nf, struct cols *c)
{
    memset(c, -1, sizeof *c);
    c->unit = c->unit_T = c->unit_dur = -2;
    int plain_recency = -1;
    for (size_t i = 0; i < nf; i++) {
        int u;
        if (eq(f[i], len[i], "customer_id"))
            c->id = (int)i;
        else if (eq(f[i], len[i], "frequency"))
            c->x = (int)i;
        else if (eq(f[i], len[i], "recency"))
            plain_recency = (int)i;
        else if (eq(f[i], len[i], "periods"))
            c->periods = (int)i;
        else if (eq(f[i], len[i], "weights") || eq(f[i], len[i], "weight") ||
                 eq(f[i], len[i], "count"))
            c->w = (int)i;
        else if (eq(f[i], len[i], "monetary_value"))
            c->m = (int)i;
        else if (eq(f[i], len[i], "frequency_holdout"))
            c->xh = (int)i;
        else if ((u = unit_suffix(f[i], len[i], "recency_")) != -2)
            c->tx = (int)i, c->unit = u;
        else if ((u = unit_suffix(f[i], len[i], "T_")) != -2)
            c->T = (int)i, c->unit_T = u;
        else if ((u = unit_suffix(f[i], len[i], "duration_holdout_")) != -2)
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
            nf++;
            b = i + 1;
        }
    struct cols c;
    return find_cols(f, l, nf, &c);
}

static int number(const char *s, size_t n, double *v)
{
    return cs_parse_double(s, n, v);
}

cs_customers *cs_customers_read(cs_input *in, cs_error *err)
{
    cs_customers *c = calloc(1, sizeof *c);
    cs_records *r = cs_records_new(in, CS_DELIM_AUTO, err);
    size_t cap = 0;
    if (!c || !r) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        goto fail;
    }
    cs_record rec;
    int rc = cs_records_next(r, &rec, err);
    if (rc <= 0) {
        if (rc == 0) {
            csi_fail(err, CS_EEMPTY, "the input is empty");
            csi_error_where(err, cs_input_name(in), 0, 0, NULL, 0);
        }
        goto fail;
    }
    struct cols k;
    c->kind = find_cols(rec.field, rec.len, rec.nfields, &k);
    size_t nf = rec.nfields;
    if (c->kind == CS_TABLE_OTHER) {
        csi_fail(err, CS_ECOLUMN,
                 "not a customer summary: the header needs frequency, recency_UNIT and "
                 "T_UNIT (custseg-summary output) or frequency, recency, periods (BG/BB "
                 "patterns)");
        csi_error_where(err, cs_input_name(in), 1, 0, NULL, 0);
        goto fail;
    }
    if (c->kind == CS_TABLE_SUMMARY && (k.unit < 0 || k.unit != k.unit_T ||
                                        (k.dur >= 0 && k.unit_dur != k.unit))) {
        csi_fail(err, CS_ECOLUMN,
                 "the recency, T and duration columns must carry the same unit (days, weeks "
                 "or months)");
        csi_error_where(err, cs_input_name(in), 1, 0, NULL, 0);
        goto fail;
    }
    c->unit = c->kind == CS_TABLE_SUMMARY ? k.unit : -1;
    c->has_monetary = k.m >= 0;
    c->has_holdout = k.xh >= 0 && k.dur >= 0;
    c->duration_holdout = NAN;
    while ((rc = cs_records_next(r, &rec, err)) == 1) {
        if (rec.nfields != nf) {
            csi_fail(err, CS_EFORMAT, "expected %zu fields, found %zu", nf, rec.nfields);
            csi_error_where(err, cs_input_name(in), rec.line, 0, NULL, 0);
            goto fail;
        }
        if (c->n == cap) {
            cap = cap ? cap * 2 : 1024;
            if (grow(c, cap) != CS_OK) {
                csi_fail(err, CS_ENOMEM, "out of memory");
                goto fail;
            }
        }
        size_t i = c->n;
        const int idx[] = {k.x, k.tx, c->kind == CS_TABLE_PATTERNS ? k.periods : k.T};
        double v[3];
        for (int j = 0; j < 3; j++)
            if (!number(rec.field[idx[j]], rec.len[idx[j]], &v[j]) || v[j] < 0) {
                char ex[80];
                csi_excerpt(ex, sizeof ex, rec.field[idx[j]], rec.len[idx[j]]);
                csi_fail(err, CS_EFORMAT, "'%s' is not a number >= 0", ex);
                csi_error_where(err, cs_input_name(in), rec.line, idx[j] + 1, NULL, 0);
                goto fail;
            }
        c->obs[i].x = v[0];
        c->obs[i].tx = v[1];
        c->obs[i].T = v[2];
        c->monetary[i] = c->x_holdout[i] = NAN;
        c->weight[i] = 1;
        double t;
        if (k.m >= 0 && number(rec.field[k.m], rec.len[k.m], &t))
            c->monetary[i] = t;
        if (c->has_holdout && number(rec.field[k.xh], rec.len[k.xh], &t))
            c->x_holdout[i] = t;
        if (c->has_holdout && number(rec.field[k.dur], rec.len[k.dur], &t))
            c->duration_holdout = t;
        if (k.w >= 0) {
            if (!number(rec.field[k.w], rec.len[k.w], &c->weight[i]) || c->weight[i] < 0) {
                csi_fail(err, CS_EFORMAT, "the weight is not a number >= 0");
                csi_error_where(err, cs_input_name(in), rec.line, k.w + 1, NULL, 0);
                goto fail;
            }
        }
        const char *id = k.id >= 0 ? rec.field[k.id] : NULL;
        size_t idn = k.id >= 0 ? rec.len[k.id] : 0;
        char gen[32];
        if (!id) { /* a pattern table has no ids: number the rows */
            idn = (size_t)snprintf(gen, sizeof gen, "%zu", i + 1);
            id = gen;
        }
        if (cs_ids_push(&c->ids, id, idn) != CS_OK) {
            csi_fail(err, CS_ENOMEM, "out of memory");
            goto fail;
        }
        c->n++;
    }
    if (rc < 0)
        goto fail;
    if (c->n == 0) {
        csi_fail(err, CS_EEMPTY, "no customers after the header line");
        csi_error_where(err, cs_input_name(in), 0, 0, NULL, 0);
        goto fail;
    }
    cs_records_free(r);
    return c;
fail:
    cs_records_free(r);
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
        o[m] = f->caps & CS_CAP_MONETARY ? (cs_obs){obs[i].x, monetary[i], 0} : obs[i];
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
