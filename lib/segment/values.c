/* Per-customer values at one or two dates, for pyramids and their migration:
 * one summary builder run per date, so that a purchase day is what
 * custseg-summary counts, and the customers of both joined on their ids. */
#include "cs-segment.h"
#include "cs-summary.h"
#include "cs-txn.h"
#include "util/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

cs_values *cs_values2_take(cs_values2 *v, int k, cs_error *err)
{
    cs_values *o = calloc(1, sizeof *o);
    if (!o) {
        cs_values2_free(v);
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    o->n = v->n;
    o->ids = v->ids;
    o->value = v->value[k], o->days_since_last = v->days_since_last[k];
    memset(&v->ids, 0, sizeof v->ids);
    v->value[k] = v->days_since_last[k] = NULL;
    cs_values2_free(v);
    return o;
}

void cs_values2_free(cs_values2 *v)
{
    if (!v)
        return;
    cs_ids_clear(&v->ids);
    for (int k = 0; k < 2; k++) {
        free(v->value[k]);
        free(v->days_since_last[k]);
    }
    free(v);
}

/* The customers with a purchase day on or before date (CS_DAY_NONE: the
 * last date in the data), sorted by id, with the net value of their records
 * in (date - window, date] (window <= 0: all) and the days since their last
 * purchase day: one summary of the log up to date. first: paths[0] already
 * open, or NULL; the loader closes it. */
static cs_values *values_at(const char *const *paths, size_t npaths, const cs_txn_options *txn,
                            const cs_load_options *opt, const cs_summary_options *so,
                            cs_input *first, cs_day date, double window, cs_error *err)
{
    cs_summary_options o = so ? *so : (cs_summary_options){.returns = CS_RETURNS_NET};
    o.as_of = date;
    o.calibration_end = CS_DAY_NONE;
    o.has_amount = 1;
    cs_builder *b = cs_builder_new(&o, err);
    if (!b || (window > 0 && cs_builder_value_from(b, (cs_day)floor(date - window) + 1,
                                                   err) != CS_OK)) {
        cs_builder_free(b);
        cs_input_close(first);
        return NULL;
    }
    cs_load_options lo = opt ? *opt : (cs_load_options){0};
    lo.first_input = first;
    if (cs_load_transactions(b, paths, npaths, txn, &lo, NULL, err) != CS_OK) {
        cs_builder_free(b);
        return NULL;
    }
    cs_summary *s = cs_builder_finish(b, err);
    cs_values *v = s ? cs_values_from_summary(s, CS_SUMMARY_IDS, err) : NULL;
    cs_summary_free(s);
    return v;
}

/* Byte order of ids, a shorter id before the longer one it starts (the
 * order of cs_builder_finish). */
static int id_cmp(const cs_ids *a, size_t i, const cs_ids *b, size_t j)
{
    size_t la, lb;
    const char *x = cs_ids_get(a, i, &la), *y = cs_ids_get(b, j, &lb);
    int r = memcmp(x, y, la < lb ? la : lb);
    return r ? r : (la > lb) - (la < lb);
}

/* The customers of v[0] and v[1] (NULL: none), both sorted by id, joined:
 * a customer missing at date k has value 0 and days NAN there. */
static cs_values2 *join(cs_values *const v[2], cs_error *err)
{
    size_t n = (v[0] ? v[0]->n : 0) + (v[1] ? v[1]->n : 0);
    cs_values2 *out = calloc(1, sizeof *out);
    int ok = out != NULL;
    for (int k = 0; ok && k < 2; k++) {
        out->value[k] = malloc((n + 1) * sizeof(double));
        out->days_since_last[k] = malloc((n + 1) * sizeof(double));
        ok = out->value[k] && out->days_since_last[k];
    }
    size_t i[2] = {0, 0}, m[2] = {v[0] ? v[0]->n : 0, v[1] ? v[1]->n : 0};
    while (ok && (i[0] < m[0] || i[1] < m[1])) {
        int c = i[0] == m[0]   ? 1
                : i[1] == m[1] ? -1
                               : id_cmp(&v[0]->ids, i[0], &v[1]->ids, i[1]);
        int from = c <= 0 ? 0 : 1; /* the side whose id comes first */
        size_t len;
        const char *id = cs_ids_get(&v[from]->ids, i[from], &len);
        ok = cs_ids_push(&out->ids, id, len) == CS_OK;
        for (int k = 0; k < 2; k++) {
            int here = k == from || c == 0;
            out->value[k][out->n] = here ? v[k]->value[i[k]] : 0;
            out->days_since_last[k][out->n] = here ? v[k]->days_since_last[i[k]] : NAN;
            i[k] += here;
        }
        out->n++;
    }
    if (!ok) {
        cs_values2_free(out);
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    return out;
}

cs_values2 *cs_values_at_dates(const char *const *paths, size_t npaths,
                               const cs_txn_options *txn, const cs_load_options *opt,
                               const cs_summary_options *so, const int32_t *dates, int nd,
                               double window, cs_error *err)
{
    static const char *const stdin_only[] = {"-"};
    cs_input *first = opt ? opt->first_input : NULL;
    if (npaths == 0) {
        paths = stdin_only;
        npaths = 1;
    }
    const char *why = nd < 1 || nd > 2 ? "one or two dates" : NULL;
    for (int k = 0; !why && k < nd; k++)
        if (dates[k] == CS_DAY_NONE && window > 0)
            why = "a window needs its end date";
    for (size_t f = 0; !why && nd == 2 && f < npaths; f++)
        if (!strcmp(paths[f], "-"))
            why = "values at two dates read the log twice: standard input cannot be read "
                  "again (give a file)";
    if (why) {
        cs_input_close(first);
        csi_fail(err, CS_EINVAL, "%s", why);
        return NULL;
    }
    cs_values *v[2] = {NULL, NULL};
    for (int k = 0; k < nd; k++) {
        cs_error e = {0};
        v[k] = values_at(paths, npaths, txn, opt, so, k == 0 ? first : NULL, dates[k], window,
                         &e);
        if (v[k])
            continue;
        /* nobody had bought by the earlier date: every customer is new (an
         * empty log fails at the later date) */
        if (k == 0 && nd == 2 && e.code == CS_EEMPTY)
            continue;
        if (err)
            *err = e;
        cs_values_free(v[0]);
        return NULL;
    }
    cs_values *w[2] = {v[0], nd == 2 ? v[1] : NULL};
    cs_values2 *out = join(w, err);
    cs_values_free(v[0]);
    cs_values_free(v[1]);
    return out;
}
