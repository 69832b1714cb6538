/* Maximum likelihood for every family: BFGS2 over log-parameters (so that
 * positivity is free), Nelder-Mead where BFGS stalls, several starts, the
 * covariance from the Hessian, and an honest report of what happened. */
#include "models/family.h"
#include "util/internal.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The progress callback and what it has been told, shared by the copies of
 * a fit_ctx (the sample's, the no-drop-out model's). */
struct fit_progress {
    cs_fit_progress_fn fn;
    void *ctx;
    long iterations;
    int cancelled;
};

struct fit_ctx {
    const struct csi_family *f;
    const cs_dataset *d;
    int np;
    double l2;
    double scale; /* 1 / customers: the objective is a mean, O(1) */
    long evals;
    int threads;
    int newton_first; /* start near the optimum: Newton steps first */
    int polish;       /* one more Newton step once the gradient test passes */
    struct fit_progress *pg;
};

/* One iteration done at log-parameters th with objective f: tells the
 * callback (the log-likelihood, penalty included, over all customers);
 * returns 1 when the fit is cancelled, now or before. */
static int tick(struct fit_ctx *c, const gsl_vector *th, double f)
{
    struct fit_progress *pg = c->pg;
    if (!pg || pg->cancelled)
        return pg && pg->cancelled;
    pg->iterations++;
    if (pg->fn) {
        double pen = 0;
        for (int j = 0; j < c->np; j++)
            pen += gsl_vector_get(th, (size_t)j) * gsl_vector_get(th, (size_t)j);
        if (pg->fn(pg->ctx, pg->iterations, -f / c->scale + c->l2 * pen) != 0)
            pg->cancelled = 1;
    }
    return pg->cancelled;
}

static int cancelled(const struct fit_ctx *c)
{
    return c->pg && c->pg->cancelled;
}

struct part {
    const struct csi_family *f;
    const double *p;
    const cs_dataset *d;
    size_t from, to;
    double s;
    double g[CS_MAX_PARAMS];
    int want_g;
};

static void *part_main(void *arg)
{
    struct part *pt = arg;
    pt->s = pt->f->ll_sum(pt->p, pt->d, pt->from, pt->to, pt->want_g ? pt->g : NULL);
    return NULL;
}

/* The fast path: the family's own sum, over ranges of patterns in threads
 * when there are enough of them to pay for a thread. */
static double sum_parts(struct fit_ctx *c, const double *p, double *g)
{
    enum { MAXT = 8 };
    int nt = c->threads > 1 ? c->threads : 1;
    if (nt > MAXT)
        nt = MAXT;
    if (c->d->n < 20000 * (size_t)nt)
        nt = (int)(c->d->n / 20000) + 1;
    if (nt > MAXT)
        nt = MAXT;
    struct part pt[MAXT];
    pthread_t th[MAXT];
    int started[MAXT] = {0};
    for (int i = 0; i < nt; i++) {
        pt[i] = (struct part){.f = c->f, .p = p, .d = c->d, .want_g = g != NULL,
                              .from = c->d->n * (size_t)i / (size_t)nt,
                              .to = c->d->n * (size_t)(i + 1) / (size_t)nt};
        if (i > 0 && pthread_create(&th[i], NULL, part_main, &pt[i]) == 0)
            started[i] = 1;
    }
    part_main(&pt[0]);
    double s = 0;
    for (int i = 0; i < nt; i++) {
        if (i > 0) {
            if (started[i])
                pthread_join(th[i], NULL);
            else
                part_main(&pt[i]);
        }
        s += pt[i].s;
        if (g)
            for (int j = 0; j < c->np; j++)
                g[j] += pt[i].g[j];
    }
    return s;
}

/* Total log-likelihood at natural parameters p (gradient in g if not NULL). */
static double total_ll(struct fit_ctx *c, const double *p, double *g)
{
    double s = 0, gi[CS_MAX_PARAMS];
    if (g)
        for (int j = 0; j < c->np; j++)
            g[j] = 0;
    c->evals++;
    if (c->f->ll_sum)
        return sum_parts(c, p, g);
    for (size_t i = 0; i < c->d->n; i++) {
        double w = c->d->w[i], v;
        if (g && c->f->ll_grad) {
            v = c->f->ll_grad(p, &c->d->obs[i], gi);
            for (int j = 0; j < c->np; j++)
                g[j] += w * gi[j];
        } else {
            v = c->f->ll(p, &c->d->obs[i]);
        }
        s += w * v;
    }
    return s;
}

