/* custseg: contractual retention in a report: the JSON that custseg-churn
 * sbg writes (cs_sbg_result_json), read back for the survival curves. */
#include "report/report-internal.h"

#include "util/internal.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SBG_MAX_BYTES (64u << 20)
#define SBG_MAX_PERIODS 2000

void csi_report_sbg_free(cs_report *r)
{
    for (size_t i = 0; i < r->nsbg; i++) {
        free(r->sbg[i].name), free(r->sbg[i].error);
        free(r->sbg[i].survival), free(r->sbg[i].km);
    }
    free(r->sbg);
    r->sbg = NULL;
    r->nsbg = 0;
}

struct sbg_ctx {
    const char *file;
    cs_error *err;
};

static int bad(struct sbg_ctx *c, const char *what, const char *cohort)
{
    if (cohort)
        csi_fail(c->err, CS_EFORMAT,
                 "not the output of custseg-churn sbg: cohort '%.100s': %s", cohort, what);
    else
        csi_fail(c->err, CS_EFORMAT, "not the output of custseg-churn sbg: %s", what);
    csi_error_where(c->err, c->file, 0, 0, NULL, 0);
    return CS_EFORMAT;
}

static int num(const cJSON *o, const char *key, double *v)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsNumber(j)) {
        *v = j->valuedouble;
        return 1;
    }
    *v = NAN;
    return cJSON_IsNull(j) ? 1 : 0;
}

/* A probability array (null: NAN) of at most SBG_MAX_PERIODS + 1 entries. */
static int probs(struct sbg_ctx *c, const cJSON *o, const char *key, const char *cohort,
                 double **out, int *n)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = NULL, *n = 0;
    if (!a)
        return CS_OK;
    int k = cJSON_GetArraySize(a);
    if (!cJSON_IsArray(a) || k < 1 || k > SBG_MAX_PERIODS + 1) {
        char what[96];
        snprintf(what, sizeof what, "\"%s\" is not an array of 1 to %d probabilities", key,
                 SBG_MAX_PERIODS + 1);
        return bad(c, what, cohort);
    }
    double *v = malloc((size_t)k * sizeof *v);
    if (!v)
        return csi_fail(c->err, CS_ENOMEM, "out of memory");
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, a)
    {
        v[i] = cJSON_IsNumber(e) ? e->valuedouble : NAN;
        if ((!cJSON_IsNumber(e) && !cJSON_IsNull(e)) || v[i] < 0 || v[i] > 1) {
            free(v);
            char what[96];
            snprintf(what, sizeof what, "\"%s\" holds a value that is not a probability", key);
            return bad(c, what, cohort);
        }
        i++;
    }
    *out = v, *n = k;
    return CS_OK;
}

static int cohort(struct sbg_ctx *c, const cJSON *o, int records, struct csi_sbg *s)
{
    memset(s, 0, sizeof *s);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "cohort");
    if (!cJSON_IsObject(o) || !cJSON_IsString(name))
        return bad(c, "a cohort without a \"cohort\" name", NULL);
    const char *nm = name->valuestring;
    if (!(s->name = strdup(nm)))
        return csi_fail(c->err, CS_ENOMEM, "out of memory");
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(o, "error");
    if (cJSON_IsString(error)) { /* a cohort whose fit failed */
        if (!(s->error = strdup(error->valuestring)))
            return csi_fail(c->err, CS_ENOMEM, "out of memory");
    } else {
        const cJSON *se = cJSON_GetObjectItemCaseSensitive(o, "standard_errors");
        const cJSON *derl = cJSON_GetObjectItemCaseSensitive(o, "derl_by_period");
        if (!num(o, "alpha", &s->alpha) || !num(o, "beta", &s->beta) ||
            !(s->alpha > 0) || !(s->beta > 0))
            return bad(c, "\"alpha\" and \"beta\" must be positive numbers", nm);
        if (!num(o, "log_likelihood", &s->ll) || !num(o, "expected_lifetime", &s->lifetime) ||
            !num(o, "del", &s->del) || !num(o, "discount", &s->discount))
            return bad(c, "log_likelihood, expected_lifetime, del or discount is not a number",
                       nm);
        if (!num(se, "alpha", &s->se_alpha) || !num(se, "beta", &s->se_beta))
            s->se_alpha = s->se_beta = NAN;
        int rc = probs(c, o, "survival", nm, &s->survival, &s->nsurv);
        if (rc != CS_OK)
            return rc;
        if (s->nsurv < 2)
            return bad(c, "no \"survival\" curve", nm);
        /* DERL is given for periods 1 .. observed + 1 */
        int nd = cJSON_IsArray(derl) ? cJSON_GetArraySize(derl) : 0;
        s->observed = nd >= 1 && nd <= s->nsurv ? nd - 1 : s->nsurv - 1;
    }
    if (records) {
        double v;
        if (num(o, "subscribers", &v) && isfinite(v))
            s->subscribers = v;
        if (num(o, "active", &v) && isfinite(v))
            s->active = v;
        if (num(o, "cancelled", &v) && isfinite(v))
            s->cancelled = v;
        int rc = probs(c, o, "observed_survival", nm, &s->km, &s->nkm);
        if (rc != CS_OK)
            return rc;
        /* the periods completed: the fit counts the one in progress too */
        if (!s->error && s->nkm > 1 && s->nkm - 1 < s->observed)
            s->observed = s->nkm - 1;
    }
    return CS_OK;
}

