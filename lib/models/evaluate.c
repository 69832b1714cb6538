/* Churn scores against what happened: AUC, Brier, log loss, calibration,
 * lift and capture. */
#include "models/family.h"
#include "util/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct sl {
    double s;
    int y;
    size_t i;
};

static int by_score_desc(const void *a, const void *b)
{
    const struct sl *x = a, *y = b;
    if (x->s != y->s)
        return x->s < y->s ? 1 : -1;
    return (x->i > y->i) - (x->i < y->i);
}

int cs_evaluate(const double *score, const int *label, size_t n, int probabilities,
                cs_eval *e, double *roc_fpr, double *roc_tpr, size_t *nroc, cs_error *err)
{
    memset(e, 0, sizeof *e);
    struct sl *v = malloc((n + 1) * sizeof *v);
    if (!v)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        v[i] = (struct sl){score[i], label[i] != 0, i};
        pos += label[i] != 0;
    }
    if (pos == 0 || pos == n) {
        free(v);
        return csi_fail(err, CS_EINVAL,
                        "the labels are all %s: the evaluation needs churners and stayers",
                        pos ? "churned" : "active");
    }
    e->n = n;
    e->positives = pos;
    e->base_rate = (double)pos / (double)n;
    qsort(v, n, sizeof *v, by_score_desc);
    /* AUC by the Mann-Whitney statistic over groups of equal scores: a tie
     * between a churner and a stayer counts one half */
    double neg = (double)(n - pos), tp = 0, fp = 0, auc = 0;
    size_t k = 0;
    if (nroc)
        *nroc = 0;
    if (roc_fpr) {
        roc_fpr[0] = roc_tpr[0] = 0;
        *nroc = 1;
    }
    while (k < n) {
        size_t j = k;
        double gp = 0, gn = 0;
        while (j < n && v[j].s == v[k].s) {
            gp += v[j].y;
            gn += !v[j].y;
            j++;
        }
        auc += gn * (tp + gp / 2); /* stayers in the group, against churners above or tied */
        tp += gp;
        fp += gn;
        if (roc_fpr) {
            roc_fpr[*nroc] = fp / neg;
            roc_tpr[*nroc] = tp / (double)pos;
            (*nroc)++;
        }
        k = j;
    }
    e->auc = auc / ((double)pos * neg);
    /* lift and capture in the top 10% and 20% (ranks in the sorted order) */
    const double q[2] = {0.10, 0.20};
    for (int t = 0; t < 2; t++) {
        size_t top = (size_t)ceil(q[t] * (double)n);
        size_t hit = 0;
        for (size_t i = 0; i < top; i++)
            hit += v[i].y;
        e->lift[t] = ((double)hit / (double)top) / e->base_rate;
        e->capture[t] = (double)hit / (double)pos;
    }
    /* deciles of the score, lowest first */
    for (size_t i = 0; i < n; i++) {
        size_t dcl = 9 - (size_t)((double)i * 10 / (double)n); /* v is highest first */
        if (dcl > 9)
            dcl = 9;
        e->dec_pred[dcl] += v[i].s;
        e->dec_obs[dcl] += v[i].y;
        e->dec_n[dcl]++;
    }
    /* ties across decile edges: v is sorted by score, then input order, so
     * the split is deterministic; count each tied group that an edge cuts */
    size_t counted_to = 0; /* groups before this index are counted */
    for (size_t i = 1; i < n; i++) {
        size_t da = (size_t)((double)(i - 1) * 10 / (double)n), db = (size_t)((double)i * 10 / (double)n);
        if (da == db || v[i].s != v[i - 1].s || i < counted_to)
            continue;
        size_t lo = i - 1, hi = i;
        while (lo > 0 && v[lo - 1].s == v[i].s)
            lo--;
        while (hi + 1 < n && v[hi + 1].s == v[i].s)
            hi++;
        e->dec_tied += hi - lo + 1;
        counted_to = hi + 1;
    }
    for (int d = 0; d < 10; d++)
        if (e->dec_n[d]) {
            e->dec_pred[d] /= (double)e->dec_n[d];
            e->dec_obs[d] /= (double)e->dec_n[d];
        }
    if (probabilities) {
        double b = 0, ll = 0;
        for (size_t i = 0; i < n; i++) {
            double p = score[i], y = label[i] != 0;
            b += (p - y) * (p - y);
            double pc = p < 1e-15 ? 1e-15 : p > 1 - 1e-15 ? 1 - 1e-15 : p;
            ll -= y * log(pc) + (1 - y) * log1p(-pc);
        }
        e->brier = b / (double)n;
        e->log_loss = ll / (double)n;
    } else {
        e->brier = e->log_loss = NAN;
    }
    free(v);
    return CS_OK;
}
