/* Fuzz target for model files (cs_model_load: the JSON that custseg-clv fit
 * writes and predict/validate/new read).
 *
 * Checks: no crash, leak or undefined behaviour; a refusal has a message; a
 * file that loads, saved with cs_model_save and loaded again, gives the
 * same model field for field (kind, parameters, standard errors,
 * covariance, unit, period, dates, counts and convergence report), and
 * saving that gives the same text. */
#include "fuzz.h"

static char *save(const cs_model *m, size_t *len)
{
    char *text = NULL;
    FILE *fp = open_memstream(&text, len);
    cs_error err = {0};
    if (!fp || cs_model_save(m, fp, &err) != CS_OK)
        abort(); /* a model that loaded must save */
    fclose(fp);
    return text;
}

static void same_model(const cs_model *a, const cs_model *b)
{
    if (a->kind != b->kind || a->np != b->np || a->n_patterns != b->n_patterns ||
        a->iterations != b->iterations || a->starts != b->starts ||
        a->converged != b->converged || a->boundary != b->boundary ||
        a->calibration_end != b->calibration_end || a->as_of != b->as_of)
        abort();
    for (int j = 0; j < a->np; j++) {
        if (!fuzz_same(a->param[j], b->param[j]) || !fuzz_same(a->se[j], b->se[j]))
            abort();
        for (int k = 0; k < a->np; k++)
            if (!fuzz_same(a->cov[j][k], b->cov[j][k]))
                abort();
    }
    /* non-finite numbers are written as null and read as NaN */
    double la = isfinite(a->log_likelihood) ? a->log_likelihood : NAN;
    double na = isfinite(a->n_customers) ? a->n_customers : NAN;
    double ga = isfinite(a->grad_norm) ? a->grad_norm : NAN;
    if (!fuzz_same(la, b->log_likelihood) || !fuzz_same(na, b->n_customers) ||
        !fuzz_same(ga, b->grad_norm) || !fuzz_same(a->l2, b->l2))
        abort();
    if (strcmp(a->method, b->method) || strcmp(a->note, b->note) ||
        strcmp(a->fingerprint, b->fingerprint))
        abort();
}

static int load(const void *data, size_t size, cs_model *m, cs_error *err)
{
    int fd;
    cs_input *in = fuzz_input(data, size, &fd, err);
    if (!in)
        return err->code;
    int rc = cs_model_load(m, in, err);
    fuzz_close(in, fd);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cs_model m, m2, m3;
    cs_error err = {0};
    int rc = load(data, size, &m, &err);
    if (rc != CS_OK) {
        fuzz_failed(rc, &err);
        return 0;
    }
    if (m.np < 1 || m.np > CS_MAX_PARAMS || cs_model_name(m.kind) == NULL)
        abort();
    for (int j = 0; j < m.np; j++)
        if (!(m.param[j] > 0) || !isfinite(m.param[j]))
            abort(); /* the documented check of every parameter */
    size_t len1, len2;
    char *t1 = save(&m, &len1);
    if (load(t1, len1, &m2, &err) != CS_OK)
        abort(); /* our own file must read back */
    if (m.unit != m2.unit || strcmp(m.period, m2.period))
        abort();
    same_model(&m, &m2);
    char *t2 = save(&m2, &len2);
    if (len1 != len2 || memcmp(t1, t2, len1) != 0)
        abort(); /* a second round trip changed the text */
    if (load(t2, len2, &m3, &err) != CS_OK)
        abort();
    free(t1);
    free(t2);
    return 0;
}
