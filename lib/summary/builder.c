/* Streaming per-customer aggregation, sharded by id hash. */
#include "summary/builder-internal.h"
#include "util/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cs_builder *cs_builder_new(const cs_summary_options *opt, cs_error *err)
{
    if (opt->as_of != CS_DAY_NONE && opt->calibration_end != CS_DAY_NONE &&
        opt->calibration_end >= opt->as_of) {
        csi_fail(err, CS_EINVAL, "the calibration end must be before the end of observation");
        return NULL;
    }
    cs_builder *b = aligned_alloc(64, (sizeof *b + 63) & ~(size_t)63);
    if (!b)
        goto nomem;
    memset(b, 0, sizeof *b);
    b->opt = *opt;
    b->nshards = opt->threads > 1 ? opt->threads : 1;
    if (b->nshards > CS_MAX_SHARDS)
        b->nshards = CS_MAX_SHARDS;
    b->opt.threads = b->nshards;
    b->st.min_day = b->st.max_day = CS_DAY_NONE;
    b->value_from = CS_DAY_NONE;
    for (int i = 0; i < b->nshards; i++) {
        struct shard *s = &b->sh[i];
        s->stride = CUST_BYTES(0);
        s->tcap = 1u << 12;
        s->table = calloc(s->tcap, sizeof *s->table);
        s->ids_cap = 1u << 12;
        s->ids = malloc(s->ids_cap);
        if (!s->table || !s->ids)
            goto nomem;
    }
    return b;
nomem:
    cs_builder_free(b);
    csi_fail(err, CS_ENOMEM, "out of memory");
    return NULL;
}

static void shard_free(struct shard *s)
{
    for (size_t i = 0; s->pmore && i < s->ncust; i++)
        free(pset_at(s, i)->more);
    for (size_t i = 0; i < s->nblocks; i++)
        free(s->blocks[i]);
    free(s->blocks);
    free(s->table);
    free(s->ids);
    for (size_t i = 0; i < s->nlists; i++)
        free(s->lists[i].v);
    free(s->lists);
    free(s->rdays);
    free(s->pmap);
    csi_day_lists_free(s);
    memset(s, 0, sizeof *s);
}

void cs_builder_free(cs_builder *b)
{
    if (!b)
        return;
    for (int i = 0; i < CS_MAX_SHARDS; i++)
        shard_free(&b->sh[i]);
    free(b->pst);
    free(b);
}

const cs_summary_options *cs_builder_options(const cs_builder *b)
{
    return &b->opt;
}

void csi_builder_stats_sync(cs_builder *b)
{
    b->st.customers_seen = b->st.cancelled_days = b->st.unsorted = b->st.netted_days = 0;
    b->st.cancelled_value = b->st.netted_value = 0;
    for (int i = 0; i < b->nshards; i++) {
        b->st.customers_seen += b->sh[i].ncust;
        b->st.cancelled_days += b->sh[i].cancelled_days;
        b->st.cancelled_value += b->sh[i].cancelled_value;
        b->st.netted_days += b->sh[i].netted_days;
        b->st.netted_value += b->sh[i].netted_value;
        b->st.unsorted += b->sh[i].unsorted;
    }
}

const cs_summary_stats *cs_builder_stats(const cs_builder *b)
{
    csi_builder_stats_sync((cs_builder *)b);
    return &b->st;
}

size_t cs_builder_unsorted(const cs_builder *b)
{
    size_t n = 0;
    for (int i = 0; i < b->nshards; i++)
        n += b->sh[i].unsorted;
    return n;
}

static uint64_t load8(const char *id, size_t len)
{
    uint64_t v = 0;
    memcpy(&v, id, len < 8 ? len : 8);
    return v;
}

