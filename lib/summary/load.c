/* Reading transaction logs into a summary builder.
 *
 * The reading thread parses records, hashes each id once and routes the
 * record to the shard that owns its customer; with several threads each
 * shard has a worker that applies its batches in order. Shards own disjoint
 * customers, so nothing is merged or locked per record, the records of one
 * customer stay in file order, and memory holds each customer once. */
#include "summary/builder-internal.h"
#include "util/internal.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_N 4096
#define BATCH_IDS (2 * CS_FIELD_MAX) /* always room for one id of the largest size */
#define QUEUE_N 4

struct batch {
    struct txn_entry e[BATCH_N];
    size_t n;
    size_t ids_len;
    char ids[BATCH_IDS];
};

struct worker {
    cs_builder *b;
    int si;
    int threaded;
    pthread_t th;
    pthread_mutex_t m;
    pthread_cond_t cv;
    struct batch *ring[QUEUE_N]; /* filled, in order */
    int head, count;
    struct batch *spare[QUEUE_N + 1];
    int nspare;
    struct batch *cur;
    int done;
    int failed; /* read without the lock by the router: a hint to stop early */
    cs_error err;
};

/* The dated days (distinct) and how many records each has, for the
 * day/month signal: which early dates (day 1-12) lie outside the period of
 * the late ones (day 13-31) is known only at the end. A log holds a few
 * thousand distinct days. */
struct early_days {
    cs_day *day;
    uint64_t *count; /* 0: an empty slot */
    size_t cap, n;   /* cap: a power of two, or 0 */
};

static size_t day_slot(cs_day d, size_t mask)
{
    return (size_t)(((uint64_t)(uint32_t)d * 0x9e3779b97f4a7c15ULL) >> 20) & mask;
}

static int early_add(struct early_days *e, cs_day d)
{
    if (2 * (e->n + 1) > e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 1024;
        cs_day *day = malloc(cap * sizeof *day);
        uint64_t *count = calloc(cap, sizeof *count);
        if (!day || !count) {
            free(day), free(count);
            return CS_ENOMEM;
        }
        for (size_t i = 0; i < e->cap; i++) {
            if (!e->count[i])
                continue;
            size_t j = day_slot(e->day[i], cap - 1);
            while (count[j])
                j = (j + 1) & (cap - 1);
            day[j] = e->day[i];
            count[j] = e->count[i];
        }
        free(e->day), free(e->count);
        e->day = day, e->count = count, e->cap = cap;
    }
    size_t j = day_slot(d, e->cap - 1);
    while (e->count[j] && e->day[j] != d)
        j = (j + 1) & (e->cap - 1);
    if (!e->count[j]) {
        e->day[j] = d;
        e->n++;
    }
    e->count[j]++;
    return CS_OK;
}

/* Calendar days on day 13-31 of their month in [a, b]. */
static int64_t late_calendar_days(cs_day a, cs_day b)
{
    int64_t n = 0;
    while (a <= b) {
        int y, m, d;
        cs_day_to_ymd(a, &y, &m, &d);
        cs_day next; /* the first of the next month */
        if (cs_day_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1, &next) != CS_OK)
            next = b + 1;
        cs_day end = next - 1 < b ? next - 1 : b, from = a + (d < 13 ? 13 - d : 0);
        if (end >= from)
            n += end - from + 1;
        a = next;
    }
    return n;
}

