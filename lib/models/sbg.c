/* Shifted-beta-geometric retention: Fader & Hardie (2007), "How to project
 * customer retention", Journal of Interactive Marketing 21(1). Each customer
 * cancels at the end of a period with probability theta ~ Beta(alpha, beta):
 *   P(T = 1) = alpha/(alpha+beta), P(T = t) = (beta+t-2)/(alpha+beta+t-1) P(T = t-1)
 *   S(t) = B(alpha, beta+t)/B(alpha, beta), r_t = (beta+t-1)/(alpha+beta+t-1).
 * An observation is a cohort member: x = the period of cancellation
 * (1..T), or 0 when still active after T periods. */
#include "models/family.h"

#include <gsl/gsl_sf_gamma.h>
#include <math.h>

/* Where alpha + beta is this large, theta hardly varies between customers
 * and the model is the geometric one with theta = alpha/(alpha+beta) (its
 * limit); the differences of log-beta functions would lose every digit. */
#define GEOMETRIC_LIMIT 1e8

/* log P(T = t) = log B(alpha+1, beta+t-1) - log B(alpha, beta) */
static double lpmf(double a, double b, double t)
{
    if (a + b > GEOMETRIC_LIMIT) {
        double th = a / (a + b);
        return log(th) + (t - 1) * log1p(-th);
    }
    return gsl_sf_lnbeta(a + 1, b + t - 1) - gsl_sf_lnbeta(a, b);
}

/* log S(t) = log B(alpha, beta+t) - log B(alpha, beta) */
static double lsurv(double a, double b, double t)
{
    if (a + b > GEOMETRIC_LIMIT)
        return t * log1p(-a / (a + b));
    return gsl_sf_lnbeta(a, b + t) - gsl_sf_lnbeta(a, b);
}

static double ll(const double *p, const cs_obs *o)
{
    double v = o->x > 0 ? lpmf(p[0], p[1], o->x) : lsurv(p[0], p[1], o->T);
    return isfinite(v) ? v : -INFINITY;
}

static int starts(const cs_dataset *d, double st[][CS_MAX_PARAMS])
{
    (void)d;
    const double s[][2] = {{1, 1}, {0.5, 2}, {2, 0.5}, {0.3, 5}};
    for (int i = 0; i < 4; i++)
        st[i][0] = s[i][0], st[i][1] = s[i][1];
    return 4;
}

const struct csi_family csi_family_sbg = {
    .kind = CS_MODEL_SBG,
    .name = "sbg",
    .title = "sBG",
    .role = CS_ROLE_RETENTION,
    .caps = CS_CAP_DROPOUT | CS_CAP_DISCRETE,
    .file = CSI_FILE_UNIT, /* written so since version 1 (unused) */
    .check = csi_check_recency,
    .no_repeat_msg = "no cancellation in these data: sBG cannot tell how subscribers leave (its "
                     "likelihood grows without bound as alpha -> 0)",
    .np = 2,
    .pnames = {"alpha", "beta"},
    .ll = ll,
    .starts = starts,
};

double cs_sbg_pmf(const cs_model *m, int t)
{
    return t >= 1 ? exp(lpmf(m->param[0], m->param[1], t)) : 0;
}

double cs_sbg_survival(const cs_model *m, int t)
{
    return t <= 0 ? 1 : exp(lsurv(m->param[0], m->param[1], t));
}

double cs_sbg_retention(const cs_model *m, int t)
{
    double a = m->param[0], b = m->param[1];
    return t >= 1 ? (b + t - 1) / (a + b + t - 1) : NAN;
}

/* With S(t) = (beta)_t / (alpha+beta)_t and x = 1/(1+d):
 * DEL(d) = sum_{t>=0} S(t) x^t = 2F1(1, beta; alpha+beta; x), and for a customer
 * in period n (n-1 renewals made), DERL(d | n) = sum_{t>=n} S(t)/S(n-1) x^(t-n)
 * = (beta+n-1)/(alpha+beta+n-1) 2F1(1, beta+n; alpha+beta+n; x): the periods
 * still to come, the next one undiscounted (Fader & Hardie 2010). */
double cs_sbg_del(const cs_model *m, double d)
{
    int sg;
    double lf = csi_log_hyp2f1(1, m->param[1], m->param[0] + m->param[1], 1 / (1 + d), &sg);
    return isfinite(lf) && sg > 0 ? exp(lf) : NAN;
}

double cs_sbg_derl(const cs_model *m, double d, int n)
{
    double a = m->param[0], b = m->param[1];
    if (n < 1)
        return NAN;
    int sg;
    double lf = csi_log_hyp2f1(1, b + n, a + b + n, 1 / (1 + d), &sg);
    if (!isfinite(lf) || sg < 0)
        return NAN;
    return (b + n - 1) / (a + b + n - 1) * exp(lf);
}
