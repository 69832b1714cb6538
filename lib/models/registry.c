/* Model kinds by name, and the public prediction wrappers. */
#include "models/family.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct csi_family *const families[CS_MODEL_COUNT] = {
    [CS_MODEL_BGNBD] = &csi_family_bgnbd, [CS_MODEL_PNBD] = &csi_family_pnbd,
    [CS_MODEL_MBGNBD] = &csi_family_mbgnbd, [CS_MODEL_BGBB] = &csi_family_bgbb,
    [CS_MODEL_GG] = &csi_family_gg, [CS_MODEL_NBD] = &csi_family_nbd,
    [CS_MODEL_SBG] = &csi_family_sbg,
};

const struct csi_family *csi_family(int kind)
{
    return kind >= 0 && kind < CS_MODEL_COUNT ? families[kind] : NULL;
}

const char *cs_model_name(int kind)
{
    const struct csi_family *f = csi_family(kind);
    return f ? f->name : "unknown";
}

const char *cs_model_title(int kind)
{
    const struct csi_family *f = csi_family(kind);
    return f ? f->title : "unknown";
}

int cs_model_from_name(const char *name)
{
    for (int k = 0; k < CS_MODEL_COUNT; k++)
        if (!strcmp(name, families[k]->name))
            return k;
    for (int k = 0; k < CS_MODEL_COUNT; k++)
        for (int i = 0; i < 4 && families[k]->aliases[i]; i++)
            if (!strcmp(name, families[k]->aliases[i]))
                return k;
    return -1;
}

int cs_model_kind_has(int kind, unsigned cap)
{
    const struct csi_family *f = csi_family(kind);
    return f && (f->caps & cap) == cap;
}

int cs_model_has(const cs_model *m, unsigned cap)
{
    return cs_model_kind_has(m->kind, cap);
}

int cs_model_role(int kind)
{
    const struct csi_family *f = csi_family(kind);
    return f ? f->role : CS_ROLE_NONE;
}

const char *cs_model_nan_reason(int kind)
{
    const struct csi_family *f = csi_family(kind);
    return f && f->nan_reason ? f->nan_reason : "numerical limits";
}

int cs_model_list(unsigned roles, unsigned with, unsigned without, const char *last,
                  char *buf, size_t size)
{
    int pick[CS_MODEL_COUNT], n = 0;
    for (int k = 0; k < CS_MODEL_COUNT; k++) {
        const struct csi_family *f = families[k];
        if ((roles & (1u << f->role)) && (f->caps & with) == with && !(f->caps & without))
            pick[n++] = k;
    }
    size_t o = 0;
    if (size)
        buf[0] = '\0';
    for (int i = 0; i < n && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i == 0 ? "" : i == n - 1 ? last : ", ",
                              families[pick[i]]->name);
    return n;
}

int cs_model_nparams(int kind)
{
    const struct csi_family *f = csi_family(kind);
    return f ? f->np : 0;
}

const char *cs_model_param_name(int kind, int i)
{
    const struct csi_family *f = csi_family(kind);
    return f && i >= 0 && i < f->np ? f->pnames[i] : "";
}

#define CALL(fn, ...)                                                             \
    do {                                                                          \
        const struct csi_family *f = csi_family(m->kind);                         \
        return f && f->fn ? f->fn(m->param, __VA_ARGS__) : NAN;                   \
    } while (0)

double cs_model_p_alive(const cs_model *m, const cs_obs *o)
{
    CALL(p_alive, o);
}

double cs_model_p_alive_at(const cs_model *m, const cs_obs *o, double h)
{
    CALL(p_alive_at, o, h);
}

double cs_model_expected(const cs_model *m, const cs_obs *o, double t)
{
    CALL(expected, o, t);
}

double cs_model_expected_new(const cs_model *m, double t)
{
    CALL(expected_new, t);
}

double cs_model_pmf_new(const cs_model *m, double t, int k)
{
    CALL(pmf_new, t, k);
}

double cs_model_dert(const cs_model *m, const cs_obs *o, double delta)
{
    CALL(dert, o, delta);
}

double cs_model_p_no_purchase(const cs_model *m, const cs_obs *o, double t)
{
    return csi_p_no_purchase(m, o, t, cs_model_has(m, CS_CAP_DROPOUT) ? cs_model_p_alive(m, o) : 1);
}

double csi_p_no_purchase(const cs_model *m, const cs_obs *o, double t, double pa)
{
    const struct csi_family *f = csi_family(m->kind);
    if (!(t >= 0) || !isfinite(t) || !f || !f->p_no_purchase)
        return NAN;
    return f->p_no_purchase(m->param, o, t, pa);
}

double cs_model_loglik(const cs_model *m, const cs_dataset *d)
{
    const struct csi_family *f = csi_family(m->kind);
    if (!f)
        return NAN;
    double s = 0;
    for (size_t i = 0; i < d->n; i++)
        s += d->w[i] * f->ll(m->param, &d->obs[i]);
    return s;
}

double cs_model_clv(const cs_model *m, const cs_obs *o, double spend, int periods,
                    double period_len, double discount, double margin)
{
    /* E[purchases in period i] = E[Y(i L)] - E[Y((i-1) L)], discounted at the
     * end of the period (the convention of lifetimes and CLVTools). The
     * cumulative E[Y] at all period ends in one call where the family has
     * expected_n: its special functions carry over from one period to the
     * next (BG/NBD's 2F1 near z = 1, Pareto/NBD's P(alive)); in pieces of
     * 64 if there is no memory for all. */
    const struct csi_family *f = csi_family(m->kind);
    double total = 0, prev = 0, ts_local[64], cum_local[64];
    double *ts = ts_local, *cum = cum_local, *heap = NULL;
    int chunk = 64;
    if (f && f->expected_n && periods > 64 && (heap = malloc(2 * (size_t)periods * sizeof *heap))) {
        ts = heap, cum = heap + periods;
        chunk = periods;
    }
    for (int i0 = 1; i0 <= periods; i0 += chunk) {
        int n = periods - i0 + 1 < chunk ? periods - i0 + 1 : chunk;
        for (int k = 0; k < n; k++)
            ts[k] = (i0 + k) * period_len;
        if (f && f->expected_n)
            f->expected_n(m->param, o, ts, n, cum);
        else
            for (int k = 0; k < n; k++)
                cum[k] = cs_model_expected(m, o, ts[k]);
        for (int k = 0; k < n; k++) {
            if (!isfinite(cum[k])) {
                free(heap);
                return NAN;
            }
            total += (cum[k] - prev) / pow(1 + discount, i0 + k);
            prev = cum[k];
        }
    }
    free(heap);
    return total * spend * margin;
}
