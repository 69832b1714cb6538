/* Model files: small JSON documents that a nightly job reuses. */
#include "models/family.h"
#include "util/internal.h"
#include "cs-summary.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* ---- What a model was fitted on ---- */

/* SHA-256 (FIPS 180-4), enough of it to hash files. */
struct sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t fill;
};

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(struct sha256 *c, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3], e = c->h[4], f = c->h[5],
             g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) +
                      sha_k[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
        h = g, g = f, f = e, e = d + t1, d = cc, cc = b, b = a, a = t1 + t2;
    }
    c->h[0] += a, c->h[1] += b, c->h[2] += cc, c->h[3] += d;
    c->h[4] += e, c->h[5] += f, c->h[6] += g, c->h[7] += h;
}

static void sha_init(struct sha256 *c)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, h0, sizeof h0);
    c->len = 0;
    c->fill = 0;
}

static void sha_update(struct sha256 *c, const unsigned char *p, size_t n)
{
    c->len += n;
    while (n) {
        if (c->fill == 0 && n >= 64) {
            sha_block(c, p);
            p += 64, n -= 64;
            continue;
        }
        size_t k = 64 - c->fill < n ? 64 - c->fill : n;
        memcpy(c->buf + c->fill, p, k);
        c->fill += k, p += k, n -= k;
        if (c->fill == 64) {
            sha_block(c, c->buf);
            c->fill = 0;
        }
    }
}

static void sha_final(struct sha256 *c, char hex[65])
{
    uint64_t bits = c->len * 8;
    unsigned char pad[72] = {0x80};
    size_t np = (c->fill < 56 ? 56 : 120) - c->fill;
    for (int i = 0; i < 8; i++)
        pad[np + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
    sha_update(c, pad, np + 8);
    for (int i = 0; i < 8; i++)
        snprintf(hex + 8 * i, 9, "%08x", (unsigned)c->h[i]);
}

void cs_model_source_command(struct cs_model_source *s, int argc, char *const argv[])
{
    size_t cap = sizeof s->command, o = 0, limit = 1000;
    int cut = 0;
    s->command[0] = '\0';
    for (int i = 0; i < argc && !cut; i++) {
        const char *a = argv[i];
        char q[sizeof s->command];
        size_t k = 0;
        int plain = a[0] != '\0';
        for (const char *p = a; *p && plain; p++)
            plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                           "_-./=:,+@%", *p) != NULL;
        if (i)
            q[k++] = ' ';
        if (!plain)
            q[k++] = '\'';
        for (const char *p = a; *p && k < sizeof q - 8; p++) {
            if (*p == '\'' && !plain) { /* ' -> '\'' */
                memcpy(q + k, "'\\''", 4);
                k += 4;
            } else {
                q[k++] = *p;
            }
        }
        if (!plain)
            q[k++] = '\'';
        if (o + k > limit) {
            k = limit > o ? limit - o : 0;
            cut = 1;
        }
        memcpy(s->command + o, q, k);
        o += k;
    }
    if (cut)
        memcpy(s->command + o, "...", 4);
    else
        s->command[o < cap ? o : cap - 1] = '\0';
    snprintf(s->tool, sizeof s->tool, "custseg %s", CS_VERSION);
}

/* The input could not be read again for its checksum. */
static int reread_fail(cs_error *err, const char *path, int e)
{
    csi_fail(err, CS_EIO, "cannot read it again for its checksum: %s", strerror(e));
    csi_error_where(err, path, 0, 0, NULL, 0);
    if (err)
        err->sys_errno = e;
    return CS_EIO;
}

int cs_model_source_inputs(struct cs_model_source *s, const char *const *paths, size_t n,
                           cs_error *err)
{
    static const char *const stdin_path[1] = {"-"};
    if (n == 0) {
        paths = stdin_path;
        n = 1;
    }
    snprintf(s->input, sizeof s->input, "%s", paths[0]);
    s->files = (int)(n < INT_MAX ? n : INT_MAX);
    s->bytes = -1;
    s->sha256[0] = '\0';
    struct sha256 c;
    sha_init(&c);
    enum { BUF = 1 << 16 };
    unsigned char *buf = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(paths[i], "-"))
            goto unknown;
        int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0) {
            int e = errno;
            if (fd >= 0)
                close(fd);
            free(buf);
            return reread_fail(err, paths[i], e);
        }
        if (!S_ISREG(st.st_mode)) { /* a pipe: read once, gone */
            close(fd);
            goto unknown;
        }
        if (!buf && !(buf = malloc(BUF))) {
            close(fd);
            return csi_fail(err, CS_ENOMEM, "out of memory");
        }
        ssize_t k;
        while ((k = read(fd, buf, BUF)) != 0) {
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0) {
                int e = errno;
                close(fd);
                free(buf);
                return reread_fail(err, paths[i], e);
            }
            sha_update(&c, buf, (size_t)k);
        }
        close(fd);
    }
    free(buf);
    s->bytes = (long long)c.len;
    sha_final(&c, s->sha256);
    return CS_OK;
unknown:
    free(buf);
    return CS_OK;
}

static void add_str(cJSON *o, const char *key, const char *v)
{
    if (v[0])
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
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
    const struct cs_model_source *src = &m->source;
    if (src->files > 0) {
        cJSON *in = cJSON_AddObjectToObject(root, "input");
        add_str(in, "name", src->input);
        cJSON_AddNumberToObject(in, "files", src->files);
        if (src->bytes >= 0)
            cJSON_AddNumberToObject(in, "bytes", (double)src->bytes);
        else
            cJSON_AddNullToObject(in, "bytes");
        add_str(in, "sha256", src->sha256);
    } else {
        cJSON_AddNullToObject(root, "input");
    }
    add_str(root, "command", src->command);
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
    /* what it was fitted on: files before it have none, and whatever is not
     * understood is left unknown, never an error */
    struct cs_model_source *src = &m->source;
    src->bytes = -1;
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, "tool");
    if (cJSON_IsString(it))
        snprintf(src->tool, sizeof src->tool, "%s", it->valuestring);
    it = cJSON_GetObjectItemCaseSensitive(root, "command");
    if (cJSON_IsString(it))
        snprintf(src->command, sizeof src->command, "%s", it->valuestring);
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(root, "input");
    if (cJSON_IsObject(input)) {
        it = cJSON_GetObjectItemCaseSensitive(input, "name");
        if (cJSON_IsString(it))
            snprintf(src->input, sizeof src->input, "%s", it->valuestring);
        it = cJSON_GetObjectItemCaseSensitive(input, "files");
        if (cJSON_IsNumber(it) && it->valuedouble >= 1 && it->valuedouble <= INT_MAX)
            src->files = (int)it->valuedouble;
        it = cJSON_GetObjectItemCaseSensitive(input, "bytes");
        if (cJSON_IsNumber(it) && it->valuedouble >= 0 && it->valuedouble < 9e18)
            src->bytes = (long long)it->valuedouble;
        it = cJSON_GetObjectItemCaseSensitive(input, "sha256");
        if (cJSON_IsString(it) && strlen(it->valuestring) == 64 &&
            strspn(it->valuestring, "0123456789abcdef") == 64)
            snprintf(src->sha256, sizeof src->sha256, "%s", it->valuestring);
    }
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