static int to_natural(const struct fit_ctx *c, const gsl_vector *th, double *p)
{
    for (int j = 0; j < c->np; j++) {
        double t = gsl_vector_get(th, (size_t)j);
        if (!(fabs(t) < 700))
            return 0;
        p[j] = exp(t);
    }
    return 1;
}

static double objective(const gsl_vector *th, void *arg)
{
    struct fit_ctx *c = arg;
    double p[CS_MAX_PARAMS];
    if (!to_natural(c, th, p))
        return GSL_POSINF;
    double ll = total_ll(c, p, NULL);
    if (!isfinite(ll))
        return GSL_POSINF;
    double pen = 0;
    for (int j = 0; j < c->np; j++)
        pen += gsl_vector_get(th, (size_t)j) * gsl_vector_get(th, (size_t)j);
    return (-ll + c->l2 * pen) * c->scale;
}

static void obj_fdf(const gsl_vector *th, void *arg, double *f, gsl_vector *grad)
{
    struct fit_ctx *c = arg;
    double p[CS_MAX_PARAMS], g[CS_MAX_PARAMS];
    if (!to_natural(c, th, p)) {
        *f = GSL_POSINF;
        gsl_vector_set_zero(grad);
        return;
    }
    if (c->f->ll_grad) {
        double ll = total_ll(c, p, g);
        double pen = 0;
        for (int j = 0; j < c->np; j++) {
            double t = gsl_vector_get(th, (size_t)j);
            pen += t * t;
            /* chain rule: d/dlog p = p d/dp */
            gsl_vector_set(grad, (size_t)j, (-g[j] * p[j] + 2 * c->l2 * t) * c->scale);
        }
        *f = isfinite(ll) ? (-ll + c->l2 * pen) * c->scale : GSL_POSINF;
        return;
    }
    /* central differences in log space */
    *f = objective(th, arg);
    gsl_vector *t = gsl_vector_alloc((size_t)c->np);
    if (!t) { /* GSL's error handler is off: NULL is out of memory */
        *f = GSL_POSINF;
        gsl_vector_set_zero(grad);
        return;
    }
    gsl_vector_memcpy(t, th);
    for (int j = 0; j < c->np; j++) {
        double t0 = gsl_vector_get(th, (size_t)j), h = 1e-5;
        gsl_vector_set(t, (size_t)j, t0 + h);
        double fp = objective(t, arg);
        gsl_vector_set(t, (size_t)j, t0 - h);
        double fm = objective(t, arg);
        gsl_vector_set(t, (size_t)j, t0);
        gsl_vector_set(grad, (size_t)j, (fp - fm) / (2 * h));
    }
    gsl_vector_free(t);
}

static double obj_df_f(const gsl_vector *th, void *arg)
{
    return objective(th, arg);
}

static void obj_df(const gsl_vector *th, void *arg, gsl_vector *grad)
{
    double f;
    obj_fdf(th, arg, &f, grad);
}

#define GRAD_TOL 1e-7 /* of the mean objective over log-parameters */
/* BFGS iterations of each start before the best is taken to the end */
#define SHORT_ITERS 10

struct run {
    double th[CS_MAX_PARAMS];
    double f;
    double gnorm;
    int iters;
    const char *method;
};

static double grad_norm(struct fit_ctx *c, const double *th)
{
    gsl_vector *v = gsl_vector_alloc((size_t)c->np), *g = gsl_vector_alloc((size_t)c->np);
    double f = INFINITY;
    if (v && g) {
        for (int j = 0; j < c->np; j++)
            gsl_vector_set(v, (size_t)j, th[j]);
        obj_fdf(v, c, &f, g);
    }
    double n = isfinite(f) ? gsl_blas_dnrm2(g) : INFINITY;
    gsl_vector_free(v);
    gsl_vector_free(g);
    return n;
}

