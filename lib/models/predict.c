/* Predictions for many customers, over threads. */
#include "models/family.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct job {
    const cs_model *m;
    const cs_obs *obs;
    const double *monetary;
    const cs_predict_options *opt;
    cs_prediction *out;
    const size_t *order; /* customers sorted by (x, t_x, T, value), or NULL */
    size_t from, to;
    size_t bad;
};

static void *run(void *arg)
{
    struct job *j = arg;
    const cs_predict_options *o = j->opt;
    const struct csi_family *f = csi_family(j->m->kind);
    const cs_obs *prev = NULL;
    double prev_mv = 0;
    const cs_prediction *prev_p = NULL;
    for (size_t k = j->from; k < j->to; k++) {
        size_t i = j->order ? j->order[k] : k;
        const cs_obs *ob = &j->obs[i];
        cs_prediction *p = &j->out[i];
        double mv = j->monetary ? j->monetary[i] : 0;
        /* customers with the same history get the same predictions: in sorted
         * order they are neighbours, and are computed once */
        if (prev && prev->x == ob->x && prev->tx == ob->tx && prev->T == ob->T &&
            (!o->spend || prev_mv == mv || (isnan(prev_mv) && isnan(mv)))) {
            *p = *prev_p;
            int bad = !isfinite(p->expected) || !isfinite(p->p_alive) ||
                      !isfinite(p->p_alive_at) || (o->spend && !isfinite(p->clv)) ||
                      (o->dert_rate > 0 && !isfinite(p->dert)) ||
                      (o->no_purchase && !isfinite(p->p_no_purchase));
            j->bad += bad;
            continue;
        }
        prev = ob;
        prev_mv = mv;
        prev_p = p;
        p->p_alive = cs_model_p_alive(j->m, ob);
        p->expected = f && f->expected_pa
                          ? f->expected_pa(j->m->param, ob, o->horizon, p->p_alive)
                          : cs_model_expected(j->m, ob, o->horizon);
        p->p_alive_at = f && f->p_alive_at_pa
                            ? f->p_alive_at_pa(j->m->param, ob, o->horizon, p->p_alive)
                            : cs_model_p_alive_at(j->m, ob, o->horizon);
        p->spend = p->clv = p->dert = p->p_no_purchase = NAN;
        int bad = !isfinite(p->expected) || !isfinite(p->p_alive) || !isfinite(p->p_alive_at);
        if (o->no_purchase) {
            p->p_no_purchase = csi_p_no_purchase(j->m, ob, o->horizon, p->p_alive);
            bad |= !isfinite(p->p_no_purchase);
        }
        if (o->spend) {
            p->spend = cs_model_spend(o->spend, ob->x, ob->x > 0 ? mv : 0);
            p->clv = cs_model_clv(j->m, ob, p->spend, o->clv_periods, o->period_len,
                                  o->discount, o->margin);
            bad |= !isfinite(p->spend) || !isfinite(p->clv);
        }
        if (o->dert_rate > 0) {
            p->dert = cs_model_dert(j->m, ob, o->dert_rate);
            bad |= !isfinite(p->dert);
        }
        j->bad += bad;
    }
    return NULL;
}

size_t cs_model_predict(const cs_model *m, const cs_obs *obs, const double *monetary, size_t n,
                        const cs_predict_options *opt, cs_prediction *out)
{
    enum { MAXT = 16 };
    int nt = opt->threads > 1 ? opt->threads : 1;
    if (nt > MAXT)
        nt = MAXT;
    if (n < 2000)
        nt = 1;
    struct job jobs[MAXT];
    pthread_t th[MAXT];
    int started[MAXT] = {0};
    /* Sorting to share the work of equal histories was measured: on 1M
     * customers with 453k distinct histories it cost more (a serial sort)
     * than it saved, so customers are taken as they come. */
    size_t *order = NULL;
    for (int t = 0; t < nt; t++) {
        jobs[t] = (struct job){m,      obs, monetary, opt, out, order, n * (size_t)t / (size_t)nt,
                               n * (size_t)(t + 1) / (size_t)nt, 0};
        if (t > 0 && pthread_create(&th[t], NULL, run, &jobs[t]) == 0)
            started[t] = 1;
    }
    run(&jobs[0]);
    size_t bad = jobs[0].bad;
    for (int t = 1; t < nt; t++) {
        if (started[t])
            pthread_join(th[t], NULL);
        else
            run(&jobs[t]);
        bad += jobs[t].bad;
    }
    free(order);
    return bad;
}
