/* custseg: a summary table written by custseg-summary, read back into a
 * cs_summary (for a report made from the table instead of the log). */
#include "summary/builder-internal.h"
#include "util/internal.h"

#include "cs-io.h"
#include "cs-txn.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_ID, C_FIRST, C_LAST, C_TX, C_PDAYS, C_FREQ, C_DSL, C_TOTAL, C_MEAN, C_XH, C_VH, C_DUR,
       C_N };

struct sread {
    cs_table *t;
    const char *file;
    int col[C_N];
    int unit; /* of duration_holdout_UNIT; -1 none */
};

/* An error at a column of the current row. */
static int at(struct sread *r, int k, int code, cs_error *err, const char *fmt, ...)
    CS_PRINTF(5, 6);
static int at(struct sread *r, int k, int code, cs_error *err, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const cs_record *h = cs_table_header(r->t);
    int col = r->col[k];
    csi_fail(err, code, "%s", msg);
    csi_error_where(err, r->file, cs_table_line(r->t), col + 1, h->field[col], h->len[col]);
    return code;
}

static int whole(struct sread *r, int k, unsigned extra, uint32_t *out, cs_error *err)
{
    double v;
    int rc = cs_table_real(r->t, r->col[k], CS_TABLE_WHOLE | CS_TABLE_NONNEG | extra, &v, err);
    if (rc != CS_OK)
        return rc;
    if (v > 4294967295.0)
        return at(r, k, CS_EFORMAT, err, "%s %.0f is too large (at most 4294967295)",
                  cs_table_name(r->t, r->col[k]), v);
    *out = (uint32_t)v;
    return CS_OK;
}

static int money(struct sread *r, int k, int64_t *out, cs_error *err)
{
    const char *s;
    size_t len;
    const char *why = NULL;
    cs_table_str(r->t, r->col[k], &s, &len);
    if (cs_amount_parse(s, len, out, &why) != CS_OK) {
        const cs_record *h = cs_table_header(r->t);
        int col = r->col[k];
        csi_fail(err, CS_EFORMAT, "'%.*s' is not an amount (%s)", (int)(len > 40 ? 40 : len), s,
                 why ? why : "a decimal number");
        csi_error_where(err, r->file, cs_table_line(r->t), col + 1, h->field[col], h->len[col]);
        return CS_EFORMAT;
    }
    return CS_OK;
}

static int find_columns(struct sread *r, cs_error *err)
{
    static const char *const name[C_N] = {
        "customer_id", "first_purchase", "last_purchase", "transactions", "purchase_days",
        "frequency", "days_since_last", "total_value", "monetary_value", "frequency_holdout",
        "value_holdout", NULL};
    for (int k = 0; k < C_N; k++)
        r->col[k] = name[k] ? cs_table_find(r->t, name[k]) : -1;
    r->unit = -1;
    for (int u = CS_UNIT_DAY; u <= CS_UNIT_MONTH; u++) {
        char dur[48];
        snprintf(dur, sizeof dur, "duration_holdout_%s", cs_unit_suffix(u));
        int c = cs_table_find(r->t, dur);
        if (c >= 0)
            r->col[C_DUR] = c, r->unit = u;
    }
    static const int need[] = {C_ID, C_FIRST, C_LAST, C_TX, C_PDAYS, C_DSL};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (r->col[need[i]] < 0) {
            csi_fail(err, CS_ECOLUMN,
                     "no column '%s': a summary table of custseg-summary has customer_id, "
                     "first_purchase, last_purchase, transactions, purchase_days and "
                     "days_since_last",
                     name[need[i]]);
            csi_error_where(err, r->file, cs_table_line(r->t), 0, NULL, 0);
            return CS_ECOLUMN;
        }
    if ((r->col[C_XH] >= 0) != (r->col[C_DUR] >= 0)) {
        csi_fail(err, CS_ECOLUMN, "a holdout needs both frequency_holdout and "
                                  "duration_holdout_UNIT (one of them is missing)");
        csi_error_where(err, r->file, cs_table_line(r->t), 0, NULL, 0);
        return CS_ECOLUMN;
    }
    return CS_OK;
}

