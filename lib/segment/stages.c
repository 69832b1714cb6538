/* Customer relationship stages: prospects, potential buyers, purchasers,
 * loyal followers, advocates and the lapsed, from the log's summary and the
 * user's side tables (prospects, contacts, referrals), joined on the ids
 * in one hash table; the funnel of stages reached and the migration
 * between two dates. */
#include "cs-models.h"
#include "cs-segment.h"
#include "cs-stats.h"
#include "cs-summary.h"
#include "cs-txn.h"
#include "util/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const stage_names[CS_STAGE_COUNT] = {
    "prospect", "potential_buyer", "lapsed", "purchaser", "loyal", "advocate"};
static const char *const funnel_names[CS_FUNNEL_COUNT] = {
    "prospect", "potential_buyer", "purchaser", "loyal", "advocate"};
static const char *const side_names[CS_SIDE_NKINDS] = {"prospects", "contacts", "referrals",
                                                       "referral counts"};

const char *cs_stage_name(int stage)
{
    return stage >= 0 && stage < CS_STAGE_COUNT ? stage_names[stage] : NULL;
}

const char *cs_funnel_stage_name(int stage)
{
    return stage >= 0 && stage < CS_FUNNEL_COUNT ? funnel_names[stage] : NULL;
}

const char *cs_side_kind_name(int kind)
{
    return kind >= 0 && kind < CS_SIDE_NKINDS ? side_names[kind] : NULL;
}

/* The id table and the customers are touched at random, a row at a time:
 * huge pages cut the TLB misses (a hint, as the summary builder's). */
static void *big_calloc(size_t size)
{
    return csi_big_alloc(size, 1);
}

/* Undated rows of a side table count at every date: they sort before any. */
#define UNDATED (INT32_MIN + 1)

/* Per customer: what the side tables say (earliest dates; UNDATED for an
 * undated row, CS_DAY_NONE for none), and the rows of the summaries. */
struct scust {
    cs_day prospect;  /* earliest prospects row */
    cs_day contact;   /* earliest contact */
    cs_day referred;  /* earliest referral naming it as the referred */
    cs_day referrer;  /* earliest referral naming it as the referrer */
    uint32_t counted; /* referral counts table: successful referrals */
    uint32_t in_counts; /* 1: named by the referral counts table */
    int32_t now;      /* row of the summary now, -1 */
    int32_t before;   /* row of the summary at the earlier date, -1 */
};

struct edge {
    uint32_t from, to;
    cs_day day; /* UNDATED or a day */
};

/* An open-addressing map from 64-bit keys to 32-bit values (+1; 0 empty). */
struct map {
    uint64_t *key;
    uint32_t *val;
    size_t cap, n;
};

struct slot;

struct cs_stages {
    cs_stages_options opt;
    const cs_summary *now, *bef;
    cs_day as_of, before;
    int have_log;
    cs_ids ids;
    struct scust *c;
    size_t cap;
    struct slot *slot; /* the ids' table (intern) */
    size_t tcap;
    int tbits;         /* tcap = 2^tbits */
    struct edge *e;
    size_t ne, ecap;
    struct map pairs;    /* referrer << 32 | referred -> edge + 1 */
    uint64_t *ck;        /* contacts: id << 32 | day (order-preserving) */
    size_t nck, ckcap;
    cs_side_stats side[CS_SIDE_NKINDS];
};

static const char *const known_id[] = {"customerid", "customer", "custid", "clientid", "client",
                                       "userid", "user", "accountid", "memberid", "id", NULL};
static const char *const known_referred[] = {"referredid", "referred", "refereeid", "referee",
                                             "referredcustomerid", NULL};
static const char *const known_referrer[] = {"referrerid", "referrer", "referrercustomerid",
                                             "referredby", NULL};
static const char *const known_date[] = {"date", NULL};

cs_stages *cs_stages_new(const cs_stages_options *opt, cs_error *err)
{
    if (opt->loyal_min_days < 2 || opt->advocate_min_referrals < 1 ||
        !(opt->active_within > 0) ||
        (opt->model && !(opt->alive_threshold >= 0 && opt->alive_threshold <= 1))) {
        csi_fail(err, CS_EINVAL,
                 "stages need loyal_min_days >= 2, advocate_min_referrals >= 1, "
                 "active_within > 0 and an alive threshold from 0 to 1");
        return NULL;
    }
    cs_stages *st = calloc(1, sizeof *st);
    if (!st) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    st->opt = *opt;
    st->as_of = st->before = CS_DAY_NONE;
    return st;
}

static void map_free(struct map *m)
{
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof *m);
}

void cs_stages_free(cs_stages *st)
{
    if (!st)
        return;
    cs_ids_clear(&st->ids);
    free(st->c);
    free(st->slot);
    free(st->e);
    map_free(&st->pairs);
    free(st->ck);
    free(st);
}

static uint64_t mix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

