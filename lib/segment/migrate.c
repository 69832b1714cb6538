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
    free(t->ids);
    free(t->id_off);
    free(t->id_len);
    free(t->tier);
    free(t);
}

cs_pyramid_tiers *cs_pyramid_tiers_read(cs_input *in, const cs_pyramid *p, cs_error *err)
{
    const char *name = cs_input_name(in);
    cs_records *r = cs_records_new(in, CS_DELIM_AUTO, err);
    cs_pyramid_tiers *t = NULL;
    size_t cap = 0, idcap = 0, idlen = 0;
    if (!r)
        return NULL;
    cs_record rec;
    int rc = cs_records_next(r, &rec, err);
    if (rc <= 0) {
        if (rc == 0) {
            csi_fail(err, CS_EEMPTY, "the input is empty");
            csi_error_where(err, name, 0, 0, NULL, 0);
        }
        goto fail;
    }
    int cid = -1, ct = -1;
    for (size_t i = 0; i < rec.nfields; i++) {
        if (rec.len[i] == 11 && !memcmp(rec.field[i], "customer_id", 11))
            cid = (int)i;
        if (rec.len[i] == 4 && !memcmp(rec.field[i], "tier", 4))
            ct = (int)i;
    }
    if (cid < 0 || ct < 0) {
        csi_fail(err, CS_ECOLUMN, "no column '%s': an earlier pyramid needs customer_id and "
                 "tier columns", cid < 0 ? "customer_id" : "tier");
        csi_error_where(err, name, rec.line, 0, NULL, 0);
        goto fail;
    }
    size_t nf = rec.nfields;
    if (!(t = calloc(1, sizeof *t)))
        goto nomem;
    while ((rc = cs_records_next(r, &rec, err)) == 1) {
        if (rec.nfields != nf) {
            csi_fail(err, CS_EFORMAT, "expected %zu fields, found %zu", nf, rec.nfields);
            csi_error_where(err, name, rec.line, 0, NULL, 0);
            goto fail;
        }
        int k = -1;
        for (int j = 0; j < p->ntiers && k < 0; j++)
            if (rec.len[ct] == strlen(p->names[j]) &&
                !memcmp(rec.field[ct], p->names[j], rec.len[ct]))
                k = j;
        if (k < 0) {
            char ex[80];
            csi_excerpt(ex, sizeof ex, rec.field[ct], rec.len[ct]);
            csi_fail(err, CS_EFORMAT, "'%s' is not a tier of this scheme", ex);
            csi_error_where(err, name, rec.line, ct + 1, "tier", 4);
            goto fail;
        }
        if (t->n == cap) {
            cap = cap ? cap * 2 : 1024;
            void *q;
            if (!(q = realloc(t->id_off, cap * sizeof *t->id_off)))
                goto nomem;
            t->id_off = q;
            if (!(q = realloc(t->id_len, cap * sizeof *t->id_len)))
                goto nomem;
            t->id_len = q;
            if (!(q = realloc(t->tier, cap * sizeof *t->tier)))
                goto nomem;
            t->tier = q;
        }
        size_t idn = rec.len[cid];
        if (!t->ids || idlen + idn > idcap) {
            idcap = idcap ? idcap * 2 : 1 << 16;
            while (idcap < idlen + idn)
                idcap *= 2;
            char *ni = realloc(t->ids, idcap);
            if (!ni)
                goto nomem;
            t->ids = ni;
        }
        memcpy(t->ids + idlen, rec.field[cid], idn);
        t->id_off[t->n] = idlen;
        t->id_len[t->n] = (uint32_t)idn;
        t->tier[t->n++] = k;
        idlen += idn;
    }
    if (rc < 0)
        goto fail;
    cs_records_free(r);
    return t;
nomem:
    csi_fail(err, CS_ENOMEM, "out of memory");
fail:
    cs_records_free(r);
    cs_pyramid_tiers_free(t);
    return NULL;
}

/* An open-addressing index of n ids by csi_hash_bytes; slots hold i + 1.
 * Lookups compare whole ids: a hash or a prefix in common is no match. */
struct id_index {
    size_t *slot, mask;
    const char *ids;
    const size_t *off;
    const uint32_t *len;
};

static int index_build(struct id_index *x, const char *ids, const size_t *off,
                       const uint32_t *len, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    *x = (struct id_index){.slot = calloc(cap, sizeof *x->slot), .mask = cap - 1,
                           .ids = ids, .off = off, .len = len};
    if (!x->slot)
        return CS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t j = csi_hash_bytes(ids + off[i], len[i]) & x->mask;
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
        size_t i = x->slot[j] - 1;
        if (x->len[i] == len && !memcmp(x->ids + x->off[i], id, len))
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
    if (!was || index_build(&x, now->ids, now->id_off, now->id_len, n) != CS_OK) {
        free(was);
        cs_pyramid_migration_free(m);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        was[i] = T; /* New */
    for (size_t b = 0; b < before->n; b++) {
        size_t i = index_find(&x, before->ids + before->id_off[b], before->id_len[b]);
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
