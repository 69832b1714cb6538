/* Model files: small JSON documents that a nightly job reuses. */
#include "models/family.h"
#include "util/internal.h"
#include "cs-summary.h"

#include <cJSON.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cs-version.h"

#define FORMAT_NAME "custseg-model"

static const char *unit_name(int unit)
{
    return unit == CS_UNIT_WEEK ? "week" : unit == CS_UNIT_MONTH ? "month" : "day";
}

static cJSON *num(double v)
{
    /* JSON has no NaN: an unknown value is null; a number is written with
     * the digits that read back to it exactly (cJSON writes 15 digits when
     * they come within an epsilon of the value) */
    if (!isfinite(v))
        return cJSON_CreateNull();
    char buf[32];
    csi_format_exact(buf, v);
    return cJSON_CreateRaw(buf);
}

static void add_date(cJSON *o, const char *key, cs_day d)
{
    if (d == CS_DAY_NONE) {
        cJSON_AddNullToObject(o, key);
    } else {
        char buf[11];
        cs_day_format(d, buf);
        cJSON_AddStringToObject(o, key, buf);
    }
}

int cs_model_save(const cs_model *m, FILE *fp, cs_error *err)
{
    const struct csi_family *f = csi_family(m->kind);
    if (!f)
        return csi_fail(err, CS_EINVAL, "unknown model kind");
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0), old = (locale_t)0;
    if (c != (locale_t)0)
        old = uselocale(c);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "format", FORMAT_NAME);
    cJSON_AddNumberToObject(root, "version", CS_MODEL_FILE_VERSION);
    cJSON_AddStringToObject(root, "model", f->name);
    cJSON *params = cJSON_AddObjectToObject(root, "params");
    cJSON *se = cJSON_AddObjectToObject(root, "standard_errors");
    for (int j = 0; j < f->np; j++) {
        cJSON_AddItemToObject(params, f->pnames[j], num(m->param[j]));
        cJSON_AddItemToObject(se, f->pnames[j], num(m->se[j]));
    }
    cJSON *cov = cJSON_AddArrayToObject(root, "covariance");
    for (int j = 0; j < f->np; j++) {
        cJSON *row = cJSON_CreateArray();
        for (int k = 0; k < f->np; k++)
            cJSON_AddItemToArray(row, num(m->cov[j][k]));
        cJSON_AddItemToArray(cov, row);
    }
    cJSON_AddItemToObject(root, "log_likelihood", num(m->log_likelihood));
    cJSON_AddItemToObject(root, "customers", num(m->n_customers));
    cJSON_AddItemToObject(root, "patterns", num((double)m->n_patterns));
    if (f->file == CSI_FILE_PERIOD)
        cJSON_AddStringToObject(root, "period", m->period[0] ? m->period : "period");
    else if (f->file == CSI_FILE_UNIT)
        cJSON_AddStringToObject(root, "time_unit", unit_name(m->unit));
    add_date(root, "calibration_end", m->calibration_end);
    add_date(root, "as_of", m->as_of);
    cJSON_AddItemToObject(root, "l2", num(m->l2));
    cJSON *conv = cJSON_AddObjectToObject(root, "convergence");
    cJSON_AddStringToObject(conv, "method", m->method);
    cJSON_AddBoolToObject(conv, "converged", m->converged);
    cJSON_AddNumberToObject(conv, "iterations", m->iterations);
    cJSON_AddNumberToObject(conv, "starts", m->starts);
    cJSON_AddItemToObject(conv, "gradient_norm", num(m->grad_norm));
    cJSON_AddBoolToObject(conv, "boundary", m->boundary);
    cJSON_AddStringToObject(conv, "note", m->note);
    cJSON_AddStringToObject(root, "fingerprint", m->fingerprint);
    cJSON_AddStringToObject(root, "tool", "custseg " CS_VERSION);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (c != (locale_t)0) {
        uselocale(old);
        freelocale(c);
    }
    if (!text)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    int bad = fputs(text, fp) < 0 || fputc('\n', fp) == EOF;
    cJSON_free(text);
    if (bad || fflush(fp) != 0)
        return csi_fail(err, CS_EIO, "write error");
    return CS_OK;
}

