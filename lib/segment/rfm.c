/* RFM scores from quantile cut points, and named segments from rules. */
#include "cs-segment.h"
#include "cs-stats.h"
#include "cs-summary.h"
#include "cs-txn.h"
#include "util/internal.h"

#include <cJSON.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cs_rfm_cuts(double *v, size_t n, int bins, int var, double *cut)
{
    if (n == 0 || bins < 2)
        return 0;
    /* recency is scored the other way round (fewer days is better): cut
     * the negated values, so that the same rules hold in both directions */
    int neg = var == CS_RFM_R;
    if (neg)
        for (size_t i = 0; i < n; i++)
            v[i] = -v[i];
    int k = cs_stats_cuts(v, n, bins, cut);
    if (neg) {
        for (int i = 0; i < k / 2; i++) {
            double t = cut[i];
            cut[i] = cut[k - 1 - i];
            cut[k - 1 - i] = t;
        }
        for (int i = 0; i < k; i++)
            cut[i] = -cut[i];
        for (size_t i = 0; i < n; i++)
            v[i] = -v[i];
    }
    return k;
}

int cs_rfm_score(const cs_rfm_breaks *b, int var, double x)
{
    int s = 1;
    for (int i = 0; i < b->ncut[var]; i++)
        s += var == CS_RFM_R ? b->cut[var][i] > x : b->cut[var][i] < x;
    return s;
}

int cs_rfm_breaks_compute(cs_rfm_breaks *b, const cs_rfm_data *d, int bins,
                          const double fixed[][CS_RFM_MAX_BINS], const int *nfixed,
                          cs_error *err)
{
    memset(b, 0, sizeof *b);
    if (bins < 2 || bins > CS_RFM_MAX_BINS)
        return csi_fail(err, CS_EINVAL, "bins must be from 2 to %d, not %d", CS_RFM_MAX_BINS,
                        bins);
    b->bins = bins;
    b->rf_only = d->rf_only;
    b->monetary = d->rf_only ? CS_RFM_MONETARY_NONE : d->monetary;
    b->as_of = d->as_of;
    double *tmp = NULL;
    for (int v = 0; v < (d->rf_only ? 2 : 3); v++) {
        if (fixed && nfixed && nfixed[v] >= 0) {
            if (nfixed[v] > bins - 1) {
                free(tmp);
                return csi_fail(err, CS_EINVAL, "%d cut points for %d bins", nfixed[v], bins);
            }
            b->ncut[v] = nfixed[v];
            memcpy(b->cut[v], fixed[v], (size_t)nfixed[v] * sizeof **fixed);
            continue;
        }
        if (!tmp && !(tmp = csi_big_alloc((d->n + 1) * sizeof *tmp, 0)))
            return csi_fail(err, CS_ENOMEM, "out of memory");
        memcpy(tmp, d->v[v], d->n * sizeof *tmp);
        b->ncut[v] = cs_rfm_cuts(tmp, d->n, bins, v, b->cut[v]);
    }
    free(tmp);
    return CS_OK;
}

static const char *const var_names[3] = {"recency", "frequency", "monetary"};
static const char *const monetary_names[3] = {NULL, "total", "mean"};

int cs_rfm_breaks_save(const cs_rfm_breaks *b, FILE *fp, cs_error *err)
{
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0), old = (locale_t)0;
    if (c != (locale_t)0)
        old = uselocale(c);
    int nv = b->rf_only ? 2 : 3;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "format", "custseg-rfm-breaks");
    cJSON_AddNumberToObject(root, "version", 2);
    cJSON_AddItemToObject(root, "variables", cJSON_CreateStringArray(var_names, nv));
    cJSON_AddNumberToObject(root, "bins", b->bins);
    const char *kind = b->monetary > 0 && b->monetary < 3 ? monetary_names[b->monetary] : NULL;
    if (kind && !b->rf_only)
        cJSON_AddStringToObject(root, "monetary_kind", kind);
    else
        cJSON_AddNullToObject(root, "monetary_kind");
    cJSON_AddStringToObject(root, "time_unit", "day");
    if (b->as_of != CS_DAY_NONE) {
        char day[11];
        cs_day_format(b->as_of, day);
        cJSON_AddStringToObject(root, "as_of", day);
    } else {
        cJSON_AddNullToObject(root, "as_of");
    }
    cJSON *scores = cJSON_AddObjectToObject(root, "scores");
    for (int v = 0; v < nv; v++)
        cJSON_AddNumberToObject(scores, var_names[v], b->ncut[v] + 1);
    for (int v = 0; v < nv; v++) {
        cJSON *a = cJSON_AddArrayToObject(root, var_names[v]);
        for (int i = 0; i < b->ncut[v]; i++) {
            char num[32]; /* digits that read back exactly (see modelfile.c) */
            csi_format_exact(num, b->cut[v][i]);
            cJSON_AddItemToArray(a, cJSON_CreateRaw(num));
        }
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (c != (locale_t)0) {
        uselocale(old);
        freelocale(c);
    }
    if (!text)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    int bad = fputs(text, fp) < 0 || fputc('\n', fp) == EOF || fflush(fp) != 0;
    cJSON_free(text);
    return bad ? csi_fail(err, CS_EIO, "write error") : CS_OK;
}

/* A breaks file: small JSON (csi_json_read). */
static cJSON *read_json(cs_input *in, char **text, cs_error *err)
{
    return csi_json_read(in, 1u << 22, text, err);
}

/* The line of the key of a member of the top-level object of JSON text
 * (0: not there): strings and nesting are followed, so a key of an inner
 * object or a string value does not count. */
static long key_line(const char *text, const char *key)
{
    size_t klen = strlen(key);
    long line = 1;
    int depth = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            line++;
        else if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']')
            depth--;
        else if (*p == '"') {
            const char *s = ++p;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1])
                    p++;
                else if (*p == '\n')
                    line++;
                p++;
            }
            if (!*p)
                return 0;
            const char *q = p + 1;
            while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
                q++;
            if (depth == 1 && *q == ':' && (size_t)(p - s) == klen && !memcmp(s, key, klen))
                return line;
        }
    }
    return 0;
}

