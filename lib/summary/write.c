/* The summary table as custseg-summary writes it, from a finished summary or
 * straight from a builder. */
#include "summary/builder-internal.h"
#include "util/internal.h"

#include <stdlib.h>
#include <string.h>

/* Time columns carry 12 decimals: far below a second, and the same text on
 * every machine because they are computed from whole days exactly. */
#define TIME_DECIMALS 12

struct sumw {
    cs_writer *w;
    int unit, has_amount, hold;
    cs_day end;    /* calibration end, or as-of */
    cs_day as_of;
    cs_day cal_end;
};

static void put_time(cs_writer *w, int64_t days, int unit)
{
    int64_t num, den;
    cs_unit_days(unit, &num, &den);
    char buf[48];
    size_t n = cs_format_ratio(buf, days * den, num, TIME_DECIMALS);
    cs_writer_num(w, buf, n);
}

static int sumw_begin(struct sumw *sw, FILE *fp, int format, int header, int unit,
                      int has_amount, cs_day as_of, cs_day cal_end, cs_error *err)
{
    const char *u = cs_unit_suffix(unit);
    char txcol[32], tcol[32], dur[40];
    snprintf(txcol, sizeof txcol, "t_x_%s", u);
    snprintf(tcol, sizeof tcol, "T_%s", u);
    snprintf(dur, sizeof dur, "duration_holdout_%s", u);
    const char *names[20];
    size_t nc = 0;
    names[nc++] = "customer_id";
    names[nc++] = "first_purchase";
    names[nc++] = "last_purchase";
    names[nc++] = "transactions";
    names[nc++] = "purchase_days";
    names[nc++] = "frequency";
    names[nc++] = txcol;
    names[nc++] = tcol;
    names[nc++] = "days_since_last";
    if (has_amount) {
        names[nc++] = "total_value";
        names[nc++] = "monetary_value";
    }
    sw->hold = cal_end != CS_DAY_NONE;
    if (sw->hold) {
        names[nc++] = "frequency_holdout";
        if (has_amount)
            names[nc++] = "value_holdout";
        names[nc++] = dur;
    }
    sw->w = cs_writer_new(fp, format, header, names, nc, err);
    if (!sw->w)
        return err ? err->code : CS_ENOMEM;
    cs_writer_set_sheet(sw->w, "Summary");
    for (size_t k = 0; k < nc; k++) /* money in a workbook; monetary_value is text */
        if (!strcmp(names[k], "total_value") || !strcmp(names[k], "monetary_value") ||
            !strcmp(names[k], "value_holdout"))
            cs_writer_money_column(sw->w, k);
    sw->unit = unit;
    sw->has_amount = has_amount;
    sw->as_of = as_of;
    sw->cal_end = cal_end;
    sw->end = sw->hold ? cal_end : as_of;
    return CS_OK;
}

static int sumw_row(struct sumw *sw, const cs_summary_row *r)
{
    cs_writer *w = sw->w;
    uint32_t freq = r->purchase_days - 1;
    cs_writer_str(w, r->id, r->id_len);
    cs_writer_date(w, r->first);
    cs_writer_date(w, r->last);
    cs_writer_int(w, r->transactions);
    cs_writer_int(w, r->purchase_days);
    cs_writer_int(w, freq);
    put_time(w, r->last - r->first, sw->unit);
    put_time(w, sw->end - r->first, sw->unit);
    cs_writer_int(w, sw->end - r->last);
    if (sw->has_amount) {
        cs_writer_money(w, r->total_value);
        if (freq) {
            char buf[48];
            size_t n = cs_format_ratio(buf, r->repeat_value, (int64_t)freq * CS_MICRO, 6);
            cs_writer_num(w, buf, n);
        } else {
            cs_writer_num(w, "0", 1);
        }
    }
    if (sw->hold) {
        cs_writer_int(w, r->holdout_days);
        if (sw->has_amount)
            cs_writer_money(w, r->holdout_value);
        put_time(w, sw->as_of - sw->cal_end, sw->unit);
    }
    return cs_writer_end_row(w);
}

static int sumw_end(struct sumw *sw, cs_error *err)
{
    int rc = cs_writer_finish(sw->w, err);
    cs_writer_free(sw->w);
    sw->w = NULL;
    return rc;
}

int cs_summary_write(const cs_summary *s, FILE *fp, int format, int header, int unit,
                     cs_error *err)
{
    struct sumw sw;
    int rc = sumw_begin(&sw, fp, format, header, unit, s->has_amount, s->as_of,
                        s->calibration_end, err);
    if (rc != CS_OK)
        return rc;
    for (size_t i = 0; i < s->n; i++)
        if (sumw_row(&sw, &s->rows[i]) != CS_OK)
            break; /* the stream failed: sumw_end reports it */
    return sumw_end(&sw, err);
}

int cs_builder_write_summary(cs_builder *b, FILE *fp, int format, int header, int unit,
                             cs_summary_stats *stats, cs_day *as_of_out, cs_error *err)
{
    cs_day as_of;
    uint64_t *order = NULL;
    size_t n = 0, kept = 0;
    int rc = csi_builder_prepare(b, &as_of, &order, &n, &kept, err);
    /* one partition of a log may hold no customer: its table is empty */
    if (rc == CS_OK && kept == 0 && b->merge_kind != MERGE_PARTITION)
        rc = csi_fail(err, CS_EEMPTY, "no customer has a purchase day in the period summarised");
    if (stats)
        *stats = b->st;
    if (as_of_out)
        *as_of_out = as_of;
    struct sumw sw = {0};
    if (rc == CS_OK)
        rc = sumw_begin(&sw, fp, format, header, unit, b->opt.has_amount, as_of,
                        b->opt.calibration_end, err);
    for (size_t k = 0; rc == CS_OK && k < n; k++) {
        const struct shard *sh = &b->sh[order[k] >> 32];
        const struct cust *c = cust_at(sh, (uint32_t)order[k]);
        csi_walk_prefetch(b, order, k, n);
        if (c->pdays == 0)
            continue;
        cs_summary_row row;
        csi_cust_row(sh, c, &row);
        if (sumw_row(&sw, &row) != CS_OK)
            break;
    }
    if (sw.w) {
        int e = sumw_end(&sw, err);
        if (rc == CS_OK)
            rc = e;
    }
    free(order);
    cs_builder_free(b);
    return rc;
}
