/* Contractual churn: sBG fits per cohort and pooled, their projections
 * (survival, retention, expected lifetime, DEL, DERL), the counts and
 * Kaplan-Meier survival of subscription records, per-subscriber values,
 * and all of it as JSON. */
#include "cs-churn.h"
#include "cs-summary.h"
#include "util/internal.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double cs_sbg_expected_lifetime(const cs_model *m)
{
    double a = m->param[0], b = m->param[1];
    return a > 1 ? (a + b - 1) / (a - 1) : INFINITY; /* infinite: alpha <= 1 */
}

static char *copy_str(const char *s)
{
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (c)
        memcpy(c, s, n + 1);
    return c;
}

static void fit_free(cs_sbg_cohort_fit *f)
{
    free(f->name);
    free(f->survival);
    free(f->retention);
    free(f->derl);
    free(f->km);
}

void cs_sbg_result_free(cs_sbg_result *r)
{
    if (!r)
        return;
    for (size_t c = 0; c < r->ncohorts; c++)
        fit_free(&r->cohort[c]);
    free(r->cohort);
    if (r->pooled)
        fit_free(r->pooled);
    free(r->pooled);
    free(r);
}

/* Fits d into f (d NULL: the error is in err already); on success the
 * projections over observed + periods. Returns CS_OK, or the fit's error
 * (f->ok 0, f->error its message), or CS_ENOMEM. */
static int fit_one(cs_sbg_cohort_fit *f, const char *name, const cs_dataset *d, int observed,
                   const cs_sbg_options *o, cs_error *err)
{
    f->name = copy_str(name);
    if (!f->name)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    f->observed = observed;
    f->horizon = observed + o->periods;
    int rc = d ? cs_model_fit(CS_MODEL_SBG, d, NULL, &f->model, err) : err ? err->code : CS_ENOMEM;
    if (rc != CS_OK) {
        snprintf(f->error, sizeof f->error, "%s", err ? err->message : "");
        return rc;
    }
    const cs_model *m = &f->model;
    int h = f->horizon;
    f->survival = malloc(((size_t)h + 1) * sizeof *f->survival);
    f->retention = malloc(((size_t)h + 1) * sizeof *f->retention);
    f->derl = malloc(((size_t)observed + 1) * sizeof *f->derl);
    if (!f->survival || !f->retention || !f->derl)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    for (int t = 0; t <= h; t++) {
        f->survival[t] = cs_sbg_survival(m, t);
        f->retention[t] = t >= 1 ? cs_sbg_retention(m, t) : NAN;
    }
    f->expected_lifetime = cs_sbg_expected_lifetime(m);
    f->del = cs_sbg_del(m, o->discount);
    for (int n = 1; n <= observed + 1; n++)
        f->derl[n - 1] = cs_sbg_derl(m, o->discount, n);
    f->ok = 1;
    return CS_OK;
}