/* The day/month signal from the dated days and the late period. */
static void early_judge(const struct early_days *e, cs_load_stats *st)
{
    if (st->dated_late_first == CS_DAY_NONE)
        return;
    const cs_day first = st->dated_late_first, last = st->dated_late_last;
    const int64_t lo = (int64_t)first - CS_DATE_SWAP_MARGIN,
                  hi = (int64_t)last + CS_DATE_SWAP_MARGIN;
    /* the log's rate: distinct late dates per late calendar day from its
     * first to its last date (early ones included, so that a few late
     * dates close together do not make a high rate) */
    size_t late_days = 0;
    cs_day all_first = first, all_last = last;
    for (size_t i = 0; i < e->cap; i++) {
        int y, m, d;
        if (!e->count[i])
            continue;
        cs_day_to_ymd(e->day[i], &y, &m, &d);
        late_days += d > 12;
        all_first = e->day[i] < all_first ? e->day[i] : all_first;
        all_last = e->day[i] > all_last ? e->day[i] : all_last;
    }
    /* and a low estimate of it, two standard deviations down (Poisson), so
     * that a log of a few dates is not taken for a dense one */
    double k = (double)late_days, rate = (k - 2 * sqrt(k)) / (double)late_calendar_days(all_first, all_last);
    if (!(rate > 0))
        rate = 0;
    cs_day far = CS_DAY_NONE;
    int64_t far_gap = 0;
    for (size_t i = 0; i < e->cap; i++) {
        int y, m, d;
        cs_day sw;
        if (!e->count[i] || (e->day[i] >= lo && e->day[i] <= hi))
            continue;
        cs_day_to_ymd(e->day[i], &y, &m, &d);
        if (d > 12)
            continue;
        st->dated_early_outside += e->count[i];
        /* d <= 12 and m <= 12: the exchanged date always exists */
        if (cs_day_from_ymd(y, d, m, &sw) != CS_OK || sw < lo || sw > hi)
            continue;
        st->dated_early_swap_inside += e->count[i];
        int64_t gap = e->day[i] < first ? (int64_t)first - e->day[i] : (int64_t)e->day[i] - last;
        if (gap > far_gap)
            far_gap = gap, far = e->day[i];
    }
    if (far != CS_DAY_NONE)
        st->dated_early_gap = rate * (double)(far < first ? late_calendar_days(far + 1, first - 1)
                                                          : late_calendar_days(last + 1, far - 1));
    st->dates_swap_suspect = st->dated_early_swap_inside >= CS_DATE_SWAP_MIN_RECORDS &&
                             2 * st->dated_early_swap_inside >= st->dated_early_outside &&
                             st->dated_early_gap >= CS_DATE_SWAP_MIN_GAP;
}

/* The ids of records dated after as_of (the first reading), each marked
 * when the builder has the customer too: the rest had every record after
 * as_of. */
struct late_ids {
    uint64_t *hash;
    uint32_t *off, *len; /* into ids */
    size_t cap, n;
    unsigned char *used; /* 0 empty, 1 an id, 2 an id the builder has too */
    char *ids;
    size_t ids_len, ids_cap;
};

static int late_add(struct late_ids *L, const char *id, size_t len)
{
    if (2 * (L->n + 1) > L->cap) {
        size_t cap = L->cap ? 2 * L->cap : 1024;
        uint64_t *hash = malloc(cap * sizeof *hash);
        uint32_t *off = malloc(cap * sizeof *off), *ln = malloc(cap * sizeof *ln);
        unsigned char *used = calloc(cap, 1);
        if (!hash || !off || !ln || !used) {
            free(hash), free(off), free(ln), free(used);
            return CS_ENOMEM;
        }
        for (size_t i = 0; i < L->cap; i++) {
            if (!L->used[i])
                continue;
            size_t j = L->hash[i] & (cap - 1);
            while (used[j])
                j = (j + 1) & (cap - 1);
            hash[j] = L->hash[i], off[j] = L->off[i], ln[j] = L->len[i], used[j] = 1;
        }
        free(L->hash), free(L->off), free(L->len), free(L->used);
        L->hash = hash, L->off = off, L->len = ln, L->used = used, L->cap = cap;
    }
    uint64_t h = csi_hash_bytes(id, len);
    size_t j = h & (L->cap - 1);
    for (; L->used[j]; j = (j + 1) & (L->cap - 1))
        if (L->hash[j] == h && L->len[j] == len && !memcmp(L->ids + L->off[j], id, len))
            return CS_OK;
    if (L->ids_len + len > UINT32_MAX)
        return CS_ENOMEM;
    if (L->ids_len + len > L->ids_cap) {
        size_t cap = L->ids_cap ? 2 * L->ids_cap : 65536;
        while (cap < L->ids_len + len)
            cap *= 2;
        char *ids = realloc(L->ids, cap);
        if (!ids)
            return CS_ENOMEM;
        L->ids = ids, L->ids_cap = cap;
    }
    memcpy(L->ids + L->ids_len, id, len);
    L->hash[j] = h, L->off[j] = (uint32_t)L->ids_len, L->len[j] = (uint32_t)len, L->used[j] = 1;
    L->ids_len += len;
    L->n++;
    return CS_OK;
}