/* Finds key: 1 and *pos its slot, or 0 with *pos the slot where it goes. */
static int map_find(struct map *m, uint64_t key, size_t *pos)
{
    size_t mask = m->cap - 1, j = mix64(key) & mask;
    while (m->val[j]) {
        if (m->key[j] == key) {
            *pos = j;
            return 1;
        }
        j = (j + 1) & mask;
    }
    *pos = j;
    return 0;
}

static int map_grow(struct map *m)
{
    if (m->cap && (m->n + 1) * 4 <= m->cap * 3) /* at most 3/4 full */
        return CS_OK;
    size_t ncap = m->cap ? m->cap * 2 : 1024;
    struct map g = {calloc(ncap, sizeof *g.key), calloc(ncap, sizeof *g.val), ncap, m->n};
    if (!g.key || !g.val) {
        map_free(&g);
        return CS_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->val[i]) {
            size_t j;
            map_find(&g, m->key[i], &j);
            g.key[j] = m->key[i];
            g.val[j] = m->val[i];
        }
    map_free(m);
    *m = g;
    return CS_OK;
}

/* A slot of the id table, as the summary builder's: an id of up to 8 bytes
 * is recognised without reading the arena. idx: the customer + 1, 0 empty. */
struct slot {
    uint64_t id8;
    uint32_t idx;
    uint32_t tag_len; /* hash bits 63..40 << 8 | min(id length, 255) */
};

static uint64_t load8(const char *id, size_t len)
{
    uint64_t w = 0;
    memcpy(&w, id, len < 8 ? len : 8);
    return w;
}

/* A slot's place in a table of 2^bits slots: the hash's top bits, so that a
 * table of up to 2^24 slots grows from the slots' tags alone (no id read). */
static size_t slot_pos(uint64_t h, int bits)
{
    return (size_t)(h >> (64 - bits));
}

static int grow_ids(cs_stages *st, size_t want)
{
    int bits = st->tbits ? st->tbits + 1 : 12;
    while (((size_t)1 << bits) * 3 < want * 4)
        bits++;
    size_t ncap = (size_t)1 << bits, mask = ncap - 1;
    struct slot *ns = big_calloc(ncap * sizeof *ns);
    if (!ns)
        return CS_ENOMEM;
    for (size_t i = 0; i < st->tcap; i++)
        if (st->slot[i].idx) {
            size_t j;
            if (bits <= 24) {
                j = (size_t)(st->slot[i].tag_len >> 8) >> (24 - bits);
            } else {
                size_t l;
                const char *s = cs_ids_get(&st->ids, st->slot[i].idx - 1, &l);
                j = slot_pos(csi_hash_bytes(s, l), bits);
            }
            while (ns[j].idx)
                j = (j + 1) & mask;
            ns[j] = st->slot[i];
        }
    free(st->slot);
    st->slot = ns;
    st->tcap = ncap;
    st->tbits = bits;
    return CS_OK;
}

/* The customer of an id: its index, added when new (*created); negative on
 * CS_ENOMEM. */
static long intern_h(cs_stages *st, const char *id, size_t len, uint64_t h, int *created)
{
    if ((st->ids.n + 1) * 4 > st->tcap * 3 && grow_ids(st, st->ids.n + 1) != CS_OK)
        return CS_ENOMEM;
    uint64_t w = load8(id, len);
    uint32_t tl = (uint32_t)(h >> 40) << 8 | (uint32_t)(len < 255 ? len : 255);
    size_t mask = st->tcap - 1, j = slot_pos(h, st->tbits);
    for (; st->slot[j].idx; j = (j + 1) & mask) {
        const struct slot *e = &st->slot[j];
        if (e->tag_len != tl || e->id8 != w)
            continue;
        size_t l, k = e->idx - 1;
        if (len <= 8) {
            *created = 0;
            return (long)k;
        }
        const char *s = cs_ids_get(&st->ids, k, &l);
        if (l == len && memcmp(s + 8, id + 8, len - 8) == 0) {
            *created = 0;
            return (long)k;
        }
    }
    size_t k = st->ids.n;
    if (k >= UINT32_MAX - 1)
        return CS_ENOMEM;
    if (k == st->cap) {
        size_t ncap = st->cap ? st->cap * 2 : 1024;
        struct scust *nc = csi_big_alloc(ncap * sizeof *nc, 0); /* set when interned */
        if (!nc)
            return CS_ENOMEM;
        if (k)
            memcpy(nc, st->c, k * sizeof *nc);
        free(st->c);
        st->c = nc;
        st->cap = ncap;
    }
    if (cs_ids_push(&st->ids, id, len) != CS_OK)
        return CS_ENOMEM;
    st->c[k] = (struct scust){CS_DAY_NONE, CS_DAY_NONE, CS_DAY_NONE, CS_DAY_NONE, 0, 0, -1, -1};
    st->slot[j] = (struct slot){w, (uint32_t)(k + 1), tl};
    *created = 1;
    return (long)k;
}