static int breaks_fail(cs_rfm_breaks *b, const char *text, const char *key, cs_error *err,
                       const char *fmt, ...) CS_PRINTF(5, 6);
/* CS_EFORMAT at the line of key in the breaks file. */
static int breaks_fail(cs_rfm_breaks *b, const char *text, const char *key, cs_error *err,
                       const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    csi_fail(err, CS_EFORMAT, "%s", msg);
    csi_error_where(err, b->file, key && text ? key_line(text, key) : 0, 0, NULL, 0);
    return CS_EFORMAT;
}

int cs_rfm_breaks_load(cs_rfm_breaks *b, cs_input *in, cs_error *err)
{
    memset(b, 0, sizeof *b);
    b->as_of = CS_DAY_NONE;
    snprintf(b->file, sizeof b->file, "%s", cs_input_name(in));
    char *text = NULL;
    cJSON *root = read_json(in, &text, err);
    int rc = CS_OK;
    if (!root) {
        rc = err ? err->code : CS_EFORMAT;
        goto out;
    }
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, "format");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
    const cJSON *bins = cJSON_GetObjectItemCaseSensitive(root, "bins");
    if (!cJSON_IsObject(root) || !cJSON_IsString(f) ||
        strcmp(f->valuestring, "custseg-rfm-breaks") || !cJSON_IsNumber(ver) ||
        (ver->valuedouble != 1 && ver->valuedouble != 2)) {
        rc = breaks_fail(b, text, "version", err,
                         "not a custseg RFM breaks file of version 1 or 2 (\"format\": "
                         "\"custseg-rfm-breaks\", \"version\")");
        goto out;
    }
    b->version = (int)ver->valuedouble;
    b->line[CS_RFM_FIELD_BINS] = key_line(text, "bins");
    b->line[CS_RFM_FIELD_MONETARY] = key_line(text, "monetary_kind");
    b->line[CS_RFM_FIELD_VARIABLES] = key_line(text, "variables");
    if (!cJSON_IsNumber(bins) || !(bins->valuedouble >= 2 && bins->valuedouble <= CS_RFM_MAX_BINS) ||
        bins->valuedouble != (int)bins->valuedouble) {
        rc = breaks_fail(b, text, "bins", err, "\"bins\" must be a whole number from 2 to %d",
                         CS_RFM_MAX_BINS);
        goto out;
    }
    b->bins = (int)bins->valuedouble;
    /* what the cut points were computed on: version 1 records the monetary
     * kind only (recency, frequency and monetary in days) */
    const cJSON *mk = cJSON_GetObjectItemCaseSensitive(root, "monetary_kind");
    int nv = 3;
    if (b->version >= 2) {
        const cJSON *vars = cJSON_GetObjectItemCaseSensitive(root, "variables");
        nv = cJSON_IsArray(vars) ? cJSON_GetArraySize(vars) : 0;
        int ok = nv == 2 || nv == 3;
        for (int v = 0; ok && v < nv; v++) {
            const cJSON *it = cJSON_GetArrayItem(vars, v);
            ok = cJSON_IsString(it) && !strcmp(it->valuestring, var_names[v]);
        }
        if (!ok) {
            rc = breaks_fail(b, text, "variables", err,
                             "\"variables\" must be [\"recency\", \"frequency\", \"monetary\"] "
                             "or [\"recency\", \"frequency\"]");
            goto out;
        }
        b->rf_only = nv == 2;
        const cJSON *unit = cJSON_GetObjectItemCaseSensitive(root, "time_unit");
        if (!cJSON_IsString(unit) || strcmp(unit->valuestring, "day")) {
            rc = breaks_fail(b, text, "time_unit", err,
                             "\"time_unit\" must be \"day\": recency is scored in days since "
                             "the last purchase");
            goto out;
        }
        const cJSON *asof = cJSON_GetObjectItemCaseSensitive(root, "as_of");
        cs_datefmt iso = {.kind = CS_DATE_ISO};
        if (cJSON_IsString(asof)) {
            if (cs_date_parse(&iso, asof->valuestring, strlen(asof->valuestring), &b->as_of,
                              NULL) != CS_OK) {
                rc = breaks_fail(b, text, "as_of", err, "\"as_of\" is not YYYY-MM-DD or null");
                goto out;
            }
        } else if (asof && !cJSON_IsNull(asof)) {
            rc = breaks_fail(b, text, "as_of", err, "\"as_of\" is not YYYY-MM-DD or null");
            goto out;
        }
    }
    if (!b->rf_only && cJSON_IsString(mk) && !strcmp(mk->valuestring, "total"))
        b->monetary = CS_RFM_TOTAL;
    else if (!b->rf_only && cJSON_IsString(mk) && !strcmp(mk->valuestring, "mean"))
        b->monetary = CS_RFM_MEAN;
    else if (b->rf_only ? mk && !cJSON_IsNull(mk) : (b->version >= 2 || mk) && !cJSON_IsNull(mk)) {
        rc = breaks_fail(b, text, "monetary_kind", err,
                         b->rf_only ? "\"monetary_kind\" must be null without monetary"
                                    : "\"monetary_kind\" must be \"total\" or \"mean\"");
        goto out;
    } else if (!b->rf_only && b->version >= 2 && !mk) {
        /* null is "not recorded" (a version 1 file without it, saved again):
         * the monetary kind is then not checked, as for version 1 */
        rc = breaks_fail(b, text, "monetary_kind", err,
                         "\"monetary_kind\" must be \"total\" or \"mean\"");
        goto out;
    }
    const cJSON *scores = cJSON_GetObjectItemCaseSensitive(root, "scores");
    if (b->version >= 2 && !cJSON_IsObject(scores)) {
        rc = breaks_fail(b, text, "scores", err,
                         "\"scores\" must give the number of scores of each variable");
        goto out;
    }
    if (b->rf_only && cJSON_GetObjectItemCaseSensitive(root, var_names[CS_RFM_M])) {
        rc = breaks_fail(b, text, var_names[CS_RFM_M], err,
                         "\"monetary\" cut points, and \"variables\" are recency and "
                         "frequency only");
        goto out;
    }
    for (int v = 0; v < nv; v++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, var_names[v]);
        int n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : -1;
        if (n < 0 || n > b->bins - 1) {
            rc = breaks_fail(b, text, var_names[v], err,
                             n < 0 ? "\"%s\" must be an array of at most %d cut points"
                                   : "\"%s\" has %d cut points, more than %d bins allow",
                             var_names[v], n < 0 ? b->bins - 1 : n, b->bins);
            goto out;
        }
        if (b->version >= 2) {
            const cJSON *k = cJSON_GetObjectItemCaseSensitive(scores, var_names[v]);
            if (!cJSON_IsNumber(k) || k->valuedouble != n + 1) {
                if (cJSON_IsNumber(k) && k->valuedouble >= 1 && k->valuedouble <= b->bins &&
                    k->valuedouble == (int)k->valuedouble)
                    rc = breaks_fail(b, text, var_names[v], err,
                                     "\"%s\" has %d cut points, and \"scores\" gives it %d "
                                     "scores, which take %d",
                                     var_names[v], n, (int)k->valuedouble,
                                     (int)k->valuedouble - 1);
                else
                    rc = breaks_fail(b, text, "scores", err,
                                     "\"scores\": \"%s\" must be a whole number from 1 to %d "
                                     "(its cut points + 1)",
                                     var_names[v], b->bins);
                goto out;
            }
        }
        const cJSON *it;
        cJSON_ArrayForEach(it, a)
        {
            if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) ||
                (b->ncut[v] && it->valuedouble <= b->cut[v][b->ncut[v] - 1])) {
                rc = breaks_fail(b, text, var_names[v], err,
                                 "\"%s\": cut points must be finite numbers in increasing order",
                                 var_names[v]);
                goto out;
            }
            b->cut[v][b->ncut[v]++] = it->valuedouble;
        }
    }