static void run_nm(struct fit_ctx *c, struct run *r, int max_iter)
{
    size_t n = (size_t)c->np;
    gsl_vector *x = gsl_vector_alloc(n), *step = gsl_vector_alloc(n);
    if (!x || !step) {
        gsl_vector_free(x);
        gsl_vector_free(step);
        return;
    }
    for (size_t j = 0; j < n; j++)
        gsl_vector_set(x, j, r->th[j]);
    gsl_vector_set_all(step, 0.5);
    gsl_multimin_function fn = {objective, n, c};
    gsl_multimin_fminimizer *s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, n);
    if (s && gsl_multimin_fminimizer_set(s, &fn, x, step) == GSL_SUCCESS) {
        int it = 0;
        for (; it < max_iter; it++) {
            if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
                break;
            if (tick(c, s->x, gsl_multimin_fminimizer_minimum(s)))
                break;
            if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), 1e-10) == GSL_SUCCESS)
                break;
        }
        if (gsl_multimin_fminimizer_minimum(s) <= r->f) {
            for (size_t j = 0; j < n; j++)
                r->th[j] = gsl_vector_get(s->x, j);
            r->f = gsl_multimin_fminimizer_minimum(s);
        }
        r->iters += it;
    }
    if (s)
        gsl_multimin_fminimizer_free(s);
    gsl_vector_free(x);
    gsl_vector_free(step);
}

/* BFGS2 from r->th; returns 1 when the gradient test passed. */
static int run_bfgs(struct fit_ctx *c, struct run *r, int max_iter)
{
    size_t n = (size_t)c->np;
    gsl_vector *x = gsl_vector_alloc(n);
    if (!x)
        return 0;
    for (size_t j = 0; j < n; j++)
        gsl_vector_set(x, j, r->th[j]);
    gsl_multimin_function_fdf fdf = {obj_df_f, obj_df, obj_fdf, n, c};
    gsl_multimin_fdfminimizer *s =
        gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, n);
    int ok = 0;
    if (s && gsl_multimin_fdfminimizer_set(s, &fdf, x, 0.1, 0.1) == GSL_SUCCESS &&
        isfinite(s->f)) {
        int it = 0;
        for (; it < max_iter; it++) {
            int st = gsl_multimin_fdfminimizer_iterate(s);
            if (st == GSL_SUCCESS && tick(c, s->x, s->f))
                break;
            if (gsl_multimin_test_gradient(s->gradient, GRAD_TOL) == GSL_SUCCESS) {
                ok = 1;
                break;
            }
            if (st != GSL_SUCCESS) {
                /* no progress: at the optimum already if the gradient is at
                 * the noise floor of a long sum (a mean of 1e5 terms cannot
                 * move by less than about 1e-15 of itself), else the caller
                 * restarts or hands over to Nelder-Mead */
                ok = gsl_blas_dnrm2(s->gradient) < 1e-6;
                break;
            }
        }
        if (isfinite(s->f) && s->f <= r->f) {
            for (size_t j = 0; j < n; j++)
                r->th[j] = gsl_vector_get(s->x, j);
            r->f = s->f;
        }
        r->iters += it;
    }
    if (s)
        gsl_multimin_fdfminimizer_free(s);
    gsl_vector_free(x);
    return ok;
}

/* Newton's method on the mean objective over log-parameters, the Hessian
 * from central differences of the analytic gradient, with step halving.
 * From a start near the optimum (the thinned-data fit) it converges in a
 * few iterations where BFGS, starting from an identity Hessian, needs
 * dozens: on large data the difference is most of the fit's time. Returns
 * 1 when the gradient test passed; r keeps the best point either way. */