static int grow_table(struct shard *s)
{
    size_t ncap = s->tcap * 2;
    struct slot *nt = csi_big_alloc(ncap * sizeof *nt, 1);
    if (!nt)
        return CS_ENOMEM;
    for (size_t i = 0; i < s->tcap; i++) {
        if (!s->table[i].idx)
            continue;
        const struct cust *c = cust_at(s, s->table[i].idx - 1);
        uint64_t h = csi_hash_bytes(cust_id(s, c), c->id_len);
        size_t j = h & (ncap - 1);
        while (nt[j].idx)
            j = (j + 1) & (ncap - 1);
        nt[j] = s->table[i];
    }
    free(s->table);
    s->table = nt;
    s->tcap = ncap;
    return CS_OK;
}

long csi_builder_intern(cs_builder *b, int si, uint64_t h, const char *id, size_t len,
                        int *created)
{
    struct shard *s = &b->sh[si];
    uint32_t tl = (uint32_t)(h >> 40) << 8 | (uint32_t)(len < 255 ? len : 255);
    uint64_t w = load8(id, len);
    size_t mask = s->tcap - 1;
    size_t j = h & mask;
    for (;;) {
        const struct slot *e = &s->table[j];
        if (!e->idx)
            break;
        if (e->tag_len == tl && e->id8 == w) {
            if (len <= 8) {
                *created = 0;
                return (long)(e->idx - 1);
            }
            const struct cust *c = cust_at(s, e->idx - 1);
            if (c->id_len == len && memcmp(s->ids + c->id_off + 8, id + 8, len - 8) == 0) {
                *created = 0;
                return (long)(e->idx - 1);
            }
        }
        j = (j + 1) & mask;
    }
    if (s->ncust >= UINT32_MAX - 1 || len >= (1u << 24))
        return CS_ENOMEM;
    if ((s->ncust & (CUST_BLOCK - 1)) == 0 && (s->ncust >> CUST_BLOCK_BITS) >= s->nblocks) {
        struct cust **nb = realloc(s->blocks, (s->nblocks + 1) * sizeof *nb);
        if (!nb)
            return CS_ENOMEM;
        s->blocks = nb;
        s->blocks[s->nblocks] = csi_big_alloc(CUST_BLOCK * s->stride, 0);
        if (!s->blocks[s->nblocks])
            return CS_ENOMEM;
        s->nblocks++;
    }
    uint64_t off = 0;
    if (len > 8) {
        if (s->ids_len + len > s->ids_cap) {
            size_t ncap = s->ids_cap * 2;
            while (ncap < s->ids_len + len)
                ncap *= 2;
            char *ni = realloc(s->ids, ncap);
            if (!ni)
                return CS_ENOMEM;
            s->ids = ni;
            s->ids_cap = ncap;
        }
        off = s->ids_len;
        memcpy(s->ids + s->ids_len, id, len);
        s->ids_len += len;
        if (s->ids_len >= (1ULL << 40))
            return CS_ENOMEM;
    }
    size_t idx = s->ncust++;
    struct cust *c = cust_at(s, idx);
    memset(c, 0, s->stride);
    c->id8 = w;
    c->id_off = off;
    c->id_len = len;
    c->pfirst = c->plast = c->dfirst = c->dlast = c->pnth = CS_DAY_NONE;
    s->table[j].id8 = w;
    s->table[j].idx = (uint32_t)(idx + 1);
    s->table[j].tag_len = tl;
    *created = 1;
    /* at most 3/4 full: slots are 16 bytes, four to a cache line, so a
     * probe sequence stays short and cheap, and memory stays near 25-50
     * bytes per customer */
    if (s->ncust * 4 > s->tcap * 3 && grow_table(s) != CS_OK)
        return CS_ENOMEM;
    return (long)idx;
}

int cs_builder_track_nth(cs_builder *b, int n, cs_error *err)
{
    if (n < 1)
        return csi_fail(err, CS_EINVAL, "the purchase day to keep must be 1 or later: %d", n);
    if (b->st.records || b->sh[0].ncust)
        return csi_fail(err, CS_EINVAL, "the n-th day must be tracked before records are added");
    b->track_nth = (uint32_t)n;
    return CS_OK;
}

static int in_calibration(const cs_builder *b, cs_day day)
{
    return b->opt.calibration_end == CS_DAY_NONE || day <= b->opt.calibration_end;
}

