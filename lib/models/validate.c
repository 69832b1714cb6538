/* Checking a purchase model on a holdout period. */
#include "models/family.h"
#include "util/internal.h"

#include <math.h>
#include <string.h>

int cs_model_validate(const cs_model *m, const cs_customers *c, cs_validation *v, cs_error *err)
{
    memset(v, 0, sizeof *v);
    v->mae = v->rmse = v->spend_corr = NAN;
    v->duration = c->duration_holdout;
    if (!csi_family(m->kind))
        return csi_fail(err, CS_EINVAL, "no such model");
    if (!c->has_holdout || !isfinite(c->duration_holdout))
        return csi_fail(err, CS_EINVAL, "the customers have no holdout period "
                                        "(frequency_holdout and duration_holdout)");
    double t = c->duration_holdout, se = 0, sq = 0;
    for (size_t i = 0; i < c->n; i++) {
        double e = cs_model_expected(m, &c->obs[i], t);
        double a = c->x_holdout[i], w = c->weight[i];
        if (!isfinite(e) || !isfinite(a))
            continue;
        int k = c->obs[i].x >= 7 ? 7 : (int)c->obs[i].x;
        v->customers[k] += w;
        v->actual[k] += w * a;
        v->predicted[k] += w * e;
        v->actual[CS_VALIDATE_ALL] += w * a;
        v->predicted[CS_VALIDATE_ALL] += w * e;
        se += w * fabs(e - a);
        sq += w * (e - a) * (e - a);
        v->customers[CS_VALIDATE_ALL] += w;
    }
    double nn = v->customers[CS_VALIDATE_ALL];
    if (nn > 0) {
        v->mae = se / nn;
        v->rmse = sqrt(sq / nn);
    }
    if (c->has_monetary) {
        /* repeat buyers, one each (not weighted) */
        double n1 = 0, mx = 0, mm = 0, sxx = 0, smm = 0, sxm = 0;
        for (size_t i = 0; i < c->n; i++)
            if (c->obs[i].x > 0 && isfinite(c->monetary[i])) {
                n1++;
                mx += c->obs[i].x;
                mm += c->monetary[i];
            }
        mx /= n1, mm /= n1;
        for (size_t i = 0; i < c->n; i++)
            if (c->obs[i].x > 0 && isfinite(c->monetary[i])) {
                double dx = c->obs[i].x - mx, dm = c->monetary[i] - mm;
                sxx += dx * dx, smm += dm * dm, sxm += dx * dm;
            }
        v->spend_n = n1;
        v->spend_corr = sxm / sqrt(sxx * smm);
    }
    return CS_OK;
}
