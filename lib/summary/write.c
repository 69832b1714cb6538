/* The summary table as custseg-summary writes it. */
#include "cs-summary.h"
#include "util/internal.h"

#include <string.h>

/* Time columns carry 12 decimals: far below a second, and the same text on
 * every machine because they are computed from whole days exactly. */
#define TIME_DECIMALS 12

static void put_time(cs_writer *w, int64_t days, int unit)
{
    int64_t num, den;
    cs_unit_days(unit, &num, &den);
    char buf[48];
    size_t n = cs_format_ratio(buf, days * den, num, TIME_DECIMALS);
    cs_writer_num(w, buf, n);
}

int cs_summary_write(const cs_summary *s, FILE *fp, int format, int header, int unit,
                     cs_error *err)
{
    const char *u = cs_unit_suffix(unit);
    char recency[32], tcol[32], dur[40];
    snprintf(recency, sizeof recency, "recency_%s", u);
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
    names[nc++] = recency;
    names[nc++] = tcol;
    names[nc++] = "days_since_last";
    if (s->has_amount) {
        names[nc++] = "total_value";
        names[nc++] = "monetary_value";
    }
    int hold = s->calibration_end != CS_DAY_NONE;
    if (hold) {
        names[nc++] = "frequency_holdout";
        if (s->has_amount)
            names[nc++] = "value_holdout";
        names[nc++] = dur;
    }
    cs_writer *w = cs_writer_new(fp, format, header, names, nc, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    cs_day end = hold ? s->calibration_end : s->as_of;
    for (size_t i = 0; i < s->n; i++) {
        const cs_summary_row *r = &s->rows[i];
        uint32_t freq = r->purchase_days - 1;
        cs_writer_str(w, r->id, r->id_len);
        cs_writer_date(w, r->first);
        cs_writer_date(w, r->last);
        cs_writer_int(w, r->transactions);
        cs_writer_int(w, r->purchase_days);
        cs_writer_int(w, freq);
        put_time(w, r->last - r->first, unit);
        put_time(w, end - r->first, unit);
        cs_writer_int(w, end - r->last);
        if (s->has_amount) {
            cs_writer_money(w, r->total_value);
            char buf[48];
            size_t n = freq ? cs_format_ratio(buf, r->repeat_value, (int64_t)freq * CS_MICRO, 6)
                            : (size_t)(buf[0] = '0', buf[1] = '\0', 1);
            cs_writer_num(w, buf, n);
        }
        if (hold) {
            cs_writer_int(w, r->holdout_days);
            if (s->has_amount)
                cs_writer_money(w, r->holdout_value);
            put_time(w, s->as_of - s->calibration_end, unit);
        }
        if (cs_writer_end_row(w) != CS_OK)
            break; /* the stream failed: finish reports it */
    }
    int rc = cs_writer_finish(w, err);
    cs_writer_free(w);
    return rc;
}