int cs_builder_value_from(cs_builder *b, cs_day day, cs_error *err)
{
    if (b->st.records || b->sh[0].ncust)
        return csi_fail(err, CS_EINVAL, "the value window must be set before records are added");
    b->value_from = day;
    return CS_OK;
}

void csi_builder_track_periods(cs_builder *b, int period)
{
    b->track_periods = 1;
    b->period = period;
    for (int i = 0; i < CS_MAX_SHARDS; i++)
        b->sh[i].stride = CUST_BYTES(1);
}

/* The period of day, from the shard's map of days to periods (grown a year
 * beyond the day asked for on either side; cs_period_of where it cannot
 * grow). */
static int period_of(const cs_builder *b, struct shard *s, cs_day day)
{
    if (s->pmap && day >= s->pmap_lo && day - s->pmap_lo < s->pmap_n)
        return s->pmap[day - s->pmap_lo];
    cs_day lo = day - 366, hi = day + 366;
    if (s->pmap) {
        lo = lo < s->pmap_lo ? lo : s->pmap_lo;
        hi = hi > s->pmap_lo + s->pmap_n ? hi : s->pmap_lo + s->pmap_n;
    }
    int32_t *m = hi - lo < (1 << 20) ? malloc((size_t)(hi - lo) * sizeof *m) : NULL;
    if (!m)
        return cs_period_of(day, b->period);
    for (cs_day d = lo; d < hi; d++)
        m[d - lo] = cs_period_of(d, b->period);
    free(s->pmap);
    s->pmap = m;
    s->pmap_lo = lo;
    s->pmap_n = (int)(hi - lo);
    return m[day - lo];
}

/* Marks the period of a purchase day; a customer's days close in date
 * order. */
static int pset_mark(cs_builder *b, struct shard *s, struct cust *c, size_t idx, cs_day day)
{
    int k = period_of(b, s, day);
    struct pset *p = pset_at(s, idx);
    if (!(c->flags & F_PSET)) {
        c->flags |= F_PSET;
        p->w = 1;
        p->first = k;
        p->nmore = 0;
        p->more = NULL;
        return CS_OK;
    }
    int rel = k - p->first; /* >= 0: days close in date order */
    if (rel < 64) {
        p->w |= 1ULL << rel;
        return CS_OK;
    }
    int word = (rel - 64) / 64;
    if (word >= p->nmore) {
        int nw = word + 1 > 2 * p->nmore ? word + 1 : 2 * p->nmore;
        uint64_t *nm = realloc(p->more, (size_t)nw * sizeof *nm);
        if (!nm)
            return CS_ENOMEM;
        s->pmore += p->more == NULL;
        memset(nm + p->nmore, 0, (size_t)(nw - p->nmore) * sizeof *nm);
        p->more = nm;
        p->nmore = nw;
    }
    p->more[word] |= 1ULL << ((rel - 64) % 64);
    return CS_OK;
}

/* One more repeat purchase day on day (tracking days): the shard's counts
 * grow to cover it. */
static int count_day(struct shard *s, cs_day day)
{
    if (!s->rdays || day < s->rdays_lo || day >= s->rdays_lo + s->rdays_n) {
        cs_day lo = s->rdays ? (day < s->rdays_lo ? day : s->rdays_lo) : day;
        cs_day hi = s->rdays ? (day >= s->rdays_lo + s->rdays_n ? day + 1 : s->rdays_lo + s->rdays_n)
                             : day + 1;
        /* room ahead, so a log in date order grows the array rarely */
        int n = (int)(hi - lo) + 366;
        uint32_t *v = calloc((size_t)n, sizeof *v);
        if (!v)
            return CS_ENOMEM;
        if (s->rdays)
            memcpy(v + (s->rdays_lo - lo), s->rdays, (size_t)s->rdays_n * sizeof *v);
        free(s->rdays);
        s->rdays = v;
        s->rdays_lo = lo;
        s->rdays_n = n;
    }
    s->rdays[day - s->rdays_lo]++;
    return CS_OK;
}

