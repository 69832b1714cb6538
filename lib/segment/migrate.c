/* Migration matrices between the tiers of two pyramids: at two dates of one
 * log, or from a saved earlier pyramid. */
#include "cs-segment.h"
#include "util/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cs_pyramid_migration_free(cs_pyramid_migration *m)
{
    if (!m)
        return;
    free(m->customers);
    free(m->value_before);
    free(m->value_after);
    memset(m, 0, sizeof *m);
}

static int migration_alloc(cs_pyramid_migration *m, int T, int values, cs_error *err)
{
    memset(m, 0, sizeof *m);
    size_t cells = (size_t)(T + 1) * (size_t)(T + 1);
    m->ntiers = T;
    m->customers = calloc(cells, sizeof *m->customers);
    if (values) {
        m->value_before = calloc(cells, sizeof *m->value_before);
        m->value_after = calloc(cells, sizeof *m->value_after);
    }
    if (!m->customers || (values && (!m->value_before || !m->value_after))) {
        cs_pyramid_migration_free(m);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    return CS_OK;
}

/* One customer from tier f to tier t (T: New, Lost). */
static size_t count_move(cs_pyramid_migration *m, int f, int t)
{
    int T = m->ntiers;
    size_t c = (size_t)f * (size_t)(T + 1) + (size_t)t;
    m->customers[c]++;
    if (f == T)
        m->new_customers++;
    if (t == T)
        m->lost++;
    if (f < T && t < T) {
        m->up += t < f;
        m->down += t > f;
        m->stay += t == f;
    }
    return c;
}

int cs_pyramid_migrate_dates(cs_pyramid_migration *m, const cs_pyramid *p, const cs_values2 *v,
                             double inactive_after, cs_error *err)
{
    size_t n = v->n;
    int T = p->ntiers, rc = migration_alloc(m, T, 1, err);
    if (rc != CS_OK)
        return rc;
    int *tier[2], *act = malloc((n + 1) * sizeof *act), *tt = malloc((n + 1) * sizeof *tt);
    double *val = malloc((n + 1) * sizeof *val);
    size_t *idx = malloc((n + 1) * sizeof *idx);
    tier[0] = malloc((n + 1) * sizeof *tier[0]);
    tier[1] = malloc((n + 1) * sizeof *tier[1]);
    if (!act || !tt || !val || !idx || !tier[0] || !tier[1]) {
        rc = csi_fail(err, CS_ENOMEM, "out of memory");
        goto out;
    }
    for (int k = 0; k < 2; k++) {
        /* the customers who had bought by date k; the others are not tiered there */
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++) {
            tier[k][i] = T;
            if (isnan(v->days_since_last[k][i]))
                continue;
            val[cnt] = v->value[k][i];
            act[cnt] = v->days_since_last[k][i] <= inactive_after;
            idx[cnt++] = i;
        }
        if ((rc = cs_pyramid_tier(p, val, act, cnt, tt, NULL, NULL, err)) != CS_OK)
            goto out;
        for (size_t j = 0; j < cnt; j++)
            tier[k][idx[j]] = tt[j];
    }
    for (size_t i = 0; i < n; i++) {
        int f = tier[0][i], t = tier[1][i];
        size_t c = count_move(m, f, t);
        m->value_before[c] += f == T ? 0 : v->value[0][i];
        m->value_after[c] += t == T ? 0 : v->value[1][i];
    }
out:
    free(act), free(tt), free(val), free(idx), free(tier[0]), free(tier[1]);
    if (rc != CS_OK)
        cs_pyramid_migration_free(m);
    return rc;
}

void cs_pyramid_tiers_free(cs_pyramid_tiers *t)
{
    if (!t)
        return;
    cs_ids_clear(&t->ids);
    free(t->tier);
    free(t);
}