#define NEWTON_MAX_STEP 2.0 /* in log-parameters */
static int run_newton(struct fit_ctx *c, struct run *r, int max_iter)
{
    size_t n = (size_t)c->np;
    gsl_vector *th = gsl_vector_alloc(n), *g = gsl_vector_alloc(n), *gp = gsl_vector_alloc(n),
               *step = gsl_vector_alloc(n), *t = gsl_vector_alloc(n);
    gsl_matrix *H = gsl_matrix_alloc(n, n), *Hs = gsl_matrix_alloc(n, n);
    int ok = 0, polished = 0;
    double f = INFINITY;
    if (th && g && gp && step && t && H && Hs) {
        for (size_t j = 0; j < n; j++)
            gsl_vector_set(th, j, r->th[j]);
        obj_fdf(th, c, &f, g);
    }
    for (int it = 0; it < max_iter && isfinite(f); it++) {
        /* polishing (c->polish): one more step once the test passes, which
         * near the optimum takes the gradient down by orders of magnitude
         * (quadratic convergence), so that the estimates do not depend on
         * the path to them */
        ok = gsl_blas_dnrm2(g) < GRAD_TOL;
        if (ok && (!c->polish || polished++))
            break;
        /* forward differences of the gradient: one evaluation per parameter
         * (the step direction needs no more precision; the covariance is
         * computed apart, with central differences) */
        const double h = 1e-5;
        for (size_t k = 0; k < n; k++) {
            double fk;
            gsl_vector_memcpy(t, th);
            gsl_vector_set(t, k, gsl_vector_get(th, k) + h);
            obj_fdf(t, c, &fk, gp);
            for (size_t j = 0; j < n; j++)
                gsl_matrix_set(H, j, k, (gsl_vector_get(gp, j) - gsl_vector_get(g, j)) / h);
        }
        for (size_t j = 0; j < n; j++)
            for (size_t k = 0; k < j; k++) {
                double v = (gsl_matrix_get(H, j, k) + gsl_matrix_get(H, k, j)) / 2;
                gsl_matrix_set(H, j, k, v);
                gsl_matrix_set(H, k, j, v);
            }
        /* a Newton step needs a positive definite Hessian: where it is not
         * (far from the optimum, or along a direction that runs off to a
         * boundary), H + mu I with the smallest mu in steps of 10 that is
         * (Levenberg-Marquardt), and the step at most NEWTON_MAX_STEP long */
        gsl_matrix_memcpy(Hs, H);
        double dmax = 0;
        for (size_t j = 0; j < n; j++)
            dmax = fmax(dmax, fabs(gsl_matrix_get(H, j, j)));
        int pd = 0;
        for (int tries = 0; tries < 20 && !pd; tries++) {
            double mu = tries == 0 ? 0 : 1e-6 * (dmax + 1e-10) * pow(10, tries - 1);
            gsl_matrix_memcpy(H, Hs);
            for (size_t j = 0; j < n; j++)
                gsl_matrix_set(H, j, j, gsl_matrix_get(H, j, j) + mu);
            pd = gsl_linalg_cholesky_decomp1(H) == GSL_SUCCESS &&
                 gsl_linalg_cholesky_solve(H, g, step) == GSL_SUCCESS;
        }
        if (!pd)
            break;
        double sn = gsl_blas_dnrm2(step);
        if (!(sn <= NEWTON_MAX_STEP))
            gsl_blas_dscal(NEWTON_MAX_STEP / sn, step);
        double lambda = 1, fn = INFINITY;
        for (int half = 0; half < 20; half++, lambda /= 2) {
            gsl_vector_memcpy(t, th);
            gsl_blas_daxpy(-lambda, step, t);
            fn = objective(t, c);
            if (fn <= f)
                break;
        }
        if (!(fn <= f))
            break; /* (after a passed test: at the noise floor) */
        gsl_vector_memcpy(th, t);
        obj_fdf(th, c, &f, g);
        r->iters++;
        if (tick(c, th, f))
            break;
    }
    if (isfinite(f) && f <= r->f) {
        for (size_t j = 0; j < n; j++)
            r->th[j] = gsl_vector_get(th, j);
        r->f = f;
    }
    gsl_vector_free(th), gsl_vector_free(g), gsl_vector_free(gp);
    gsl_vector_free(step), gsl_vector_free(t);
    gsl_matrix_free(H);
    gsl_matrix_free(Hs);
    return ok;
}

/* From start: Newton steps first when c->newton_first, then BFGS2 with
 * restarts, then (max_iter > 25) the simplex. A short run (short_run) is
 * max_iter BFGS2 iterations and nothing else. */
