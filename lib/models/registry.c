/* Model kinds by name, and the public prediction wrappers. */
#include "models/family.h"

#include <math.h>
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

int cs_model_from_name(const char *name)
{
    for (int k = 0; k < CS_MODEL_COUNT; k++)
        if (!strcmp(name, families[k]->name))
            return k;
    if (!strcmp(name, "paretonbd") || !strcmp(name, "pareto-nbd"))
        return CS_MODEL_PNBD;
    if (!strcmp(name, "gammagamma") || !strcmp(name, "gamma-gamma"))
        return CS_MODEL_GG;
    if (!strcmp(name, "bg-nbd"))
        return CS_MODEL_BGNBD;
    if (!strcmp(name, "mbg-nbd"))
        return CS_MODEL_MBGNBD;
    if (!strcmp(name, "bg-bb"))
        return CS_MODEL_BGBB;
    return -1;
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

/* Pareto/NBD, alive at T with lambda ~ Gamma(r', a'), mu ~ Gamma(s', b')
 * (independent given alive): P(a purchase before death, within t) =
 * int_0^t E[lambda e^(-lambda u)] E[e^(-mu u)] du; with u = a' (e^v - 1):
 * int_0^V r' e^(-r' v) (1 + a' (e^v - 1)/b')^(-s') dv, V = log(1 + t/a').
 * Gauss-Legendre (10 points) on panels short enough for both factors. */
static double pnbd_purchase_while_alive(double rp, double ap, double sp, double bp, double t)
{
    static const double x[5] = {0.1488743389816312, 0.4333953941292472, 0.6794095682990244,
                                0.8650633666889845, 0.9739065285171717};
    static const double w[5] = {0.2955242247147529, 0.2692667193099963, 0.2190863625159820,
                                0.1494513491505806, 0.0666713443086881};
    double V = log1p(t / ap);
    if (V > 60 / rp)
        V = 60 / rp; /* e^(-60) of the integral is left */
    /* the steepest log-slope of the integrand on [0, V] */
    double k = rp + sp * (ap / bp) * exp(V);
    if (k * V <= 0.5) {
        /* one short panel: 5 points are exact to about (kV)^10/10! < 3e-10 */
        static const double x5[3] = {0, 0.5384693101056831, 0.9061798459386640};
        static const double w5[3] = {0.5688888888888889, 0.4786286704993665,
                                     0.2369268850561891};
        double half = V / 2, sum = 0;
        for (int j = 0; j < 3; j++)
            for (int sg = -1; sg <= (j ? 1 : -1); sg += 2) {
                double v = half + sg * half * x5[j];
                sum += w5[j] * half * exp(-rp * v - sp * log1p(ap * expm1(v) / bp));
            }
        return rp * sum;
    }
    int panels = (int)ceil(k * V / 2);
    if (panels < 1)
        panels = 1;
    if (panels > 400)
        panels = 400;
    double h = V / panels, sum = 0;
    for (int i = 0; i < panels; i++) {
        double mid = (i + 0.5) * h, half = h / 2;
        for (int j = 0; j < 5; j++)
            for (int sg = -1; sg <= 1; sg += 2) {
                double v = mid + sg * half * x[j];
                double lg = -rp * v - sp * log1p(ap * expm1(v) / bp);
                sum += w[j] * half * exp(lg);
            }
    }
    return rp * sum;
}

double cs_model_p_no_purchase(const cs_model *m, const cs_obs *o, double t)
{
    return csi_p_no_purchase(m, o, t, m->kind == CS_MODEL_NBD ? 1 : cs_model_p_alive(m, o));
}

double csi_p_no_purchase(const cs_model *m, const cs_obs *o, double t, double pa)
{
    const double *p = m->param;
    if (!(t >= 0) || !isfinite(t))
        return NAN;
    double rp = p[0] + o->x, ap = p[1] + o->T;
    /* given alive at T and lambda ~ Gamma(r + x, alpha + T): E[e^(-lambda t)] */
    double quiet = exp(-rp * log1p(t / ap));
    switch (m->kind) {
    case CS_MODEL_NBD: return quiet;
    case CS_MODEL_BGNBD:
    case CS_MODEL_MBGNBD:
        /* drop-out only comes with a purchase: alive and quiet, or gone */
        return isfinite(pa) ? (1 - pa) + pa * quiet : NAN;
    case CS_MODEL_PNBD: {
        if (!isfinite(pa))
            return NAN;
        double buy = pnbd_purchase_while_alive(rp, ap, p[2], p[3] + o->T, t);
        double q = 1 - buy;
        return (1 - pa) + pa * (q < 0 ? 0 : q > 1 ? 1 : q);
    }
    default: return NAN;
    }
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
     * end of the period (the convention of lifetimes and CLVTools) */
    const struct csi_family *f = csi_family(m->kind);
    double total = 0, prev = 0, ts[64], cum[64];
    for (int i0 = 1; i0 <= periods; i0 += 64) {
        int n = periods - i0 + 1 < 64 ? periods - i0 + 1 : 64;
        for (int k = 0; k < n; k++)
            ts[k] = (i0 + k) * period_len;
        if (f && f->expected_n)
            f->expected_n(m->param, o, ts, n, cum);
        else
            for (int k = 0; k < n; k++)
                cum[k] = cs_model_expected(m, o, ts[k]);
        for (int k = 0; k < n; k++) {
            if (!isfinite(cum[k]))
                return NAN;
            total += (cum[k] - prev) / pow(1 + discount, i0 + k);
            prev = cum[k];
        }
    }
    return total * spend * margin;
}