static int bad(cs_error *err, const char *fmt, const char *a)
{
    return csi_fail(err, CS_EFORMAT, fmt, a);
}

static int get_num(const cJSON *o, const char *key, double *v, int required)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!it || cJSON_IsNull(it)) {
        *v = NAN;
        return !required;
    }
    if (!cJSON_IsNumber(it))
        return 0;
    /* a number beyond a double (1e999) is not known: NaN, as null is */
    *v = isfinite(it->valuedouble) ? it->valuedouble : NAN;
    return 1;
}

/* A whole count read from a file, from 0 to max: absent or null leaves *out
 * alone; anything else out of range is an error, never a cast of it. */
static int get_count(const cJSON *o, const char *key, double max, double *out, cs_error *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!it || cJSON_IsNull(it))
        return CS_OK;
    double v = cJSON_IsNumber(it) ? it->valuedouble : NAN;
    if (!(v >= 0 && v <= max) || v != floor(v))
        return csi_fail(err, CS_EFORMAT,
                        "model file: \"%s\" must be a whole number from 0 to %.0f", key, max);
    *out = v;
    return CS_OK;
}

static int get_date(const cJSON *o, const char *key, cs_day *d)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    *d = CS_DAY_NONE;
    if (!it || cJSON_IsNull(it))
        return 1;
    cs_datefmt iso = {.kind = CS_DATE_ISO};
    return cJSON_IsString(it) &&
           cs_date_parse(&iso, it->valuestring, strlen(it->valuestring), d, NULL) == CS_OK;
}