static long intern(cs_stages *st, const char *id, size_t len, int *created)
{
    return intern_h(st, id, len, csi_hash_bytes(id, len), created);
}

/* Byte order, a shorter id before a longer one it starts. */
static int idcmp(const char *a, size_t la, const char *b, size_t lb)
{
    int r = memcmp(a, b, la < lb ? la : lb);
    return r ? r : (la > lb) - (la < lb);
}

int cs_stages_set_log(cs_stages *st, const cs_summary *now, const cs_summary *before,
                      cs_day before_date, cs_error *err)
{
    if (st->have_log || st->ids.n)
        return csi_fail(err, CS_EINVAL, "the log goes in once, before the side tables");
    if (before_date != CS_DAY_NONE && before_date >= now->as_of)
        return csi_fail(err, CS_EINVAL, "the earlier date must be before the end of observation");
    st->now = now;
    st->bef = before_date != CS_DAY_NONE ? before : NULL;
    st->as_of = now->as_of;
    st->before = before_date;
    st->have_log = 1;
    /* room for the log's customers and as many again from side tables */
    size_t bytes = 0;
    for (size_t i = 0; i < now->n; i++)
        bytes += now->rows[i].id_len;
    if (grow_ids(st, 2 * now->n + 1) != CS_OK ||
        !(st->c = csi_big_alloc(2 * now->n * sizeof *st->c + 1, 0)) ||
        cs_ids_reserve(&st->ids, 2 * now->n + 1, 2 * bytes) != CS_OK)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    st->cap = 2 * now->n;
    for (size_t i = 0; i < now->n; i++) {
        int created;
        long k = intern(st, now->rows[i].id, now->rows[i].id_len, &created);
        if (k < 0)
            return csi_fail(err, CS_ENOMEM, "out of memory");
        st->c[k].now = (int32_t)i;
    }
    /* both sorted by id: a merge */
    size_t i = 0;
    for (size_t b = 0; st->bef && b < st->bef->n; b++) {
        const cs_summary_row *r = &st->bef->rows[b];
        while (i < now->n &&
               idcmp(now->rows[i].id, now->rows[i].id_len, r->id, r->id_len) < 0)
            i++;
        long k;
        if (i < now->n && idcmp(now->rows[i].id, now->rows[i].id_len, r->id, r->id_len) == 0) {
            k = (long)i;
        } else { /* not expected: a purchase day by then is one now */
            int created;
            if ((k = intern(st, r->id, r->id_len, &created)) < 0)
                return csi_fail(err, CS_ENOMEM, "out of memory");
        }
        st->c[k].before = (int32_t)b;
    }
    return CS_OK;
}

/* ---- Side tables ---- */

static int find_col(cs_table *t, const char *given, const char *const *known, const char *shown,
                    const char *what, int required, int *col, cs_error *err)
{
    if (given) {
        *col = cs_table_find(t, given);
        if (*col < 0) {
            csi_fail(err, CS_ECOLUMN, "no column '%s' (%s)", given, what);
            csi_error_where(err, cs_table_file(t), cs_table_line(t), 0, NULL, 0);
            return CS_ECOLUMN;
        }
        return CS_OK;
    }
    *col = cs_table_find_known(t, known);
    if (*col < 0 && required) {
        csi_fail(err, CS_ECOLUMN, "no column for %s (expected one named %s)", what, shown);
        csi_error_where(err, cs_table_file(t), cs_table_line(t), 0, NULL, 0);
        return CS_ECOLUMN;
    }
    return CS_OK;
}

static int field_error(cs_table *t, int col, cs_error *err, int code, const char *what,
                       const char *s, size_t len)
{
    char ex[128];
    csi_excerpt(ex, sizeof ex, s, len);
    if (len)
        csi_fail(err, code, "'%s' is not %s", ex, what);
    else
        csi_fail(err, code, "empty: expected %s", what);
    csi_error_where(err, cs_table_file(t), cs_table_line(t), col + 1, cs_table_name(t, col),
                    strlen(cs_table_name(t, col)));
    return code;
}

/* The id at col, as the log's reader takes it. */
static int side_id(cs_table *t, int col, int id_mode, const char **id, size_t *len,
                   cs_error *err)
{
    int rc = cs_table_str(t, col, id, len);
    if (rc != CS_OK)
        return csi_fail(err, rc, "no such column");
    if (*len == 0)
        return field_error(t, col, err, CS_EID, "a customer id", "", 0);
    if (!csi_utf8_valid(*id, *len))
        return field_error(t, col, err, CS_EID, "a customer id (not valid UTF-8)", *id, *len);
    if (id_mode == CS_ID_NUMERIC) {
        size_t s, l;
        if (!cs_id_numeric(*id, *len, &s, &l)) {
            field_error(t, col, err, CS_EID, "a whole number (ids are read as numbers)", *id,
                        *len);
            csi_error_setting(err, "id_normalize", "numeric");
            return CS_EID;
        }
        *id += s;
        *len = l;
    }
    return CS_OK;
}

