/* Customer tables: custseg-summary output, BG/BB pattern tables and the
 * purchase and spend pattern tables (cs_patterns). */
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
    free(c->line);
    free(c->file);
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
    G(line);
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
    int count; /* the column named count (a pattern table's, with no customer_id) */
    int unit, unit_T, unit_dur;
    int tx_old; /* 1: t_x read under its old name (recency_UNIT, recency) */
};

/* The columns of a header (names exactly as custseg-summary and the pattern
 * tables write them) and what they make: enum cs_table_kind. t_x is
 * t_x_UNIT (patterns: t_x); its former names, recency_UNIT
 * (patterns: recency), are read when the new name is absent; with both, the
 * new name wins and the old column is ignored like any other. */
static int find_cols(const cs_record *h, struct cols *c)
{
    memset(c, -1, sizeof *c);
    c->unit = c->unit_T = c->unit_dur = -2;
    int plain[2] = {-1, -1};         /* t_x, recency (patterns) */
    int unit_col[2] = {-1, -1};      /* t_x_UNIT, recency_UNIT */
    int unit_of[2] = {-2, -2};
    for (size_t i = 0; i < h->nfields; i++) {
        const char *f = h->field[i];
        size_t len = h->len[i];
        int u;
        if (eq(f, len, "customer_id"))
            c->id = (int)i;
        else if (eq(f, len, "frequency"))
            c->x = (int)i;
        else if (eq(f, len, "t_x"))
            plain[0] = (int)i;
        else if (eq(f, len, "recency"))
            plain[1] = (int)i;
        else if (eq(f, len, "periods"))
            c->periods = (int)i;
        else if (eq(f, len, "weights") || eq(f, len, "weight") || eq(f, len, "count")) {
            c->w = (int)i;
            if (eq(f, len, "count"))
                c->count = (int)i;
        }
        else if (eq(f, len, "monetary_value"))
            c->m = (int)i;
        else if (eq(f, len, "frequency_holdout"))
            c->xh = (int)i;
        else if ((u = unit_suffix(f, len, "t_x_")) != -2)
            unit_col[0] = (int)i, unit_of[0] = u;
        else if ((u = unit_suffix(f, len, "recency_")) != -2)
            unit_col[1] = (int)i, unit_of[1] = u;
        else if ((u = unit_suffix(f, len, "T_")) != -2)
            c->T = (int)i, c->unit_T = u;
        else if ((u = unit_suffix(f, len, "duration_holdout_")) != -2)
            c->dur = (int)i, c->unit_dur = u;
    }
    c->tx_old = 0;
    if (c->x >= 0 && c->periods >= 0 && (plain[0] >= 0 || plain[1] >= 0)) {
        c->tx_old = plain[0] < 0;
        c->tx = c->tx_old ? plain[1] : plain[0];
        return CS_TABLE_PATTERNS;
    }
    if (unit_col[0] >= 0 || unit_col[1] >= 0) {
        c->tx_old = unit_col[0] < 0;
        c->tx = unit_col[c->tx_old];
        c->unit = unit_of[c->tx_old];
    }
    /* a pattern table (cs_patterns_write): counts, no ids */
    int counts = c->count >= 0 && c->id < 0;
    if (c->x >= 0 && c->tx >= 0 && c->T >= 0)
        return counts ? CS_TABLE_COUNTS : CS_TABLE_SUMMARY;
    if (counts && c->x >= 0 && c->m >= 0 && c->tx < 0 && c->T < 0 && unit_col[1] < 0)
        return CS_TABLE_SPEND_COUNTS;
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

/* ---- the rules of a customer's row (cs_customers_check) ---- */

/* The name of column j of c as its header has it (custseg-summary's names
 * for a table built from transactions). */
static const char *col_name(const cs_customers *c, int j, char *buf, size_t size)
{
    int patterns = c->kind == CS_TABLE_PATTERNS;
    const char *u = c->unit >= 0 ? cs_unit_suffix(c->unit) : "UNIT";
    switch (j) {
    case CS_COLUMN_FREQUENCY: return "frequency";
    case CS_COLUMN_RECENCY:
        if (patterns)
            return c->tx_old_name ? "recency" : "t_x";
        snprintf(buf, size, "%s_%s", c->tx_old_name ? "recency" : "t_x", u);
        return buf;
    case CS_COLUMN_T:
        if (patterns)
            return "periods";
        snprintf(buf, size, "T_%s", u);
        return buf;
    case CS_COLUMN_MONETARY: return "monetary_value";
    default: return "frequency_holdout";
    }
}

/* Row i's place in the error (file, line, column j and its name, when
 * known), which becomes CS_EFORMAT: a value of the table breaks a rule. */
static int row_fail(const cs_customers *c, size_t i, int j, cs_error *err)
{
    char buf[32];
    const char *name = j >= 0 ? col_name(c, j, buf, sizeof buf) : "";
    csi_error_where(err, c->file ? c->file : "", c->line ? c->line[i] : 0,
                    j >= 0 ? c->column[j] : 0, name, strlen(name));
    if (err)
        err->code = CS_EFORMAT;
    return CS_EFORMAT;
}

/* The table's place in the error (its name, when read from one): no row. */
static int table_fail(const cs_customers *c, int code, cs_error *err)
{
    csi_error_where(err, c->file ? c->file : "", 0, 0, "", 0);
    return code;
}

/* 1 when v is a whole number from 0 to max. */
static int whole(double v, double max)
{
    return v >= 0 && v <= max && v == floor(v);
}

static int recency_after_T(const cs_obs *o)
{
    return o->tx > o->T + 1e-9;
}

/* The rules every row of a table obeys, whatever the model. */
static int check_row(const cs_customers *c, size_t i, unsigned flags, cs_error *err)
{
    const cs_obs *o = &c->obs[i];
    int patterns = c->kind == CS_TABLE_PATTERNS;
    char r[32], T[32];
    const char *rn = col_name(c, CS_COLUMN_RECENCY, r, sizeof r);
    const char *Tn = col_name(c, CS_COLUMN_T, T, sizeof T);
    if (!(o->x >= 0 && o->x == floor(o->x)) || !isfinite(o->x)) {
        csi_fail(err, CS_EINVAL, "frequency must be a whole number >= 0, found %.17g", o->x);
        return row_fail(c, i, CS_COLUMN_FREQUENCY, err);
    }
    if (o->x > CS_FREQUENCY_MAX) {
        csi_fail(err, CS_EINVAL,
                 "frequency %.17g is too large (at most %.0f repeat purchases: the models "
                 "give no predictions far beyond it)",
                 o->x, CS_FREQUENCY_MAX);
        return row_fail(c, i, CS_COLUMN_FREQUENCY, err);
    }
    const int cols[2] = {CS_COLUMN_RECENCY, CS_COLUMN_T};
    const double vals[2] = {o->tx, o->T};
    const char *names[2] = {rn, Tn};
    for (int k = 0; k < 2; k++) {
        double v = vals[k];
        if (patterns ? !whole(v, INFINITY) : !(v >= 0 && isfinite(v))) {
            csi_fail(err, CS_EINVAL, "%s must be %s >= 0, found %.17g", names[k],
                     patterns ? "a whole number of periods" : "a finite number", v);
            return row_fail(c, i, cols[k], err);
        }
    }
    if (recency_after_T(o)) {
        csi_fail(err, CS_EINVAL, "%s %.17g is greater than %s %.17g", rn, o->tx, Tn, o->T);
        return row_fail(c, i, CS_COLUMN_RECENCY, err);
    }
    if (patterns && o->x > o->T) {
        csi_fail(err, CS_EINVAL, "frequency %.17g is greater than periods %.17g", o->x, o->T);
        return row_fail(c, i, CS_COLUMN_FREQUENCY, err);
    }
    double xh = c->x_holdout ? c->x_holdout[i] : NAN;
    if (c->has_holdout && !isnan(xh) && !whole(xh, INFINITY)) {
        csi_fail(err, CS_EINVAL, "frequency_holdout must be a whole number >= 0, found %.17g",
                 xh);
        return row_fail(c, i, CS_COLUMN_HOLDOUT, err);
    }
    if ((flags & CS_CHECK_HOLDOUT) && isnan(xh)) {
        csi_fail(err, CS_EINVAL,
                 "frequency_holdout is empty: every customer's holdout purchases are needed");
        return row_fail(c, i, CS_COLUMN_HOLDOUT, err);
    }
    return CS_OK;
}

/* What a model of family f takes of row i. */
static int check_model_row(const cs_customers *c, size_t i, const struct csi_family *f,
                           cs_error *err)
{
    cs_obs o = c->obs[i];
    int j = -1; /* the column the family's check is about, when one */
    if ((f->caps & CS_CAP_REPEAT_ONLY) && !(o.x > 0))
        return CS_OK;
    if (f->caps & CS_CAP_MONETARY) {
        /* a spend model sees x and, in t_x, the mean repeat value */
        double mv = c->monetary ? c->monetary[i] : NAN;
        if (o.x > 0 && !isfinite(mv)) {
            csi_fail(err, CS_EINVAL,
                     "monetary_value is empty for a repeat buyer: the %s model needs the mean "
                     "value of every repeat buyer",
                     f->title);
            return row_fail(c, i, CS_COLUMN_MONETARY, err);
        }
        o = (cs_obs){.x = o.x, .tx = mv, .T = 0};
        j = CS_COLUMN_MONETARY;
    }
    if (f->check && f->check(&o, err) != CS_OK)
        return row_fail(c, i, j, err);
    return CS_OK;
}

int cs_customers_check(const cs_customers *c, int kind, unsigned flags, cs_error *err)
{
    const struct csi_family *f = kind >= 0 ? csi_family(kind) : NULL;
    if (kind >= 0 && !f)
        return table_fail(c, csi_fail(err, CS_EINVAL, "no such model"), err);
    int counts = c->kind == CS_TABLE_COUNTS || c->kind == CS_TABLE_SPEND_COUNTS;
    if ((flags & CS_CHECK_CUSTOMERS) && counts) {
        csi_fail(err, CS_EINVAL,
                 "a pattern table's rows are counts of customers with the same data, without "
                 "ids (column count, no customer_id): it is for fitting; predictions, scores "
                 "and validation need one row per customer (a summary table)");
        return table_fail(c, CS_EINVAL, err);
    }
    if (f) {
        /* the table the model's capabilities ask for */
        int patterns = c->kind == CS_TABLE_PATTERNS;
        /* discrete periods (BG/BB), not a time unit: not a summary in one */
        if ((f->caps & (CS_CAP_DISCRETE | CS_CAP_PATTERNS)) && !patterns) {
            char u[48] = "";
            if (c->unit >= 0)
                snprintf(u, sizeof u, " in %s", cs_unit_suffix(c->unit));
            csi_fail(err, CS_EINVAL,
                     "the %s model counts discrete periods, not a time unit: it takes a "
                     "pattern table (frequency, t_x, periods[, weights]), not a summary%s",
                     f->title, u);
            return table_fail(c, CS_EINVAL, err);
        }
        if ((f->caps & CS_CAP_TIME_UNIT) && c->kind == CS_TABLE_SPEND_COUNTS) {
            csi_fail(err, CS_EINVAL,
                     "the %s model takes a summary in a time unit (frequency, t_x_UNIT, "
                     "T_UNIT) or a purchase pattern table, not a spend pattern table "
                     "(frequency, monetary_value, count), which is for Gamma-Gamma",
                     f->title);
            return table_fail(c, CS_EINVAL, err);
        }
        if ((f->caps & CS_CAP_TIME_UNIT) && patterns) {
            csi_fail(err, CS_EINVAL,
                     "the %s model takes a summary in a time unit (frequency, t_x_UNIT, "
                     "T_UNIT), not a pattern table",
                     f->title);
            return table_fail(c, CS_EINVAL, err);
        }
        if ((flags & CS_CHECK_HOLDOUT) && !c->has_holdout) {
            csi_fail(err, CS_EINVAL, "the customers have no holdout period (frequency_holdout "
                                     "and duration_holdout)");
            return table_fail(c, CS_EINVAL, err);
        }
    }
    /* the table as a whole: t_x after T on most rows is a table whose
     * header does not say what its columns hold */
    size_t after = 0, first = 0;
    for (size_t i = 0; i < c->n; i++)
        if (recency_after_T(&c->obs[i]) && after++ == 0)
            first = i;
    if (after >= 2 && after > c->n / 2) {
        char r[32], T[32];
        const char *rn = col_name(c, CS_COLUMN_RECENCY, r, sizeof r);
        const char *Tn = col_name(c, CS_COLUMN_T, T, sizeof T);
        csi_fail(err, CS_EINVAL,
                 "%s is greater than %s on %zu of %zu rows (here %.17g > %.17g): the columns "
                 "look swapped, or in different units (%s must be <= %s)",
                 rn, Tn, after, c->n, c->obs[first].tx, c->obs[first].T, rn, Tn);
        return row_fail(c, first, CS_COLUMN_RECENCY, err);
    }
    for (size_t i = 0; i < c->n; i++) {
        int rc = check_row(c, i, flags, err);
        if (rc == CS_OK && f)
            rc = check_model_row(c, i, f, err);
        if (rc != CS_OK)
            return rc;
    }
    return CS_OK;
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
                 "not a customer summary: the header needs frequency, t_x_UNIT and "
                 "T_UNIT (custseg-summary output, or with count and no customer_id a "
                 "pattern table), frequency, monetary_value and count (a spend pattern "
                 "table) or frequency, t_x, periods (BG/BB patterns); recency_UNIT and "
                 "recency are read for t_x");
        csi_error_where(err, file, cs_table_line(t), 0, NULL, 0);
        goto fail;
    }
    if ((c->kind == CS_TABLE_SUMMARY || c->kind == CS_TABLE_COUNTS) && (k.unit < 0 || k.unit != k.unit_T ||
                                        (k.dur >= 0 && k.unit_dur != k.unit))) {
        csi_fail(err, CS_ECOLUMN,
                 "the t_x, T and duration columns must carry the same unit (days, weeks "
                 "or months)");
        csi_error_where(err, file, cs_table_line(t), 0, NULL, 0);
        goto fail;
    }
    int patterns = c->kind == CS_TABLE_PATTERNS;
    int spend = c->kind == CS_TABLE_SPEND_COUNTS; /* no t_x, no T: both 0 */
    c->unit = patterns || spend ? -1 : k.unit;
    c->tx_old_name = k.tx_old;
    c->has_monetary = k.m >= 0;
    c->has_holdout = k.xh >= 0 && k.dur >= 0;
    c->duration_holdout = NAN;
    c->file = strdup(file);
    if (!c->file) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        goto fail;
    }
    /* frequency, t_x and T (patterns: x, t_x and n): numbers here, their
     * rules in cs_customers_check */
    const int col[3] = {k.x, k.tx, patterns ? k.periods : k.T};
    const int ncol = spend ? 1 : 3;
    c->column[CS_COLUMN_FREQUENCY] = col[0] + 1;
    c->column[CS_COLUMN_RECENCY] = col[1] + 1;
    c->column[CS_COLUMN_T] = col[2] + 1;
    c->column[CS_COLUMN_MONETARY] = k.m + 1;
    c->column[CS_COLUMN_HOLDOUT] = c->has_holdout ? k.xh + 1 : 0;
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
        double v[3] = {0, 0, 0};
        for (int j = 0; j < ncol; j++)
            if (cs_table_real(t, col[j], 0, &v[j], err) != CS_OK)
                goto fail;
        c->line[i] = cs_table_line(t);
        c->obs[i].x = v[0];
        c->obs[i].tx = v[1];
        c->obs[i].T = v[2];
        c->obs[i].litt = 0;
        c->monetary[i] = c->x_holdout[i] = NAN;
        c->weight[i] = 1;
        /* a spend pattern table's values are those of repeat buyers: none empty */
        if (k.m >= 0 && cs_table_real(t, k.m, spend ? 0 : CS_TABLE_EMPTY_NAN, &c->monetary[i],
                                      err) != CS_OK)
            goto fail;
        if (c->has_holdout) {
            double d;
            if (cs_table_real(t, k.xh, CS_TABLE_EMPTY_NAN, &c->x_holdout[i], err) != CS_OK ||
                cs_table_real(t, k.dur, CS_TABLE_EMPTY_NAN | CS_TABLE_NONNEG, &d, err) != CS_OK)
                goto fail;
            /* one holdout period for the table: a row with another length
             * was summarised differently */
            if (!isnan(d) && !isnan(c->duration_holdout) && d != c->duration_holdout) {
                const cs_record *h = cs_table_header(t);
                csi_fail(err, CS_EFORMAT,
                         "%.*s is %.17g here and %.17g on an earlier row: a table has one "
                         "holdout period",
                         (int)h->len[k.dur], h->field[k.dur], d, c->duration_holdout);
                csi_error_where(err, file, cs_table_line(t), k.dur + 1, h->field[k.dur],
                                h->len[k.dur]);
                goto fail;
            }
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
    if (cs_customers_check(c, -1, 0, err) != CS_OK)
        goto fail;
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
    if (!c || grow(c, s->n + 1) != CS_OK || cs_summary_copy_ids(s, &c->ids) != CS_OK) {
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
        c->obs[i].x = x;
        c->obs[i].tx = (r->last - r->first) * per_day;
        c->obs[i].T = (end - r->first) * per_day;
        c->obs[i].litt = 0;
        c->monetary[i] = !s->has_amount ? NAN
                         : x         ? (double)r->repeat_value / ((double)x * CS_MICRO)
                                     : 0;
        c->x_holdout[i] = hold ? r->holdout_days : NAN;
        c->weight[i] = 1;
        c->line[i] = 0;
    }
    c->n = s->n;
    /* built, not read: the rules hold by construction, and are checked all
     * the same, as for every table */
    if (cs_customers_check(c, -1, 0, err) != CS_OK) {
        cs_customers_free(c);
        return NULL;
    }
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
            csi_fail(err, CS_EINVAL, "a pattern table (frequency, t_x, periods) is for %s",
                     names);
        return NULL;
    }
    if ((f->caps & CS_CAP_MONETARY) && !c->has_monetary && c->n > 0) {
        csi_fail(err, CS_EINVAL,
                 "the %s model needs monetary values: the input has no monetary_value column",
                 f->title);
        return NULL;
    }
    /* the rows a fit takes are those every other command takes */
    if (cs_customers_check(c, kind, 0, err) != CS_OK)
        return NULL;
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
    if (cs_model_has(m, CS_CAP_DISCRETE) || cs_model_has(m, CS_CAP_PATTERNS))
        return c->kind == CS_TABLE_PATTERNS;
    if (!cs_model_has(m, CS_CAP_TIME_UNIT))
        return 1;
    return (c->kind == CS_TABLE_SUMMARY || c->kind == CS_TABLE_COUNTS) && c->unit == m->unit;
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
