/* Streaming per-customer aggregation. */
#include "summary/builder-internal.h"
#include "util/internal.h"

#include <stdlib.h>
#include <string.h>

int cs_unit_from_name(const char *name)
{
    if (!strcmp(name, "day") || !strcmp(name, "days"))
        return CS_UNIT_DAY;
    if (!strcmp(name, "week") || !strcmp(name, "weeks"))
        return CS_UNIT_WEEK;
    if (!strcmp(name, "month") || !strcmp(name, "months"))
        return CS_UNIT_MONTH;
    return -1;
}

const char *cs_unit_suffix(int unit)
{
    switch (unit) {
    case CS_UNIT_WEEK: return "weeks";
    case CS_UNIT_MONTH: return "months";
    default: return "days";
    }
}

void cs_unit_days(int unit, int64_t *num, int64_t *den)
{
    switch (unit) {
    case CS_UNIT_WEEK: *num = 7, *den = 1; break;
    case CS_UNIT_MONTH: *num = 1461, *den = 48; break;
    default: *num = 1, *den = 1; break;
    }
}

cs_builder *cs_builder_new(const cs_summary_options *opt, cs_error *err)
{
    if (opt->as_of != CS_DAY_NONE && opt->calibration_end != CS_DAY_NONE &&
        opt->calibration_end >= opt->as_of) {
        csi_fail(err, CS_EINVAL, "the calibration end must be before the end of observation");
        return NULL;
    }
    cs_builder *b = calloc(1, sizeof *b);
    if (!b)
        goto nomem;
    b->opt = *opt;
    b->st.min_day = b->st.max_day = CS_DAY_NONE;
    b->tcap = 1u << 16;
    b->table = calloc(b->tcap, sizeof *b->table);
    b->ids_cap = 1u << 16;
    b->ids = malloc(b->ids_cap);
    if (!b->table || !b->ids)
        goto nomem;
    return b;
nomem:
    cs_builder_free(b);
    csi_fail(err, CS_ENOMEM, "out of memory");
    return NULL;
}

void cs_builder_free(cs_builder *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->nblocks; i++)
        free(b->blocks[i]);
    free(b->blocks);
    free(b->table);
    free(b->ids);
    for (size_t i = 0; i < b->nlists; i++)
        free(b->lists[i].v);
    free(b->lists);
    free(b);
}

const cs_summary_options *cs_builder_options(const cs_builder *b)
{
    return &b->opt;
}

const cs_summary_stats *cs_builder_stats(const cs_builder *b)
{
    return &b->st;
}

size_t cs_builder_unsorted(const cs_builder *b)
{
    return (size_t)b->st.unsorted;
}

static int grow_table(cs_builder *b)
{
    size_t ncap = b->tcap * 2;
    uint64_t *nt = calloc(ncap, sizeof *nt);
    if (!nt)
        return CS_ENOMEM;
    for (size_t i = 0; i < b->tcap; i++) {
        uint64_t e = b->table[i];
        if (!e)
            continue;
        struct cust *c = cust_at(b, (uint32_t)e - 1);
        uint64_t h = csi_hash_bytes(b->ids + c->id_off, c->id_len);
        size_t j = h & (ncap - 1);
        while (nt[j])
            j = (j + 1) & (ncap - 1);
        nt[j] = e;
    }
    free(b->table);
    b->table = nt;
    b->tcap = ncap;
    return CS_OK;
}

long csi_builder_intern(cs_builder *b, const char *id, size_t len, int *created)
{
    uint64_t h = csi_hash_bytes(id, len);
    uint64_t tag = h >> 32;
    size_t mask = b->tcap - 1;
    size_t j = h & mask;
    for (;;) {
        uint64_t e = b->table[j];
        if (!e)
            break;
        if ((e >> 32) == tag) {
            struct cust *c = cust_at(b, (uint32_t)e - 1);
            if (c->id_len == len && memcmp(b->ids + c->id_off, id, len) == 0) {
                *created = 0;
                return (long)((uint32_t)e - 1);
            }
        }
        j = (j + 1) & mask;
    }
    if (b->ncust >= UINT32_MAX - 1)
        return CS_ENOMEM;
    /* new customer */
    if ((b->ncust & (CUST_BLOCK - 1)) == 0) {
        size_t bi = b->ncust >> CUST_BLOCK_BITS;
        if (bi >= b->nblocks) {
            struct cust **nb = realloc(b->blocks, (b->nblocks + 1) * sizeof *nb);
            if (!nb)
                return CS_ENOMEM;
            b->blocks = nb;
            b->blocks[b->nblocks] = malloc(CUST_BLOCK * sizeof(struct cust));
            if (!b->blocks[b->nblocks])
                return CS_ENOMEM;
            b->nblocks++;
        }
    }
    if (b->ids_len + len > b->ids_cap) {
        size_t ncap = b->ids_cap * 2;
        while (ncap < b->ids_len + len)
            ncap *= 2;
        char *ni = realloc(b->ids, ncap);
        if (!ni)
            return CS_ENOMEM;
        b->ids = ni;
        b->ids_cap = ncap;
    }
    size_t idx = b->ncust++;
    struct cust *c = cust_at(b, idx);
    memset(c, 0, sizeof *c);
    c->id_off = b->ids_len;
    c->id_len = (uint32_t)len;
    c->pfirst = c->plast = c->dfirst = c->dlast = CS_DAY_NONE;
    memcpy(b->ids + b->ids_len, id, len);
    b->ids_len += len;
    b->table[j] = (tag << 32) | (uint64_t)(idx + 1);
    b->st.customers_seen++;
    *created = 1;
    if (b->ncust * 2 > b->tcap && grow_table(b) != CS_OK)
        return CS_ENOMEM;
    return (long)idx;
}