int cs_model_load(cs_model *m, cs_input *in, cs_error *err)
{
    /* model files are small: read it whole (at most 1 MiB) */
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    for (;;) {
        if (len + 1 == cap) {
            if (cap >= (1u << 20)) {
                free(buf);
                return bad(err, "%s", "not a model file: larger than 1 MiB");
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return csi_fail(err, CS_ENOMEM, "out of memory");
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t n = cs_input_read(in, buf + len, cap - len - 1, err);
        if (n < 0) {
            free(buf);
            return (int)n;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0), old = (locale_t)0;
    if (c != (locale_t)0)
        old = uselocale(c);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(buf, &end, 1);
    int rc = CS_OK;
    memset(m, 0, sizeof *m);
    if (!root) {
        size_t at = end ? (size_t)(end - buf) : 0;
        long line = 1;
        for (size_t i = 0; i < at && i < len; i++)
            line += buf[i] == '\n';
        rc = csi_fail(err, CS_EFORMAT,
                      len == 0 ? "not a model file: it is empty"
                               : "not a model file: invalid or truncated JSON near line %ld",
                      line);
        goto out;
    }
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, FORMAT_NAME) != 0) {
        rc = bad(err, "%s", "not a custseg model file (no \"format\": \"custseg-model\")");
        goto out;
    }
    double v = NAN;
    if (!get_num(root, "version", &v, 1) || v != CS_MODEL_FILE_VERSION) {
        char ver[32];
        snprintf(ver, sizeof ver, "%g", v);
        rc = csi_fail(err, CS_EFORMAT,
                      "model file version %s: this custseg reads version %d (refit the model, "
                      "or use the custseg that wrote it)",
                      ver, CS_MODEL_FILE_VERSION);
        goto out;
    }
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "model");
    m->kind = cJSON_IsString(name) ? cs_model_from_name(name->valuestring) : -1;
    const struct csi_family *f = csi_family(m->kind);
    if (!f) {
        rc = bad(err, "model file: unknown \"model\" %s",
                 cJSON_IsString(name) ? name->valuestring : "(missing)");
        goto out;
    }
    m->np = f->np;
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(root, "params");
    const cJSON *se = cJSON_GetObjectItemCaseSensitive(root, "standard_errors");
    for (int j = 0; j < f->np; j++) {
        if (!cJSON_IsObject(params) || !get_num(params, f->pnames[j], &m->param[j], 1) ||
            !(m->param[j] > 0) || !isfinite(m->param[j])) {
            rc = bad(err, "model file: parameter \"%s\" is missing or not a positive number",
                     f->pnames[j]);
            goto out;
        }
        m->se[j] = NAN;
        if (cJSON_IsObject(se))
            get_num(se, f->pnames[j], &m->se[j], 0);
    }
    for (int j = 0; j < CS_MAX_PARAMS; j++)
        for (int k = 0; k < CS_MAX_PARAMS; k++)
            m->cov[j][k] = NAN;
    const cJSON *cov = cJSON_GetObjectItemCaseSensitive(root, "covariance");
    if (cJSON_IsArray(cov) && cJSON_GetArraySize(cov) == f->np)
        for (int j = 0; j < f->np; j++) {
            const cJSON *row = cJSON_GetArrayItem(cov, j);
            for (int k = 0; cJSON_IsArray(row) && k < f->np && k < cJSON_GetArraySize(row); k++) {
                const cJSON *x = cJSON_GetArrayItem(row, k);
                if (cJSON_IsNumber(x) && isfinite(x->valuedouble))
                    m->cov[j][k] = x->valuedouble;
            }
        }
    get_num(root, "log_likelihood", &m->log_likelihood, 0);
    get_num(root, "customers", &m->n_customers, 0);
    /* exact in a double, and a size_t */
    const double max_patterns =
        (double)SIZE_MAX < 9007199254740992.0 ? (double)SIZE_MAX : 9007199254740992.0;
    v = 0;
    if ((rc = get_count(root, "patterns", max_patterns, &v, err)) != CS_OK)
        goto out;
    m->n_patterns = (size_t)v;
    get_num(root, "l2", &m->l2, 0);
    if (!isfinite(m->l2))
        m->l2 = 0;
    const cJSON *unit = cJSON_GetObjectItemCaseSensitive(root, "time_unit");
    if (f->file == CSI_FILE_PERIOD) {
        const cJSON *per = cJSON_GetObjectItemCaseSensitive(root, "period");
        snprintf(m->period, sizeof m->period, "%s",
                 cJSON_IsString(per) ? per->valuestring : "period");
    } else if (f->file == CSI_FILE_UNIT) {
        if (!cJSON_IsString(unit) || cs_unit_from_name(unit->valuestring) < 0) {
            rc = bad(err, "%s", "model file: \"time_unit\" is missing or not day, week or month");
            goto out;
        }
        m->unit = cs_unit_from_name(unit->valuestring);
    }
    if (!get_date(root, "calibration_end", &m->calibration_end) ||
        !get_date(root, "as_of", &m->as_of)) {
        rc = bad(err, "%s", "model file: a date is not YYYY-MM-DD");
        goto out;
    }
    const cJSON *conv = cJSON_GetObjectItemCaseSensitive(root, "convergence");
    if (cJSON_IsObject(conv)) {
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(conv, "method");
        if (cJSON_IsString(it))
            snprintf(m->method, sizeof m->method, "%s", it->valuestring);
        m->converged = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(conv, "converged"));
        m->boundary = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(conv, "boundary"));
        v = 0;
        if ((rc = get_count(conv, "iterations", INT_MAX, &v, err)) != CS_OK)
            goto out;
        m->iterations = (int)v;
        v = 0;
        if ((rc = get_count(conv, "starts", INT_MAX, &v, err)) != CS_OK)
            goto out;
        m->starts = (int)v;
        get_num(conv, "gradient_norm", &m->grad_norm, 0);
        it = cJSON_GetObjectItemCaseSensitive(conv, "note");
        if (cJSON_IsString(it))
            snprintf(m->note, sizeof m->note, "%s", it->valuestring);
    }
    const cJSON *fpr = cJSON_GetObjectItemCaseSensitive(root, "fingerprint");
    if (cJSON_IsString(fpr))
        snprintf(m->fingerprint, sizeof m->fingerprint, "%s", fpr->valuestring);
out:
    cJSON_Delete(root);
    if (c != (locale_t)0) {
        uselocale(old);
        freelocale(c);
    }
    free(buf);
    if (rc != CS_OK && err && !err->file[0])
        csi_error_where(err, cs_input_name(in), 0, 0, NULL, 0);
    return rc;
}