/* Marks (used = 2) the ids the builder has a customer of. */
static void late_mark(struct late_ids *L, const char *id, size_t len)
{
    uint64_t h = csi_hash_bytes(id, len);
    for (size_t j = h & (L->cap - 1); L->used[j]; j = (j + 1) & (L->cap - 1))
        if (L->hash[j] == h && L->len[j] == len && !memcmp(L->ids + L->off[j], id, len)) {
            L->used[j] = 2;
            return;
        }
}

/* The customers with records after as_of and none on or before it. */
static uint64_t late_only(struct late_ids *L, const cs_builder *b)
{
    if (L->n == 0)
        return 0;
    for (int si = 0; si < b->nshards; si++) {
        const struct shard *s = &b->sh[si];
        for (size_t i = 0; i < s->ncust; i++) {
            const struct cust *c = cust_at(s, i);
            late_mark(L, cust_id(s, c), c->id_len);
        }
    }
    uint64_t n = 0;
    for (size_t j = 0; j < L->cap; j++)
        n += L->used[j] == 1;
    return n;
}

static void late_free(struct late_ids *L)
{
    free(L->hash), free(L->off), free(L->len), free(L->used), free(L->ids);
    memset(L, 0, sizeof *L);
}

struct router {
    cs_builder *b;
    uint64_t records; /* read from the inputs finished so far */
    int nw;
    struct worker w[CS_MAX_SHARDS];
    struct batch *pool;
    struct late_ids *late; /* NULL: records after as_of are not collected */
    struct early_days *early; /* NULL: dates are not looked at */
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    pthread_mutex_lock(&w->m);
    for (;;) {
        while (w->count == 0 && !w->done)
            pthread_cond_wait(&w->cv, &w->m);
        if (w->count == 0)
            break;
        struct batch *bt = w->ring[w->head];
        pthread_mutex_unlock(&w->m);
        int rc = w->failed ? CS_OK : csi_shard_apply(w->b, w->si, bt->e, bt->n, &w->err);
        pthread_mutex_lock(&w->m);
        if (rc != CS_OK)
            __atomic_store_n(&w->failed, 1, __ATOMIC_RELEASE);
        w->head = (w->head + 1) % QUEUE_N;
        w->count--;
        bt->n = bt->ids_len = 0;
        w->spare[w->nspare++] = bt;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->m);
    return NULL;
}

static int router_init(struct router *r, cs_builder *b, int threaded, cs_error *err)
{
    memset(r, 0, sizeof *r);
    r->b = b;
    r->nw = b->nshards;
    int per = threaded ? QUEUE_N + 1 : 1;
    r->pool = calloc((size_t)(r->nw * per), sizeof *r->pool);
    if (!r->pool)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    for (int i = 0; i < r->nw; i++) {
        struct worker *w = &r->w[i];
        w->b = b;
        w->si = i;
        w->cur = &r->pool[i * per];
        for (int k = 1; k < per; k++)
            w->spare[w->nspare++] = &r->pool[i * per + k];
        if (!threaded)
            continue;
        pthread_mutex_init(&w->m, NULL);
        pthread_cond_init(&w->cv, NULL);
        if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
            pthread_mutex_destroy(&w->m);
            pthread_cond_destroy(&w->cv);
            continue; /* this shard is applied by the reading thread */
        }
        w->threaded = 1;
    }
    return CS_OK;
}