static void optimise(struct fit_ctx *c, const double *start, struct run *r, int max_iter,
                     int short_run)
{
    memset(r, 0, sizeof *r);
    for (int j = 0; j < c->np; j++)
        r->th[j] = log(start[j]);
    gsl_vector *v = gsl_vector_alloc((size_t)c->np);
    r->f = INFINITY;
    if (v) {
        for (int j = 0; j < c->np; j++)
            gsl_vector_set(v, (size_t)j, r->th[j]);
        r->f = objective(v, c);
        gsl_vector_free(v);
    }
    if (!isfinite(r->f)) {
        r->gnorm = INFINITY;
        return;
    }
    r->method = "bfgs2";
    int ok = 0;
    if (short_run) {
        run_bfgs(c, r, max_iter);
        r->gnorm = grad_norm(c, r->th);
        return;
    }
    if (c->newton_first && c->f->ll_grad) {
        ok = run_newton(c, r, 50);
        if (ok)
            r->method = "newton";
    }
    if (!ok && !cancelled(c))
        ok = run_bfgs(c, r, max_iter);
    /* BFGS stops when its line search makes no progress, often near the
     * optimum because the curvature estimate went stale: a restart from the
     * same point (fresh estimate) usually finishes the job, and costs far
     * less than the simplex */
    for (int restart = 0; !ok && !cancelled(c) && restart < 3; restart++) {
        double before = r->f;
        ok = run_bfgs(c, r, max_iter);
        if (!ok && !(r->f < before - 1e-12 * fabs(before)))
            break;
    }
    if (!ok && max_iter > 25 && !cancelled(c)) {
        /* BFGS stalled (a flat or curved valley): the simplex, then BFGS again
         * to polish and to check the gradient */
        run_nm(c, r, max_iter * 4);
        r->method = "bfgs2+nmsimplex2";
        run_bfgs(c, r, max_iter);
    }
    r->gnorm = grad_norm(c, r->th);
}

/* Hessian of the total log-likelihood in natural parameters, from central
 * differences of the gradient (or of the function, without one). */
static int hessian(struct fit_ctx *c, const double *p, double H[][CS_MAX_PARAMS])
{
    int n = c->np;
    double q[CS_MAX_PARAMS];
    for (int k = 0; k < n; k++) {
        double h = 1e-5 * p[k];
        if (c->f->ll_grad) {
            double gp[CS_MAX_PARAMS], gm[CS_MAX_PARAMS];
            memcpy(q, p, sizeof q);
            q[k] = p[k] + h;
            total_ll(c, q, gp);
            q[k] = p[k] - h;
            total_ll(c, q, gm);
            for (int j = 0; j < n; j++)
                H[j][k] = (gp[j] - gm[j]) / (2 * h);
        } else {
            for (int j = 0; j <= k; j++) {
                double hj = 1e-4 * p[j], hk = 1e-4 * p[k], f[4];
                const int sj[4] = {1, 1, -1, -1}, sk[4] = {1, -1, 1, -1};
                for (int m = 0; m < 4; m++) {
                    memcpy(q, p, sizeof q);
                    q[j] += sj[m] * hj;
                    q[k] += sk[m] * hk;
                    f[m] = total_ll(c, q, NULL);
                }
                H[j][k] = H[k][j] = (f[0] - f[1] - f[2] + f[3]) / (4 * hj * hk);
            }
        }
    }
    for (int j = 0; j < n; j++)
        for (int k = 0; k < j; k++)
            H[j][k] = H[k][j] = (H[j][k] + H[k][j]) / 2;
    for (int j = 0; j < n; j++)
        for (int k = 0; k < n; k++)
            if (!isfinite(H[j][k]))
                return 0;
    return 1;
}

static void covariance(struct fit_ctx *c, cs_model *m)
{
    int n = c->np;
    double H[CS_MAX_PARAMS][CS_MAX_PARAMS];
    for (int j = 0; j < CS_MAX_PARAMS; j++) {
        m->se[j] = NAN;
        for (int k = 0; k < CS_MAX_PARAMS; k++)
            m->cov[j][k] = NAN;
    }
    if (!hessian(c, m->param, H))
        return;
    gsl_matrix *A = gsl_matrix_alloc((size_t)n, (size_t)n);
    if (!A)
        return;
    for (int j = 0; j < n; j++)
        for (int k = 0; k < n; k++)
            gsl_matrix_set(A, (size_t)j, (size_t)k, -H[j][k]); /* observed information */
    if (gsl_linalg_cholesky_decomp1(A) == GSL_SUCCESS && gsl_linalg_cholesky_invert(A) == GSL_SUCCESS) {
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < n; k++)
                m->cov[j][k] = gsl_matrix_get(A, (size_t)j, (size_t)k);
            m->se[j] = sqrt(m->cov[j][j]);
        }
    }
    gsl_matrix_free(A);
}

static uint64_t fingerprint(const cs_dataset *d)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < d->n; i++) {
        double v[4] = {d->obs[i].x, d->obs[i].tx, d->obs[i].T, d->w[i]};
        const unsigned char *b = (const unsigned char *)v;
        for (size_t k = 0; k < sizeof v; k++) {
            h ^= b[k];
            h *= 0x100000001b3ULL;
        }
        /* the fourth statistic only where it is used: fingerprints of the
         * three-statistic models stay what they were */
        if (d->obs[i].litt != 0) {
            const unsigned char *l = (const unsigned char *)&d->obs[i].litt;
            for (size_t k = 0; k < sizeof d->obs[i].litt; k++) {
                h ^= l[k];
                h *= 0x100000001b3ULL;
            }
        }
    }
    return h;
}