out:
    cJSON_Delete(root);
    free(text);
    if (rc != CS_OK && err && !err->file[0])
        csi_error_where(err, cs_input_name(in), 0, 0, NULL, 0);
    return rc;
}

static const char *vars_text(int rf_only)
{
    return rf_only ? "recency and frequency" : "recency, frequency and monetary";
}

int cs_rfm_breaks_check(const cs_rfm_breaks *b, const cs_rfm_breaks_want *want, cs_error *err)
{
    const char *file = b->file[0] ? b->file : "breaks";
    if (want->bins && want->bins != b->bins) {
        csi_fail(err, CS_EINVAL,
                 "\"bins\" is %d in this file: its cut points are for scores 1..%d, not 1..%d",
                 b->bins, b->bins, want->bins);
        csi_error_where(err, file, b->line[CS_RFM_FIELD_BINS], 0, NULL, 0);
        char v[16];
        snprintf(v, sizeof v, "%d", want->bins);
        csi_error_setting(err, "bins", v);
        return CS_EINVAL;
    }
    if (want->rf_only >= 0 && want->rf_only != b->rf_only) {
        csi_fail(err, CS_EINVAL,
                 "\"variables\" are %s in this file, and this run scores %s",
                 vars_text(b->rf_only), vars_text(want->rf_only));
        csi_error_where(err, file, b->line[CS_RFM_FIELD_VARIABLES], 0, NULL, 0);
        csi_error_setting(err, "variables", want->rf_only ? "rf" : "rfm");
        return CS_EINVAL;
    }
    if (!b->rf_only && want->rf_only != 1 && want->monetary && b->monetary &&
        want->monetary != b->monetary) {
        csi_fail(err, CS_EINVAL,
                 "\"monetary_kind\" is \"%s\" in this file: its monetary cut points are of "
                 "the %s value, and this run scores the %s",
                 monetary_names[b->monetary], b->monetary == CS_RFM_MEAN ? "mean" : "total",
                 want->monetary == CS_RFM_MEAN ? "mean" : "total");
        csi_error_where(err, file, b->line[CS_RFM_FIELD_MONETARY], 0, NULL, 0);
        csi_error_setting(err, "monetary", monetary_names[want->monetary]);
        return CS_EINVAL;
    }
    return CS_OK;
}

int cs_rfm_breaks_read(cs_rfm_breaks *b, const char *path, cs_error *err)
{
    memset(b, 0, sizeof *b);
    cs_input *in = cs_input_open(path, err);
    if (!in)
        return err ? err->code : CS_EIO;
    int rc = cs_rfm_breaks_load(b, in, err);
    cs_input_close(in);
    return rc;
}

/* The R rfm package 0.3.0, rfm_segment's example: names in its order with
 * its lower and upper bounds for the recency, frequency and monetary scores. */
static const struct {
    const char *name;
    int lo[3], hi[3];
} rfm_package[] = {
    {"Champions", {5, 5, 5}, {5, 5, 5}},
    {"Potential Loyalist", {3, 3, 2}, {5, 5, 5}},
    {"Loyal Customers", {2, 2, 2}, {4, 4, 4}},
    {"Promising", {3, 1, 3}, {4, 3, 5}},
    {"New Customers", {4, 1, 1}, {5, 3, 5}},
    {"Can't Lose Them", {1, 3, 4}, {2, 4, 5}},
    {"At Risk", {1, 2, 4}, {2, 5, 5}},
    {"Need Attention", {1, 3, 3}, {3, 5, 5}},
    {"About To Sleep", {2, 1, 1}, {3, 3, 4}},
    {"Lost", {1, 1, 1}, {1, 5, 5}},
};

/* Our five tiers: first match wins, and every score triple has a tier. */
static const struct {
    const char *name;
    int lo[3], hi[3];
} simple[] = {
    {"Best", {4, 4, 4}, {5, 5, 5}},  /* recent, frequent and valuable */
    {"Loyal", {3, 3, 1}, {5, 5, 5}}, /* recent enough and frequent */
    {"New", {4, 1, 1}, {5, 2, 5}},   /* recent, few purchases yet */
    {"Slipping", {2, 1, 1}, {3, 5, 5}},
    {"Lost", {1, 1, 1}, {1, 5, 5}},
};