/* Hands the current batch of worker w over (or applies it here). */
static int flush(struct router *r, struct worker *w, cs_error *err)
{
    struct batch *bt = w->cur;
    if (bt->n == 0)
        return CS_OK;
    if (!w->threaded) {
        int rc = csi_shard_apply(r->b, w->si, bt->e, bt->n, err);
        bt->n = bt->ids_len = 0;
        return rc;
    }
    pthread_mutex_lock(&w->m);
    while (w->count == QUEUE_N)
        pthread_cond_wait(&w->cv, &w->m);
    w->ring[(w->head + w->count) % QUEUE_N] = bt;
    w->count++;
    pthread_cond_broadcast(&w->cv);
    while (w->nspare == 0)
        pthread_cond_wait(&w->cv, &w->m);
    w->cur = w->spare[--w->nspare];
    pthread_mutex_unlock(&w->m);
    if (__atomic_load_n(&w->failed, __ATOMIC_ACQUIRE)) {
        if (err)
            *err = w->err;
        return w->err.code ? w->err.code : CS_ENOMEM;
    }
    return CS_OK;
}

static int route(struct router *r, const cs_txn *t, cs_error *err)
{
    if (!csi_builder_admit(r->b, t)) {
        if (r->late && t->day > r->b->opt.as_of && late_add(r->late, t->id, t->id_len) != CS_OK)
            return csi_fail(err, CS_ENOMEM, "out of memory");
        return CS_OK;
    }
    uint64_t h = csi_hash_bytes(t->id, t->id_len);
    struct worker *w = &r->w[shard_of(r->b, h)];
    struct batch *bt = w->cur;
    if (bt->n == BATCH_N || bt->ids_len + t->id_len > BATCH_IDS) {
        int rc = flush(r, w, err);
        if (rc != CS_OK)
            return rc;
        bt = w->cur;
    }
    struct txn_entry *e = &bt->e[bt->n++];
    memcpy(bt->ids + bt->ids_len, t->id, t->id_len);
    e->hash = h;
    e->id = bt->ids + bt->ids_len;
    e->id_len = (uint32_t)t->id_len;
    e->day = t->day;
    e->amount = t->amount;
    bt->ids_len += t->id_len;
    return CS_OK;
}

/* Flushes everything, stops the workers and frees; returns the first error
 * of a worker if rc was CS_OK. */
static int router_finish(struct router *r, int rc, cs_error *err)
{
    for (int i = 0; i < r->nw; i++) {
        int f = rc == CS_OK ? flush(r, &r->w[i], err) : CS_OK;
        if (f != CS_OK)
            rc = f;
    }
    for (int i = 0; i < r->nw; i++) {
        struct worker *w = &r->w[i];
        if (!w->threaded)
            continue;
        pthread_mutex_lock(&w->m);
        w->done = 1;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->m);
        pthread_join(w->th, NULL);
        pthread_mutex_destroy(&w->m);
        pthread_cond_destroy(&w->cv);
        if (rc == CS_OK && w->failed) {
            rc = w->err.code ? w->err.code : CS_ENOMEM;
            if (err)
                *err = w->err;
        }
    }
    free(r->pool);
    r->pool = NULL;
    return rc;
}

static int recoverable(int code)
{
    return code == CS_EFORMAT || code == CS_EDATE || code == CS_EAMOUNT || code == CS_EID;
}

static void count(cs_load_stats *st, int code, int kind, uint64_t lines, const cs_error *e)
{
    st->skipped++;
    st->skipped_lines += lines;
    switch (code) {
    case CS_EDATE: st->bad_date++; break;
    case CS_EAMOUNT: st->bad_amount++; break;
    case CS_EID: st->bad_id++; break;
    default: st->bad_format++; break;
    }
    if (kind < 0 || kind >= CS_REJECT_NKINDS)
        return;
    if (st->kind_records[kind]++ == 0) {
        if (e)
            st->kind_first[kind] = *e;
        st->kind_first[kind].code = code;
    }
    st->kind_lines[kind] += lines;
}

