/* The summary builder's state, shared by builder.c, partial.c and load.c. */
#ifndef CS_BUILDER_INTERNAL_H
#define CS_BUILDER_INTERNAL_H

#include "cs-summary.h"

#include <stddef.h>
#include <stdint.h>

#define CUST_BLOCK_BITS 16
#define CUST_BLOCK (1u << CUST_BLOCK_BITS)
#define CS_MAX_SHARDS 8

enum {
    F_HAS_L = 1u << 0,    /* an open (current) day is held in l_day/l_val */
    F_L_NEG = 1u << 1,    /* the open day has a negative record */
    F_UNSORTED = 1u << 2, /* records came out of date order: replay needed */
    F_REPLAY = 1u << 3,   /* collecting records for the replay */
    F_PSET = 1u << 4,     /* the customer's period set is in use */
};

/* The periods (months, quarters or years) with a purchase day, when the
 * builder tracks them: bit k of w (k < 64) or of more[(k - 64) / 64] is
 * period first + k. Days close in date order, so first is the customer's
 * first purchase period. */
struct pset {
    uint64_t w;
    uint64_t *more;
    int32_t first;
    int32_t nmore;
};

/* One customer, O(1) whatever the number of records: the open day, and the
 * closed days folded into counts, sums, first and last. Ids of up to 8 bytes
 * live in id8 (no pointer chase on lookup); longer ones in the shard's id
 * arena, with their first 8 bytes in id8 too. */
struct cust {
    uint64_t id8;           /* first 8 id bytes, zero padded */
    uint64_t id_off : 40;   /* offset in the id arena (ids longer than 8) */
    uint64_t id_len : 24;
    cs_day l_day;           /* the open day */
    cs_day dfirst, dlast;   /* first and last day with a record (any kind) */
    cs_day pfirst, plast;   /* first and last calibration purchase day */
    uint32_t records;       /* calibration records */
    uint32_t pdays;         /* calibration purchase days */
    uint32_t hold_days;
    uint32_t hold_records;
    uint32_t flags;         /* F_* */
    uint32_t replay;        /* index into the replay lists, +1 */
    cs_day pnth;            /* the track_nth-th calibration purchase day (in
                               what was padding: the struct does not grow) */
    int64_t l_val;
    int64_t value;          /* calibration net value */
    int64_t pfirst_val;     /* value of the first purchase day */
    int64_t psum;           /* value of all calibration purchase days */
    int64_t hold_value;
    struct pset ps;         /* the purchase periods: only when tracking
                               them (the shard's stride is then the whole
                               struct, else it ends before ps). In the
                               customer's own cache lines: a separate array
                               was one more cache miss a record. */
};

struct day_rec {
    cs_day day;
    int64_t amount;
};

struct replay_list {
    struct day_rec *v;
    size_t n, cap;
};

/* A record on its way to a shard: the id hashed once, by the reader side. */
struct txn_entry {
    uint64_t hash;
    const char *id;
    uint32_t id_len;
    cs_day day;
    int64_t amount;
};

/* The customers whose id hashes to this shard: a table, the states and the
 * ids. Shards share nothing, so each can be fed by its own thread. */
/* A table slot: enough to recognise an id of up to 8 bytes without reading
 * the customer's state (that read is the cache miss the lookup would wait
 * for). idx is the customer index + 1; 0 marks an empty slot. */
struct slot {
    uint64_t id8;
    uint32_t idx;
    uint32_t tag_len; /* hash bits 63..40 << 8 | min(id length, 255) */
};

struct shard {
    /* each shard on its own cache lines: workers write their shards at the
     * same time, and must not make each other's caches bounce */
    _Alignas(64) struct cust **blocks;
    size_t nblocks, ncust;
    size_t stride; /* bytes a customer: CUST_BYTES(tracking periods) */
    struct slot *table;
    size_t tcap;     /* power of two */
    char *ids;
    size_t ids_len, ids_cap;
    uint64_t cancelled_days;
    int64_t cancelled_value;
    uint64_t netted_days;
    int64_t netted_value;
    uint64_t unsorted;
    struct replay_list *lists;
    size_t nlists;
    size_t pmore;          /* customers whose period set has overflow words */
    int32_t *pmap; /* the period of each day from pmap_lo (tracking periods):
                      the days closed are each customer's last, in no order */
    cs_day pmap_lo;
    int pmap_n;
    uint32_t *rdays; /* repeat purchase days per day from rdays_lo (tracking days) */
    cs_day rdays_lo;
    int rdays_n;
    struct day_list *dl; /* collecting (partition map or merge): per customer */
    size_t dlcap;
};

