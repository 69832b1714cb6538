/* Transactions to BG/BB patterns: which whole periods had a purchase. */
#include "models/family.h"
#include "cs-summary.h"
#include "util/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cs_period_from_name(const char *name)
{
    if (!strcmp(name, "year") || !strcmp(name, "years"))
        return CS_PERIOD_YEAR;
    if (!strcmp(name, "quarter") || !strcmp(name, "quarters"))
        return CS_PERIOD_QUARTER;
    if (!strcmp(name, "month") || !strcmp(name, "months"))
        return CS_PERIOD_MONTH;
    return -1;
}

static int period_of(cs_day d, int period)
{
    int y, m, dd;
    cs_day_to_ymd(d, &y, &m, &dd);
    return period == CS_PERIOD_YEAR ? y : period == CS_PERIOD_QUARTER ? y * 4 + (m - 1) / 3
                                                                      : y * 12 + m - 1;
}

/* the first day of period index k */
static cs_day period_start(int k, int period)
{
    cs_day d;
    if (period == CS_PERIOD_YEAR)
        cs_day_from_ymd(k, 1, 1, &d);
    else if (period == CS_PERIOD_QUARTER)
        cs_day_from_ymd(k / 4, (k % 4) * 3 + 1, 1, &d);
    else
        cs_day_from_ymd(k / 12, k % 12 + 1, 1, &d);
    return d;
}

/* One customer: the net value per (customer, day) is not needed, but a
 * period counts when its records net to more than 0 or hold no return. */
struct pc {
    char *id;
    size_t len;
    int first;        /* period of the first purchase */
    int nw;           /* words of the period sets */
    uint64_t *seen;   /* periods with a record, from first */
    int64_t *net;     /* net value per period, from first (grows with nw) */
    uint64_t *neg;    /* periods with a negative record */
};

struct pmap {
    struct pc *v;
    size_t n, cap;
    size_t *tab;
    size_t tcap;
};

static struct pc *lookup(struct pmap *m, const char *id, size_t len)
{
    if (m->n * 2 >= m->tcap) {
        size_t nc = m->tcap ? m->tcap * 2 : 1024;
        size_t *nt = calloc(nc, sizeof *nt);
        if (!nt)
            return NULL;
        for (size_t i = 0; i < m->n; i++) {
            size_t j = csi_hash_bytes(m->v[i].id, m->v[i].len) & (nc - 1);
            while (nt[j])
                j = (j + 1) & (nc - 1);
            nt[j] = i + 1;
        }
        free(m->tab);
        m->tab = nt;
        m->tcap = nc;
    }
    size_t j = csi_hash_bytes(id, len) & (m->tcap - 1);
    while (m->tab[j]) {
        struct pc *c = &m->v[m->tab[j] - 1];
        if (c->len == len && !memcmp(c->id, id, len))
            return c;
        j = (j + 1) & (m->tcap - 1);
    }
    if (m->n == m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 1024;
        struct pc *nv = realloc(m->v, nc * sizeof *nv);
        if (!nv)
            return NULL;
        m->v = nv;
        m->cap = nc;
    }
    struct pc *c = &m->v[m->n];
    memset(c, 0, sizeof *c);
    if (!(c->id = malloc(len + 1)))
        return NULL;
    memcpy(c->id, id, len);
    c->len = len;
    c->first = INT32_MAX;
    m->tab[j] = ++m->n;
    return c;
}

/* Makes room for period k (relative to c->first, which may move back). */
static int cover(struct pc *c, int k)
{
    if (c->first == INT32_MAX)
        c->first = k;
    if (k < c->first) { /* shift everything up by whole words */
        int shift_words = (c->first - k + 63) / 64;
        int nw = c->nw + shift_words;
        uint64_t *s = calloc((size_t)nw, 8), *g = calloc((size_t)nw, 8);
        int64_t *nv = calloc((size_t)nw * 64, sizeof *nv);
        if (!s || !g || !nv) {
            free(s), free(g), free(nv);
            return CS_ENOMEM;
        }
        memcpy(s + shift_words, c->seen, (size_t)c->nw * 8);
        memcpy(g + shift_words, c->neg, (size_t)c->nw * 8);
        memcpy(nv + shift_words * 64, c->net, (size_t)c->nw * 64 * sizeof *nv);
        free(c->seen), free(c->neg), free(c->net);
        c->seen = s, c->neg = g, c->net = nv, c->nw = nw;
        c->first -= shift_words * 64;
    }
    int rel = k - c->first;
    if (rel / 64 >= c->nw) {
        int nw = rel / 64 + 1;
        uint64_t *s = realloc(c->seen, (size_t)nw * 8), *g = realloc(c->neg, (size_t)nw * 8);
        if (s)
            c->seen = s;
        if (g)
            c->neg = g;
        int64_t *nv = realloc(c->net, (size_t)nw * 64 * sizeof *nv);
        if (nv)
            c->net = nv;
        if (!s || !g || !nv)
            return CS_ENOMEM;
        memset(c->seen + c->nw, 0, (size_t)(nw - c->nw) * 8);
        memset(c->neg + c->nw, 0, (size_t)(nw - c->nw) * 8);
        memset(c->net + c->nw * 64, 0, (size_t)(nw - c->nw) * 64 * sizeof *nv);
        c->nw = nw;
    }
    return CS_OK;
}

