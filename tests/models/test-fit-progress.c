/* The fit's progress callback (cs_fit_options.progress): called after every
 * iteration with the iterations done counting 1, 2, 3, ... and a finite
 * log-likelihood never above the one the fit ends with; the fit's result is
 * the same with and without it; a callback that returns non-zero stops the
 * fit at once with CS_ENOCONV and a message saying it was cancelled after
 * how many iterations. Pareto/NBD (short runs per start, then Newton) and
 * BG/NBD (full BFGS2 runs) on customers drawn from the CDNOW Pareto/NBD. */
#include "custseg.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <string.h>

struct rec {
    long calls, last, stop_at;
    int in_order;
    int finite;
    double max_ll;
};

static int record(void *ctx, long iterations, double ll)
{
    struct rec *r = ctx;
    r->calls++;
    r->in_order &= iterations == r->last + 1;
    r->last = iterations;
    r->finite &= isfinite(ll);
    if (ll > r->max_ll)
        r->max_ll = ll;
    return r->stop_at > 0 && iterations >= r->stop_at;
}

/* n customers of a Pareto/NBD (r, alpha, s, beta) = CDNOW's, observed for
 * 27 to 39 weeks */
static cs_dataset *draw(size_t n)
{
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 11);
    cs_obs *o = calloc(n, sizeof *o);
    for (size_t i = 0; i < n; i++) {
        double lam = gsl_ran_gamma(g, 0.553, 1 / 10.578);
        double mu = gsl_ran_gamma(g, 0.606, 1 / 11.669);
        double T = 27 + (double)(i % 13), life = gsl_ran_exponential(g, 1 / mu);
        double end = life < T ? life : T, t = 0;
        o[i].T = T;
        for (;;) {
            t += gsl_ran_exponential(g, 1 / lam);
            if (t > end)
                break;
            o[i].x++;
            o[i].tx = t;
        }
    }
    cs_dataset *d = cs_dataset_group(o, NULL, n, NULL);
    free(o);
    gsl_rng_free(g);
    return d;
}

static void check_model(int kind, const cs_dataset *d)
{
    cs_error err = {0};
    cs_model plain, m;
    CHECK(cs_model_fit(kind, d, NULL, &plain, &err) == CS_OK);

    /* every iteration reported, in order; the result unchanged */
    struct rec r = {.in_order = 1, .finite = 1, .max_ll = -INFINITY};
    cs_fit_options fo = {.progress = record, .progress_ctx = &r};
    CHECK(cs_model_fit(kind, d, &fo, &m, &err) == CS_OK);
    CHECK(r.calls > 10);
    CHECK(r.in_order);
    CHECK(r.finite);
    CHECK(r.last >= m.iterations); /* the boundary check's fit counts too */
    CHECK(r.max_ll <= m.log_likelihood + 1e-9 * fabs(m.log_likelihood));
    CHECK(m.kind == plain.kind);
    for (int j = 0; j < plain.np; j++)
        CHECK(m.param[j] == plain.param[j]);
    CHECK(m.log_likelihood == plain.log_likelihood);

    /* cancelled at the 5th iteration: no call after it, a clear error */
    struct rec c = {.in_order = 1, .finite = 1, .max_ll = -INFINITY, .stop_at = 5};
    fo.progress_ctx = &c;
    memset(&err, 0, sizeof err);
    CHECK(cs_model_fit(kind, d, &fo, &m, &err) == CS_ENOCONV);
    CHECK(c.calls == 5 && c.last == 5 && c.in_order);
    CHECK(err.code == CS_ENOCONV);
    CHECK(strstr(err.message, "cancelled after 5 iterations") != NULL);
    printf("%s: %ld iterations reported (LL %.3f); cancelled: %s\n",
           cs_model_name(kind), r.calls, plain.log_likelihood, err.message);
}

int main(void)
{
    gsl_set_error_handler_off();
    cs_dataset *d = draw(1500);
    check_model(CS_MODEL_PNBD, d);
    check_model(CS_MODEL_BGNBD, d);
    cs_dataset_free(d);
    return check_exit(1);
}