/* Ten segments on recency and frequency alone (a grid widely used for RF
 * scores 1..5): every pair of scores has one. */
static const struct {
    const char *name;
    int lo[3], hi[3];
} rf_grid[] = {
    {"Champions", {5, 4, 1}, {5, 5, 5}},
    {"Loyal Customers", {3, 4, 1}, {4, 5, 5}},
    {"Potential Loyalists", {4, 2, 1}, {5, 3, 5}},
    {"New Customers", {5, 1, 1}, {5, 1, 5}},
    {"Promising", {4, 1, 1}, {4, 1, 5}},
    {"Need Attention", {3, 3, 1}, {3, 3, 5}},
    {"About To Sleep", {3, 1, 1}, {3, 2, 5}},
    {"Can't Lose Them", {1, 5, 1}, {2, 5, 5}},
    {"At Risk", {1, 3, 1}, {2, 4, 5}},
    {"Hibernating", {1, 1, 1}, {2, 2, 5}},
};

int cs_rfm_rules_builtin(cs_rfm_rules *r, const char *name, cs_error *err)
{
    memset(r, 0, sizeof *r);
    size_t n;
    int which = !strcmp(name, "rfm") ? 0 : !strcmp(name, "simple") ? 1 : !strcmp(name, "rf") ? 2 : -1;
    if (which == 0)
        n = sizeof rfm_package / sizeof *rfm_package;
    else if (which == 1)
        n = sizeof simple / sizeof *simple;
    else if (which == 2)
        n = sizeof rf_grid / sizeof *rf_grid;
    else
        return csi_fail(err, CS_EINVAL, "no built-in segments named '%s' (rfm, simple, rf)",
                        name);
    r->rule = calloc(n, sizeof *r->rule);
    if (!r->rule)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const char *nm = which == 0 ? rfm_package[i].name
                         : which == 1 ? simple[i].name
                                      : rf_grid[i].name;
        const int *lo = which == 0 ? rfm_package[i].lo : which == 1 ? simple[i].lo : rf_grid[i].lo;
        const int *hi = which == 0 ? rfm_package[i].hi : which == 1 ? simple[i].hi : rf_grid[i].hi;
        snprintf(r->rule[i].name, sizeof r->rule[i].name, "%s", nm);
        for (int v = 0; v < 3; v++) {
            r->rule[i].lo[v] = lo[v];
            r->rule[i].hi[v] = hi[v];
        }
        r->rule[i].uses_m = lo[CS_RFM_M] > 1 || hi[CS_RFM_M] < 5;
    }
    r->n = n;
    return CS_OK;
}

int cs_rfm_rules_is_builtin(const char *spec)
{
    return !strcmp(spec, "rfm") || !strcmp(spec, "simple") || !strcmp(spec, "rf");
}

int cs_rfm_rules_check_rf(const cs_rfm_rules *r, cs_error *err)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->rule[i].uses_m)
            return csi_fail(err, CS_EINVAL,
                            "segment '%s' is defined on the monetary score (\"m\" [%d, %d]), "
                            "and the scores are recency and frequency only",
                            r->rule[i].name, r->rule[i].lo[CS_RFM_M], r->rule[i].hi[CS_RFM_M]);
    return CS_OK;
}

int cs_rfm_rules_open(cs_rfm_rules *r, const char *spec, int bins, cs_error *err)
{
    if (cs_rfm_rules_is_builtin(spec))
        return cs_rfm_rules_builtin(r, spec, err);
    memset(r, 0, sizeof *r);
    cs_input *in = cs_input_open(spec, err);
    if (!in)
        return err ? err->code : CS_EIO;
    int rc = cs_rfm_rules_load(r, in, bins, err);
    cs_input_close(in);
    return rc;
}

int cs_rfm_rules_load(cs_rfm_rules *r, cs_input *in, int bins, cs_error *err)
{
    memset(r, 0, sizeof *r);
    cJSON *root = read_json(in, NULL, err);
    int rc = CS_OK;
    static const char *const keys[3] = {"r", "f", "m"};
    if (!root) {
        rc = err ? err->code : CS_EFORMAT;
        goto out;
    }
    if (!cJSON_IsArray(root) || cJSON_GetArraySize(root) == 0) {
        rc = csi_fail(err, CS_EFORMAT, "a rule file is a non-empty JSON array of rules");
        goto out;
    }
    size_t n = (size_t)cJSON_GetArraySize(root);
    r->rule = calloc(n, sizeof *r->rule);
    if (!r->rule) {
        rc = csi_fail(err, CS_ENOMEM, "out of memory");
        goto out;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, root)
    {
        cs_rfm_rule *ru = &r->rule[r->n];
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(it, "name");
        if (!cJSON_IsString(nm) || !nm->valuestring[0] ||
            strlen(nm->valuestring) >= sizeof ru->name) {
            rc = csi_fail(err, CS_EFORMAT, "rule %zu: a \"name\" of 1 to 63 bytes is required",
                          r->n + 1);
            goto out;
        }
        snprintf(ru->name, sizeof ru->name, "%s", nm->valuestring);
        for (int v = 0; v < 3; v++) {
            const cJSON *b = cJSON_GetObjectItemCaseSensitive(it, keys[v]);
            ru->lo[v] = 1;
            ru->hi[v] = bins;
            if (!b)
                continue;
            ru->uses_m |= v == CS_RFM_M;
            if (!cJSON_IsArray(b) || cJSON_GetArraySize(b) != 2 ||
                !cJSON_IsNumber(cJSON_GetArrayItem(b, 0)) ||
                !cJSON_IsNumber(cJSON_GetArrayItem(b, 1))) {
                rc = csi_fail(err, CS_EFORMAT, "rule '%s': \"%s\" must be [min, max]", ru->name,
                              keys[v]);
                goto out;
            }
            double lo = cJSON_GetArrayItem(b, 0)->valuedouble;
            double hi = cJSON_GetArrayItem(b, 1)->valuedouble;
            /* an int holds it before the cast: 1e20 or inf is no score */
            if (!(lo > INT_MIN - 1.0 && lo < INT_MAX + 1.0) ||
                !(hi > INT_MIN - 1.0 && hi < INT_MAX + 1.0)) {
                rc = csi_fail(err, CS_EFORMAT,
                              "rule '%s': \"%s\" [%g, %g] can never hold: scores run from 1 "
                              "to %d",
                              ru->name, keys[v], lo, hi, bins);
                goto out;
            }
            ru->lo[v] = (int)lo;
            ru->hi[v] = (int)hi;
            if (ru->lo[v] > ru->hi[v] || ru->lo[v] < 1 || ru->hi[v] > bins) {
                rc = csi_fail(err, CS_EFORMAT,
                              "rule '%s': \"%s\" [%d, %d] can never hold: scores run from 1 "
                              "to %d and min must not exceed max",
                              ru->name, keys[v], ru->lo[v], ru->hi[v], bins);
                goto out;
            }
        }
        r->n++;
    }
out:
    cJSON_Delete(root);
    if (rc != CS_OK) {
        cs_rfm_rules_free(r);
        if (err && !err->file[0])
            csi_error_where(err, cs_input_name(in), 0, 0, NULL, 0);
    }
    return rc;
}

