/* The summary builder's state, shared by builder.c, partial.c and finish. */
#ifndef CS_BUILDER_INTERNAL_H
#define CS_BUILDER_INTERNAL_H

#include "cs-summary.h"

#define CUST_BLOCK_BITS 16
#define CUST_BLOCK (1u << CUST_BLOCK_BITS)

enum {
    F_HAS_L = 1u << 0,    /* an open (current) day is held in l_day/l_val */
    F_L_NEG = 1u << 1,    /* the open day has a negative record */
    F_UNSORTED = 1u << 2, /* records came out of date order: replay needed */
    F_REPLAY = 1u << 3,   /* collecting records for the replay */
};

/* One customer, O(1) whatever the number of records: the open day, and the
 * closed days folded into counts, sums, first and last. */
struct cust {
    uint64_t id_off;
    uint32_t id_len;
    uint32_t flags;
    cs_day l_day;           /* the open day */
    cs_day dfirst, dlast;   /* first and last day with a record (any kind) */
    cs_day pfirst, plast;   /* first and last calibration purchase day */
    uint32_t records;       /* calibration records */
    int64_t l_val;
    int64_t value;          /* calibration net value */
    int64_t pfirst_val;     /* value of the first purchase day */
    int64_t psum;           /* value of all calibration purchase days */
    uint32_t pdays;         /* calibration purchase days */
    uint32_t hold_days;
    uint32_t hold_records;
    uint32_t replay;        /* index into the replay lists, +1 */
    int64_t hold_value;
};

struct day_rec {
    cs_day day;
    int64_t amount;
};

struct replay_list {
    struct day_rec *v;
    size_t n, cap;
};

struct cs_builder {
    cs_summary_options opt;
    cs_summary_stats st;
    struct cust **blocks;
    size_t nblocks, ncust;
    uint64_t *table; /* (hash high 32 bits << 32) | (index + 1); 0 = empty */
    size_t tcap;     /* power of two */
    char *ids;
    size_t ids_len, ids_cap;
    int replaying;
    struct replay_list *lists;
    size_t nlists;
};

static inline struct cust *cust_at(const cs_builder *b, size_t i)
{
    return &b->blocks[i >> CUST_BLOCK_BITS][i & (CUST_BLOCK - 1)];
}

/* Finds or adds a customer; returns its index or a negative code. */
long csi_builder_intern(cs_builder *b, const char *id, size_t len, int *created);
/* Folds a finished day into the customer's counts. */
void csi_builder_close_day(cs_builder *b, struct cust *c, cs_day day, int64_t val, int neg);
/* Finishes a replay and closes every open day (before finishing or writing
 * a partial). */
int csi_builder_settle(cs_builder *b, cs_error *err);
/* Indices of the customers sorted by id; caller frees. */
uint32_t *csi_builder_sorted(const cs_builder *b);

#endif
