/* BG/BB patterns from a transaction log: one row per customer (x, t_x, n)
 * from the summary builder's period histories; and pattern tables
 * (cs_patterns): the distinct observations a fit groups, with their counts,
 * added up over any number of tables. */
#include "models/family.h"
#include "util/internal.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pattern_sink {
    cs_customers *c;
    size_t cap;
};

static int grow(void *pp, size_t n, size_t size)
{
    void *q = realloc(*(void **)pp, n * size);
    if (!q)
        return CS_ENOMEM;
    *(void **)pp = q;
    return CS_OK;
}

static int add_pattern(void *ctx, const char *id, size_t len, int x, int tx, int n)
{
    struct pattern_sink *s = ctx;
    cs_customers *c = s->c;
    if (c->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        if (grow(&c->obs, cap, sizeof *c->obs) || grow(&c->monetary, cap, sizeof *c->monetary) ||
            grow(&c->x_holdout, cap, sizeof *c->x_holdout) ||
            grow(&c->weight, cap, sizeof *c->weight))
            return CS_ENOMEM;
        s->cap = cap;
    }
    int rc = cs_ids_push(&c->ids, id, len);
    if (rc != CS_OK)
        return rc;
    size_t k = c->n++;
    c->obs[k] = (cs_obs){.x = x, .tx = tx, .T = n};
    c->monetary[k] = c->x_holdout[k] = NAN;
    c->weight[k] = 1;
    return CS_OK;
}

cs_customers *cs_builder_periods(cs_builder *b, size_t *too_recent, cs_error *err)
{
    struct pattern_sink s = {.c = calloc(1, sizeof(cs_customers))};
    if (!s.c) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    s.c->kind = CS_TABLE_PATTERNS;
    s.c->unit = -1;
    s.c->duration_holdout = NAN;
    int rc = cs_builder_period_histories(b, add_pattern, &s, too_recent, err);
    if (rc != CS_OK) {
        if (rc == CS_ENOMEM)
            csi_fail(err, CS_ENOMEM, "out of memory");
        cs_customers_free(s.c);
        return NULL;
    }
    return s.c;
}

/* ---- Pattern tables: what a fit needs, without the customers ---- */

int cs_patterns_table_kind(int model)
{
    const struct csi_family *f = csi_family(model);
    if (!f || f->role == CS_ROLE_RETENTION || (f->caps & CS_CAP_LIMIT_ONLY))
        return -1;
    if (f->caps & CS_CAP_PATTERNS)
        return CS_TABLE_PATTERNS;
    if (f->caps & CS_CAP_MONETARY)
        return CS_TABLE_SPEND_COUNTS;
    if (f->caps & CS_CAP_TIME_UNIT)
        return CS_TABLE_COUNTS;
    return -1;
}

int cs_patterns_init(cs_patterns *p, int model, cs_error *err)
{
    memset(p, 0, sizeof *p);
    p->model = model;
    p->unit = -1;
    p->kind = cs_patterns_table_kind(model);
    if (p->kind < 0)
        return csi_fail(err, CS_EINVAL, "no pattern table for this model kind");
    return CS_OK;
}

void cs_patterns_free(cs_patterns *p)
{
    if (!p)
        return;
    free(p->obs);
    free(p->count);
    memset(p, 0, sizeof *p);
    p->unit = -1;
}