/* The first kind over its limit, or -1. */
static int over_budget(const cs_load_stats *st, const cs_reject_budget *bg, int *by_rate)
{
    for (int k = 0; k < CS_REJECT_NKINDS; k++) {
        uint64_t n = st->kind_lines[k];
        if (n == 0)
            continue;
        if (bg->max_lines[k] >= 0 && n > (uint64_t)bg->max_lines[k]) {
            *by_rate = 0;
            return k;
        }
        if (bg->max_rate[k] >= 0 && (double)n > bg->max_rate[k] * (double)st->lines_read &&
            (bg->rate_min_lines[k] <= 0 || n > (uint64_t)bg->rate_min_lines[k])) {
            *by_rate = 1;
            return k;
        }
    }
    return -1;
}

/* A rate as "12.3 %" without the locale's decimal comma. */
static void percent(char *buf, size_t cap, double x)
{
    long t = (long)(x * 1000.0 + 0.5); /* tenths of a percent */
    if (x > 0 && t == 0)
        snprintf(buf, cap, "< 0.1 %%");
    else
        snprintf(buf, cap, "%ld.%ld %%", t / 10, t % 10);
}

static int budget_error(const cs_load_stats *st, const cs_reject_budget *bg, int k, int by_rate,
                        cs_error *err)
{
    const cs_error *first = &st->kind_first[k];
    char rate[32], limit[48], lines[64] = "", g1[32], g2[32], g3[32];
    double r = st->lines_read ? (double)st->kind_lines[k] / (double)st->lines_read : 1.0;
    percent(rate, sizeof rate, r);
    if (st->kind_lines[k] > st->kind_records[k])
        snprintf(lines, sizeof lines, " (%s lines)", cs_format_count(g1, st->kind_lines[k]));
    if (by_rate)
        percent(limit, sizeof limit, bg->max_rate[k]);
    else
        snprintf(limit, sizeof limit, "%s", cs_format_count(g3, (uint64_t)bg->max_lines[k]));
    cs_error e = *first;
    char msg[1024];
    snprintf(msg, sizeof msg,
             "%s %s %s%s skipped, %s of the %s lines read: over the limit of %s%s; "
             "the first: %s",
             cs_format_count(g2, st->kind_records[k]), cs_reject_kind_name(k),
             st->kind_records[k] == 1 ? "record" : "records", lines, rate,
             cs_format_count(g1, st->lines_read), limit, by_rate ? "" : " lines", first->message);
    size_t n = strlen(msg);
    if (n >= sizeof e.message)
        n = sizeof e.message - 1;
    memcpy(e.message, msg, n);
    e.message[n] = '\0';
    snprintf(e.setting, sizeof e.setting, "%s", by_rate ? "max_reject_rate" : "max_rejects");
    snprintf(e.value, sizeof e.value, "%s", limit);
    if (!e.code)
        e.code = CS_EFORMAT;
    if (err)
        *err = e;
    return e.code;
}

static int same_stamp(const cs_input_stamp *a, const cs_input_stamp *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime_sec == b->mtime_sec && a->mtime_nsec == b->mtime_nsec;
}

/* One pass over one input. replay: the second reading, where bad records
 * were already reported and are passed over quietly. *empty: 1 when the
 * input holds nothing, 2 when only a header line. *stamp: the file as the
 * first reading left it; the second reading checks it is the same. */