size_t cs_rfm_rules_overlaps(const cs_rfm_rules *r, size_t limit,
                             void (*fn)(void *ctx, const char *first, const char *second),
                             void *ctx)
{
    /* n^2/2 tests of two boxes (12.5M for 5,000 rules: a few ms); only the
     * first `limit` pairs are named */
    size_t count = 0;
    for (size_t i = 0; i < r->n; i++) {
        const int *lo = r->rule[i].lo, *hi = r->rule[i].hi;
        for (size_t j = i + 1; j < r->n; j++) {
            const cs_rfm_rule *b = &r->rule[j];
            int meet = (lo[0] <= b->hi[0]) & (b->lo[0] <= hi[0]) & (lo[1] <= b->hi[1]) &
                       (b->lo[1] <= hi[1]) & (lo[2] <= b->hi[2]) & (b->lo[2] <= hi[2]);
            if (meet && count++ < limit && fn)
                fn(ctx, r->rule[i].name, b->name);
        }
    }
    return count;
}

void cs_rfm_score_customer(const cs_rfm_breaks *b, const cs_rfm_rules *r, const cs_rfm_data *d,
                           size_t i, cs_rfm_scored *out)
{
    int rf = d->rf_only || b->rf_only;
    for (int v = 0; v < 3; v++)
        out->score[v] = rf && v == CS_RFM_M ? 1 : cs_rfm_score(b, v, d->v[v][i]);
    /* without monetary, every rule's m bounds hold (the rules were checked) */
    out->segment = cs_rfm_segment(r, out->score);
    if (rf) {
        out->score[CS_RFM_M] = 0;
        out->sum = out->score[0] + out->score[1];
        snprintf(out->cell, sizeof out->cell, "R%dF%d", out->score[0], out->score[1]);
    } else {
        out->sum = out->score[0] + out->score[1] + out->score[2];
        snprintf(out->cell, sizeof out->cell, "%d%d%d", out->score[0], out->score[1],
                 out->score[2]);
    }
}

size_t cs_rfm_segment_index(const cs_rfm_rules *r, const int score[3])
{
    for (size_t i = 0; i < r->n; i++) {
        const cs_rfm_rule *ru = &r->rule[i];
        if (score[0] >= ru->lo[0] && score[0] <= ru->hi[0] && score[1] >= ru->lo[1] &&
            score[1] <= ru->hi[1] && score[2] >= ru->lo[2] && score[2] <= ru->hi[2])
            return i;
    }
    return r->n;
}

const char *cs_rfm_segment(const cs_rfm_rules *r, const int score[3])
{
    size_t i = cs_rfm_segment_index(r, score);
    return i < r->n ? r->rule[i].name : "Others";
}

void cs_rfm_rules_free(cs_rfm_rules *r)
{
    if (!r)
        return;
    free(r->rule);
    r->rule = NULL;
    r->n = 0;
}

void cs_rfm_data_free(cs_rfm_data *d)
{
    if (!d)
        return;
    cs_ids_clear(&d->ids);
    for (int v = 0; v < 3; v++)
        free(d->v[v]);
    free(d->total);
    free(d->orders);
    free(d);
}

int cs_rfm_data_check(const cs_rfm_data *d, cs_error *err)
{
    if (d->rf_only)
        return CS_OK;
    for (size_t i = 0; i < d->n; i++)
        if (d->v[CS_RFM_M][i] != 0)
            return CS_OK;
    return csi_fail(err, CS_EEMPTY,
                    "every customer's monetary value is 0: there is nothing to score (is the "
                    "amount column right?)");
}

/* Room for n customers' values (the ids grow by themselves). */
static int data_grow(cs_rfm_data *d, size_t n)
{
    void *p;
#define GROW(f)                                   \
    if (!(p = realloc(d->f, n * sizeof *d->f))) \
        return CS_ENOMEM;                         \
    d->f = p;
    GROW(total) GROW(v[0]) GROW(v[1]) GROW(v[2]) GROW(orders)
#undef GROW
    return CS_OK;
}