int cs_patterns_add(cs_patterns *p, const cs_customers *c, cs_error *err)
{
    if (p->kind == CS_TABLE_COUNTS && c->unit >= 0 && p->unit >= 0 && c->unit != p->unit) {
        csi_fail(err, CS_EINVAL,
                 "this table is in %s and the tables before it in %s: tables in one time "
                 "unit are combined, none is converted",
                 cs_unit_suffix(c->unit), cs_unit_suffix(p->unit));
        csi_error_where(err, c->file ? c->file : "", 0, 0, NULL, 0);
        return CS_EINVAL;
    }
    /* what a fit takes of c, checked by the fit's rules and grouped as the
     * fit groups it: so the table's rows are the fit's data */
    cs_dataset *d = cs_customers_dataset(c, p->model, err);
    if (!d) {
        if (err && !err->file[0] && c->file)
            csi_error_where(err, c->file, 0, 0, NULL, 0);
        return err ? err->code : CS_EINVAL;
    }
    size_t n = p->n + d->n;
    cs_obs *o = malloc((n + 1) * sizeof *o);
    double *w = malloc((n + 1) * sizeof *w);
    if (!o || !w) {
        free(o);
        free(w);
        cs_dataset_free(d);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    if (p->n) {
        memcpy(o, p->obs, p->n * sizeof *o);
        memcpy(w, p->count, p->n * sizeof *w);
    }
    memcpy(o + p->n, d->obs, d->n * sizeof *o);
    memcpy(w + p->n, d->w, d->n * sizeof *w);
    cs_dataset_free(d);
    /* the same grouping: sorted by (x, t_x, T), equal rows' counts added */
    cs_dataset *g = cs_dataset_group(o, w, n, err);
    free(o);
    free(w);
    if (!g)
        return CS_ENOMEM;
    free(p->obs);
    free(p->count);
    p->obs = g->obs;
    p->count = g->w;
    p->n = g->n;
    p->customers = g->total;
    free(g);
    if (p->kind == CS_TABLE_COUNTS && c->unit >= 0)
        p->unit = c->unit;
    p->inputs++;
    return CS_OK;
}

/* v as the shortest decimal of up to 17 significant digits that reads back
 * (cs_parse_double) as v exactly; printf under the C locale, whatever the
 * caller's LC_NUMERIC. buf: 40 bytes. */
static size_t exact_text(char *buf, double v)
{
    int n = 0;
    for (int digits = 15; digits <= 17; digits++) {
        n = snprintf(buf, 40, "%.*g", digits, v);
        double back;
        if (n > 0 && n < 40 && cs_parse_double(buf, (size_t)n, &back) && back == v)
            break;
    }
    return n > 0 ? (size_t)n : 0;
}

int cs_patterns_write(const cs_patterns *p, FILE *fp, int header, cs_error *err)
{
    char tx[32], T[32];
    const char *names[4] = {"frequency", "t_x", "periods", "weights"};
    size_t nc = 4;
    if (p->kind == CS_TABLE_COUNTS) {
        if (p->unit < 0)
            return csi_fail(err, CS_EINVAL, "a purchase pattern table needs a time unit");
        snprintf(tx, sizeof tx, "t_x_%s", cs_unit_suffix(p->unit));
        snprintf(T, sizeof T, "T_%s", cs_unit_suffix(p->unit));
        names[1] = tx;
        names[2] = T;
        names[3] = "count";
    } else if (p->kind == CS_TABLE_SPEND_COUNTS) {
        names[1] = "monetary_value";
        names[2] = "count";
        nc = 3;
    } else if (p->kind != CS_TABLE_PATTERNS) {
        return csi_fail(err, CS_EINVAL, "not a pattern table");
    }
    cs_writer *w = cs_writer_new(fp, CS_FORMAT_CSV, header, names, nc, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    locale_t cl = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0), old = (locale_t)0;
    if (cl == (locale_t)0) {
        cs_writer_free(w);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    old = uselocale(cl);
    int rc = CS_OK;
    for (size_t i = 0; i < p->n && rc == CS_OK; i++) {
        const cs_obs *o = &p->obs[i];
        /* spend: x and, in t_x, the mean value (cs_customers_dataset) */
        const double v[4] = {o->x, o->tx, nc == 3 ? p->count[i] : o->T, p->count[i]};
        for (size_t j = 0; j < nc; j++) {
            char buf[40];
            cs_writer_num(w, buf, exact_text(buf, v[j]));
        }
        rc = cs_writer_end_row(w);
    }
    uselocale(old);
    freelocale(cl);
    int frc = cs_writer_finish(w, err);
    cs_writer_free(w);
    if (rc != CS_OK && frc == CS_OK)
        return csi_fail(err, CS_EIO, "write error");
    return frc;
}