static int side_day(cs_table *t, int col, const cs_datefmt *fmt, cs_day *d, cs_error *err)
{
    if (col < 0) {
        *d = UNDATED;
        return CS_OK;
    }
    const char *s;
    size_t len;
    cs_table_str(t, col, &s, &len);
    if (len == 0) {
        *d = UNDATED;
        return CS_OK;
    }
    if (!fmt || fmt->kind == CS_DATE_AUTO) {
        int rc = cs_table_day(t, col, 0, d, err);
        return rc;
    }
    int kind;
    if (cs_date_parse(fmt, s, len, d, &kind) != CS_OK) {
        char what[96];
        snprintf(what, sizeof what, "a date (expected %s)", cs_datefmt_expected(fmt));
        return field_error(t, col, err, CS_EDATE, what, s, len);
    }
    return CS_OK;
}

/* A count of referrals: a whole number >= 0, or 0/1, yes/no, true/false. */
static int side_count(cs_table *t, int col, uint32_t *v, cs_error *err)
{
    const char *s;
    size_t len;
    cs_table_str(t, col, &s, &len);
    static const char *const yes[] = {"yes", "true", "y", "t"};
    static const char *const no[] = {"no", "false", "n", "f"};
    for (int i = 0; i < 4; i++) {
        if (len == strlen(yes[i]) && strncasecmp(s, yes[i], len) == 0) {
            *v = 1;
            return CS_OK;
        }
        if (len == strlen(no[i]) && strncasecmp(s, no[i], len) == 0) {
            *v = 0;
            return CS_OK;
        }
    }
    double d;
    if (!cs_parse_double(s, len, &d) || d < 0 || d != floor(d) || d > 1e9)
        return field_error(t, col, err, CS_EFORMAT,
                           "a number of referrals (a whole number >= 0, or yes/no, true/false)",
                           s, len);
    *v = (uint32_t)d;
    return CS_OK;
}

static int earlier(cs_day a, cs_day b)
{
    return b == CS_DAY_NONE || a < b;
}

static long side_cust(cs_stages *st, const char *id, size_t len, uint64_t h, cs_side_stats *ss)
{
    int created;
    long k = intern_h(st, id, len, h, &created);
    if (k >= 0 && created)
        ss->new_ids++;
    return k;
}

/* Sorts the contacts' keys (customer << 32 | day as an unsigned in order),
 * 16 bits a pass, drops the duplicates (counted) and gives each customer its
 * earliest contact. */
static int contacts_settle(cs_stages *st, cs_side_stats *ss)
{
    size_t n = st->nck;
    uint64_t *a = st->ck;
    if (!csi_radix_sort64(a, NULL, n))
        return CS_ENOMEM;
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w && a[i] == a[w - 1]) {
            ss->duplicates++;
            continue;
        }
        if (!w || a[i] >> 32 != a[w - 1] >> 32) {
            struct scust *c = &st->c[a[i] >> 32];
            cs_day d = (cs_day)((uint32_t)a[i] ^ 0x80000000u);
            if (earlier(d, c->contact))
                c->contact = d;
        }
        a[w++] = a[i];
    }
    st->ck = a;
    st->nck = w;
    return CS_OK;
}

/* One row of a side table, admitted (dated by the end, not a
 * self-referral): id (hash h) and, for referrals, the referrer rid (rh). */
struct side_row {
    size_t off, len, roff, rlen; /* in the batch's bytes */
    uint64_t h, rh;
    cs_day d;
    uint32_t cnt;
};