int csi_builder_close_day(cs_builder *b, struct shard *s, struct cust *c, size_t idx,
                          cs_day day, int64_t val, int neg)
{
    int purchase = b->opt.returns == CS_RETURNS_KEEP || !neg || val > 0;
    if (!purchase) {
        if (b->opt.returns == CS_RETURNS_NET_CUSTOMER && c->pdays > 0 && in_calibration(b, day)) {
            /* days close in date order: plast is the most recent earlier
             * purchase day, and psum holds its value */
            c->psum += val;
            if (c->pdays == 1)
                c->pfirst_val += val;
            s->netted_days++;
            s->netted_value += val;
            return CS_OK;
        }
        s->cancelled_days++;
        s->cancelled_value += val;
        return CS_OK;
    }
    if (b->track_periods && pset_mark(b, s, c, idx, day) != CS_OK)
        return CS_ENOMEM;
    /* a repeat day of a customer with a calibration purchase day (days close
     * in date order, so pdays counts the earlier ones) */
    if (b->track_days && c->pdays > 0 && !(c->flags & F_UNSORTED) && count_day(s, day) != CS_OK)
        return CS_ENOMEM;
    if (in_calibration(b, day)) {
        c->pdays++;
        if (c->pdays == b->track_nth) /* days close in date order */
            c->pnth = day;
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
    return CS_OK;
}

static int overflow(const struct shard *s, const struct cust *c, cs_error *err)
{
    char ex[128];
    csi_excerpt(ex, sizeof ex, cust_id(s, c), c->id_len);
    return csi_fail(err, CS_EAMOUNT, "the amounts of customer '%s' add up to more than %.0f",
                    ex, 9.2e12);
}

/* The per-record step, shared by the first reading and the replay. */
static int apply(cs_builder *b, struct shard *s, struct cust *c, size_t idx, cs_day day,
                 int64_t amount, cs_error *err)
{
    int neg = amount < 0;
    if (in_calibration(b, day)) {
        c->records++;
        if (day >= b->value_from && __builtin_add_overflow(c->value, amount, &c->value))
            return overflow(s, c, err);
    } else {
        c->hold_records++;
        if (__builtin_add_overflow(c->hold_value, amount, &c->hold_value))
            return overflow(s, c, err);
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
            return overflow(s, c, err);
        if (neg)
            c->flags |= F_L_NEG;
    } else if (day > c->l_day) {
        if (csi_builder_close_day(b, s, c, idx, c->l_day, c->l_val, (c->flags & F_L_NEG) != 0) !=
            CS_OK)
            return csi_fail(err, CS_ENOMEM, "out of memory");
        c->flags &= ~F_L_NEG;
        c->flags |= neg ? F_L_NEG : 0;
        c->l_day = day;
        c->l_val = amount;
    } else {
        c->flags |= F_UNSORTED;
        s->unsorted++;
    }
    return CS_OK;
}

static int replay_collect(struct shard *s, struct cust *c, const struct txn_entry *e,
                          cs_error *err)
{
    if (!(c->flags & F_REPLAY))
        return CS_OK;
    struct replay_list *l = &s->lists[c->replay - 1];
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 8;
        struct day_rec *nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv)
            return csi_fail(err, CS_ENOMEM, "out of memory");
        l->v = nv;
        l->cap = ncap;
    }
    l->v[l->n].day = e->day;
    l->v[l->n].amount = e->amount;
    l->n++;
    return CS_OK;
}