cs_pyramid_tiers *cs_pyramid_tiers_read(cs_input *in, const cs_pyramid *p, cs_error *err)
{
    cs_table *tb = cs_table_open(in, CS_DELIM_AUTO, err);
    if (!tb)
        return NULL;
    cs_pyramid_tiers *t = NULL;
    int cid = cs_table_find(tb, "customer_id"), ct = cs_table_find(tb, "tier");
    if (cid < 0 || ct < 0) {
        csi_fail(err, CS_ECOLUMN, "no column '%s': an earlier pyramid needs customer_id and "
                 "tier columns", cid < 0 ? "customer_id" : "tier");
        csi_error_where(err, cs_table_file(tb), cs_table_line(tb), 0, NULL, 0);
        goto fail;
    }
    if (!(t = calloc(1, sizeof *t)))
        goto nomem;
    size_t cap = 0;
    int rc;
    while ((rc = cs_table_next(tb, err)) == 1) {
        const char *s;
        size_t len;
        cs_table_str(tb, ct, &s, &len);
        int k = -1;
        for (int j = 0; j < p->ntiers && k < 0; j++)
            if (len == strlen(p->names[j]) && !memcmp(s, p->names[j], len))
                k = j;
        if (k < 0) {
            char ex[80];
            csi_excerpt(ex, sizeof ex, s, len);
            csi_fail(err, CS_EFORMAT, "'%s' is not a tier of this scheme", ex);
            const char *name = cs_table_name(tb, ct);
            csi_error_where(err, cs_table_file(tb), cs_table_line(tb), ct + 1, name,
                            strlen(name));
            goto fail;
        }
        if (t->n == cap) {
            cap = cap ? cap * 2 : 1024;
            int *q = realloc(t->tier, cap * sizeof *t->tier);
            if (!q)
                goto nomem;
            t->tier = q;
        }
        if (cs_table_id(tb, cid, &t->ids, err) != CS_OK)
            goto fail;
        t->tier[t->n++] = k;
    }
    if (rc < 0)
        goto fail;
    cs_table_free(tb);
    return t;
nomem:
    csi_fail(err, CS_ENOMEM, "out of memory");
fail:
    cs_table_free(tb);
    cs_pyramid_tiers_free(t);
    return NULL;
}

/* An open-addressing index of the ids by csi_hash_bytes; slots hold i + 1.
 * Lookups compare whole ids: a hash or a prefix in common is no match. */
struct id_index {
    size_t *slot, mask;
    const cs_ids *ids;
};

static int index_build(struct id_index *x, const cs_ids *ids)
{
    size_t cap = 16, n = ids->n;
    while (cap < 2 * n)
        cap *= 2;
    *x = (struct id_index){.slot = calloc(cap, sizeof *x->slot), .mask = cap - 1, .ids = ids};
    if (!x->slot)
        return CS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *id = cs_ids_get(ids, i, &len);
        size_t j = csi_hash_bytes(id, len) & x->mask;
        while (x->slot[j])
            j = (j + 1) & x->mask;
        x->slot[j] = i + 1;
    }
    return CS_OK;
}

/* the index of id, or (size_t)-1 */
static size_t index_find(const struct id_index *x, const char *id, size_t len)
{
    for (size_t j = csi_hash_bytes(id, len) & x->mask; x->slot[j]; j = (j + 1) & x->mask) {
        size_t i = x->slot[j] - 1, l;
        const char *s = cs_ids_get(x->ids, i, &l);
        if (l == len && !memcmp(s, id, len))
            return i;
    }
    return (size_t)-1;
}

int cs_pyramid_migrate_before(cs_pyramid_migration *m, const cs_pyramid *p,
                              const cs_pyramid_tiers *before, const cs_values *now,
                              const int *tier_now, cs_error *err)
{
    int T = p->ntiers, rc = migration_alloc(m, T, 0, err);
    if (rc != CS_OK)
        return rc;
    size_t n = now->n;
    int *was = malloc((n + 1) * sizeof *was);
    struct id_index x = {0};
    if (!was || index_build(&x, &now->ids) != CS_OK) {
        free(was);
        cs_pyramid_migration_free(m);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        was[i] = T; /* New */
    for (size_t b = 0; b < before->n; b++) {
        size_t len;
        const char *id = cs_ids_get(&before->ids, b, &len);
        size_t i = index_find(&x, id, len);
        if (i == (size_t)-1)
            count_move(m, before->tier[b], T);
        else
            was[i] = before->tier[b];
    }
    for (size_t i = 0; i < n; i++)
        count_move(m, was[i], tier_now[i]);
    free(x.slot);
    free(was);
    return CS_OK;
}