static cs_sbg_result *new_result(size_t ncohorts, const cs_sbg_options *o, cs_error *err)
{
    cs_sbg_result *r = calloc(1, sizeof *r);
    if (r)
        r->cohort = calloc(ncohorts + 1, sizeof *r->cohort);
    if (!r || !r->cohort) {
        free(r);
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    r->ncohorts = ncohorts;
    r->periods = o->periods;
    r->discount = o->discount;
    return r;
}

/* prefixes err's message with "what 'name': " (or "what: " when name is NULL) */
static void prefix(cs_error *err, const char *what, const char *name)
{
    if (!err)
        return;
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s", err->message);
    if (name)
        csi_fail(err, err->code, "%s '%s': %s", what, name, msg);
    else
        csi_fail(err, err->code, "%s: %s", what, msg);
}

cs_sbg_result *cs_sbg_fit_survivors(const cs_survivors *sv, const cs_sbg_options *o,
                                    cs_error *err)
{
    cs_sbg_result *r = new_result(sv->ncohorts, o, err);
    if (!r)
        return NULL;
    size_t total = 0;
    int maxp = 0;
    for (size_t c = 0; c < sv->ncohorts; c++) {
        total += (size_t)sv->nper[c];
        maxp = sv->nper[c] - 1 > maxp ? sv->nper[c] - 1 : maxp;
    }
    cs_obs *all_o = malloc((total + 1) * sizeof *all_o);
    double *all_w = malloc((total + 1) * sizeof *all_w);
    if (!all_o || !all_w) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        goto fail;
    }
    size_t nall = 0;
    for (size_t c = 0; c < sv->ncohorts; c++) {
        int k = cs_sbg_from_survivors(sv->count[c], sv->nper[c], all_o + nall, all_w + nall,
                                      err);
        cs_dataset *d = k > 0 ? cs_dataset_group(all_o + nall, all_w + nall, (size_t)k, err)
                              : NULL;
        int rc = k < 0 ? k : fit_one(&r->cohort[c], sv->name[c], d, sv->nper[c] - 1, o, err);
        cs_dataset_free(d);
        if (rc != CS_OK) {
            if (rc != CS_ENOMEM)
                prefix(err, "cohort", sv->name[c]);
            goto fail;
        }
        nall += (size_t)k;
    }
    if (sv->ncohorts > 1) {
        r->pooled = calloc(1, sizeof *r->pooled);
        if (!r->pooled) {
            csi_fail(err, CS_ENOMEM, "out of memory");
            goto fail;
        }
        cs_dataset *d = cs_dataset_group(all_o, all_w, nall, err);
        int rc = fit_one(r->pooled, "pooled", d, maxp, o, err);
        cs_dataset_free(d);
        if (rc != CS_OK) {
            if (rc != CS_ENOMEM)
                prefix(err, "the pooled fit", NULL);
            goto fail;
        }
    }
    free(all_o);
    free(all_w);
    return r;
fail:
    free(all_o);
    free(all_w);
    cs_sbg_result_free(r);
    return NULL;
}

/* counts and Kaplan-Meier survival of a cohort (< 0: all) over 0..maxt */
static int add_counts(cs_sbg_cohort_fit *f, const cs_subscriptions *s, long c, int maxt)
{
    size_t n = 0, act = 0;
    for (size_t i = 0; i < s->n; i++)
        if (c < 0 || s->cohort[i] == (uint32_t)c) {
            n++;
            act += s->end[i] == CS_DAY_NONE;
        }
    f->subscribers = n;
    f->active = act;
    f->cancelled = n - act;
    f->km = malloc(((size_t)maxt + 1) * sizeof *f->km);
    if (!f->km)
        return CS_ENOMEM;
    int last = cs_subscriptions_km(s, c, f->km, maxt);
    if (last < 0)
        return CS_ENOMEM;
    f->nkm = last + 1;
    return CS_OK;
}

cs_sbg_result *cs_sbg_fit_subscriptions(const cs_subscriptions *s, const cs_sbg_options *o,
                                        cs_error *err)
{
    cs_sbg_result *r = new_result(s->ncohorts, o, err);
    if (!r)
        return NULL;
    r->records = 1;
    r->period = s->period;
    r->as_of = s->as_of;
    int maxt = 1;
    for (size_t i = 0; i < s->n; i++)
        maxt = s->periods[i] > maxt ? s->periods[i] : maxt;
    for (size_t c = 0; c < s->ncohorts; c++) {
        cs_error ferr = {0};
        cs_dataset *d = cs_subscriptions_dataset(s, (long)c, &ferr);
        int rc = fit_one(&r->cohort[c], s->cohort_name[c], d, maxt, o, &ferr);
        cs_dataset_free(d);
        if (rc == CS_ENOMEM || add_counts(&r->cohort[c], s, (long)c, maxt) != CS_OK) {
            csi_fail(err, CS_ENOMEM, "out of memory");
            goto fail;
        }
        /* e.g. a cohort with no cancellation yet: alpha/beta run off */
        r->failed += rc != CS_OK;
    }
    r->pooled = calloc(1, sizeof *r->pooled);
    if (!r->pooled) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        goto fail;
    }
    cs_dataset *d = cs_subscriptions_dataset(s, -1, err);
    int rc = fit_one(r->pooled, "pooled", d, maxt, o, err);
    cs_dataset_free(d);
    if (rc != CS_OK) {
        if (rc != CS_ENOMEM)
            prefix(err, "the fit on all subscriptions", NULL);
        goto fail;
    }
    if (add_counts(r->pooled, s, -1, maxt) != CS_OK) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        goto fail;
    }
    return r;