int csi_builder_admit(cs_builder *b, const cs_txn *t)
{
    if (b->replaying) /* counted on the first reading */
        return (b->opt.as_of == CS_DAY_NONE || t->day <= b->opt.as_of) &&
               !(t->amount < 0 && b->opt.returns == CS_RETURNS_DROP);
    /* a partition map counts per partition too (the reading thread's) */
    struct part_stats none = {0}, *ps =
        b->pst ? &b->pst[cs_partition_of(t->id, t->id_len, b->nparts)] : &none;
    b->st.records++;
    ps->records++;
    if (b->opt.as_of != CS_DAY_NONE && t->day > b->opt.as_of) {
        b->st.after_as_of++;
        ps->after_as_of++;
        return 0;
    }
    if (t->amount < 0) {
        b->st.negative++;
        ps->negative++;
        if (b->opt.returns == CS_RETURNS_DROP) {
            b->st.dropped_returns++;
            ps->dropped_returns++;
            return 0;
        }
    }
    if (b->st.min_day == CS_DAY_NONE || t->day < b->st.min_day)
        b->st.min_day = t->day;
    if (b->st.max_day == CS_DAY_NONE || t->day > b->st.max_day)
        b->st.max_day = t->day;
    return 1;
}

/* The lookahead of the software pipeline: while record i is applied, the
 * customer of record i + AHEAD is looked up and its state prefetched, and the
 * table slot of record i + 2 * AHEAD is prefetched. Memory latency, not
 * arithmetic, is what this loop waits for. */
#define AHEAD 8

int csi_shard_apply(cs_builder *b, int si, const struct txn_entry *e, size_t n, cs_error *err)
{
    struct shard *s = &b->sh[si];
    uint32_t idx[2 * AHEAD];
    for (size_t i = 0; i < n && i < 2 * AHEAD; i++)
        __builtin_prefetch(&s->table[e[i].hash & (s->tcap - 1)]);
    for (size_t i = 0; i < n + AHEAD; i++) {
        if (i < n) {
            if (i + 2 * AHEAD < n)
                __builtin_prefetch(&s->table[e[i + 2 * AHEAD].hash & (s->tcap - 1)]);
            int created;
            long x = csi_builder_intern(b, si, e[i].hash, e[i].id, e[i].id_len, &created);
            if (x < 0)
                return csi_fail(err, CS_ENOMEM, "out of memory");
            idx[i % (2 * AHEAD)] = (uint32_t)x;
            const char *cp = (const char *)cust_at(s, (size_t)x);
            __builtin_prefetch(cp, 1);
            __builtin_prefetch(cp + s->stride - 1, 1);
        }
        if (i >= AHEAD) {
            size_t k = i - AHEAD;
            size_t ci = idx[k % (2 * AHEAD)];
            struct cust *c = cust_at(s, ci);
            int rc;
            if (b->collect)
                rc = csi_collect(b, s, ci, e[k].day, 1, e[k].amount < 0, e[k].amount, err);
            else if (b->replaying)
                rc = replay_collect(s, c, &e[k], err);
            else if (c->flags & F_UNSORTED)
                rc = CS_OK;
            else
                rc = apply(b, s, c, ci, e[k].day, e[k].amount, err);
            if (rc != CS_OK)
                return rc;
        }
    }
    return CS_OK;
}

int cs_builder_add(cs_builder *b, const cs_txn *t, cs_error *err)
{
    if (!csi_builder_admit(b, t))
        return CS_OK;
    struct txn_entry e = {.hash = csi_hash_bytes(t->id, t->id_len),
                          .id = t->id,
                          .id_len = (uint32_t)t->id_len,
                          .day = t->day,
                          .amount = t->amount};
    if (t->id_len >= (1u << 24))
        return csi_fail(err, CS_EID, "customer id too long");
    return csi_shard_apply(b, shard_of(b, e.hash), &e, 1, err);
}