static int parse(cs_report *r, const cJSON *root, struct sbg_ctx *c)
{
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(root, "input");
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "cohorts");
    const cJSON *pooled = cJSON_GetObjectItemCaseSensitive(root, "pooled");
    if (!cJSON_IsObject(root) || !cJSON_IsString(input) || !cJSON_IsArray(arr))
        return bad(c, "no \"input\" and \"cohorts\"", NULL);
    int records = !strcmp(input->valuestring, "subscriptions");
    if (!records && strcmp(input->valuestring, "survivors"))
        return bad(c, "\"input\" is neither \"survivors\" nor \"subscriptions\"", NULL);
    size_t n = (size_t)cJSON_GetArraySize(arr) + (pooled != NULL);
    if (n == 0)
        return bad(c, "no cohorts", NULL);
    r->sbg = calloc(n, sizeof *r->sbg);
    if (!r->sbg)
        return csi_fail(c->err, CS_ENOMEM, "out of memory");
    r->sbg_records = records;
    const cJSON *period = cJSON_GetObjectItemCaseSensitive(root, "period");
    r->sbg_period = -1;
    if (records && cJSON_IsString(period))
        r->sbg_period = cs_period_from_name(period->valuestring);
    const cJSON *o;
    cJSON_ArrayForEach(o, arr)
    {
        int rc = cohort(c, o, records, &r->sbg[r->nsbg]);
        r->nsbg++;
        if (rc != CS_OK)
            return rc;
    }
    if (pooled) {
        int rc = cohort(c, pooled, records, &r->sbg[r->nsbg]);
        r->nsbg++;
        if (rc != CS_OK)
            return rc;
        r->sbg_pooled = 1;
    }
    return CS_OK;
}

int cs_report_add_sbg(cs_report *r, cs_input *in, cs_error *err)
{
    struct sbg_ctx c = {cs_input_name(in), err};
    csi_report_sbg_free(r);
    cJSON *root = csi_json_read(in, SBG_MAX_BYTES, NULL, err);
    if (!root) {
        /* say what the file was meant to be */
        if (err && err->code == CS_EFORMAT) {
            static const char pre[] = "not the output of custseg-churn sbg: ";
            size_t n = strnlen(err->message, sizeof err->message - 1);
            if (n + sizeof pre > sizeof err->message)
                n = sizeof err->message - sizeof pre;
            memmove(err->message + sizeof pre - 1, err->message, n);
            memcpy(err->message, pre, sizeof pre - 1);
            err->message[sizeof pre - 1 + n] = '\0';
        }
        return err ? err->code : CS_EFORMAT;
    }
    int rc = parse(r, root, &c);
    if (rc != CS_OK)
        csi_report_sbg_free(r);
    cJSON_Delete(root);
    return rc;
}