static int in_calibration(const cs_builder *b, cs_day day)
{
    return b->opt.calibration_end == CS_DAY_NONE || day <= b->opt.calibration_end;
}

void csi_builder_close_day(cs_builder *b, struct cust *c, cs_day day, int64_t val, int neg)
{
    int purchase = b->opt.returns == CS_RETURNS_KEEP || !neg || val > 0;
    if (!purchase) {
        b->st.cancelled_days++;
        return;
    }
    if (in_calibration(b, day)) {
        c->pdays++;
        if (c->pfirst == CS_DAY_NONE || day < c->pfirst) {
            c->pfirst = day;
            c->pfirst_val = val;
        }
        if (c->plast == CS_DAY_NONE || day > c->plast)
            c->plast = day;
        c->psum += val;
    } else {
        c->hold_days++;
    }
}

static int overflow(cs_builder *b, const struct cust *c, cs_error *err)
{
    char ex[128];
    csi_excerpt(ex, sizeof ex, b->ids + c->id_off, c->id_len);
    return csi_fail(err, CS_EAMOUNT, "the amounts of customer '%s' add up to more than %.0f",
                   ex, 9.2e12);
}

/* The per-record step, shared by the first reading and the replay. */
static int apply(cs_builder *b, struct cust *c, cs_day day, int64_t amount, cs_error *err)
{
    int neg = amount < 0;
    if (in_calibration(b, day)) {
        c->records++;
        if (__builtin_add_overflow(c->value, amount, &c->value))
            return overflow(b, c, err);
    } else {
        c->hold_records++;
        if (__builtin_add_overflow(c->hold_value, amount, &c->hold_value))
            return overflow(b, c, err);
    }
    if (c->dfirst == CS_DAY_NONE || day < c->dfirst)
        c->dfirst = day;
    if (c->dlast == CS_DAY_NONE || day > c->dlast)
        c->dlast = day;
    if (!(c->flags & F_HAS_L)) {
        c->flags |= F_HAS_L | (neg ? F_L_NEG : 0);
        c->l_day = day;
        c->l_val = amount;
    } else if (day == c->l_day) {
        if (__builtin_add_overflow(c->l_val, amount, &c->l_val))
            return overflow(b, c, err);
        if (neg)
            c->flags |= F_L_NEG;
    } else if (day > c->l_day) {
        csi_builder_close_day(b, c, c->l_day, c->l_val, (c->flags & F_L_NEG) != 0);
        c->flags &= ~F_L_NEG;
        c->flags |= neg ? F_L_NEG : 0;
        c->l_day = day;
        c->l_val = amount;
    } else {
        c->flags |= F_UNSORTED;
        b->st.unsorted++;
    }
    return CS_OK;
}