int cs_builder_replay_begin(cs_builder *b, cs_error *err)
{
    if (cs_builder_unsorted(b) == 0)
        return CS_OK;
    for (int si = 0; si < b->nshards; si++) {
        struct shard *s = &b->sh[si];
        if (!s->unsorted)
            continue;
        s->lists = calloc(s->unsorted, sizeof *s->lists);
        if (!s->lists)
            return csi_fail(err, CS_ENOMEM, "out of memory");
        for (size_t i = 0; i < s->ncust; i++) {
            struct cust *c = cust_at(s, i);
            if (!(c->flags & F_UNSORTED))
                continue;
            /* start this customer again from nothing */
            struct cust keep;
            memcpy(&keep, c, s->stride);
            memset(c, 0, s->stride);
            c->id8 = keep.id8;
            c->id_off = keep.id_off;
            c->id_len = keep.id_len;
            c->pfirst = c->plast = c->dfirst = c->dlast = c->pnth = CS_DAY_NONE;
            c->flags = F_REPLAY;
            c->replay = (uint32_t)++s->nlists;
            if (b->track_periods)
                free(keep.ps.more); /* the replay marks its periods afresh */
        }
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
    for (int si = 0; si < b->nshards; si++) {
        struct shard *s = &b->sh[si];
        for (size_t i = 0; s->nlists && i < s->ncust; i++) {
            struct cust *c = cust_at(s, i);
            if (!(c->flags & F_REPLAY))
                continue;
            struct replay_list *l = &s->lists[c->replay - 1];
            /* amounts are exact integers, so the order within a day is moot */
            qsort(l->v, l->n, sizeof *l->v, cmp_day);
            c->flags &= ~F_REPLAY;
            for (size_t k = 0; k < l->n; k++) {
                int rc = apply(b, s, c, i, l->v[k].day, l->v[k].amount, err);
                if (rc != CS_OK)
                    return rc;
            }
            free(l->v);
            l->v = NULL;
        }
    }
    b->replaying = 0;
    return CS_OK;
}

int csi_builder_settle(cs_builder *b, cs_error *err)
{
    if (b->collect == COLLECT_MAP)
        return csi_fail(err, CS_EINVAL, "a partitioning builder writes partition files only");
    if (b->collect == COLLECT_MERGE) {
        int rc = csi_partition_fold(b, err);
        if (rc != CS_OK)
            return rc;
    }
    if (b->replaying) {
        int rc = finish_replay(b, err);
        if (rc != CS_OK)
            return rc;
    }
    for (int si = 0; si < b->nshards; si++) {
        struct shard *s = &b->sh[si];
        for (size_t i = 0; i < s->ncust; i++) {
            struct cust *c = cust_at(s, i);
            if (c->flags & F_HAS_L) {
                if (csi_builder_close_day(b, s, c, i, c->l_day, c->l_val,
                                          (c->flags & F_L_NEG) != 0) != CS_OK)
                    return csi_fail(err, CS_ENOMEM, "out of memory");
                c->flags &= ~(F_HAS_L | F_L_NEG);
            }
        }
    }
    csi_builder_stats_sync(b);
    return CS_OK;
}

struct sort_key {
    uint64_t prefix; /* the id's first 8 bytes, big-endian: most comparisons end here */
    uint64_t ref;    /* shard << 32 | index */
};

static int cmp_ids(const cs_builder *b, uint64_t x, uint64_t y)
{
    const struct cust *a = ref_cust(b, x), *c = ref_cust(b, y);
    const char *ia = cust_id(&b->sh[x >> 32], a), *ic = cust_id(&b->sh[y >> 32], c);
    size_t n = a->id_len < c->id_len ? a->id_len : c->id_len;
    int r = memcmp(ia, ic, n);
    if (r)
        return r;
    return (a->id_len > c->id_len) - (a->id_len < c->id_len);
}

static int key_le(const cs_builder *b, const struct sort_key *x, const struct sort_key *y)
{
    return x->prefix < y->prefix || (x->prefix == y->prefix && cmp_ids(b, x->ref, y->ref) <= 0);
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
            while (j > 0 && !key_le(b, &v[j - 1], &k)) {
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
    if (key_le(b, &v[h - 1], &v[h]))
        return; /* already in order: common when ids come sorted */
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n)
        tmp[o++] = key_le(b, &v[i], &v[j]) ? v[i++] : v[j++];
    while (i < h)
        tmp[o++] = v[i++];
    while (j < n)
        tmp[o++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

uint64_t *csi_builder_sorted(const cs_builder *b, size_t *np)
{
    size_t n = 0;
    for (int si = 0; si < b->nshards; si++)
        n += b->sh[si].ncust;
    struct sort_key *keys = csi_big_alloc((n + 1) * sizeof *keys, 0);
    struct sort_key *tmp = csi_big_alloc((n + 1) * sizeof *tmp, 0);
    if (!keys || !tmp) {
        free(keys);
        free(tmp);
        return NULL;
    }
    size_t k = 0;
    for (int si = 0; si < b->nshards; si++)
        for (size_t i = 0; i < b->sh[si].ncust; i++) {
            const struct cust *c = cust_at(&b->sh[si], i);
            keys[k].prefix = __builtin_bswap64(c->id8);
            keys[k].ref = (uint64_t)si << 32 | i;
            k++;
        }
    msort(b, keys, tmp, n);
    free(tmp);
    /* the refs, in place over the keys' storage */
    uint64_t *out = (uint64_t *)keys;
    for (size_t i = 0; i < n; i++)
        out[i] = keys[i].ref;
    *np = n;
    return out;
}

void cs_summary_free(cs_summary *s)
{
    if (!s)
        return;
    free(s->priv_);
    free(s->rows);
    free(s);
}

int cs_summary_copy_ids(const cs_summary *s, cs_ids *ids)
{
    size_t bytes = 0;
    for (size_t i = 0; i < s->n; i++)
        bytes += s->rows[i].id_len;
    int rc = cs_ids_reserve(ids, s->n, bytes);
    for (size_t i = 0; rc == CS_OK && i < s->n; i++)
        rc = cs_ids_push(ids, s->rows[i].id, s->rows[i].id_len);
    return rc;
}

void csi_cust_row(const struct shard *sh, const struct cust *c, cs_summary_row *row)
{
    row->id = cust_id(sh, c);
    row->id_len = (uint32_t)c->id_len;
    row->first = c->pfirst;
    row->last = c->plast;
    row->transactions = c->records;
    row->purchase_days = c->pdays;
    row->total_value = c->value;
    row->repeat_value = c->psum - c->pfirst_val;
    row->holdout_days = c->hold_days;
    row->holdout_transactions = c->hold_records;
    row->holdout_value = c->hold_value;
    row->nth_day = c->pnth;
}

int csi_builder_prepare(cs_builder *b, cs_day *as_of_out, uint64_t **order_out, size_t *n_out,
                        size_t *kept_out, cs_error *err)
{
    *order_out = NULL;
    *n_out = *kept_out = 0;
    *as_of_out = CS_DAY_NONE;
    int rc = csi_builder_settle(b, err);
    if (rc != CS_OK)
        return rc;
    cs_day as_of = b->opt.as_of != CS_DAY_NONE ? b->opt.as_of : b->st.max_day;
    *as_of_out = as_of;
    if (b->st.max_day == CS_DAY_NONE)
        return csi_fail(err, CS_EEMPTY,
                        b->st.records ? "no record on or before the end of observation"
                                      : "no records");
    if (b->opt.calibration_end != CS_DAY_NONE && b->opt.calibration_end >= as_of) {
        char d1[11], d2[11];
        cs_day_format(b->opt.calibration_end, d1);
        cs_day_format(as_of, d2);
        csi_fail(err, CS_EINVAL, "the calibration end %s is not before the end of observation %s",
                 d1, d2);
        return csi_hint(err, CS_HINT_END_OF_OBSERVATION);
    }
    /* The tables are not needed any more: free them before the sort, so
     * that peak memory stays near the customer states alone. */
    for (int si = 0; si < b->nshards; si++) {
        free(b->sh[si].table);
        b->sh[si].table = NULL;
        b->sh[si].tcap = 0;
    }
    size_t n;
    uint64_t *order = csi_builder_sorted(b, &n);
    if (!order)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    size_t kept = 0;
    for (size_t k = 0; k < n; k++) {
        const struct cust *c = ref_cust(b, order[k]);
        if (c->pdays == 0) {
            if (c->hold_days > 0)
                b->st.holdout_only++;
            else
                b->st.no_purchase++;
            continue;
        }
        kept++;
    }
    *order_out = order;
    *n_out = n;
    *kept_out = kept;
    return CS_OK;
}

cs_summary *cs_builder_finish(cs_builder *b, cs_error *err)
{
    cs_summary *s = NULL;
    uint64_t *order = NULL;
    size_t n, kept;
    cs_day as_of;
    if (csi_builder_prepare(b, &as_of, &order, &n, &kept, err) != CS_OK)
        goto fail;
    size_t idbytes = 0;
    for (size_t k = 0; k < n; k++) {
        const struct cust *c = ref_cust(b, order[k]);
        if (c->pdays)
            idbytes += c->id_len;
    }
    s = calloc(1, sizeof *s);
    if (!s)
        goto nomem;
    s->as_of = as_of;
    s->calibration_end = b->opt.calibration_end;
    s->has_amount = b->opt.has_amount;
    s->returns = b->opt.returns;
    s->rows = csi_big_alloc((kept + 1) * sizeof *s->rows, 0);
    char *ids = csi_big_alloc(idbytes + 1, 0);
    s->priv_ = ids;
    if (!s->rows || !ids)
        goto nomem;
    size_t r = 0, off = 0;
    for (size_t k = 0; k < n; k++) {
        const struct shard *sh = &b->sh[order[k] >> 32];
        const struct cust *c = ref_cust(b, order[k]);
        csi_walk_prefetch(b, order, k, n);
        if (c->pdays == 0)
            continue;
        cs_summary_row *row = &s->rows[r++];
        csi_cust_row(sh, c, row);
        memcpy(ids + off, row->id, c->id_len);
        row->id = ids + off; /* the summary owns its ids */
        off += c->id_len;
    }
    s->n = kept;
    s->stats = b->st;
    free(order);
    cs_builder_free(b);
    if (kept == 0) {
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

/* The customer of id in shard si, or -1 (a lookup that adds nothing). */
static long find_cust(const cs_builder *b, const char *id, size_t len)
{
    uint64_t h = csi_hash_bytes(id, len);
    const struct shard *s = &b->sh[shard_of(b, h)];
    if (!s->table || s->tcap == 0)
        return -1;
    uint32_t tl = (uint32_t)(h >> 40) << 8 | (uint32_t)(len < 255 ? len : 255);
    uint64_t w = load8(id, len);
    size_t mask = s->tcap - 1;
    for (size_t j = h & mask;; j = (j + 1) & mask) {
        const struct slot *e = &s->table[j];
        if (!e->idx)
            return -1;
        if (e->tag_len == tl && e->id8 == w) {
            const struct cust *c = cust_at(s, e->idx - 1);
            if (len <= 8 ||
                (c->id_len == len && memcmp(s->ids + c->id_off + 8, id + 8, len - 8) == 0))
                return (long)(e->idx - 1);
        }
    }
}

size_t cs_builder_id_twins(const cs_builder *b, char *example, size_t cap)
{
    size_t n = 0;
    const char *best = NULL;
    size_t best_len = 0, best_st = 0, best_nl = 0;
    if (example && cap)
        example[0] = '\0';
    for (int si = 0; si < b->nshards; si++) {
        const struct shard *s = &b->sh[si];
        for (size_t i = 0; i < s->ncust; i++) {
            const struct cust *c = cust_at(s, i);
            const char *id = cust_id(s, c);
            size_t st, nl;
            if (!cs_id_numeric(id, c->id_len, &st, &nl) || nl == c->id_len)
                continue;
            if (find_cust(b, id + st, nl) < 0)
                continue;
            n++;
            size_t m = c->id_len < best_len ? c->id_len : best_len;
            int cmp = best ? memcmp(id, best, m) : -1;
            if (!best || cmp < 0 || (cmp == 0 && c->id_len < best_len)) {
                best = id;
                best_len = c->id_len;
                best_st = st;
                best_nl = nl;
            }
        }
    }
    if (best && example && cap) {
        char a[128], z[128];
        csi_excerpt(a, sizeof a, best, best_len);
        csi_excerpt(z, sizeof z, best + best_st, best_nl);
        snprintf(example, cap, "%s and %s", a, z);
    }
    return n;
}