cs_rfm_data *cs_rfm_data_from_summary(const cs_summary *s, int monetary_mean, unsigned flags,
                                      cs_error *err)
{
    cs_rfm_data *d = calloc(1, sizeof *d);
    int ok = d != NULL;
    /* sized once: huge pages where the system gives them (fewer faults) */
#define BIG(f) ok = ok && (d->f = csi_big_alloc((s->n + 1) * sizeof *d->f, 0)) != NULL;
    BIG(total) BIG(v[0]) BIG(v[1]) BIG(v[2]) BIG(orders)
#undef BIG
    if (ok && (flags & CS_SUMMARY_IDS))
        ok = cs_summary_copy_ids(s, &d->ids) == CS_OK;
    if (!ok) {
        cs_rfm_data_free(d);
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    cs_day end = s->calibration_end != CS_DAY_NONE ? s->calibration_end : s->as_of;
    d->rf_only = !s->has_amount;
    d->monetary = d->rf_only ? CS_RFM_MONETARY_NONE : monetary_mean ? CS_RFM_MEAN : CS_RFM_TOTAL;
    d->as_of = end;
    for (size_t i = 0; i < s->n; i++) {
        const cs_summary_row *r = &s->rows[i];
        d->total[i] = (double)r->total_value / CS_MICRO;
        d->v[CS_RFM_R][i] = end - r->last;
        d->v[CS_RFM_F][i] = r->purchase_days;
        d->v[CS_RFM_M][i] = monetary_mean ? d->total[i] / r->purchase_days : d->total[i];
        d->orders[i] = r->transactions;
    }
    d->n = s->n;
    return d;
}

cs_rfm_data *cs_rfm_data_read(cs_input *in, int monetary_mean, cs_error *err)
{
    return cs_rfm_data_read_columns(in, NULL, monetary_mean, err);
}

/* A value of the current row below lo: CS_EFORMAT at its line and column. */
static int below(const cs_table *t, int col, double lo, cs_error *err)
{
    const char *s;
    size_t n;
    char ex[80];
    cs_table_str(t, col, &s, &n);
    csi_excerpt(ex, sizeof ex, s, n);
    csi_fail(err, CS_EFORMAT, "'%s' is not a number >= %g", ex, lo);
    const char *name = cs_table_name(t, col);
    csi_error_where(err, cs_table_file(t), cs_table_line(t), col + 1, name, strlen(name));
    return CS_EFORMAT;
}

cs_rfm_data *cs_rfm_data_read_columns(cs_input *in, const cs_rfm_columns *cols,
                                      int monetary_mean, cs_error *err)
{
    const char *name[4] = {"customer_id", "days_since_last", "purchase_days", "total_value"};
    int defaults = 1;
    if (cols) {
        const char *given[4] = {cols->customer, cols->recency, cols->frequency, cols->monetary};
        for (int k = 0; k < 4; k++)
            if (given[k]) {
                defaults &= !strcmp(given[k], name[k]);
                name[k] = given[k];
            }
    }
    cs_table *t = cs_table_open(in, CS_DELIM_AUTO, err);
    if (!t)
        return NULL;
    cs_rfm_data *d = NULL;
    int col[4];
    /* no monetary column that nobody named: a summary without amounts */
    int rf_only = cs_table_find(t, name[3]) < 0 && !(cols && cols->monetary);
    /* "recency", custseg-rfm's name for days_since_last before the rename,
     * named on a table without it: days_since_last, so that a pipeline
     * reading custseg-rfm's output back keeps working. Never the other way
     * round: a column "recency" in other tables is often the BTYD t_x. */
    if (!strcmp(name[1], "recency") && cs_table_find(t, "recency") < 0 &&
        cs_table_find(t, "days_since_last") >= 0)
        name[1] = "days_since_last";
    for (int k = 0; k < 4 - rf_only; k++)
        if ((col[k] = cs_table_find(t, name[k])) < 0) {
            /* a column "recency" is not taken for days since the last
             * purchase unless named: say so */
            const char *note = k == 1 && strcmp(name[1], "recency") &&
                                       cs_table_find(t, "recency") >= 0
                                   ? "; the column 'recency' is read as the recency only when "
                                     "named (it often holds first to last purchase)"
                                   : "";
            if (defaults)
                csi_fail(err, CS_ECOLUMN,
                         "no column '%s': RFM reads a custseg-summary table (customer_id, "
                         "days_since_last, purchase_days[, total_value]) or transactions%s",
                         name[k], note);
            else
                csi_fail(err, CS_ECOLUMN,
                         "no column '%s': RFM reads the columns %s (customer), %s (recency), "
                         "%s (frequency) and %s (monetary)%s",
                         name[k], name[0], name[1], name[2], name[3], note);
            csi_error_where(err, cs_table_file(t), cs_table_line(t), 0, NULL, 0);
            goto fail;
        }
    int col_orders = cs_table_find(t, "transactions");
    if (!(d = calloc(1, sizeof *d)))
        goto nomem;
    d->rf_only = rf_only;
    d->monetary = rf_only ? CS_RFM_MONETARY_NONE : monetary_mean ? CS_RFM_MEAN : CS_RFM_TOTAL;
    d->as_of = CS_DAY_NONE;
    size_t cap = 0;
    int rc;
    while ((rc = cs_table_next(t, err)) == 1) {
        if (d->n == cap) {
            cap = cap ? cap * 2 : 1024;
            if (data_grow(d, cap) != CS_OK)
                goto nomem;
        }
        size_t i = d->n;
        double x[3] = {0, 0, 0}, orders = NAN;
        for (int k = 1; k < 4 - rf_only; k++)
            if (cs_table_real(t, col[k], k < 3 ? CS_TABLE_NONNEG : 0, &x[k - 1], err) != CS_OK)
                goto fail;
        if (x[1] < 1) {
            below(t, col[2], 1, err);
            goto fail;
        }
        if (col_orders >= 0 &&
            cs_table_real(t, col_orders, CS_TABLE_NONNEG, &orders, err) != CS_OK)
            goto fail;
        if (cs_table_id(t, col[0], &d->ids, err) != CS_OK)
            goto fail;
        d->v[CS_RFM_R][i] = x[0];
        d->v[CS_RFM_F][i] = x[1];
        d->total[i] = x[2];
        d->v[CS_RFM_M][i] = monetary_mean ? x[2] / x[1] : x[2];
        d->orders[i] = orders;
        d->n++;
    }
    if (rc < 0)
        goto fail;
    if (d->n == 0) {
        csi_fail(err, CS_EEMPTY, "no customers after the header line");
        csi_error_where(err, cs_table_file(t), 0, 0, NULL, 0);
        goto fail;
    }
    cs_table_free(t);
    if (col_orders < 0) {
        free(d->orders);
        d->orders = NULL;
    }
    return d;
nomem:
    csi_fail(err, CS_ENOMEM, "out of memory");
fail:
    cs_table_free(t);
    cs_rfm_data_free(d);
    return NULL;
}

void cs_rfm_report_free(cs_rfm_report *rep)
{
    if (!rep)
        return;
    free(rep->row);
    rep->row = NULL;
    rep->n = 0;
}

int cs_rfm_report_compute(cs_rfm_report *rep, const cs_rfm_data *d, const cs_rfm_breaks *b,
                          const cs_rfm_rules *r, cs_error *err)
{
    memset(rep, 0, sizeof *rep);
    if (d->n == 0)
        return csi_fail(err, CS_EEMPTY, "no customers to report on");
    size_t n = d->n, ns = r->n + 1; /* the rules, then Others */
    int *seg = csi_big_alloc(n * sizeof *seg, 0);
    size_t *cnt = calloc(ns, sizeof *cnt), *order = malloc(ns * sizeof *order);
    size_t *start = calloc(ns + 1, sizeof *start), *by_seg = csi_big_alloc(n * sizeof *by_seg, 0);
    double *rev = calloc(ns, sizeof *rev), *buf = csi_big_alloc(n * sizeof *buf, 0);
    double *ord = calloc(ns, sizeof *ord), *key = calloc(ns, sizeof *key);
    rep->row = calloc(ns, sizeof *rep->row);
    int rc = CS_OK;
    if (!seg || !cnt || !order || !start || !by_seg || !rev || !buf || !ord || !key ||
        !rep->row) {
        rc = csi_fail(err, CS_ENOMEM, "out of memory");
        goto out;
    }
    int rf = d->rf_only || b->rf_only;
    for (size_t i = 0; i < n; i++) {
        int sc[3];
        for (int v = 0; v < 3; v++)
            sc[v] = rf && v == CS_RFM_M ? 1 : cs_rfm_score(b, v, d->v[v][i]);
        seg[i] = (int)cs_rfm_segment_index(r, sc);
    }
    if ((rc = cs_stats_group_sums(d->total, seg, n, ns, rev, cnt, err)) != CS_OK)
        goto out;
    if (d->orders && (rc = cs_stats_group_sums(d->orders, seg, n, ns, ord, cnt, err)) != CS_OK)
        goto out;
    double total = cs_stats_sum(d->total, n);
    /* the customers of each segment in their order (a counting sort), so
     * that sums run in the same order as over all customers */
    for (size_t k = 0; k < ns; k++)
        start[k + 1] = start[k] + cnt[k];
    for (size_t i = 0; i < n; i++)
        by_seg[start[seg[i]]++] = i;
    for (size_t k = ns; k > 0; k--)
        start[k] = start[k - 1];
    start[0] = 0;
    /* in the rules' order, then sorted by revenue (without amounts: by
     * orders, or customers) with an insertion sort, stable: a handful of
     * segments */
    for (size_t k = 0; k < ns; k++) {
        order[k] = k;
        key[k] = !rf ? rev[k] : d->orders ? ord[k] : (double)cnt[k];
    }
    for (size_t a = 1; a < ns; a++)
        for (size_t c = a; c > 0 && key[order[c]] > key[order[c - 1]]; c--) {
            size_t t = order[c];
            order[c] = order[c - 1];
            order[c - 1] = t;
        }
    for (size_t o = 0; o < ns; o++) {
        size_t k = order[o], m = cnt[k];
        if (!m)
            continue;
        cs_rfm_report_row *row = &rep->row[rep->n++];
        row->segment = k < r->n ? r->rule[k].name : "Others";
        row->customers = m;
        row->customer_share = (double)m / (double)n;
        row->revenue = rf ? NAN : rev[k];
        row->revenue_share = rf ? NAN : total != 0 ? rev[k] / total : 0;
        row->orders = d->orders ? ord[k] : NAN;
        row->aov = !rf && d->orders && ord[k] > 0 ? rev[k] / ord[k] : NAN;
        for (int v = 0; v < 3; v++) {
            if (rf && v == CS_RFM_M) {
                row->mean[v] = row->median[v] = NAN;
                continue;
            }
            for (size_t j = 0; j < m; j++)
                buf[j] = d->v[v][by_seg[start[k] + j]];
            row->mean[v] = cs_stats_mean(buf, m);
            row->median[v] = cs_stats_median(buf, m);
        }
    }
out:
    free(seg), free(cnt), free(order), free(start), free(by_seg), free(rev), free(buf);
    free(ord), free(key);
    if (rc != CS_OK)
        cs_rfm_report_free(rep);
    return rc;
}

/* ---- Cut points over many tables: distinct values with their counts ---- */

/* One variable's values: distinct, increasing, with how many customers
 * have each (recency negated, as cs_rfm_cuts cuts it). */
struct hist_var {
    size_t n;
    double *v;
    double *c;
};

struct cs_rfm_hist {
    struct hist_var var[3];
    double customers;
    size_t tables;
    int rf_only, monetary;
    cs_day as_of;
    int any_m; /* a monetary value other than 0 */
};

cs_rfm_hist *cs_rfm_hist_new(cs_error *err)
{
    cs_rfm_hist *h = calloc(1, sizeof *h);
    if (!h)
        csi_fail(err, CS_ENOMEM, "out of memory");
    return h;
}

void cs_rfm_hist_free(cs_rfm_hist *h)
{
    if (!h)
        return;
    for (int k = 0; k < 3; k++) {
        free(h->var[k].v);
        free(h->var[k].c);
    }
    free(h);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Merges the n values v (sorted here) into hv. */
static int hist_merge(struct hist_var *hv, double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t cap = hv->n + n + 1;
    double *nv = malloc(cap * sizeof *nv), *nc = malloc(cap * sizeof *nc);
    if (!nv || !nc) {
        free(nv);
        free(nc);
        return CS_ENOMEM;
    }
    size_t i = 0, j = 0, k = 0;
    while (i < hv->n || j < n) {
        double x;
        double c = 0;
        if (j >= n || (i < hv->n && hv->v[i] <= v[j])) {
            x = hv->v[i];
            c = hv->c[i++];
        } else {
            x = v[j++];
            c = 1;
        }
        if (k > 0 && nv[k - 1] == x) {
            nc[k - 1] += c;
        } else {
            nv[k] = x;
            nc[k++] = c;
        }
    }
    free(hv->v);
    free(hv->c);
    hv->v = nv;
    hv->c = nc;
    hv->n = k;
    return CS_OK;
}

int cs_rfm_hist_add(cs_rfm_hist *h, const cs_rfm_data *d, cs_error *err)
{
    if (h->tables > 0 && (d->rf_only != h->rf_only || (!d->rf_only && d->monetary != h->monetary)))
        return csi_fail(err, CS_EINVAL,
                        "this table has %s and the tables before it %s: the cut points are of "
                        "one set of variables",
                        d->rf_only ? "no amounts" : "amounts",
                        h->rf_only ? "none" : "amounts");
    if (d->n == 0)
        return CS_OK;
    double *tmp = csi_big_alloc(d->n * sizeof *tmp, 0);
    if (!tmp)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    for (int k = 0; k < (d->rf_only ? 2 : 3); k++) {
        for (size_t i = 0; i < d->n; i++) {
            double x = d->v[k][i];
            if (!isfinite(x)) {
                free(tmp);
                return csi_fail(err, CS_EINVAL, "a value that is not a finite number");
            }
            tmp[i] = k == CS_RFM_R ? -x : x;
            if (k == CS_RFM_M && x != 0)
                h->any_m = 1;
        }
        if (hist_merge(&h->var[k], tmp, d->n) != CS_OK) {
            free(tmp);
            return csi_fail(err, CS_ENOMEM, "out of memory");
        }
    }
    free(tmp);
    h->as_of = h->tables == 0 || h->as_of == d->as_of ? d->as_of : CS_DAY_NONE;
    h->rf_only = d->rf_only;
    h->monetary = d->rf_only ? CS_RFM_MONETARY_NONE : d->monetary;
    h->customers += (double)d->n;
    h->tables++;
    return CS_OK;
}

size_t cs_rfm_hist_values(const cs_rfm_hist *h, int var)
{
    return var >= 0 && var < 3 ? h->var[var].n : 0;
}

/* The k-th smallest (0-based) of the values counted in hv, whose running
 * totals are cum (cum[i]: customers with the first i + 1 values). */
static double hist_order(const struct hist_var *hv, const double *cum, double k)
{
    size_t lo = 0, hi = hv->n - 1;
    while (lo < hi) { /* the first i with cum[i] > k */
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > k)
            hi = mid;
        else
            lo = mid + 1;
    }
    return hv->v[lo];
}

/* cs_stats_cuts on the values counted in hv: the same type-7 quantiles,
 * the same arithmetic, the order statistics found by counting. */
static int hist_cuts(const struct hist_var *hv, const double *cum, int parts, double *cut)
{
    double n = hv->n ? cum[hv->n - 1] : 0;
    if (n == 0 || parts < 2)
        return 0;
    double vmax = hv->v[hv->n - 1];
    int k = 0;
    for (int j = 1; j < parts; j++) {
        double h = (n - 1) * j / parts;
        h = h > 0 ? (h < n - 1 ? h : n - 1) : 0;
        double i = floor(h);
        double lo = hist_order(hv, cum, i), q = lo;
        if (i + 1 < n && h > i)
            q = lo + (h - i) * (hist_order(hv, cum, i + 1) - lo);
        if ((k == 0 || q > cut[k - 1]) && q < vmax)
            cut[k++] = q;
    }
    return k;
}

int cs_rfm_hist_breaks(const cs_rfm_hist *h, cs_rfm_breaks *b, int bins,
                       const double fixed[][CS_RFM_MAX_BINS], const int *nfixed, cs_error *err)
{
    memset(b, 0, sizeof *b);
    if (bins < 2 || bins > CS_RFM_MAX_BINS)
        return csi_fail(err, CS_EINVAL, "bins must be from 2 to %d, not %d", CS_RFM_MAX_BINS,
                        bins);
    if (h->customers == 0)
        return csi_fail(err, CS_EEMPTY, "no customers");
    if (!h->rf_only && !h->any_m)
        return csi_fail(err, CS_EEMPTY,
                        "every customer's monetary value is 0: there is nothing to score (is "
                        "the amount column right?)");
    b->bins = bins;
    b->rf_only = h->rf_only;
    b->monetary = h->monetary;
    b->as_of = h->as_of;
    for (int v = 0; v < (h->rf_only ? 2 : 3); v++) {
        if (fixed && nfixed && nfixed[v] >= 0) {
            if (nfixed[v] > bins - 1)
                return csi_fail(err, CS_EINVAL, "%d cut points for %d bins", nfixed[v], bins);
            b->ncut[v] = nfixed[v];
            memcpy(b->cut[v], fixed[v], (size_t)nfixed[v] * sizeof **fixed);
            continue;
        }
        const struct hist_var *hv = &h->var[v];
        double *cum = malloc((hv->n + 1) * sizeof *cum);
        if (!cum)
            return csi_fail(err, CS_ENOMEM, "out of memory");
        double s = 0;
        for (size_t i = 0; i < hv->n; i++)
            cum[i] = s += hv->c[i];
        int k = hist_cuts(hv, cum, bins, b->cut[v]);
        free(cum);
        if (v == CS_RFM_R) { /* back from the negated values, as cs_rfm_cuts */
            for (int i = 0; i < k / 2; i++) {
                double t = b->cut[v][i];
                b->cut[v][i] = b->cut[v][k - 1 - i];
                b->cut[v][k - 1 - i] = t;
            }
            for (int i = 0; i < k; i++)
                b->cut[v][i] = -b->cut[v][i];
        }
        b->ncut[v] = k;
    }
    return CS_OK;
}