static int check_data(const struct csi_family *f, const cs_dataset *d, cs_error *err)
{
    if (d->n == 0 || d->total <= 0)
        return csi_fail(err, CS_EEMPTY, "no customers to fit");
    double repeat = 0;
    for (size_t i = 0; i < d->n; i++) {
        const cs_obs *o = &d->obs[i];
        if (!isfinite(o->x) || !isfinite(o->tx) || !isfinite(o->T) || o->x < 0)
            return csi_fail(err, CS_EINVAL, "a customer has a negative or non-finite value");
        int rc = f->check ? f->check(o, err) : CS_OK;
        if (rc != CS_OK)
            return rc;
        if (o->x > 0)
            repeat += d->w[i];
    }
    if (repeat == 0)
        return csi_fail(err, CS_EEMPTY, "%s",
                        f->no_repeat_msg
                            ? f->no_repeat_msg
                            : "no repeat buyers (every frequency is 0): the model cannot tell "
                              "purchase rates from drop-out; use a longer period");
    if (d->n == 1)
        return csi_fail(err, CS_EINVAL,
                        "all %.0f customers have the same data: the model is not identified",
                        d->total);
    return CS_OK;
}

/* Every start gets a short run (quick: SHORT_ITERS BFGS2 iterations; else
 * 25 with restarts, on cs's data); the best is taken to the end on c's data
 * (Newton steps first from a sample's optimum or a quick run). Keeps in
 * *best the better of what it had and what it found. */
static void starts_then_best(struct fit_ctx *c, struct fit_ctx *cs, double st[][CS_MAX_PARAMS],
                             int ns, int quick, int max_iter, struct run *best, int *iters,
                             int *nconv)
{
    struct run top = {.f = INFINITY};
    int best_i = -1;
    for (int i = 0; i < ns && !cancelled(c); i++) {
        struct run r;
        optimise(cs, st[i], &r, quick ? SHORT_ITERS : 25, quick);
        *iters += r.iters;
        if (r.gnorm < 1e-5)
            (*nconv)++;
        if (r.f < top.f) {
            top = r;
            best_i = i;
        }
    }
    int thinned = cs->d != c->d;
    c->evals = cs->evals; /* counts both (cs started as a copy of c) */
    if (thinned && best_i >= 0) {
        /* the sample's optimum: its objective is not comparable with the full
         * data's, so the full run from it is taken whatever it gives */
        top.gnorm = INFINITY;
        top.f = INFINITY;
    }
    if (best_i >= 0 && !cancelled(c) && top.gnorm >= (quick ? GRAD_TOL : 1e-5)) {
        double from[CS_MAX_PARAMS];
        for (int j = 0; j < c->np; j++)
            from[j] = exp(top.th[j]);
        struct run r;
        c->newton_first = thinned || quick;
        c->polish = quick;
        optimise(c, from, &r, max_iter, 0);
        c->newton_first = c->polish = 0;
        if (r.f <= top.f) {
            *iters += r.iters;
            top = r;
        }
    }
    cs->evals = c->evals;
    if (best_i >= 0 && (top.f < best->f || !isfinite(best->f)))
        *best = top;
}