/* One row into w (its id pushed to ids); *end is the row's end of the
 * calibration period (last purchase + days since). */
static int read_row(struct sread *r, cs_summary_row *w, cs_ids *ids, cs_day *end, double *dur,
                    cs_error *err)
{
    cs_table *t = r->t;
    memset(w, 0, sizeof *w);
    w->nth_day = CS_DAY_NONE;
    int rc;
    uint32_t dsl = 0;
    if ((rc = cs_table_id(t, r->col[C_ID], ids, err)) != CS_OK ||
        (rc = cs_table_day(t, r->col[C_FIRST], 0, &w->first, err)) != CS_OK ||
        (rc = cs_table_day(t, r->col[C_LAST], 0, &w->last, err)) != CS_OK ||
        (rc = whole(r, C_TX, 0, &w->transactions, err)) != CS_OK ||
        (rc = whole(r, C_PDAYS, 0, &w->purchase_days, err)) != CS_OK ||
        (rc = whole(r, C_DSL, 0, &dsl, err)) != CS_OK)
        return rc;
    if (w->last < w->first)
        return at(r, C_LAST, CS_EFORMAT, err,
                  "last_purchase is before first_purchase");
    if (w->purchase_days < 1)
        return at(r, C_PDAYS, CS_EFORMAT, err, "purchase_days must be at least 1, found 0");
    if (w->purchase_days > (uint32_t)(w->last - w->first) + 1)
        return at(r, C_PDAYS, CS_EFORMAT, err,
                  "purchase_days %u is more than the %lld days from the first purchase to the last",
                  (unsigned)w->purchase_days, (long long)(w->last - w->first) + 1);
    if (w->transactions < w->purchase_days)
        return at(r, C_TX, CS_EFORMAT, err,
                  "transactions %u is fewer than the purchase days (%u)",
                  (unsigned)w->transactions, (unsigned)w->purchase_days);
    if (r->col[C_FREQ] >= 0) {
        uint32_t x = 0;
        if ((rc = whole(r, C_FREQ, 0, &x, err)) != CS_OK)
            return rc;
        if (x + 1 != w->purchase_days)
            return at(r, C_FREQ, CS_EFORMAT, err,
                      "frequency %u is not purchase_days - 1 (%u)", (unsigned)x,
                      (unsigned)w->purchase_days - 1);
    }
    *end = w->last + (cs_day)dsl;
    if (r->col[C_TOTAL] >= 0 && (rc = money(r, C_TOTAL, &w->total_value, err)) != CS_OK)
        return rc;
    if (r->col[C_MEAN] >= 0 && w->purchase_days > 1) {
        int64_t mean;
        if ((rc = money(r, C_MEAN, &mean, err)) != CS_OK)
            return rc;
        /* the table keeps the mean to 6 decimals: the sum it came from, to
         * within half a micro-unit per repeat day */
        w->repeat_value = mean * (int64_t)(w->purchase_days - 1);
    }
    if (r->col[C_XH] >= 0) {
        if ((rc = whole(r, C_XH, 0, &w->holdout_days, err)) != CS_OK)
            return rc;
        if (r->col[C_VH] >= 0 && (rc = money(r, C_VH, &w->holdout_value, err)) != CS_OK)
            return rc;
        if ((rc = cs_table_real(t, r->col[C_DUR], CS_TABLE_NONNEG, dur, err)) != CS_OK)
            return rc;
    }
    return CS_OK;
}