fail:
    cs_sbg_result_free(r);
    return NULL;
}

cs_sbg_subscriber *cs_sbg_result_subscribers(const cs_sbg_result *r, const cs_subscriptions *s,
                                             int by_cohort, size_t *n, cs_error *err)
{
    *n = 0;
    if (!r->records || r->ncohorts != s->ncohorts || !r->pooled || !r->pooled->ok) {
        csi_fail(err, CS_EINVAL, "the fits are not those of these subscriptions");
        return NULL;
    }
    cs_sbg_subscriber *v = malloc((s->n + 1) * sizeof *v);
    if (!v) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->end[i] != CS_DAY_NONE)
            continue;
        uint32_t c = s->cohort[i];
        const cs_sbg_cohort_fit *f =
            by_cohort && c < r->ncohorts && r->cohort[c].ok ? &r->cohort[c] : r->pooled;
        int p = s->periods[i];
        /* DERL depends on the fit and the period only: the fit has it */
        double derl = p >= 1 && p <= f->observed + 1 ? f->derl[p - 1]
                                                     : cs_sbg_derl(&f->model, r->discount, p);
        v[k++] = (cs_sbg_subscriber){i, p, cs_sbg_retention(&f->model, p), derl};
    }
    *n = k;
    return v;
}

/* ---- JSON ---- */

static cJSON *fit_json(const cs_sbg_result *r, const cs_sbg_cohort_fit *f)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "cohort", f->name);
    if (f->ok) {
        const cs_model *m = &f->model;
        cJSON_AddNumberToObject(j, "alpha", m->param[0]);
        cJSON_AddNumberToObject(j, "beta", m->param[1]);
        cJSON_AddNumberToObject(j, "log_likelihood", m->log_likelihood);
        if (m->note[0])
            cJSON_AddStringToObject(j, "note", m->note);
        cJSON *se = cJSON_AddObjectToObject(j, "standard_errors");
        cJSON_AddNumberToObject(se, "alpha", m->se[0]);
        cJSON_AddNumberToObject(se, "beta", m->se[1]);
        cJSON *sv = cJSON_AddArrayToObject(j, "survival");
        cJSON *rr = cJSON_AddArrayToObject(j, "retention");
        for (int t = 0; t <= f->horizon; t++) {
            cJSON_AddItemToArray(sv, cJSON_CreateNumber(f->survival[t]));
            if (t >= 1)
                cJSON_AddItemToArray(rr, cJSON_CreateNumber(f->retention[t]));
        }
        if (isfinite(f->expected_lifetime))
            cJSON_AddNumberToObject(j, "expected_lifetime", f->expected_lifetime);
        else
            cJSON_AddNullToObject(j, "expected_lifetime");
        cJSON_AddNumberToObject(j, "discount", r->discount);
        cJSON_AddNumberToObject(j, "del", f->del);
        cJSON *derl = cJSON_AddArrayToObject(j, "derl_by_period");
        for (int n = 1; n <= f->observed + 1; n++)
            cJSON_AddItemToArray(derl, cJSON_CreateNumber(f->derl[n - 1]));
    } else {
        cJSON_AddStringToObject(j, "error", f->error);
    }
    if (r->records) {
        cJSON_AddNumberToObject(j, "subscribers", (double)f->subscribers);
        cJSON_AddNumberToObject(j, "active", (double)f->active);
        cJSON_AddNumberToObject(j, "cancelled", (double)f->cancelled);
        cJSON *a = cJSON_AddArrayToObject(j, "observed_survival");
        for (int t = 0; t < f->nkm; t++)
            cJSON_AddItemToArray(a, isfinite(f->km[t]) ? cJSON_CreateNumber(f->km[t])
                                                       : cJSON_CreateNull());
    }
    return j;
}

