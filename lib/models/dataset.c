/* Grouping customers by identical observations. */
#include "models/family.h"
#include "util/internal.h"

#include <stdlib.h>
#include <string.h>

void cs_dataset_free(cs_dataset *d)
{
    if (!d)
        return;
    free(d->obs);
    free(d->w);
    free(d);
}

static int cmp_obs(const void *a, const void *b)
{
    const cs_obs *x = a, *y = b;
    if (x->x != y->x)
        return x->x < y->x ? -1 : 1;
    if (x->tx != y->tx)
        return x->tx < y->tx ? -1 : 1;
    if (x->T != y->T)
        return x->T < y->T ? -1 : 1;
    if (x->litt != y->litt)
        return x->litt < y->litt ? -1 : 1;
    return 0;
}

struct pair {
    cs_obs o;
    double w;
};

static int cmp_pair(const void *a, const void *b)
{
    return cmp_obs(&((const struct pair *)a)->o, &((const struct pair *)b)->o);
}

cs_dataset *cs_dataset_group(const cs_obs *obs, const double *w, size_t n, cs_error *err)
{
    cs_dataset *d = calloc(1, sizeof *d);
    struct pair *v = malloc((n + 1) * sizeof *v);
    if (!d || !v)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        v[i].o = obs[i];
        v[i].w = w ? w[i] : 1;
    }
    /* sorting makes the grouping, and so every fit, independent of row order */
    qsort(v, n, sizeof *v, cmp_pair);
    d->obs = malloc((n + 1) * sizeof *d->obs);
    d->w = malloc((n + 1) * sizeof *d->w);
    if (!d->obs || !d->w)
        goto nomem;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].w == 0)
            continue;
        if (k > 0 && cmp_obs(&d->obs[k - 1], &v[i].o) == 0) {
            d->w[k - 1] += v[i].w;
        } else {
            d->obs[k] = v[i].o;
            d->w[k] = v[i].w;
            k++;
        }
        d->total += v[i].w;
    }
    d->n = k;
    free(v);
    return d;
nomem:
    free(v);
    cs_dataset_free(d);
    csi_fail(err, CS_ENOMEM, "out of memory");
    return NULL;
}
