/* Fuzz target for the tables of custseg-churn sbg (cs_sbg_input_kind, then
 * cs_survivors_read for survivor counts, wide or long, or
 * cs_subscriptions_read for subscription records), as of 2026-12-31 with
 * yearly, quarterly and monthly periods.
 *
 * Checks: no crash, leak or undefined behaviour; a refusal has a message;
 * survivor counts accepted are cohorts that cs_sbg_from_survivors takes
 * whole; subscriptions accepted start on or before as_of, end between their
 * start and as_of (or are active, and counted so), are in period >= 1, in a
 * cohort whose names are distinct and sorted; their sBG observations (all
 * cohorts, and each) count every subscription once. */
#include "fuzz.h"

static void check_survivors(const cs_survivors *sv)
{
    if (sv->ncohorts == 0)
        abort();
    for (size_t c = 0; c < sv->ncohorts; c++) {
        int np = sv->nper[c];
        if (np < 2 || !sv->name[c])
            abort();
        cs_obs *o = malloc((size_t)np * sizeof *o);
        double *w = malloc((size_t)np * sizeof *w);
        cs_error err = {0};
        if (!o || !w || cs_sbg_from_survivors(sv->count[c], np, o, w, &err) != np)
            abort(); /* the reader promises the check of cs_sbg_from_survivors */
        double total = 0;
        for (int t = 0; t < np; t++)
            total += w[t];
        if (!(fabs(total - sv->count[c][0]) <= 1e-9 * sv->count[c][0]))
            abort(); /* cancellations and survivors make up the cohort */
        free(o);
        free(w);
    }
}

static void check_subscriptions(const cs_subscriptions *s, cs_day as_of)
{
    size_t active = 0;
    if (s->n == 0 || s->ids.n != s->n || s->ncohorts == 0 || s->ncohorts > s->n)
        abort();
    size_t *per = calloc(s->ncohorts, sizeof *per);
    for (size_t i = 0; i < s->n; i++) {
        if (s->start[i] > as_of || s->periods[i] < 1 || s->cohort[i] >= s->ncohorts)
            abort();
        if (s->end[i] == CS_DAY_NONE)
            active++;
        else if (s->end[i] < s->start[i] || s->end[i] > as_of)
            abort();
        per[s->cohort[i]]++;
    }
    if (active != s->nactive)
        abort();
    for (size_t c = 0; c + 1 < s->ncohorts; c++)
        if (strcmp(s->cohort_name[c], s->cohort_name[c + 1]) >= 0)
            abort();
    for (long c = -1; c < (long)s->ncohorts; c++) {
        cs_error err = {0};
        cs_dataset *d = cs_subscriptions_dataset(s, c, &err);
        if (!d)
            abort();
        if (d->total != (double)(c < 0 ? s->n : per[c]))
            abort();
        cs_dataset_free(d);
    }
    free(per);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cs_day as_of;
    if (cs_day_parse("2026-12-31", 10, &as_of) != CS_OK)
        abort();
    const int periods[] = {CS_PERIOD_YEAR, CS_PERIOD_QUARTER, CS_PERIOD_MONTH};
    for (int k = 0; k < 3; k++) {
        int fd;
        cs_error err = {0};
        cs_input *in = fuzz_input(data, size, &fd, &err);
        if (!in)
            return 0;
        cs_table *t = cs_table_open(in, CS_DELIM_AUTO, &err);
        if (!t) {
            fuzz_failed(err.code ? err.code : -1, &err);
            fuzz_close(in, fd);
            return 0;
        }
        if (cs_sbg_input_kind(cs_table_header(t)) == CS_SBG_SUBSCRIPTIONS) {
            /* the cohorts: start periods, or a column named cohort */
            cs_subs_options so = {.period = periods[k], .as_of = as_of,
                                  .cohort_column = k == 1 ? "cohort" : NULL};
            cs_subscriptions *s = cs_subscriptions_read(t, &so, &err);
            if (s)
                check_subscriptions(s, as_of);
            else
                fuzz_failed(err.code ? err.code : -1, &err);
            cs_subscriptions_free(s);
        } else if (k == 0) { /* survivors have no periods of dates */
            cs_survivors *sv = cs_survivors_read(t, &err);
            if (sv)
                check_survivors(sv);
            else
                fuzz_failed(err.code ? err.code : -1, &err);
            cs_survivors_free(sv);
        }
        cs_table_free(t);
        fuzz_close(in, fd);
    }
    return 0;
}