static int apply_row(cs_stages *st, int kind, cs_side_stats *ss, const char *id, size_t len,
                     uint64_t h, const char *rid, size_t rlen, uint64_t rh, cs_day d,
                     uint32_t cnt, cs_error *err)
{
    long k = side_cust(st, id, len, h, ss);
    if (k < 0) {
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    struct scust *c = &st->c[k];
    if (kind == CS_SIDE_PROSPECTS) {
        if (c->prospect != CS_DAY_NONE)
            ss->duplicates++;
        if (earlier(d, c->prospect))
            c->prospect = d;
    } else if (kind == CS_SIDE_CONTACTS) {
        /* collected, then sorted and deduplicated at the end: a sort
         * reads memory in order, a set of 5M keys at random */
        if (st->nck == st->ckcap) {
            size_t ncap = st->ckcap ? st->ckcap * 2 : 4096;
            uint64_t *nk = csi_big_alloc(ncap * sizeof *nk, 0);
            if (!nk)
                return csi_fail(err, CS_ENOMEM, "out of memory");
            if (st->nck)
                memcpy(nk, st->ck, st->nck * sizeof *nk);
            free(st->ck);
            st->ck = nk;
            st->ckcap = ncap;
        }
        st->ck[st->nck++] = (uint64_t)k << 32 | ((uint32_t)d ^ 0x80000000u);
    } else if (kind == CS_SIDE_REFERRAL_COUNTS) {
        if (c->in_counts)
            ss->duplicates++;
        c->in_counts = 1;
        if (cnt > c->counted)
            c->counted = cnt;
    } else {
        long r = side_cust(st, rid, rlen, rh, ss);
        if (r < 0)
            return csi_fail(err, CS_ENOMEM, "out of memory");
        c = &st->c[k]; /* the array may have moved */
        size_t pos;
        uint64_t key = (uint64_t)r << 32 | (uint64_t)k;
        if (map_grow(&st->pairs) != CS_OK)
            return csi_fail(err, CS_ENOMEM, "out of memory");
        if (map_find(&st->pairs, key, &pos)) {
            ss->duplicates++;
            struct edge *e = &st->e[st->pairs.val[pos] - 1];
            if (d < e->day)
                e->day = d;
        } else {
            if (st->ne == st->ecap) {
                size_t ncap = st->ecap ? st->ecap * 2 : 256;
                struct edge *ne = realloc(st->e, ncap * sizeof *ne);
                if (!ne)
                    return csi_fail(err, CS_ENOMEM, "out of memory");
                st->e = ne;
                st->ecap = ncap;
            }
            st->e[st->ne] = (struct edge){(uint32_t)r, (uint32_t)k, d};
            st->pairs.key[pos] = key;
            st->pairs.val[pos] = (uint32_t)++st->ne;
            st->pairs.n++;
        }
        if (earlier(d, c->referred))
            c->referred = d;
        if (earlier(d, st->c[r].referrer))
            st->c[r].referrer = d;
    }
    return CS_OK;
}

int cs_stages_read(cs_stages *st, cs_input *in, const cs_side_spec *spec, cs_error *err)
{
    if (spec->kind < 0 || spec->kind >= CS_SIDE_NKINDS)
        return csi_fail(err, CS_EINVAL, "not a kind of side table: %d", spec->kind);
    if (!st->have_log)
        return csi_fail(err, CS_EINVAL, "the log goes in before the side tables");
    cs_side_stats *ss = &st->side[spec->kind];
    cs_table *t = cs_table_open(in, CS_DELIM_AUTO, err);
    if (!t)
        return err ? err->code : CS_EFORMAT;
    int kind = spec->kind, cid, cref = -1, cdate = -1, cflag = -1, rc;
    const char *what = kind == CS_SIDE_REFERRALS ? "the referred customer" : "the customer id";
    rc = find_col(t, spec->id_column, kind == CS_SIDE_REFERRALS ? known_referred : known_id,
                  kind == CS_SIDE_REFERRALS ? "referred_id" : "customer_id", what, 1, &cid, err);
    if (rc == CS_OK && kind == CS_SIDE_REFERRALS)
        rc = find_col(t, spec->referrer_column, known_referrer, "referrer_id", "the referrer", 1,
                      &cref, err);
    if (rc == CS_OK && kind == CS_SIDE_REFERRAL_COUNTS) {
        if (!spec->flag_column)
            rc = csi_fail(err, CS_EINVAL, "a referral counts table needs its column named");
        else
            rc = find_col(t, spec->flag_column, NULL, NULL, "the referrals", 1, &cflag, err);
    }
    if (rc == CS_OK && kind != CS_SIDE_REFERRAL_COUNTS)
        rc = find_col(t, spec->date_column, known_date, "date", "the date", 0, &cdate, err);
    /* rows go in batches: the ids' slots are prefetched for a batch, so
     * that their cache misses overlap */
    enum { BATCH = 32 };
    struct side_row b[BATCH];
    char *bytes = NULL;
    size_t nb = 0, used = 0, cap = 0;
    int more = 1;
    while (rc == CS_OK && more) {
        rc = cs_table_next(t, err);
        more = rc == 1;
        rc = rc < 0 ? rc : CS_OK;
        if (more) {
            ss->rows++;
            const char *id, *rid = NULL;
            size_t len, rlen = 0;
            cs_day d = UNDATED;
            uint32_t cnt = 0;
            if ((rc = side_id(t, cid, spec->id_mode, &id, &len, err)) != CS_OK ||
                (cref >= 0 && (rc = side_id(t, cref, spec->id_mode, &rid, &rlen, err)) != CS_OK) ||
                (rc = side_day(t, cdate, spec->datefmt, &d, err)) != CS_OK ||
                (cflag >= 0 && (rc = side_count(t, cflag, &cnt, err)) != CS_OK))
                break;
            if (d != UNDATED && d > st->as_of) {
                ss->after_as_of++;
                continue;
            }
            if (kind == CS_SIDE_REFERRALS && len == rlen && memcmp(id, rid, len) == 0) {
                ss->self_referrals++;
                continue;
            }
            if (used + len + rlen > cap) {
                size_t ncap = cap ? cap : 4096;
                while (ncap < used + len + rlen)
                    ncap *= 2;
                char *nbytes = realloc(bytes, ncap);
                if (!nbytes) {
                    rc = csi_fail(err, CS_ENOMEM, "out of memory");
                    break;
                }
                bytes = nbytes;
                cap = ncap;
            }
            struct side_row *r = &b[nb++];
            *r = (struct side_row){used, len, used + len, rlen, csi_hash_bytes(id, len), 0, d,
                                   cnt};
            memcpy(bytes + used, id, len);
            if (rlen) {
                memcpy(bytes + used + len, rid, rlen);
                r->rh = csi_hash_bytes(rid, rlen);
            }
            used += len + rlen;
            __builtin_prefetch(&st->slot[slot_pos(r->h, st->tbits)]);
            if (rlen)
                __builtin_prefetch(&st->slot[slot_pos(r->rh, st->tbits)]);
            if (nb < BATCH)
                continue;
        }
        for (size_t i = 0; rc == CS_OK && i < nb; i++)
            rc = apply_row(st, kind, ss, bytes + b[i].off, b[i].len, b[i].h, bytes + b[i].roff,
                           b[i].rlen, b[i].rh, b[i].d, b[i].cnt, err);
        nb = used = 0;
    }
    free(bytes);
    cs_table_free(t);
    if (rc >= 0 && kind == CS_SIDE_CONTACTS && (rc = contacts_settle(st, ss)) != CS_OK)
        csi_fail(err, rc, "out of memory");
    return rc < 0 ? rc : CS_OK;
}

/* ---- Types ---- */

/* A side-table date counts at date when undated or not after it. */
static int by(cs_day d, cs_day date)
{
    return d != CS_DAY_NONE && (d == UNDATED || d <= date);
}

static int active(const cs_stages *st, const cs_summary_row *r, cs_day date)
{
    if (!st->opt.model)
        return (double)(date - r->last) <= st->opt.active_within;
    int64_t num, den;
    cs_unit_days(st->opt.model->unit, &num, &den);
    double u = (double)num / (double)den;
    cs_obs o = {(double)r->purchase_days - 1, (double)(r->last - r->first) / u,
                (double)(date - r->first) / u, 0};
    double p = cs_model_p_alive(st->opt.model, &o);
    return p >= st->opt.alive_threshold;
}

/* The first known purchase day of r on or after day (UNDATED: the first):
 * the first purchase, the N-th or the last, the earliest that is. */
static cs_day success_day(const cs_summary_row *r, cs_day day)
{
    if (day == UNDATED || r->first >= day)
        return r->first;
    if (r->nth_day != CS_DAY_NONE && r->nth_day >= day)
        return r->nth_day;
    return r->last >= day ? r->last : CS_DAY_NONE;
}

static const cs_summary_row *row_at(const cs_stages *st, size_t k, int which)
{
    const cs_summary *s = which ? st->bef : st->now;
    int32_t i = which ? st->c[k].before : st->c[k].now;
    return s && i >= 0 ? &s->rows[i] : NULL;
}

/* The type of customer k at the summary `which` (0 now, 1 before) and
 * date, given its successful referrals; -1 when unknown then. */
static int type_of(const cs_stages *st, size_t k, int which, cs_day date, uint32_t refs)
{
    const struct scust *c = &st->c[k];
    const cs_summary_row *r = row_at(st, k, which);
    if (r) {
        int act = active(st, r, date);
        if (act && refs >= (uint32_t)st->opt.advocate_min_referrals)
            return CS_STAGE_ADVOCATE;
        if (act)
            return r->purchase_days >= (uint32_t)st->opt.loyal_min_days ? CS_STAGE_LOYAL
                                                                         : CS_STAGE_PURCHASER;
        return CS_STAGE_LAPSED;
    }
    if (by(c->contact, date))
        return CS_STAGE_POTENTIAL;
    /* a referral is a lead, of both sides; so is a row of the counts */
    if (by(c->prospect, date) || by(c->referred, date) || by(c->referrer, date) || c->in_counts)
        return CS_STAGE_PROSPECT;
    return -1;
}

static int cmp_success(const void *a, const void *b)
{
    const struct edge *x = a, *y = b;
    if (x->from != y->from)
        return (x->from > y->from) - (x->from < y->from);
    return (x->day > y->day) - (x->day < y->day);
}

/* Successful referrals at summary `which` and date: counts per referrer
 * (refs, zeroed here) and, for which 0, each referrer's M-th success day
 * (adv_day; CS_DAY_NONE when unknown). */
static int successes(const cs_stages *st, int which, cs_day date, uint32_t *refs,
                     cs_day *adv_day)
{
    size_t n = st->ids.n;
    memset(refs, 0, n * sizeof *refs);
    for (size_t k = 0; k < n; k++) {
        refs[k] = st->c[k].counted;
        if (adv_day)
            adv_day[k] = CS_DAY_NONE;
    }
    struct edge *ok = NULL;
    size_t nok = 0;
    if (adv_day && st->ne && !(ok = malloc(st->ne * sizeof *ok)))
        return CS_ENOMEM;
    for (size_t i = 0; i < st->ne; i++) {
        const struct edge *e = &st->e[i];
        if (!by(e->day, date))
            continue;
        const cs_summary_row *r = row_at(st, e->to, which);
        if (!r || !(e->day == UNDATED || r->last >= e->day))
            continue;
        refs[e->from]++;
        if (ok)
            ok[nok++] = (struct edge){e->from, 0, success_day(r, e->day)};
    }
    if (ok) {
        /* each referrer's M-th success, by day: edges sorted by (from, day) */
        qsort(ok, nok, sizeof *ok, cmp_success);
        uint32_t m = (uint32_t)st->opt.advocate_min_referrals;
        for (size_t i = 0; i < nok;) {
            size_t j = i;
            while (j < nok && ok[j].from == ok[i].from)
                j++;
            if (j - i >= m && !st->c[ok[i].from].in_counts)
                adv_day[ok[i].from] = ok[i + m - 1].day;
            i = j;
        }
        free(ok);
    }
    return CS_OK;
}


struct idkey {
    const char *id;
    uint64_t p; /* the first 8 bytes, in byte order (id_prefix) */
    uint32_t len, k;
};

static int cmp_idkey(const void *a, const void *b)
{
    const struct idkey *x = a, *y = b;
    return idcmp(x->id, x->len, y->id, y->len);
}

/* An id's first 8 bytes as a number in byte order (zero padded). */
static uint64_t id_prefix(const char *id, size_t len)
{
    return __builtin_bswap64(load8(id, len));
}

/* x[0..r) in id order: a radix sort on the ids' first 8 bytes, then the
 * runs with the same first 8 bytes by the whole id. Returns 0 when out of
 * memory. */
static int sort_idkeys(struct idkey *x, size_t r)
{
    if (r > UINT32_MAX)
        return 0;
    uint64_t *p = csi_big_alloc((r ? r : 1) * sizeof *p, 0);
    uint32_t *at = csi_big_alloc((r ? r : 1) * sizeof *at, 0);
    struct idkey *y = csi_big_alloc((r ? r : 1) * sizeof *y, 0);
    int ok = p && at && y;
    for (size_t i = 0; ok && i < r; i++)
        p[i] = x[i].p, at[i] = (uint32_t)i;
    ok = ok && csi_radix_sort64(p, at, r);
    for (size_t i = 0; ok && i < r; i++)
        y[i] = x[at[i]];
    if (ok)
        memcpy(x, y, r * sizeof *x);
    free(p), free(at), free(y);
    for (size_t i = 0; ok && i < r;) {
        size_t j = i + 1;
        while (j < r && x[j].p == x[i].p)
            j++;
        if (j - i > 1)
            qsort(x + i, j - i, sizeof *x, cmp_idkey);
        i = j;
    }
    return ok;
}

/* Every customer by id: those of the summary now are interned first, in
 * its order; the others are sorted and merged in. */
static uint32_t *id_order(const cs_stages *st)
{
    size_t n = st->ids.n, m = st->now ? st->now->n : 0, r = n - m;
    uint32_t *o = csi_big_alloc((n ? n : 1) * sizeof *o, 0);
    struct idkey *x = csi_big_alloc((r ? r : 1) * sizeof *x, 0);
    if (!o || !x) {
        free(o);
        free(x);
        return NULL;
    }
    for (size_t i = 0; i < r; i++) {
        size_t len;
        x[i].id = cs_ids_get(&st->ids, m + i, &len);
        x[i].len = (uint32_t)len;
        x[i].k = (uint32_t)(m + i);
        x[i].p = id_prefix(x[i].id, len);
    }
    if (!sort_idkeys(x, r))
        qsort(x, r, sizeof *x, cmp_idkey);
    size_t i = 0, j = 0, w = 0;
    while (i < m || j < r) {
        size_t len;
        const char *a = i < m ? cs_ids_get(&st->ids, i, &len) : NULL;
        if (j == r || (i < m && idcmp(a, len, x[j].id, x[j].len) <= 0))
            o[w++] = (uint32_t)i++;
        else
            o[w++] = x[j++].k;
    }
    free(x);
    return o;
}

void cs_stages_result_free(cs_stages_result *res)
{
    if (!res)
        return;
    free(res->rows);
    memset(res, 0, sizeof *res);
}


int cs_stages_compute(cs_stages *st, cs_stages_result *res, cs_error *err)
{
    memset(res, 0, sizeof *res);
    size_t n = st->ids.n;
    if (n == 0)
        return csi_fail(err, CS_EEMPTY, "no customers");
    res->as_of = st->as_of;
    res->before = st->before;
    memcpy(res->side, st->side, sizeof res->side);
    uint32_t *refs = csi_big_alloc(n * sizeof *refs, 0), *refs_b = NULL, *order = NULL;
    cs_day *adv = csi_big_alloc(n * sizeof *adv, 0);
    double *diff[CS_FUNNEL_COUNT - 1] = {NULL};
    size_t ndiff[CS_FUNNEL_COUNT - 1] = {0};
    int ok = refs && adv &&
             (st->opt.no_rows || (res->rows = csi_big_alloc(n * sizeof *res->rows, 0)) != NULL);
    for (int s = 0; ok && s < CS_FUNNEL_COUNT - 1; s++)
        ok = (diff[s] = csi_big_alloc(n * sizeof *diff[s], 0)) != NULL;
    ok = ok && successes(st, 0, st->as_of, refs, adv) == CS_OK;
    if (ok && st->before != CS_DAY_NONE)
        ok = (refs_b = malloc(n * sizeof *refs_b)) != NULL &&
             successes(st, 1, st->before, refs_b, NULL) == CS_OK;
    /* the rows go in id order; the sums, the funnel and the migration do
     * not depend on the order */
    ok = ok && (st->opt.no_rows || (order = id_order(st)) != NULL);
    if (!ok) {
        free(refs), free(refs_b), free(adv), free(order);
        for (int s = 0; s < CS_FUNNEL_COUNT - 1; s++)
            free(diff[s]);
        cs_stages_result_free(res);
        return csi_fail(err, CS_ENOMEM, "out of memory");
    }
    uint32_t N = (uint32_t)st->opt.loyal_min_days, M = (uint32_t)st->opt.advocate_min_referrals;
    size_t loyal_known = 0, loyal_all = 0;
    for (size_t w = 0; w < n; w++) {
        size_t k = order ? order[w] : w;
        const struct scust *c = &st->c[k];
        const cs_summary_row *r = row_at(st, k, 0);
        cs_stage_row one, *o = res->rows ? &res->rows[w] : &one;
        size_t len;
        o->id = cs_ids_get(&st->ids, k, &len);
        o->id_len = (uint32_t)len;
        o->in_log = r != NULL;
        o->purchase_days = r ? r->purchase_days : 0;
        o->first = r ? r->first : CS_DAY_NONE;
        o->last = r ? r->last : CS_DAY_NONE;
        o->value = r ? r->total_value : 0;
        o->referrals = refs[k];
        o->stage = type_of(st, k, 0, st->as_of, refs[k]);
        if (o->stage < 0) /* not expected: rows after the end are left out */
            o->stage = CS_STAGE_PROSPECT;
        res->count[o->stage]++;
        res->value[o->stage] += o->value;
        res->side_only[o->stage] += !r;
        o->stage_before = -1;
        if (st->before != CS_DAY_NONE) {
            o->stage_before = type_of(st, k, 1, st->before, refs_b[k]);
            int f = o->stage_before < 0 ? CS_STAGE_COUNT : o->stage_before;
            res->migration[f][o->stage]++;
            if (f == CS_STAGE_COUNT)
                res->new_customers++;
            else if (o->stage > f)
                res->up++;
            else if (o->stage < f)
                res->down++;
            else
                res->stay++;
        }
        /* the funnel: stages reached, and when */
        int reached[CS_FUNNEL_COUNT];
        cs_day day[CS_FUNNEL_COUNT];
        cs_day contact = by(c->contact, st->as_of) ? c->contact : CS_DAY_NONE;
        reached[0] = by(c->prospect, st->as_of);
        day[0] = reached[0] && c->prospect != UNDATED ? c->prospect : CS_DAY_NONE;
        reached[1] = contact != CS_DAY_NONE || r;
        day[1] = contact != CS_DAY_NONE && contact != UNDATED ? contact : CS_DAY_NONE;
        if (r && earlier(r->first, day[1]))
            day[1] = r->first;
        reached[2] = r != NULL;
        day[2] = r ? r->first : CS_DAY_NONE;
        reached[3] = r && r->purchase_days >= N;
        day[3] = reached[3] ? r->nth_day : CS_DAY_NONE;
        loyal_all += reached[3];
        loyal_known += reached[3] && day[3] != CS_DAY_NONE;
        reached[4] = refs[k] >= M;
        day[4] = reached[4] ? adv[k] : CS_DAY_NONE;
        for (int s = 0; s < CS_FUNNEL_COUNT; s++)
            res->reached[s] += reached[s];
        for (int s = 0; s < CS_FUNNEL_COUNT - 1; s++) {
            if (!reached[s])
                continue;
            res->step[s].base++;
            if (!reached[s + 1])
                continue;
            res->step[s].converted++;
            if (day[s] != CS_DAY_NONE && day[s + 1] != CS_DAY_NONE && day[s + 1] >= day[s])
                diff[s][ndiff[s]++] = (double)(day[s + 1] - day[s]);
        }
    }
    res->n = n;
    res->loyal_dates = loyal_all == 0 || loyal_known > 0;
    for (int s = 0; s < CS_FUNNEL_COUNT - 1; s++) {
        res->step[s].timed = ndiff[s];
        res->step[s].median_days = cs_stats_median(diff[s], ndiff[s]);
        free(diff[s]);
    }
    free(refs), free(refs_b), free(adv), free(order);
    return CS_OK;
}