static int read_one(struct router *r, const char *path, cs_input *pre,
                    const cs_txn_options *txn, const cs_load_options *opt, cs_load_stats *st,
                    int replay, int *rereadable, int *empty, cs_input_stamp *stamp,
                    cs_error *err)
{
    *empty = 0;
    uint64_t seen = 0;
    cs_input *in = pre ? pre : cs_input_open(path, err);
    if (!in)
        return err ? err->code : CS_EIO;
    *rereadable = cs_input_rereadable(in);
    int rc = CS_OK;
    cs_txn_reader *rd = NULL;
    if (replay) {
        cs_input_stamp now;
        if (!cs_input_stamp_get(in, &now) || !same_stamp(&now, stamp)) {
            /* read by name again: a log rotated in between is another file */
            rc = csi_fail(err, CS_EIO,
                          "the file changed while it was being read (replaced or written to "
                          "between the two readings that records out of date order take); "
                          "read a copy that stays as it is");
            csi_error_where(err, cs_input_name(in), 0, 0, NULL, 0);
            goto out;
        }
    }
    rd = cs_txn_reader_new(in, txn, err);
    if (!rd) {
        rc = err ? err->code : CS_ENOMEM;
        if (rc == CS_EEMPTY) {
            /* an empty file among several is not an error for the log */
            *empty = 1;
            rc = CS_OK;
            if (err)
                cs_error_clear(err);
        }
        goto out;
    }
    if (!replay && opt && opt->on_open)
        opt->on_open(opt->ctx, rd, cs_input_name(in));
    cs_txn t;
    for (;;) {
        int n = cs_txn_read(rd, &t, err);
        if (n == 0) {
            if (seen == 0)
                *empty = cs_txn_has_header(rd) ? 2 : 1;
            break;
        }
        seen++;
        if (!replay && opt && opt->on_progress && (seen & ((1u << 20) - 1)) == 0)
            opt->on_progress(opt->ctx, cs_input_bytes_read(in), r->records + seen);
        if (n < 0) {
            int kind = cs_txn_reject_kind(rd);
            if (!(opt && opt->skip_bad) || !recoverable(n) ||
                (opt->skip_kinds && !(opt->skip_kinds & (1u << kind)))) {
                rc = n;
                goto out;
            }
            if (!replay) {
                long first, last;
                cs_txn_raw_lines(rd, &first, &last);
                if (last < first || first <= 0)
                    last = first; /* never less than one line */
                count(st, n, kind, (uint64_t)(last - first) + 1, err);
                if (opt->on_reject) {
                    size_t len;
                    const char *raw = cs_txn_raw(rd, &len);
                    opt->on_reject(opt->ctx, err, raw, len, first, last, kind);
                }
            }
            continue;
        }
        if (!replay && txn->datefmt.kind == CS_DATE_PATTERN) {
            /* only a pattern can put the day and month the wrong way round */
            int y, m, d;
            cs_day_to_ymd(t.day, &y, &m, &d);
            st->dated++;
            if (d > 12) {
                st->dated_after_12th++;
                if (st->dated_late_first == CS_DAY_NONE || t.day < st->dated_late_first)
                    st->dated_late_first = t.day;
                if (st->dated_late_last == CS_DAY_NONE || t.day > st->dated_late_last)
                    st->dated_late_last = t.day;
            }
            if (r->early && early_add(r->early, t.day) != CS_OK) {
                rc = csi_fail(err, CS_ENOMEM, "out of memory");
                goto out;
            }
        }
        rc = route(r, &t, err);
        if (rc != CS_OK) {
            if (err && !err->file[0])
                csi_error_where(err, cs_input_name(in), 0, 0, NULL, 0);
            goto out;
        }
    }
out:
    if (!replay) {
        cs_input_stamp_get(in, stamp);
        if (rd) {
            uint64_t nf;
            int64_t vf;
            cs_txn_filtered(rd, &nf, &vf);
            st->filtered += nf;
            if (__builtin_add_overflow(st->filtered_value, vf, &st->filtered_value))
                st->filtered_value = vf < 0 ? INT64_MIN : INT64_MAX;
            st->records_read += seen + nf;
        }
    }
    r->records += seen;
    cs_txn_reader_free(rd);
    cs_input_close(in);
    return rc;
}