/* One family on a dataset: the best of several starts. */
static void fit_family(struct fit_ctx *c, const cs_fit_options *opt, struct run *best,
                       int *nstarts, int *nconv)
{
    double st[8 + 1][CS_MAX_PARAMS];
    int ns = c->f->starts(c->d, st);
    if (opt && opt->start) {
        for (int j = 0; j < c->np; j++)
            st[ns][j] = opt->start[j];
        ns++;
    }
    int max_iter = opt && opt->max_iter > 0 ? opt->max_iter : 2000;
    memset(best, 0, sizeof *best);
    best->f = INFINITY;
    *nconv = 0;
    /* Every start gets a short run; the best of them is taken to the end.
     * Most of the cost of a fit is in its last iterations, and a start that
     * is behind after a few dozen BFGS steps is behind in a valley of its
     * own (the simplex is tried where BFGS stalls). */
    int iters = 0;
    /* With many patterns the short runs work on every k-th pattern (the
     * dataset is sorted, so that is a spread-out sample), reweighted to the
     * same total: choosing a start needs no more precision than that. */
    struct fit_ctx cs = *c;
    cs_dataset thin = {0};
    if (c->d->n > 40000) {
        size_t k = c->d->n / 10000;
        thin.obs = malloc((c->d->n / k + 1) * sizeof *thin.obs);
        thin.w = malloc((c->d->n / k + 1) * sizeof *thin.w);
        if (thin.obs && thin.w) {
            double sw = 0;
            for (size_t i = 0; i < c->d->n; i += k) {
                thin.obs[thin.n] = c->d->obs[i];
                thin.w[thin.n] = c->d->w[i];
                sw += c->d->w[i];
                thin.n++;
            }
            for (size_t i = 0; i < thin.n; i++)
                thin.w[i] *= c->d->total / sw;
            thin.total = c->d->total;
            cs.d = &thin;
        }
    }
    /* Where the likelihood is costly (f->costly: a series or an integral
     * per pattern), the short runs are SHORT_ITERS BFGS2 iterations and no
     * more, and the best goes on with (damped) Newton steps, which need a
     * handful of iterations from there where BFGS2 needs dozens: most of
     * such a fit's evaluations were spent running every start to the end.
     * Where that does not converge (gradient norm 1e-5), the thorough way
     * is taken as well and the better of the two kept. (Where the
     * likelihood is flat towards a boundary, the point where a run stops
     * depends on its path either way: the log-likelihoods differ by 1e-5
     * to 1e-4 on such fits of a few hundred customers.) The others keep
     * 25 iterations with restarts, which usually converge, and their
     * estimates as they were. On a sample (many patterns) the sample's
     * full runs are cheap and make a better start for the data. */
    int quick = c->f->costly && cs.d == c->d;
    starts_then_best(c, &cs, st, ns, quick, max_iter, best, &iters, nconv);
    if (quick && !cancelled(c) && !(best->gnorm < 1e-5)) {
        *nconv = 0;
        starts_then_best(c, &cs, st, ns, 0, max_iter, best, &iters, nconv);
    }
    free(thin.obs);
    free(thin.w);
    best->iters = iters;
    *nstarts = ns;
}

static int fit_cancelled(const struct csi_family *f, const struct fit_progress *pg,
                         cs_model *m, cs_error *err)
{
    snprintf(m->note, sizeof m->note, "cancelled after %ld iterations", pg->iterations);
    m->iterations = (int)pg->iterations;
    return csi_fail(err, CS_ENOCONV,
                    "%s fit cancelled after %ld iterations (its progress callback asked to stop)",
                    f->name, pg->iterations);
}

