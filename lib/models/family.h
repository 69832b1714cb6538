/* A model family: its likelihood and predictions, in natural parameters.
 * The fitting framework (fit.c) and the public wrappers (predict.c) call
 * these; each family lives in its own file. Internal. */
#ifndef CS_MODELS_FAMILY_H
#define CS_MODELS_FAMILY_H

#include "cs-models.h"

#include <gsl/gsl_rng.h>

/* What a model file holds about time: a time unit ("time_unit"), a period
 * name ("period", BG/BB) or nothing (Gamma-Gamma, sBG). */
enum { CSI_FILE_NONE = 0, CSI_FILE_UNIT, CSI_FILE_PERIOD };

/* One simulated customer's hidden traits (cs_simulate). */
struct csi_sim {
    double lambda; /* purchase rate per unit while alive */
    double p;      /* drop-out probability at a purchase (BG families) */
    double life;   /* lifetime in units (Pareto/NBD), INFINITY otherwise */
};

struct csi_family {
    int kind;
    const char *name;
    const char *title;             /* the literature's name: "BG/NBD" */
    const char *aliases[4];        /* other names cs_model_from_name takes */
    int role;                      /* enum cs_model_role */
    unsigned caps;                 /* CS_CAP_* */
    int file;                      /* CSI_FILE_*: the time fields of its model file */
    int np;
    const char *pnames[CS_MAX_PARAMS];
    /* Why a prediction can be NAN beyond numerical limits, or NULL. */
    const char *nan_reason;
    /* ---- fitting ---- */
    /* The data it is fitted on (cs_customers_dataset, cs_model_fit): the
     * message when given the wrong table (NULL: the default), and a check of
     * one observation that fills err and returns a CS_E* code. */
    const char *table_msg;
    int (*check)(const cs_obs *o, cs_error *err);
    /* The message when no observation has x > 0 (NULL: the default). */
    const char *no_repeat_msg;
    /* The boundary where the data show no drop-out: the family the model
     * becomes there (fitted instead when it fits as well), and what runs
     * off ("s/beta -> 0"); NULL when none. */
    const struct csi_family *limit;
    const char *limit_where;
    /* 1 when the likelihood is costly (a series or an integral per pattern,
     * as Pareto/NBD's 2F1): fit.c then gives each start a few BFGS2
     * iterations only and finishes the best with Newton steps. */
    int costly;
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
    /* P(no purchase in (T, T + t]) given P(alive) pa (1 without drop-out);
     * NULL where not defined. */
    double (*p_no_purchase)(const double *p, const cs_obs *o, double t, double pa);
    /* Starting points for the fit (natural scale): fills up to 8, returns
     * how many. */
    int (*starts)(const cs_dataset *d, double st[][CS_MAX_PARAMS]);
    /* ---- simulation (CS_CAP_SIMULATE) ---- */
    /* Draws a customer's traits, in this order from rng. */
    void (*sim_draw)(const double *p, gsl_rng *rng, struct csi_sim *s);
    /* 1 when the customer leaves at this purchase (repeat: 0 for the first);
     * draws from rng only where the story does. NULL: never. */
    int (*sim_leaves)(const struct csi_sim *s, gsl_rng *rng, int repeat);
};

/* The dataset family f is fitted on, from customers' observations, mean
 * repeat values (read only for CS_CAP_MONETARY) and weights (NULL: 1). */
cs_dataset *csi_model_dataset(const struct csi_family *f, const cs_obs *obs,
                              const double *monetary, const double *w, size_t n, cs_error *err);

/* The NBD's P(no purchase in t) of an alive customer: E[e^(-lambda t)] with
 * lambda ~ Gamma(r + x, alpha + T). */
double csi_nbd_quiet(const double *p, const cs_obs *o, double t);
/* The check of purchase data in a time unit: 0 <= t_x <= T. */
int csi_check_recency(const cs_obs *o, cs_error *err);
/* The NBD purchase rate lambda ~ Gamma(r, alpha) (shape r, rate alpha). */
void csi_sim_nbd(const double *p, gsl_rng *rng, struct csi_sim *s);
/* The two beta-geometric (coin) models, BG/NBD and MBG/NBD, with p = (r,
 * alpha, a, b): P(no purchase in t) from P(alive) pa (gone, or alive and
 * quiet), and a customer's traits (the NBD rate and the coin p). */
double csi_coin_p_no_purchase(const double *p, const cs_obs *o, double t, double pa);
void csi_sim_coin(const double *p, gsl_rng *rng, struct csi_sim *s);

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
/* log 2F1(a, b; c; z) for z in (-inf, 1), c > 0; sets *sign to the sign of
 * 2F1 (+1/-1). Negative z goes through a Pfaff transformation; for z in
 * [0, 1) with a, b > 0 the series where it is short, else Euler's integral
 * (when c > a or c > b) by double-exponential quadrature: bounded cost. With
 * c <= a and c <= b, or a parameter made negative, the series alone (at most
 * 100,000 terms). Returns NAN when it cannot be computed accurately. */
double csi_log_hyp2f1(double a, double b, double c, double z, int *sign);

/* E[(1 - (1 + p u)^-R) / p] over p ~ Beta(a, beta), a, beta > 0: the
 * purchases a BG/NBD customer alive now makes in the next t units, with
 * lambda ~ Gamma(R, A) integrated out and u = t / A (the MBG/NBD's too), by
 * double-exponential quadrature over p. Finite for every R, a, beta > 0 and
 * u >= 0; NAN otherwise. */
double csi_coin_expected(double R, double u, double a, double beta);
/* E[(1 + p u)^-R] over p ~ Beta(a, beta), the same way: P(alive at T + h) /
 * P(alive) of the coin models, u = h / (alpha + T), R = r + x. */
double csi_coin_survival(double R, double u, double a, double beta);

/* DERT by quadrature for families without a closed form: the integral of
 * delta exp(-delta tau) E[Y(tau)] over tau >= 0 (by parts from
 * exp(-delta tau) dE[Y(tau)], E[Y(0)] = 0), with f->expected. */
double csi_dert_numeric(const struct csi_family *f, const double *p, const cs_obs *o,
                        double delta);

/* log 2F1(a, b; c; z) at a rising z (one walk per a, b, c; start it at
 * {0}): as csi_log_hyp2f1, but where z is near 1, where the series needs
 * about 40/(1-z) terms, a step from the walk's last point by the Taylor
 * series of the hypergeometric equation there (F'/F carried along): a few
 * terms a step, for a, b, c > 0. */
struct csi_hyp_walk {
    double z, lf, d; /* the last point, log F and F'/F there */
    int on;
};
double csi_log_hyp2f1_walk(struct csi_hyp_walk *w, double a, double b, double c, double z,
                           int *sign);

/* 2F1(a, b; a+1; z) for z in [0, 1), a, b > 0 (Pareto/NBD's A0 terms), with
 * its derivatives relative to its value: *da = F_a / F (through a and c =
 * a+1), *db = F_b / F, *dz = F_z / F. Returns log F, or NAN. The series
 * where it is short, else the integral a z^-a int_0^Y (1-e^-y)^(a-1)
 * e^((b-1)y) dy, Y = -log(1-z), and its derivatives: bounded cost for every
 * argument. */
double csi_log_hyp2f1_a1(double a, double b, double z, double *da, double *db, double *dz);

#endif