cs_customers *cs_periods_from_transactions(const char *const *paths, size_t npaths,
                                           const cs_txn_options *txn,
                                           const cs_load_options *opt, int period,
                                           cs_day as_of, size_t *too_recent, cs_error *err)
{
    struct pmap m = {0};
    cs_customers *out = NULL;
    cs_day last = CS_DAY_NONE;
    *too_recent = 0;
    static const char *const stdin_only[] = {"-"};
    if (npaths == 0) {
        paths = stdin_only;
        npaths = 1;
    }
    for (size_t f = 0; f < npaths; f++) {
        cs_input *in = f == 0 && opt && opt->first_input ? opt->first_input
                                                         : cs_input_open(paths[f], err);
        if (!in)
            goto fail;
        cs_txn_reader *rd = cs_txn_reader_new(in, txn, err);
        if (!rd) {
            cs_input_close(in);
            goto fail;
        }
        cs_txn t;
        int rc;
        while ((rc = cs_txn_read(rd, &t, err)) != 0) {
            if (rc < 0) {
                int recoverable = rc == CS_EFORMAT || rc == CS_EDATE || rc == CS_EAMOUNT ||
                                  rc == CS_EID;
                if (opt && opt->skip_bad && recoverable)
                    continue;
                cs_txn_reader_free(rd);
                cs_input_close(in);
                goto fail;
            }
            if (as_of != CS_DAY_NONE && t.day > as_of)
                continue;
            if (last == CS_DAY_NONE || t.day > last)
                last = t.day;
            struct pc *c = lookup(&m, t.id, t.id_len);
            int k = period_of(t.day, period);
            if (!c || cover(c, k) != CS_OK) {
                csi_fail(err, CS_ENOMEM, "out of memory");
                cs_txn_reader_free(rd);
                cs_input_close(in);
                goto fail;
            }
            int rel = k - c->first;
            c->seen[rel / 64] |= 1ULL << (rel % 64);
            c->net[rel] += t.amount;
            if (t.amount < 0)
                c->neg[rel / 64] |= 1ULL << (rel % 64);
        }
        cs_txn_reader_free(rd);
        cs_input_close(in);
    }
    if (last == CS_DAY_NONE) {
        csi_fail(err, CS_EEMPTY, "no records");
        goto fail;
    }
    cs_day end = as_of != CS_DAY_NONE ? as_of : last;
    /* the last whole period: the one that ends on or before end */
    int kend = period_of(end, period);
    if (period_start(kend + 1, period) - 1 > end)
        kend--;
    out = calloc(1, sizeof *out);
    size_t cap = m.n + 1, idbytes = 0;
    for (size_t i = 0; i < m.n; i++)
        idbytes += m.v[i].len;
    if (!out || !(out->ids = malloc(idbytes + 1)) || !(out->id_off = malloc(cap * sizeof(size_t))) ||
        !(out->id_len = malloc(cap * sizeof(uint32_t))) || !(out->obs = malloc(cap * sizeof(cs_obs))) ||
        !(out->monetary = malloc(cap * sizeof(double))) ||
        !(out->x_holdout = malloc(cap * sizeof(double))) ||
        !(out->weight = malloc(cap * sizeof(double)))) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        goto fail;
    }
    out->kind = CS_TABLE_PATTERNS;
    out->unit = -1;
    out->duration_holdout = NAN;
    size_t off = 0, k = 0;
    for (size_t i = 0; i < m.n; i++) {
        struct pc *c = &m.v[i];
        /* the first purchase period: the first with a record that counts */
        int first = -1;
        for (int rel = 0; rel < c->nw * 64; rel++) {
            int has = (c->seen[rel / 64] >> (rel % 64)) & 1;
            int neg = (c->neg[rel / 64] >> (rel % 64)) & 1;
            if (has && (!neg || c->net[rel] > 0)) {
                first = rel;
                break;
            }
        }
        int n = first < 0 ? 0 : kend - (c->first + first);
        if (n <= 0) {
            (*too_recent)++;
            continue;
        }
        int x = 0, tx = 0;
        for (int j = 1; j <= n; j++) {
            int rel = first + j;
            if (rel >= c->nw * 64)
                break;
            int has = (c->seen[rel / 64] >> (rel % 64)) & 1;
            int neg = (c->neg[rel / 64] >> (rel % 64)) & 1;
            if (has && (!neg || c->net[rel] > 0)) {
                x++;
                tx = j;
            }
        }
        memcpy(out->ids + off, c->id, c->len);
        out->id_off[k] = off;
        out->id_len[k] = (uint32_t)c->len;
        off += c->len;
        out->obs[k] = (cs_obs){x, tx, n};
        out->monetary[k] = out->x_holdout[k] = NAN;
        out->weight[k] = 1;
        k++;
    }
    out->n = k;
    for (size_t i = 0; i < m.n; i++)
        free(m.v[i].id), free(m.v[i].seen), free(m.v[i].net), free(m.v[i].neg);
    free(m.v);
    free(m.tab);
    return out;
fail:
    for (size_t i = 0; i < m.n; i++)
        free(m.v[i].id), free(m.v[i].seen), free(m.v[i].net), free(m.v[i].neg);
    free(m.v);
    free(m.tab);
    cs_customers_free(out);
    return NULL;
}