cs_summary *cs_summary_read(cs_input *in, cs_error *err)
{
    struct sread r = {0};
    cs_ids ids = {0};
    cs_summary *s = calloc(1, sizeof *s);
    size_t cap = 0;
    cs_day end0 = CS_DAY_NONE;
    double dur0 = NAN;
    long line0 = 0;
    if (!s) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    r.t = cs_table_open(in, CS_DELIM_AUTO, err);
    if (!r.t)
        goto fail;
    r.file = cs_table_file(r.t);
    if (find_columns(&r, err) != CS_OK)
        goto fail;
    s->has_amount = r.col[C_TOTAL] >= 0;
    s->returns = CS_RETURNS_NET;
    s->stats.min_day = s->stats.max_day = CS_DAY_NONE;
    int rc;
    while ((rc = cs_table_next(r.t, err)) == 1) {
        if (s->n == cap) {
            size_t nc = cap ? cap * 2 : 1024;
            cs_summary_row *g = realloc(s->rows, nc * sizeof *g);
            if (!g) {
                csi_fail(err, CS_ENOMEM, "out of memory");
                goto fail;
            }
            s->rows = g, cap = nc;
        }
        cs_summary_row *w = &s->rows[s->n];
        cs_day end = CS_DAY_NONE;
        double dur = NAN;
        if (read_row(&r, w, &ids, &end, &dur, err) != CS_OK)
            goto fail;
        /* one end of the period for the whole table */
        if (end0 == CS_DAY_NONE)
            end0 = end, dur0 = dur, line0 = cs_table_line(r.t);
        else if (end != end0) {
            char a[11], b[11];
            cs_day_format(end, a);
            cs_day_format(end0, b);
            csi_fail(err, CS_EFORMAT,
                     "last_purchase + days_since_last is %s here and %s on line %ld: a "
                     "summary table has one end of its period",
                     a, b, line0);
            int col = r.col[C_DSL];
            const cs_record *h = cs_table_header(r.t);
            csi_error_where(err, r.file, cs_table_line(r.t), col + 1, h->field[col], h->len[col]);
            goto fail;
        } else if (!isnan(dur) && dur != dur0) {
            csi_fail(err, CS_EFORMAT,
                     "duration_holdout is %.17g here and %.17g on line %ld: a table has one "
                     "holdout period",
                     dur, dur0, line0);
            int col = r.col[C_DUR];
            const cs_record *h = cs_table_header(r.t);
            csi_error_where(err, r.file, cs_table_line(r.t), col + 1, h->field[col], h->len[col]);
            goto fail;
        }
        if (w->first > end) {
            char a[11];
            cs_day_format(end, a);
            at(&r, C_FIRST, CS_EFORMAT, err, "first_purchase is after the end of the period (%s)",
               a);
            goto fail;
        }
        if (s->stats.min_day == CS_DAY_NONE || w->first < s->stats.min_day)
            s->stats.min_day = w->first;
        if (s->stats.max_day == CS_DAY_NONE || w->last > s->stats.max_day)
            s->stats.max_day = w->last;
        s->stats.records += w->transactions;
        s->n++;
    }
    if (rc < 0)
        goto fail;
    if (s->n == 0) {
        csi_fail(err, CS_EEMPTY, "no customers after the header line");
        csi_error_where(err, r.file, 0, 0, NULL, 0);
        goto fail;
    }
    s->stats.customers_seen = s->n;
    if (r.col[C_XH] >= 0) {
        int64_t num, den;
        cs_unit_days(r.unit, &num, &den);
        s->calibration_end = end0;
        s->as_of = end0 + (cs_day)llround(dur0 * (double)num / (double)den);
    } else {
        s->calibration_end = CS_DAY_NONE;
        s->as_of = end0;
    }
    for (size_t i = 0; i < s->n; i++) {
        size_t len;
        s->rows[i].id = cs_ids_get(&ids, i, &len);
        s->rows[i].id_len = (uint32_t)len;
    }
    s->priv_ = ids.bytes; /* the ids' storage is the summary's now */
    free(ids.off);
    free(ids.len);
    cs_table_free(r.t);
    return s;
fail:
    cs_table_free(r.t);
    cs_ids_clear(&ids);
    cs_summary_free(s);
    return NULL;
}