char *cs_sbg_result_json(const cs_sbg_result *r)
{
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "cohorts");
    if (r->records) {
        char asof[11];
        cs_day_format(r->as_of, asof);
        cJSON_AddStringToObject(root, "input", "subscriptions");
        cJSON_AddStringToObject(root, "as_of", asof);
        cJSON_AddStringToObject(root, "period", cs_period_name(r->period));
    } else {
        cJSON_AddStringToObject(root, "input", "survivors");
    }
    for (size_t c = 0; c < r->ncohorts; c++)
        cJSON_AddItemToArray(arr, fit_json(r, &r->cohort[c]));
    if (r->pooled)
        cJSON_AddItemToObject(root, "pooled", fit_json(r, r->pooled));
    return csi_json_string(root);
}

int cs_sbg_subscribers_write(const cs_sbg_subscriber *v, size_t n, const cs_subscriptions *s,
                             FILE *fp, int format, int header, cs_error *err)
{
    static const char *const names[] = {"customer_id", "cohort", "start", "period", "p_renew",
                                        "derl"};
    cs_writer *w = cs_writer_new(fp, format, header, names, 6, err);
    if (!w)
        return err ? err->code : CS_ENOMEM;
    cs_writer_set_sheet(w, "Subscribers");
    for (size_t k = 0; k < n; k++) {
        size_t i = v[k].index;
        const char *cohort = s->cohort_name[s->cohort[i]];
        char d[11];
        cs_day_format(s->start[i], d);
        size_t idn;
        const char *id = cs_ids_get(&s->ids, i, &idn);
        cs_writer_str(w, id, idn);
        cs_writer_str(w, cohort, strlen(cohort));
        cs_writer_str(w, d, strlen(d));
        cs_writer_int(w, (long long)v[k].period);
        cs_writer_real(w, v[k].p_renew);
        cs_writer_real(w, v[k].derl);
        if (cs_writer_end_row(w) != CS_OK)
            break;
    }
    int rc = cs_writer_finish(w, err);
    cs_writer_free(w);
    return rc;
}

/* err keeps its code and message and names file alone */
static void at_file(cs_error *err, const char *file)
{
    if (!err)
        return;
    cs_error e = {.code = err->code};
    memcpy(e.message, err->message, sizeof e.message);
    csi_error_where(&e, file, 0, 0, NULL, 0);
    *err = e;
}

cs_sbg_result *cs_sbg_fit_input(cs_input *in, const cs_subs_options *so, const cs_sbg_options *o,
                                cs_subscriptions **subs, cs_error *err)
{
    const char *file = cs_input_name(in);
    cs_sbg_result *res = NULL;
    if (subs)
        *subs = NULL;
    cs_table *t = cs_table_open(in, CS_DELIM_AUTO, err);
    if (!t) {
        if (err && err->code == CS_EEMPTY) { /* sbg's words since its first version */
            csi_fail(err, CS_EEMPTY, "the input is empty");
            at_file(err, file);
        }
        return NULL;
    }
    if (cs_sbg_input_kind(cs_table_header(t)) != CS_SBG_SUBSCRIPTIONS) {
        cs_survivors *sv = cs_survivors_read(t, err);
        if (sv && !(res = cs_sbg_fit_survivors(sv, o, err)))
            at_file(err, file);
        cs_survivors_free(sv);
    } else {
        cs_subscriptions *s = cs_subscriptions_read(t, so, err);
        if (s && !(res = cs_sbg_fit_subscriptions(s, o, err)))
            at_file(err, file);
        if (res && subs)
            *subs = s;
        else
            cs_subscriptions_free(s);
    }
    cs_table_free(t);
    return res;
}