int cs_builder_add(cs_builder *b, const cs_txn *t, cs_error *err)
{
    if (b->replaying) {
        /* second reading: only the customers that came out of order */
        if (b->opt.as_of != CS_DAY_NONE && t->day > b->opt.as_of)
            return CS_OK;
        if (t->amount < 0 && b->opt.returns == CS_RETURNS_DROP)
            return CS_OK;
        int created;
        long i = csi_builder_intern(b, t->id, t->id_len, &created);
        if (i < 0)
            return csi_fail(err, CS_ENOMEM, "out of memory");
        struct cust *c = cust_at(b, (size_t)i);
        if (created || !(c->flags & F_REPLAY))
            return CS_OK; /* a new id now means the input changed; ignore */
        struct replay_list *l = &b->lists[c->replay - 1];
        if (l->n == l->cap) {
            size_t ncap = l->cap ? l->cap * 2 : 8;
            struct day_rec *nv = realloc(l->v, ncap * sizeof *nv);
            if (!nv)
                return csi_fail(err, CS_ENOMEM, "out of memory");
            l->v = nv;
            l->cap = ncap;
        }
        l->v[l->n].day = t->day;
        l->v[l->n].amount = t->amount;
        l->n++;
        return CS_OK;
    }
    b->st.records++;
    if (b->opt.as_of != CS_DAY_NONE && t->day > b->opt.as_of) {
        b->st.after_as_of++;
        return CS_OK;
    }
    if (t->amount < 0) {
        b->st.negative++;
        if (b->opt.returns == CS_RETURNS_DROP) {
            b->st.dropped_returns++;
            return CS_OK;
        }
    }
    if (b->st.min_day == CS_DAY_NONE || t->day < b->st.min_day)
        b->st.min_day = t->day;
    if (b->st.max_day == CS_DAY_NONE || t->day > b->st.max_day)
        b->st.max_day = t->day;
    int created;
    long i = csi_builder_intern(b, t->id, t->id_len, &created);
    if (i < 0)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    struct cust *c = cust_at(b, (size_t)i);
    if (c->flags & F_UNSORTED)
        return CS_OK;
    return apply(b, c, t->day, t->amount, err);
}

int cs_builder_replay_begin(cs_builder *b, cs_error *err)
{
    size_t n = (size_t)b->st.unsorted;
    if (n == 0)
        return CS_OK;
    b->lists = calloc(n, sizeof *b->lists);
    if (!b->lists)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    for (size_t i = 0; i < b->ncust; i++) {
        struct cust *c = cust_at(b, i);
        if (!(c->flags & F_UNSORTED))
            continue;
        /* start this customer again from nothing */
        uint64_t off = c->id_off;
        uint32_t len = c->id_len;
        memset(c, 0, sizeof *c);
        c->id_off = off;
        c->id_len = len;
        c->pfirst = c->plast = c->dfirst = c->dlast = CS_DAY_NONE;
        c->flags = F_REPLAY;
        c->replay = (uint32_t)++b->nlists;
    }
    b->replaying = 1;
    return CS_OK;
}

static int cmp_day(const void *a, const void *b)
{
    const struct day_rec *x = a, *y = b;
    return (x->day > y->day) - (x->day < y->day);
}

static int finish_replay(cs_builder *b, cs_error *err)
{
    for (size_t i = 0; i < b->ncust; i++) {
        struct cust *c = cust_at(b, i);
        if (!(c->flags & F_REPLAY))
            continue;
        struct replay_list *l = &b->lists[c->replay - 1];
        /* amounts are exact integers, so the order within a day is moot */
        qsort(l->v, l->n, sizeof *l->v, cmp_day);
        c->flags &= ~F_REPLAY;
        for (size_t k = 0; k < l->n; k++) {
            int rc = apply(b, c, l->v[k].day, l->v[k].amount, err);
            if (rc != CS_OK)
                return rc;
        }
        free(l->v);
        l->v = NULL;
    }
    b->replaying = 0;
    return CS_OK;
}

int csi_builder_settle(cs_builder *b, cs_error *err)
{
    if (b->replaying) {
        int rc = finish_replay(b, err);
        if (rc != CS_OK)
            return rc;
    }
    for (size_t i = 0; i < b->ncust; i++) {
        struct cust *c = cust_at(b, i);
        if (c->flags & F_HAS_L) {
            csi_builder_close_day(b, c, c->l_day, c->l_val, (c->flags & F_L_NEG) != 0);
            c->flags &= ~(F_HAS_L | F_L_NEG);
        }
    }
    return CS_OK;
}

struct sort_key {
    uint64_t prefix; /* the id's first 8 bytes, big-endian: most comparisons end here */
    uint32_t idx;
};


static uint64_t id_prefix(const char *s, size_t n)
{
    uint64_t p = 0;
    for (size_t i = 0; i < 8; i++)
        p = (p << 8) | (i < n ? (unsigned char)s[i] : 0);
    return p;
}

static int cmp_ids(const cs_builder *b, uint32_t x, uint32_t y)
{
    const struct cust *a = cust_at(b, x), *c = cust_at(b, y);
    size_t n = a->id_len < c->id_len ? a->id_len : c->id_len;
    int r = memcmp(b->ids + a->id_off, b->ids + c->id_off, n);
    if (r)
        return r;
    return (a->id_len > c->id_len) - (a->id_len < c->id_len);
}

