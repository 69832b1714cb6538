/* A model family: its likelihood and predictions, in natural parameters.
 * The fitting framework (fit.c) and the public wrappers (predict.c) call
 * these; each family lives in its own file. Internal. */
#ifndef CS_MODELS_FAMILY_H
#define CS_MODELS_FAMILY_H

#include "cs-models.h"

struct csi_family {
    int kind;
    const char *name;
    int np;
    const char *pnames[CS_MAX_PARAMS];
    /* Log-likelihood of one customer; -INFINITY (never NaN) where the
     * parameters make the observation impossible or the value underflows. */
    double (*ll)(const double *p, const cs_obs *o);
    /* The same and its gradient d ll / d p[i] (natural scale) in g; NULL when
     * not derived: the fit then differentiates ll numerically. */
    double (*ll_grad)(const double *p, const cs_obs *o, double *g);
    /* Optional fast path: the weighted sum of ll over d->obs[from..to) and,
     * when g is not NULL, its gradient (added into g). The dataset is sorted
     * by x, so terms that depend on x alone are computed once per x. */
    double (*ll_sum)(const double *p, const cs_dataset *d, size_t from, size_t to, double *g);
    /* Predictions; NULL where the family does not define one. Each returns a
     * finite number, or NAN when the parameters do not allow it (e.g. a
     * BG/NBD conditional expectation needs a > 1): the caller reports that. */
    double (*p_alive)(const double *p, const cs_obs *o);
    double (*p_alive_at)(const double *p, const cs_obs *o, double h);
    /* Optional: p_alive_at and expected from P(alive) pa already computed
     * (where P(alive) is the costly part, as in Pareto/NBD). */
    double (*p_alive_at_pa)(const double *p, const cs_obs *o, double h, double pa);
    double (*expected_pa)(const double *p, const cs_obs *o, double t, double pa);
    double (*expected)(const double *p, const cs_obs *o, double t);
    /* Optional: expected() at n times at once (sharing what does not depend
     * on t); out[i] for t[i]. */
    void (*expected_n)(const double *p, const cs_obs *o, const double *t, int n, double *out);
    double (*expected_new)(const double *p, double t);
    double (*pmf_new)(const double *p, double t, int k);
    double (*dert)(const double *p, const cs_obs *o, double delta);
    /* Starting points for the fit (natural scale): fills up to 8, returns
     * how many. */
    int (*starts)(const cs_dataset *d, double st[][CS_MAX_PARAMS]);
};

extern const struct csi_family csi_family_bgnbd;
extern const struct csi_family csi_family_pnbd;
extern const struct csi_family csi_family_mbgnbd;
extern const struct csi_family csi_family_bgbb;
extern const struct csi_family csi_family_gg;
extern const struct csi_family csi_family_nbd;
extern const struct csi_family csi_family_sbg;

const struct csi_family *csi_family(int kind);

/* cs_model_p_no_purchase with P(alive) pa already computed. */
double csi_p_no_purchase(const cs_model *m, const cs_obs *o, double t, double pa);

/* ---- numerical helpers shared by the families (special.c) ---- */

/* log(exp(a) + exp(b)), exact for -INFINITY arguments. */
double csi_logadd(double a, double b);
/* log(exp(a) - exp(b)) for a >= b; -INFINITY when equal. */
double csi_logsub(double a, double b);
/* log 2F1(a, b; c; z) for z in (-inf, 1), a, b, c > 0 where the series or a
 * Pfaff transformation converges; sets *sign to the sign of 2F1 (+1/-1).
 * Returns NAN when it cannot be computed accurately. */
double csi_log_hyp2f1(double a, double b, double c, double z, int *sign);

/* DERT by quadrature for families without a closed form: the integral of
 * delta exp(-delta tau) E[Y(tau)] over tau >= 0 (by parts from
 * exp(-delta tau) dE[Y(tau)], E[Y(0)] = 0), with f->expected. */
double csi_dert_numeric(const struct csi_family *f, const double *p, const cs_obs *o,
                        double delta);

/* 2F1(a, b; a+1; z) for z in [0, 1), a, b > 0 (Pareto/NBD's A0 terms), with
 * its derivatives relative to its value: *da = F_a / F (through a and c =
 * a+1), *db = F_b / F, *dz = F_z / F. Returns log F, or NAN. */
double csi_log_hyp2f1_a1(double a, double b, double z, double *da, double *db, double *dz);

#endif
