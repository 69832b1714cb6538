/* Per-customer values at one or two dates, for pyramids and their migration. */
#include "cs-segment.h"
#include "cs-summary.h"
#include "cs-txn.h"
#include "util/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One customer: the open day (records of one day net before deciding
 * whether it was a purchase), and per date the window value and the last
 * purchase day. Logs need not be in date order for the values; the last
 * purchase is a maximum, and days are netted in a small per-customer list
 * only while a day is open. */
struct vc {
    char *id;
    size_t len;
    double value[2];
    int32_t last[2];   /* last purchase day on or before date k, INT32_MIN if none */
    int32_t day;       /* the open day, INT32_MIN if none */
    int64_t day_net;
    int day_neg;
};

struct vmap {
    struct vc *v;
    size_t n, cap, tcap;
    size_t *tab;
};

static struct vc *get(struct vmap *m, const char *id, size_t len)
{
    if (m->n * 2 >= m->tcap) {
        size_t nc = m->tcap ? m->tcap * 2 : 4096;
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
        struct vc *c = &m->v[m->tab[j] - 1];
        if (c->len == len && !memcmp(c->id, id, len))
            return c;
        j = (j + 1) & (m->tcap - 1);
    }
    if (m->n == m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 4096;
        struct vc *nv = realloc(m->v, nc * sizeof *nv);
        if (!nv)
            return NULL;
        m->v = nv;
        m->cap = nc;
    }
    struct vc *c = &m->v[m->n];
    memset(c, 0, sizeof *c);
    if (!(c->id = malloc(len + 1)))
        return NULL;
    memcpy(c->id, id, len);
    c->len = len;
    c->last[0] = c->last[1] = c->day = INT32_MIN;
    m->tab[j] = ++m->n;
    return c;
}

static void close_day(struct vc *c, const int32_t *dates, int nd)
{
    if (c->day == INT32_MIN)
        return;
    int purchase = !c->day_neg || c->day_net > 0;
    for (int k = 0; purchase && k < nd; k++)
        if (c->day <= dates[k] && c->day > c->last[k])
            c->last[k] = c->day;
    c->day = INT32_MIN;
    c->day_net = 0;
    c->day_neg = 0;
}

cs_values *cs_values2_take(cs_values2 *v, int k, cs_error *err)
{
    cs_values *o = calloc(1, sizeof *o);
    if (!o) {
        cs_values2_free(v);
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    o->n = v->n;
    o->ids = v->ids;
    o->value = v->value[k], o->days_since_last = v->days_since_last[k];
    memset(&v->ids, 0, sizeof v->ids);
    v->value[k] = v->days_since_last[k] = NULL;
    cs_values2_free(v);
    return o;
}

void cs_values2_free(cs_values2 *v)
{
    if (!v)
        return;
    cs_ids_clear(&v->ids);
    for (int k = 0; k < 2; k++) {
        free(v->value[k]);
        free(v->days_since_last[k]);
    }
    free(v);
}

cs_values2 *cs_values_at_dates(const char *const *paths, size_t npaths,
                               const cs_txn_options *txn, const cs_load_options *opt,
                               const int32_t *dates, int nd, double window, cs_error *err)
{
    struct vmap m = {0};
    cs_values2 *out = NULL;
    static const char *const stdin_only[] = {"-"};
    if (npaths == 0) {
        paths = stdin_only;
        npaths = 1;
    }
    /* CS_DAY_NONE: the last date in the data, known only at the end */
    int32_t d[2] = {dates[0], nd > 1 ? dates[1] : dates[0]}, maxday = INT32_MIN;
    for (int k = 0; k < nd; k++)
        if (d[k] == CS_DAY_NONE) {
            if (window > 0) {
                csi_fail(err, CS_EINVAL, "a window needs its end date");
                return NULL;
            }
            d[k] = INT32_MAX;
        }
    dates = d;
    int32_t last_date = dates[nd - 1] > dates[0] ? dates[nd - 1] : dates[0];
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
                int rec = rc == CS_EFORMAT || rc == CS_EDATE || rc == CS_EAMOUNT || rc == CS_EID;
                if (opt && opt->skip_bad && rec)
                    continue;
                cs_txn_reader_free(rd);
                cs_input_close(in);
                goto fail;
            }
            if (t.day > last_date)
                continue;
            if (t.day > maxday)
                maxday = t.day;
            struct vc *c = get(&m, t.id, t.id_len);
            if (!c) {
                csi_fail(err, CS_ENOMEM, "out of memory");
                cs_txn_reader_free(rd);
                cs_input_close(in);
                goto fail;
            }
            double a = (double)t.amount / CS_MICRO;
            for (int k = 0; k < nd; k++)
                if (t.day <= dates[k] && (window <= 0 || t.day > dates[k] - window))
                    c->value[k] += a;
            if (t.day != c->day) {
                /* records of a customer mostly come day after day; a day that
                 * comes back later is netted again on its own (conservative:
                 * it can only add a purchase day, never lose one) */
                close_day(c, dates, nd);
                c->day = t.day;
            }
            c->day_net += t.amount;
            c->day_neg |= t.amount < 0;
        }
        cs_txn_reader_free(rd);
        cs_input_close(in);
    }
    for (int k = 0; k < nd; k++)
        if (d[k] == INT32_MAX)
            d[k] = maxday;
    size_t kept = 0;
    for (size_t i = 0; i < m.n; i++) {
        close_day(&m.v[i], dates, nd);
        if (m.v[i].last[0] != INT32_MIN || (nd > 1 && m.v[i].last[1] != INT32_MIN))
            kept++;
    }
    if (kept == 0) {
        csi_fail(err, CS_EEMPTY, "no purchase on or before the date");
        goto fail;
    }
    out = calloc(1, sizeof *out);
    if (!out)
        goto nomem;
    for (int k = 0; k < 2; k++) {
        out->value[k] = malloc(kept * sizeof(double));
        out->days_since_last[k] = malloc(kept * sizeof(double));
    }
    if (!out->value[0] || !out->value[1] ||
        !out->days_since_last[0] || !out->days_since_last[1])
        goto nomem;
    size_t j = 0;
    for (size_t i = 0; i < m.n; i++) {
        struct vc *c = &m.v[i];
        if (c->last[0] == INT32_MIN && (nd < 2 || c->last[1] == INT32_MIN))
            continue;
        if (cs_ids_push(&out->ids, c->id, c->len) != CS_OK)
            goto nomem;
        for (int k = 0; k < 2; k++) {
            out->value[k][j] = k < nd ? c->value[k] : NAN;
            out->days_since_last[k][j] =
                k < nd && c->last[k] != INT32_MIN ? (double)(dates[k] - c->last[k]) : NAN;
        }
        j++;
    }
    out->n = kept;
    for (size_t i = 0; i < m.n; i++)
        free(m.v[i].id);
    free(m.v);
    free(m.tab);
    return out;
nomem:
    csi_fail(err, CS_ENOMEM, "out of memory");
fail:
    for (size_t i = 0; i < m.n; i++)
        free(m.v[i].id);
    free(m.v);
    free(m.tab);
    cs_values2_free(out);
    return NULL;
}