/* Merge sort over the keys: qsort has no context argument in C17. */
static void msort(const cs_builder *b, struct sort_key *v, struct sort_key *tmp, size_t n)
{
    if (n < 2)
        return;
    if (n <= 16) {
        for (size_t i = 1; i < n; i++) {
            struct sort_key k = v[i];
            size_t j = i;
            while (j > 0 && (v[j - 1].prefix > k.prefix ||
                             (v[j - 1].prefix == k.prefix && cmp_ids(b, v[j - 1].idx, k.idx) > 0))) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = k;
        }
        return;
    }
    size_t h = n / 2;
    msort(b, v, tmp, h);
    msort(b, v + h, tmp, n - h);
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n) {
        int le = v[i].prefix < v[j].prefix ||
                 (v[i].prefix == v[j].prefix && cmp_ids(b, v[i].idx, v[j].idx) <= 0);
        tmp[o++] = le ? v[i++] : v[j++];
    }
    while (i < h)
        tmp[o++] = v[i++];
    while (j < n)
        tmp[o++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

uint32_t *csi_builder_sorted(const cs_builder *b)
{
    struct sort_key *keys = malloc((b->ncust + 1) * sizeof *keys);
    struct sort_key *tmp = malloc((b->ncust + 1) * sizeof *tmp);
    uint32_t *out = malloc((b->ncust + 1) * sizeof *out);
    if (!keys || !tmp || !out) {
        free(keys);
        free(tmp);
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < b->ncust; i++) {
        const struct cust *c = cust_at(b, i);
        keys[i].prefix = id_prefix(b->ids + c->id_off, c->id_len);
        keys[i].idx = (uint32_t)i;
    }
    msort(b, keys, tmp, b->ncust);
    for (size_t i = 0; i < b->ncust; i++)
        out[i] = keys[i].idx;
    free(keys);
    free(tmp);
    return out;
}

struct summary_store {
    char *ids;
};

void cs_summary_free(cs_summary *s)
{
    if (!s)
        return;
    struct summary_store *st = s->priv_;
    if (st)
        free(st->ids);
    free(st);
    free(s->rows);
    free(s);
}

cs_summary *cs_builder_finish(cs_builder *b, cs_error *err)
{
    cs_summary *s = NULL;
    uint32_t *order = NULL;
    if (csi_builder_settle(b, err) != CS_OK)
        goto fail;
    cs_day as_of = b->opt.as_of != CS_DAY_NONE ? b->opt.as_of : b->st.max_day;
    if (b->st.max_day == CS_DAY_NONE) {
        csi_fail(err, CS_EEMPTY, b->st.records ? "no record on or before the end of observation"
                                              : "no records");
        goto fail;
    }
    if (b->opt.calibration_end != CS_DAY_NONE && b->opt.calibration_end >= as_of) {
        char d1[11], d2[11];
        cs_day_format(b->opt.calibration_end, d1);
        cs_day_format(as_of, d2);
        csi_fail(err, CS_EINVAL,
                "the calibration end %s is not before the end of observation %s (the last date "
                "in the data, unless --as-of says otherwise)",
                d1, d2);
        goto fail;
    }
    s = calloc(1, sizeof *s);
    struct summary_store *store = calloc(1, sizeof *store);
    if (!s || !store) {
        free(store);
        goto nomem;
    }
    s->priv_ = store;
    s->as_of = as_of;
    s->calibration_end = b->opt.calibration_end;
    s->has_amount = b->opt.has_amount;
    s->returns = b->opt.returns;
    order = csi_builder_sorted(b);
    s->rows = malloc((b->ncust + 1) * sizeof *s->rows);
    if (!order || !s->rows)
        goto nomem;
    /* the summary takes the id storage over */
    store->ids = b->ids;
    b->ids = NULL;
    size_t n = 0;
    for (size_t k = 0; k < b->ncust; k++) {
        const struct cust *c = cust_at(b, order[k]);
        if (c->pdays == 0) {
            if (c->hold_days > 0)
                b->st.holdout_only++;
            else
                b->st.no_purchase++;
            continue;
        }
        cs_summary_row *r = &s->rows[n++];
        r->id = store->ids + c->id_off;
        r->id_len = c->id_len;
        r->first = c->pfirst;
        r->last = c->plast;
        r->transactions = c->records;
        r->purchase_days = c->pdays;
        r->total_value = c->value;
        r->repeat_value = c->psum - c->pfirst_val;
        r->holdout_days = c->hold_days;
        r->holdout_transactions = c->hold_records;
        r->holdout_value = c->hold_value;
    }
    s->n = n;
    s->stats = b->st;
    free(order);
    cs_builder_free(b);
    if (n == 0) {
        csi_fail(err, CS_EEMPTY, "no customer has a purchase day in the period summarised");
        cs_summary_free(s);
        return NULL;
    }
    return s;
nomem:
    csi_fail(err, CS_ENOMEM, "out of memory");
fail:
    free(order);
    cs_summary_free(s);
    cs_builder_free(b);
    return NULL;
}
