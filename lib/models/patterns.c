/* BG/BB patterns from a transaction log: one row per customer (x, t_x, n)
 * from the summary builder's period histories. */
#include "models/family.h"
#include "util/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct pattern_sink {
    cs_customers *c;
    size_t cap;
};

static int grow(void *pp, size_t n, size_t size)
{
    void *q = realloc(*(void **)pp, n * size);
    if (!q)
        return CS_ENOMEM;
    *(void **)pp = q;
    return CS_OK;
}

static int add_pattern(void *ctx, const char *id, size_t len, int x, int tx, int n)
{
    struct pattern_sink *s = ctx;
    cs_customers *c = s->c;
    if (c->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        if (grow(&c->obs, cap, sizeof *c->obs) || grow(&c->monetary, cap, sizeof *c->monetary) ||
            grow(&c->x_holdout, cap, sizeof *c->x_holdout) ||
            grow(&c->weight, cap, sizeof *c->weight))
            return CS_ENOMEM;
        s->cap = cap;
    }
    int rc = cs_ids_push(&c->ids, id, len);
    if (rc != CS_OK)
        return rc;
    size_t k = c->n++;
    c->obs[k] = (cs_obs){.x = x, .tx = tx, .T = n};
    c->monetary[k] = c->x_holdout[k] = NAN;
    c->weight[k] = 1;
    return CS_OK;
}

cs_customers *cs_builder_periods(cs_builder *b, size_t *too_recent, cs_error *err)
{
    struct pattern_sink s = {.c = calloc(1, sizeof(cs_customers))};
    if (!s.c) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    s.c->kind = CS_TABLE_PATTERNS;
    s.c->unit = -1;
    s.c->duration_holdout = NAN;
    int rc = cs_builder_period_histories(b, add_pattern, &s, too_recent, err);
    if (rc != CS_OK) {
        if (rc == CS_ENOMEM)
            csi_fail(err, CS_ENOMEM, "out of memory");
        cs_customers_free(s.c);
        return NULL;
    }
    return s.c;
}