int cs_model_fit(int kind, const cs_dataset *d, const cs_fit_options *opt, cs_model *m,
                 cs_error *err)
{
    const struct csi_family *f = csi_family(kind);
    if (!f || !f->ll || !f->starts)
        return csi_fail(err, CS_EINVAL, "no such model");
    int rc = check_data(f, d, err);
    if (rc != CS_OK)
        return rc;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    memset(m, 0, sizeof *m);
    struct fit_progress pg = {.fn = opt ? opt->progress : NULL,
                              .ctx = opt ? opt->progress_ctx : NULL};
    struct fit_ctx c = {.f = f, .d = d, .np = f->np, .l2 = opt ? opt->l2 : 0,
                        .scale = 1.0 / d->total, .threads = opt ? opt->threads : 1,
                        .pg = &pg};
    struct run best;
    int nstarts, nconv;
    fit_family(&c, opt, &best, &nstarts, &nconv);

    m->kind = kind;
    m->np = f->np;
    m->l2 = c.l2;
    m->n_customers = d->total;
    m->n_patterns = d->n;
    m->starts = nstarts;
    m->calibration_end = m->as_of = CS_DAY_NONE;
    if (f->file == CSI_FILE_PERIOD)
        snprintf(m->period, sizeof m->period, "period");
    snprintf(m->fingerprint, sizeof m->fingerprint, "%016llx",
             (unsigned long long)fingerprint(d));
    if (pg.cancelled)
        return fit_cancelled(f, &pg, m, err);
    if (!isfinite(best.f)) {
        snprintf(m->note, sizeof m->note,
                 "the likelihood could not be evaluated from any of %d starting points", nstarts);
        return csi_fail(err, CS_ENOCONV,
                        "%s fit failed: the likelihood could not be evaluated from any of %d "
                        "starting points (are the data in the right unit?)",
                        f->name, nstarts);
    }
    for (int j = 0; j < f->np; j++)
        m->param[j] = exp(best.th[j]);
    m->log_likelihood = total_ll(&c, m->param, NULL);
    m->iterations = best.iters;
    m->grad_norm = best.gnorm;
    snprintf(m->method, sizeof m->method, "%s", best.method ? best.method : "none");
    m->converged = best.gnorm < 1e-5;

    /* The boundary: a parameter running off to 0 or infinity. */
    int off = 0;
    for (int j = 0; j < f->np; j++)
        off |= fabs(best.th[j]) > 11.5; /* beyond 1e5 or 1e-5 */
    if (f->limit) {
        /* Compare with the no-drop-out limit: if it fits as well, the data
         * show no drop-out and the drop-out parameters are not identified. */
        const struct csi_family *lf = f->limit;
        struct fit_ctx cn = c;
        cn.f = lf;
        cn.np = lf->np;
        struct run nb;
        int ns2, nc2;
        fit_family(&cn, NULL, &nb, &ns2, &nc2);
        if (pg.cancelled)
            return fit_cancelled(f, &pg, m, err);
        double pn[CS_MAX_PARAMS];
        for (int j = 0; j < lf->np; j++)
            pn[j] = exp(nb.th[j]);
        double lllim = total_ll(&cn, pn, NULL);
        c.evals = cn.evals; /* cn counted on from c's count */
        if (isfinite(lllim) && lllim >= m->log_likelihood - 1e-3 * (1 + fabs(lllim) * 1e-6)) {
            char vals[160];
            size_t o = 0;
            vals[0] = '\0';
            for (int j = 0; j < lf->np && o < sizeof vals; j++)
                o += (size_t)snprintf(vals + o, sizeof vals - o, "%s = %.6g, ", lf->pnames[j],
                                      pn[j]);
            snprintf(m->note, sizeof m->note,
                     "%s: the data show no evidence of drop-out; the likelihood is highest on "
                     "the boundary (%s), where the model becomes the %s model (no drop-out), "
                     "which is reported instead: %sLL = %.1f",
                     f->name, f->limit_where, lf->title, vals, lllim);
            m->kind = lf->kind;
            m->np = lf->np;
            for (int j = 0; j < CS_MAX_PARAMS; j++)
                m->param[j] = j < lf->np ? pn[j] : 0;
            m->log_likelihood = lllim;
            m->boundary = 1;
            m->converged = nb.gnorm < 1e-5;
            m->grad_norm = nb.gnorm;
            m->iterations += nb.iters;
            snprintf(m->method, sizeof m->method, "%s", nb.method ? nb.method : "none");
            c.f = lf;
            c.np = lf->np;
            off = 0;
        }
    }
    if (off && !m->boundary) {
        m->boundary = 1;
        size_t o = (size_t)snprintf(m->note, sizeof m->note,
                                    "the maximum lies on the boundary of the parameter space: ");
        for (int j = 0; j < f->np && o < sizeof m->note; j++)
            if (fabs(best.th[j]) > 11.5)
                o += (size_t)snprintf(m->note + o, sizeof m->note - o, "%s %s ", f->pnames[j],
                                      best.th[j] > 0 ? "-> infinity" : "-> 0");
        if (o < sizeof m->note)
            snprintf(m->note + o, sizeof m->note - o,
                     "(the data do not identify %s; predictions stay usable, those "
                     "parameters and their standard errors do not)",
                     f->np > 1 ? "these" : "it");
    }
    covariance(&c, m);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    m->evaluations = c.evals;
    m->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if (!m->converged && !m->boundary) {
        char tried[160];
        snprintf(tried, sizeof tried, "%d starting points, BFGS2 then Nelder-Mead", nstarts);
        snprintf(m->note, sizeof m->note,
                 "did not converge: gradient norm %.3g after %d iterations (%s)", m->grad_norm,
                 m->iterations, tried);
        return csi_fail(err, CS_ENOCONV,
                        "%s fit did not converge (gradient norm %.3g after %d iterations; "
                        "tried %s)",
                        f->name, m->grad_norm, m->iterations, tried);
    }
    return CS_OK;
}