int cs_load_transactions(cs_builder *b, const char *const *paths, size_t npaths,
                         const cs_txn_options *txn, const cs_load_options *opt,
                         cs_load_stats *stats, cs_error *err)
{
    cs_load_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    stats->dated_late_first = stats->dated_late_last = CS_DAY_NONE;
    struct early_days early = {0};
    struct late_ids late = {0};
    static const char *const stdin_only[] = {"-"};
    if (npaths == 0) {
        paths = stdin_only;
        npaths = 1;
    }
    for (size_t i = 0, seen = 0; i < npaths; i++)
        if (!strcmp(paths[i], "-") && seen++) {
            if (opt && opt->first_input)
                cs_input_close(opt->first_input);
            return csi_fail(err, CS_EINVAL, "standard input ('-') is named twice");
        }

    struct router r;
    int threaded = b->nshards > 1;
    int rc = router_init(&r, b, threaded, err);
    if (rc != CS_OK) {
        if (opt && opt->first_input)
            cs_input_close(opt->first_input);
        return rc;
    }
    cs_input_stamp *stamps = calloc(npaths, sizeof *stamps);
    if (!stamps) {
        if (opt && opt->first_input)
            cs_input_close(opt->first_input);
        router_finish(&r, CS_ENOMEM, err);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    if (txn->datefmt.kind == CS_DATE_PATTERN)
        r.early = &early;
    if (b->opt.as_of != CS_DAY_NONE)
        r.late = &late;
    int all_rereadable = 1, nempty = 0, last_empty = 0;
    const char *empty_name = NULL;
    for (size_t i = 0; rc == CS_OK && i < npaths; i++) {
        int rr = 0, empty = 0;
        cs_input *pre = i == 0 && opt ? opt->first_input : NULL;
        rc = read_one(&r, paths[i], pre, txn, opt, stats, 0, &rr, &empty, &stamps[i], err);
        all_rereadable &= rr;
        if (empty) {
            nempty++;
            last_empty = empty;
            empty_name = paths[i];
        }
    }
    stats->lines_read = stats->records_read + stats->skipped_lines - stats->skipped;
    if (rc == CS_OK && opt && opt->skip_bad && opt->budget) {
        int by_rate, k = over_budget(stats, opt->budget, &by_rate);
        if (k >= 0)
            rc = budget_error(stats, opt->budget, k, by_rate, err);
    }
    rc = router_finish(&r, rc, err);
    if (rc != CS_OK)
        goto done;
    early_judge(&early, stats);
    stats->customers_after_as_of = late_only(&late, b);
    if (nempty == (int)npaths) {
        /* nothing at all to summarise: say which input and why */
        if (npaths == 1) {
            csi_fail(err, CS_EEMPTY, last_empty == 2 ? "no records after the header line"
                                                     : "the input is empty");
            csi_error_where(err, strcmp(empty_name, "-") ? empty_name : "<stdin>", 0, 0, NULL,
                            0);
        } else {
            csi_fail(err, CS_EEMPTY, "none of the %zu inputs holds a record", npaths);
        }
        rc = CS_EEMPTY;
        goto done;
    }
    if (cs_builder_unsorted(b) == 0)
        goto done;
    if (!all_rereadable) {
        rc = csi_fail(err, CS_EORDER,
                        "the records of %zu %s not in date order, which takes a second "
                        "reading, and standard input or a pipe cannot be read twice: give the "
                        "log as a file, or sort it by date first",
                        cs_builder_unsorted(b),
                        cs_builder_unsorted(b) == 1 ? "customer is" : "customers are");
        goto done;
    }
    stats->read_twice = 1;
    rc = cs_builder_replay_begin(b, err);
    if (rc != CS_OK)
        goto done;
    rc = router_init(&r, b, threaded, err);
    if (rc != CS_OK)
        goto done;
    for (size_t i = 0; rc == CS_OK && i < npaths; i++) {
        int rr, empty;
        rc = read_one(&r, paths[i], NULL, txn, opt, stats, 1, &rr, &empty, &stamps[i], err);
    }
    rc = router_finish(&r, rc, err);
done:
    free(early.day), free(early.count);
    late_free(&late);
    free(stamps);
    return rc;
}