/* A customer-day of a partition map or merge (partition.c): its records,
 * how many of them are negative, and their net value. */
struct day_agg {
    cs_day day;
    uint32_t records;
    uint32_t negatives;
    int64_t value;
};

struct day_list {
    struct day_agg *v;
    uint32_t n, cap;
};

/* Record counts of one partition of a map (the reading thread's). */
struct part_stats {
    uint64_t records, after_as_of, negative, dropped_returns;
};

struct cs_builder {
    /* read by every worker */
    cs_summary_options opt;
    int nshards;
    int replaying;
    int track_periods; /* 1: fill the period sets (csi_builder_track_periods) */
    int period;        /* enum cs_period */
    int track_days;    /* 1: count repeat purchase days per day (cs_builder_track_days) */
    uint32_t track_nth; /* > 0: keep each customer's track_nth-th purchase day
                           (cs_builder_track_nth) */
    cs_day value_from; /* records before it add no value (CS_DAY_NONE: all do) */
    int collect;       /* COLLECT_*: customer-days are kept in the shards' dl, not folded */
    int merge_kind;    /* MERGE_*: the kind of the files merged so far */
    uint32_t nparts;   /* a partition map: the number of partitions, and their counts */
    struct part_stats *pst;
    uint32_t part_index, part_of; /* a partition merge: the partition (of part_of) */
    /* written by the reading thread for every record: a cache line apart */
    _Alignas(64) cs_summary_stats st; /* record-level counts; customer counts
                            are summed from the shards (csi_builder_stats_sync) */
    struct shard sh[CS_MAX_SHARDS];
};

enum { COLLECT_NONE, COLLECT_MAP, COLLECT_MERGE };
enum { MERGE_NONE, MERGE_PARTIAL, MERGE_PARTITION };
/* tracking periods, two whole cache lines (the blocks are 64-byte
 * aligned); without, 104 bytes */
_Static_assert(sizeof(struct cust) == 128, "struct cust: two cache lines");
_Static_assert(offsetof(struct cust, ps) == 104, "struct cust: the period set comes last");

#define CUST_BYTES(periods) ((periods) ? sizeof(struct cust) : offsetof(struct cust, ps))

static inline struct cust *cust_at(const struct shard *s, size_t i)
{
    return (struct cust *)((char *)s->blocks[i >> CUST_BLOCK_BITS] +
                           (i & (CUST_BLOCK - 1)) * s->stride);
}

static inline struct pset *pset_at(const struct shard *s, size_t i)
{
    return &cust_at(s, i)->ps;
}

/* The customer of a sorted entry (shard << 32 | index). */
static inline const struct cust *ref_cust(const cs_builder *b, uint64_t ref)
{
    return cust_at(&b->sh[ref >> 32], (uint32_t)ref);
}

/* Walking the customers in id order is a walk at random through memory:
 * the customer CSI_WALK_AHEAD entries on is fetched while this one is
 * copied. */
#define CSI_WALK_AHEAD 8
static inline void csi_walk_prefetch(const cs_builder *b, const uint64_t *order, size_t k,
                                     size_t n)
{
    if (k + CSI_WALK_AHEAD < n) {
        const char *c = (const char *)ref_cust(b, order[k + CSI_WALK_AHEAD]);
        __builtin_prefetch(c);
        __builtin_prefetch(c + 64);
    }
}

static inline const char *cust_id(const struct shard *s, const struct cust *c)
{
    return c->id_len <= 8 ? (const char *)&c->id8 : s->ids + c->id_off;
}

static inline int shard_of(const cs_builder *b, uint64_t hash)
{
    return b->nshards == 1 ? 0 : (int)((hash >> 40) % (uint64_t)b->nshards);
}

/* The record-level part of adding a record: as-of filter, returns policy,
 * counts. Returns 1 when the record goes on to a shard, 0 when it is left
 * out. Not thread-safe: the reader side calls it. */
int csi_builder_admit(cs_builder *b, const cs_txn *t);
/* Adds records already admitted, all of shard si (thread-safe per shard).
 * Errors: CS_ENOMEM, CS_EAMOUNT. */
int csi_shard_apply(cs_builder *b, int si, const struct txn_entry *e, size_t n,
                    cs_error *err);
/* Finds or adds a customer in shard si; returns its index or a negative
 * code. */
long csi_builder_intern(cs_builder *b, int si, uint64_t hash, const char *id, size_t len,
                        int *created);
/* Folds a finished day into the customer's counts (CS_ENOMEM when its
 * period set cannot grow). */
int csi_builder_close_day(cs_builder *b, struct shard *s, struct cust *c, size_t idx,
                          cs_day day, int64_t val, int neg);
/* Finishes a replay and closes every open day (before finishing or writing
 * a partial). */
int csi_builder_settle(cs_builder *b, cs_error *err);
/* All customers sorted by id: entries are (shard << 32 | index); caller
 * frees. */
uint64_t *csi_builder_sorted(const cs_builder *b, size_t *n);
/* Settles, checks the dates, frees the tables and sorts: *order lists every
 * customer (shard << 32 | index) by id, *kept those with a purchase day. */
int csi_builder_prepare(cs_builder *b, cs_day *as_of, uint64_t **order, size_t *n,
                        size_t *kept, cs_error *err);
/* A customer as a summary row (id borrowed from the shard). */
void csi_cust_row(const struct shard *sh, const struct cust *c, cs_summary_row *row);
/* Makes the builder keep, per customer, the periods with a purchase day
 * (before any record is added). period: enum cs_period. */
void csi_builder_track_periods(cs_builder *b, int period);
/* Sums the shards' counts into b->st. */
void csi_builder_stats_sync(cs_builder *b);

/* Adds records to customer idx's day list (collecting builders), netting a
 * record of the list's last day into it. Errors: CS_ENOMEM, CS_EAMOUNT. */
int csi_collect(cs_builder *b, struct shard *s, size_t idx, cs_day day, uint32_t records,
                uint32_t negatives, int64_t value, cs_error *err);
/* A partition merge: folds every customer's days, in date order, as one
 * reading of the whole log would (csi_builder_settle calls it). */
int csi_partition_fold(cs_builder *b, cs_error *err);
/* Frees the day lists of a shard. */
void csi_day_lists_free(struct shard *s);

/* ---- the text files of partial summaries and partitions (partial.c) ---- */

struct csi_lines {
    cs_input *in;
    char *buf;
    size_t cap, pos, end;
    int eof;
    long line;
    const char *kind; /* for messages: "partial summary" until the first
                         line says "partition file" */
};

/* Returns the next line (NUL-terminated in place, without its \r\n),
 * NULL at the end or on error (*rc set). Lines are at most 1 MiB. */
char *csi_next_line(struct csi_lines *l, size_t *len, int *rc, cs_error *err);
const char *csi_returns_name(int r);
/* "none" for CS_DAY_NONE, else YYYY-MM-DD */
void csi_day_text(cs_day d, char buf[11]);
int csi_parse_day(const char *s, cs_day *d);
/* The value of key=value in a line of space-separated pairs (NULL: absent
 * or longer than cap - 1). */
const char *csi_kv(const char *line, const char *key, char *out, size_t cap);
/* Ids in the files: \t \n \r \\ escaped. */
void csi_put_escaped(FILE *fp, const char *s, size_t n);
int csi_unescape(char *s, size_t *n);
/* Plain decimal integers (no '+', no spaces, nothing out of range). */
int csi_u64_of(const char *s, uint64_t *v);
int csi_i64_of(const char *s, int64_t *v);
#define CSI_PARTITION_MAGIC "# custseg partition v1"
/* Merges a partition file whose first line (the magic) was read. */
int csi_merge_partition(cs_builder *b, struct csi_lines *l, cs_error *err);

#endif
