/* Customer relationship stages: prospects, potential buyers, purchasers,
 * loyal followers, advocates and the lapsed, from the log's summary and the
 * user's side tables (prospects, contacts, referrals), joined on the ids
 * by sorting each table and walking it beside the customers (sorted too);
 * the funnel of stages reached and the migration between two dates. */
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

/* Undated rows of a side table count at every date: they sort before any. */
#define UNDATED (INT32_MIN + 1)

/* Per customer: what the side tables say (earliest dates; UNDATED for an
 * undated row, CS_DAY_NONE for none). 16 bytes: the rest (the rows of the
 * summaries, referral counts) is in arrays of their own, there only when
 * used; customer k < m is row k of the summary now. */
struct scust {
    cs_day prospect;  /* earliest prospects row */
    cs_day contact;   /* earliest contact */
    cs_day referred;  /* earliest referral naming it as the referred */
    cs_day referrer;  /* earliest referral naming it as the referrer */
};

/* cnt[k]: named by the referral counts table, and its count */
#define IN_COUNTS 0x80000000u

struct edge {
    uint32_t from, to;
    cs_day day; /* UNDATED or a day */
};

/* A side table's rows on their way to the customers. A hash table of the
 * ids would be missed at random, a row at a time (the cost of a side row
 * was that of a log row); instead the rows are sorted by id and walked
 * beside the customers, sorted too, reading memory in order. An id of up
 * to 8 bytes whose last byte is not NUL is its 8 bytes zero padded, in
 * byte order (k: the id itself); a longer one is kept in lid. A row's
 * value: its day (prospects, contacts), its count (referral counts) or
 * 2 * row + side (referrals; side 0 the referred, 1 the referrer; rday
 * the row's day). */
struct sidebuf {
    uint64_t *k;   /* short ids */
    uint32_t *v;
    size_t n, cap;
    uint64_t *tk;  /* the sort's scratch, reused from table to table */
    uint32_t *tv;
    size_t tcap;
    cs_ids lid;    /* long ids, their values (lv) */
    uint32_t *lv;
    size_t lcap;
    uint64_t *lk;  /* the long ids' sort: a key, and their row in lid */
    uint32_t *li;
    cs_day *rday; /* referrals: each row's day */
    size_t nr, rcap;
};

/* A table read before the log: sorted, waiting for the join. */
struct pending {
    int kind;
    struct sidebuf b;
};

struct cs_stages {
    cs_stages_options opt;
    const cs_summary *now, *bef;
    cs_day as_of, before;
    int have_log;
    size_t m;      /* customers 0..m-1: the rows of now, in id order */
    uint32_t *perm; /* NULL, or customer k < m is row perm[k] of now (a
                       summary table not sorted by id) */
    size_t n;      /* all customers */
    cs_ids ids;    /* the others' ids: customer m + i is ids[i] */
    struct scust *c;
    size_t cap;
    int32_t *bidx; /* customer k < nb: its row of the summary before, -1 */
    size_t nb;
    uint32_t *cnt; /* customer k < ncnt: its referral count | IN_COUNTS */
    size_t ncnt;
    uint32_t *ex;  /* the others (m..n-1), sorted by id */
    struct edge *e;
    size_t ne;
    struct sidebuf sb;
    struct pending *pend;
    size_t npend;
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

static void sb_free(struct sidebuf *b)
{
    free(b->k), free(b->v), free(b->tk), free(b->tv), free(b->lk), free(b->li), free(b->lv);
    free(b->rday);
    cs_ids_clear(&b->lid);
    memset(b, 0, sizeof *b);
}

void cs_stages_free(cs_stages *st)
{
    if (!st)
        return;
    cs_ids_clear(&st->ids);
    free(st->c);
    free(st->bidx);
    free(st->perm);
    free(st->cnt);
    free(st->ex);
    free(st->e);
    sb_free(&st->sb);
    for (size_t i = 0; i < st->npend; i++)
        sb_free(&st->pend[i].b);
    free(st->pend);
    free(st);
}

static uint64_t load8(const char *id, size_t len)
{
    uint64_t w = 0;
    memcpy(&w, id, len < 8 ? len : 8);
    return w;
}

/* An id's first 8 bytes as a number in byte order (zero padded). */
static uint64_t id_prefix(const char *id, size_t len)
{
    return __builtin_bswap64(load8(id, len));
}

/* Byte order, a shorter id before a longer one it starts. */
static int idcmp(const char *a, size_t la, const char *b, size_t lb)
{
    int r = memcmp(a, b, la < lb ? la : lb);
    return r ? r : (la > lb) - (la < lb);
}

/* idcmp, given b's first 8 bytes (id_prefix): most ids differ there. */
static int idcmp_p(const char *a, size_t la, const char *b, size_t lb, uint64_t pb)
{
    uint64_t pa = id_prefix(a, la);
    if (pa != pb)
        return pa < pb ? -1 : 1;
    return idcmp(a, la, b, lb);
}

/* The row of the summary now of customer k < m. */
static const cs_summary_row *log_row(const cs_stages *st, size_t k)
{
    return &st->now->rows[st->perm ? st->perm[k] : k];
}

/* Customer k's id. */
static const char *cid(const cs_stages *st, size_t k, size_t *len)
{
    if (k < st->m) {
        const cs_summary_row *r = log_row(st, k);
        *len = r->id_len;
        return r->id;
    }
    return cs_ids_get(&st->ids, k - st->m, len);
}

/* A new customer known from id (not in the log now); its index, or
 * CS_ENOMEM. */
static long new_cust(cs_stages *st, const char *id, size_t len)
{
    if (st->n >= UINT32_MAX - 1 || st->n >= INT32_MAX)
        return CS_ENOMEM;
    if (st->n == st->cap) {
        size_t ncap = st->cap ? st->cap * 8 : 1024;
        struct scust *nc = csi_big_grow(st->c, st->n * sizeof *nc, ncap * sizeof *nc);
        if (!nc)
            return CS_ENOMEM;
        st->c = nc;
        st->cap = ncap;
    }
    if (cs_ids_push(&st->ids, id, len) != CS_OK)
        return CS_ENOMEM;
    st->c[st->n] = (struct scust){CS_DAY_NONE, CS_DAY_NONE, CS_DAY_NONE, CS_DAY_NONE};
    return (long)st->n++;
}

static int side_join(cs_stages *st, struct sidebuf *b, int kind, cs_side_stats *ss);

struct rowkey {
    const char *id;
    uint32_t len, row;
};

static int cmp_rowkey(const void *a, const void *b)
{
    const struct rowkey *x = a, *y = b;
    int r = idcmp(x->id, x->len, y->id, y->len);
    return r ? r : (x->row > y->row) - (x->row < y->row);
}

/* The builder gives its rows sorted by id; a summary table keeps its
 * file's order. When the rows are not sorted (or name a customer twice:
 * its last row counts, as a hash table of the ids would keep it), the
 * customers are the rows in id order through st->perm. */
static int order_log(cs_stages *st)
{
    const cs_summary *s = st->now;
    size_t n = s->n, i = 1;
    while (i < n && idcmp(s->rows[i - 1].id, s->rows[i - 1].id_len, s->rows[i].id,
                          s->rows[i].id_len) < 0)
        i++;
    st->m = n;
    if (i >= n)
        return CS_OK;
    struct rowkey *x = malloc(n * sizeof *x);
    if (!x || !(st->perm = malloc(n * sizeof *st->perm))) {
        free(x);
        return CS_ENOMEM;
    }
    for (i = 0; i < n; i++)
        x[i] = (struct rowkey){s->rows[i].id, s->rows[i].id_len, (uint32_t)i};
    qsort(x, n, sizeof *x, cmp_rowkey);
    size_t m = 0;
    for (i = 0; i < n; i++)
        if (i + 1 == n || idcmp(x[i].id, x[i].len, x[i + 1].id, x[i + 1].len) != 0)
            st->perm[m++] = x[i].row;
    free(x);
    st->m = m;
    return CS_OK;
}

int cs_stages_set_log(cs_stages *st, const cs_summary *now, const cs_summary *before,
                      cs_day before_date, cs_error *err)
{
    if (st->have_log)
        return csi_fail(err, CS_EINVAL, "the log goes in once, before the side tables");
    if (before_date != CS_DAY_NONE && before_date >= now->as_of)
        return csi_fail(err, CS_EINVAL, "the earlier date must be before the end of observation");
    if (now->n >= INT32_MAX)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    st->now = now;
    st->bef = before_date != CS_DAY_NONE ? before : NULL;
    st->as_of = now->as_of;
    st->before = before_date;
    st->have_log = 1;
    /* room for the log's customers and many more from the side tables:
     * memory is touched only as they come in */
    st->cap = 8 * now->n + 65536;
    if (!(st->c = csi_big_alloc(st->cap * sizeof *st->c, 0)))
        return csi_fail(err, CS_ENOMEM, "out of memory");
    if (order_log(st) != CS_OK)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    size_t m = st->n = st->m;
    for (size_t k = 0; k < m; k++)
        st->c[k] = (struct scust){CS_DAY_NONE, CS_DAY_NONE, CS_DAY_NONE, CS_DAY_NONE};
    if (st->bef) {
        if (!(st->bidx = csi_big_alloc((m + st->bef->n + 1) * sizeof *st->bidx, 0)))
            return csi_fail(err, CS_ENOMEM, "out of memory");
        for (size_t k = 0; k < m; k++)
            st->bidx[k] = -1;
    }
    if (st->bef && !(st->ex = malloc((st->bef->n + 1) * sizeof *st->ex)))
        return csi_fail(err, CS_ENOMEM, "out of memory");
    /* both sorted by id: a merge */
    size_t i = 0, nex = 0, l;
    const char *s;
    for (size_t b = 0; st->bef && b < st->bef->n; b++) {
        const cs_summary_row *r = &st->bef->rows[b];
        uint64_t p = id_prefix(r->id, r->id_len);
        while (i < m && (s = cid(st, i, &l), idcmp_p(s, l, r->id, r->id_len, p) < 0))
            i++;
        long k;
        if (i < m && (s = cid(st, i, &l), idcmp(s, l, r->id, r->id_len) == 0)) {
            k = (long)i;
        } else { /* not expected: a purchase day by then is one now */
            if ((k = new_cust(st, r->id, r->id_len)) < 0)
                return csi_fail(err, CS_ENOMEM, "out of memory");
            st->ex[nex++] = (uint32_t)k;
        }
        st->bidx[k] = (int32_t)b;
    }
    st->nb = st->bef ? st->n : 0;
    /* the side tables read before, in the order read */
    for (size_t p = 0; p < st->npend; p++) {
        struct pending *q = &st->pend[p];
        int rc = side_join(st, &q->b, q->kind, &st->side[q->kind]);
        sb_free(&q->b);
        if (rc != CS_OK)
            return csi_fail(err, rc, "out of memory");
    }
    st->npend = 0;
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

/* The last date read and its day: tables often come in date order, and a
 * date read again need not be parsed again. */
struct day_memo {
    char s[32];
    size_t len;
    cs_day d;
};

static int side_day(cs_table *t, int col, const cs_datefmt *fmt, struct day_memo *memo,
                    cs_day *d, cs_error *err)
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
    if (len == memo->len && memcmp(s, memo->s, len) == 0) {
        *d = memo->d;
        return CS_OK;
    }
    int kind;
    if (!fmt || fmt->kind == CS_DATE_AUTO) {
        int rc = cs_table_day(t, col, 0, d, err);
        if (rc != CS_OK)
            return rc;
    } else if (cs_date_parse(fmt, s, len, d, &kind) != CS_OK) {
        char what[96];
        snprintf(what, sizeof what, "a date (expected %s)", cs_datefmt_expected(fmt));
        return field_error(t, col, err, CS_EDATE, what, s, len);
    }
    if (len <= sizeof memo->s) {
        memcpy(memo->s, s, len);
        memo->len = len;
        memo->d = *d;
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


/* ---- Side rows: sorted by id, then joined with the customers ---- */

static int sb_push(struct sidebuf *b, const char *id, size_t len, uint32_t v)
{
    if (len <= 8 && id[len - 1] != 0) {
        if (b->n == b->cap) {
            /* large steps: the memory is touched only as rows come in */
            size_t ncap = b->cap ? b->cap * 8 : (size_t)1 << 20;
            uint64_t *k = csi_big_grow(b->k, b->n * sizeof *k, ncap * sizeof *k);
            if (!k)
                return CS_ENOMEM;
            b->k = k;
            uint32_t *nv = csi_big_grow(b->v, b->n * sizeof *nv, ncap * sizeof *nv);
            if (!nv)
                return CS_ENOMEM;
            b->v = nv;
            b->cap = ncap;
        }
        b->k[b->n] = id_prefix(id, len);
        b->v[b->n++] = v;
        return CS_OK;
    }
    size_t nl = b->lid.n;
    if (nl == b->lcap) {
        size_t ncap = b->lcap ? b->lcap * 2 : 4096;
        uint32_t *lv = csi_big_grow(b->lv, nl * sizeof *lv, ncap * sizeof *lv);
        if (!lv)
            return CS_ENOMEM;
        b->lv = lv;
        b->lcap = ncap;
    }
    if (cs_ids_push(&b->lid, id, len) != CS_OK)
        return CS_ENOMEM;
    b->lv[nl] = v;
    return CS_OK;
}

/* The long ids of rows x and y in order. */
static int lcmp(const struct sidebuf *b, uint32_t x, uint32_t y)
{
    size_t lx, ly;
    const char *p = cs_ids_get(&b->lid, x, &lx), *q = cs_ids_get(&b->lid, y, &ly);
    return idcmp(p, lx, q, ly);
}

/* li[0..n) by id: a merge sort (tmp: n entries). */
static void lsort(const struct sidebuf *b, uint32_t *li, uint32_t *tmp, size_t n)
{
    if (n <= 16) {
        for (size_t i = 1; i < n; i++) {
            uint32_t x = li[i];
            size_t j = i;
            for (; j > 0 && lcmp(b, x, li[j - 1]) < 0; j--)
                li[j] = li[j - 1];
            li[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    lsort(b, li, tmp, h);
    lsort(b, li + h, tmp, n - h);
    if (lcmp(b, li[h - 1], li[h]) <= 0)
        return;
    memcpy(tmp, li, h * sizeof *tmp);
    size_t i = 0, j = h, w = 0;
    while (i < h && j < n)
        li[w++] = lcmp(b, li[j], tmp[i]) < 0 ? li[j++] : tmp[i++];
    while (i < h)
        li[w++] = tmp[i++];
}

/* From this many rows, long ids are sorted by radix passes on 8 bytes at a
 * time (the ids of a real table often share their first bytes). */
#define LRADIX 65536

/* The long rows li[0..nl) in id order. Returns 0 when out of memory. */
static int sort_long(struct sidebuf *b)
{
    size_t n = b->lid.n;
    if (n == 0)
        return 1;
    if (n > UINT32_MAX)
        return 0;
    uint32_t *li = realloc(b->li, n * sizeof *li), *tmp = NULL;
    if (li)
        b->li = li;
    uint64_t *lk = li ? realloc(b->lk, n * sizeof *lk) : NULL;
    if (lk)
        b->lk = lk;
    struct range {
        size_t a, e, depth;
    } *stk = NULL;
    size_t ns = 0, scap = 0;
    int ok = li && lk && (tmp = malloc(n * sizeof *tmp)) != NULL;
    for (size_t i = 0; ok && i < n; i++)
        li[i] = (uint32_t)i;
    if (ok && n < LRADIX)
        lsort(b, li, tmp, n);
    else if (ok && (ok = (stk = malloc((scap = 64) * sizeof *stk)) != NULL))
        stk[ns++] = (struct range){0, n, 0};
    /* all ids of a range share their first `depth` bytes (zero padded) */
    while (ok && ns) {
        struct range r = stk[--ns];
        size_t m = r.e - r.a;
        for (size_t x = r.a; x < r.e; x++) {
            size_t len;
            const char *id = cs_ids_get(&b->lid, li[x], &len);
            lk[x] = len > r.depth ? id_prefix(id + r.depth, len - r.depth) : 0;
        }
        if (!(ok = csi_radix_sort64(lk + r.a, li + r.a, m)))
            break;
        for (size_t x = r.a; ok && x < r.e;) {
            size_t y = x + 1;
            int longer = b->lid.len[li[x]] > r.depth + 8;
            for (; y < r.e && lk[y] == lk[x]; y++)
                longer |= b->lid.len[li[y]] > r.depth + 8;
            if (y - x < 2) {
            } else if (y - x < LRADIX) {
                lsort(b, li + x, tmp, y - x);
            } else if (!longer) {
                /* the same bytes as far as each goes: the shorter first */
                for (size_t z = x; z < y; z++)
                    lk[z] = b->lid.len[li[z]];
                ok = csi_radix_sort64(lk + x, li + x, y - x);
            } else {
                if (ns == scap) {
                    struct range *g = realloc(stk, 2 * scap * sizeof *g);
                    if (!(ok = g != NULL))
                        break;
                    stk = g;
                    scap *= 2;
                }
                stk[ns++] = (struct range){x, y, r.depth + 8};
            }
            x = y;
        }
    }
    free(tmp);
    free(stk);
    return ok;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Puts one id's rows (values v[0..n)) on customer k. */
static void side_apply(cs_stages *st, int kind, cs_side_stats *ss, size_t k, uint32_t *v,
                       size_t n, uint32_t *ek)
{
    struct scust *c = &st->c[k];
    if (kind == CS_SIDE_PROSPECTS) {
        cs_day d = (cs_day)v[0];
        for (size_t i = 1; i < n; i++)
            if ((cs_day)v[i] < d)
                d = (cs_day)v[i];
        ss->duplicates += n - (c->prospect == CS_DAY_NONE);
        if (earlier(d, c->prospect))
            c->prospect = d;
    } else if (kind == CS_SIDE_CONTACTS) {
        /* the same day twice is a duplicate */
        int32_t *d = (int32_t *)v;
        if (n > 16) {
            qsort(d, n, sizeof *d, cmp_i32);
        } else {
            for (size_t i = 1; i < n; i++) {
                int32_t x = d[i];
                size_t j = i;
                for (; j > 0 && x < d[j - 1]; j--)
                    d[j] = d[j - 1];
                d[j] = x;
            }
        }
        for (size_t i = 1; i < n; i++)
            ss->duplicates += d[i] == d[i - 1];
        if (earlier(d[0], c->contact))
            c->contact = d[0];
    } else if (kind == CS_SIDE_REFERRAL_COUNTS) {
        uint32_t *q = &st->cnt[k]; /* room made for every customer */
        ss->duplicates += n - !(*q & IN_COUNTS);
        for (size_t i = 0; i < n; i++)
            if (v[i] > (*q & ~IN_COUNTS))
                *q = v[i];
        *q |= IN_COUNTS;
    } else {
        for (size_t i = 0; i < n; i++)
            ek[v[i]] = (uint32_t)k;
    }
}

/* The others sorted by id: the old (ex[0..nold)) and new ones (nx[0..nn)),
 * each sorted, merged. */
static int merge_others(cs_stages *st, size_t nold, uint32_t *nx, size_t nn)
{
    if (nold == 0) {
        free(st->ex);
        st->ex = nx;
        return CS_OK;
    }
    uint32_t *o = malloc((nold + nn) * sizeof *o);
    if (!o) {
        free(nx);
        return CS_ENOMEM;
    }
    size_t i = 0, j = 0, w = 0;
    while (i < nold || j < nn) {
        size_t la, lb;
        const char *a = i < nold ? cid(st, st->ex[i], &la) : NULL;
        const char *b = j < nn ? cid(st, nx[j], &lb) : NULL;
        if (!b || (a && idcmp(a, la, b, lb) < 0))
            o[w++] = st->ex[i++];
        else
            o[w++] = nx[j++];
    }
    free(st->ex);
    free(nx);
    st->ex = o;
    return CS_OK;
}

/* The referrals' edges (ek: each row's customers), one per pair of
 * referrer and referred: the earliest row's day, the others counted as
 * duplicates. */
static int edges_add(cs_stages *st, const struct sidebuf *b, const uint32_t *ek,
                     cs_side_stats *ss)
{
    size_t ne = st->ne + b->nr;
    if (ne > UINT32_MAX)
        return CS_ENOMEM;
    struct edge *e = realloc(st->e, (ne ? ne : 1) * sizeof *e);
    if (!e)
        return CS_ENOMEM;
    st->e = e;
    for (size_t r = 0; r < b->nr; r++) {
        cs_day d = b->rday[r];
        if (d > st->as_of) /* left out by the join */
            continue;
        uint32_t to = ek[2 * r], from = ek[2 * r + 1];
        e[st->ne++] = (struct edge){from, to, d};
        if (earlier(d, st->c[to].referred))
            st->c[to].referred = d;
        if (earlier(d, st->c[from].referrer))
            st->c[from].referrer = d;
    }
    ne = st->ne; /* without the rows left out */
    uint64_t *key = malloc((ne ? ne : 1) * sizeof *key);
    uint32_t *at = malloc((ne ? ne : 1) * sizeof *at);
    struct edge *out = malloc((ne ? ne : 1) * sizeof *out);
    int ok = key && at && out;
    for (size_t i = 0; ok && i < ne; i++)
        key[i] = (uint64_t)e[i].from << 32 | e[i].to, at[i] = (uint32_t)i;
    ok = ok && csi_radix_sort64(key, at, ne);
    size_t w = 0;
    for (size_t i = 0; ok && i < ne;) {
        size_t j = i + 1;
        cs_day d = e[at[i]].day;
        for (; j < ne && key[j] == key[i]; j++)
            if (e[at[j]].day < d)
                d = e[at[j]].day;
        ss->duplicates += j - i - 1;
        out[w++] = (struct edge){e[at[i]].from, e[at[i]].to, d};
        i = j;
    }
    free(key), free(at);
    if (!ok) {
        free(out);
        return CS_ENOMEM;
    }
    free(st->e);
    st->e = out;
    st->ne = w;
    return CS_OK;
}

/* Sorts a table's rows by id. */
static int side_sort(struct sidebuf *b)
{
    if (b->tcap < b->n) {
        free(b->tk), free(b->tv);
        b->tk = csi_big_alloc(b->cap * sizeof *b->tk, 0);
        b->tv = csi_big_alloc(b->cap * sizeof *b->tv, 0);
        b->tcap = b->tk && b->tv ? b->cap : 0;
        if (!b->tcap)
            return CS_ENOMEM;
    }
    if (!csi_radix_sort64_buf(b->k, b->v, b->n, b->tk, b->tv) || !sort_long(b))
        return CS_ENOMEM;
    return CS_OK;
}

/* Joins a table's rows (sorted) with the customers, both in id order, in
 * one walk; ids the customers lack become customers. Rows dated after the
 * end of observation (read before it was known) are left out here. */
static int side_join(cs_stages *st, struct sidebuf *b, int kind, cs_side_stats *ss)
{
    /* room for as many new customers as rows (untouched memory is free) */
    size_t nl = b->lid.n, nrows = b->n + nl;
    if (st->ids.n + nrows > st->ids.cap &&
        cs_ids_reserve(&st->ids, 8 * nrows, 8 * (9 * b->n + b->lid.used + nl)) != CS_OK)
        return CS_ENOMEM;
    if (kind == CS_SIDE_REFERRAL_COUNTS) {
        size_t ncap = st->n + nrows;
        uint32_t *q = csi_big_grow(st->cnt, st->ncnt * sizeof *q, ncap * sizeof *q);
        if (!q)
            return CS_ENOMEM;
        memset(q + st->ncnt, 0, (ncap - st->ncnt) * sizeof *q);
        st->cnt = q;
        st->ncnt = ncap;
    }
    size_t nold = st->n - st->m, nn = 0;
    uint32_t *nx = malloc((nrows + 1) * sizeof *nx), *ek = NULL, *gv = NULL;
    size_t gcap = 0;
    if (!nx || (kind == CS_SIDE_REFERRALS && !(ek = malloc((2 * b->nr + 1) * sizeof *ek)))) {
        free(nx);
        return CS_ENOMEM;
    }
    size_t i = 0, j = 0, ci = 0, cj = 0;
    int rc = CS_OK;
    while (rc == CS_OK && (i < b->n || j < nl)) {
        /* the next id: of the short ones or the long ones (never both) */
        char sid[8];
        const char *id = NULL;
        size_t len = 0, n;
        uint32_t *v;
        if (i < b->n) {
            uint64_t w = __builtin_bswap64(b->k[i]);
            memcpy(sid, &w, 8);
            for (len = 8; !sid[len - 1]; len--)
                ;
        }
        size_t llen = 0;
        const char *lid = j < nl ? cs_ids_get(&b->lid, b->li[j], &llen) : NULL;
        if (i < b->n && (!lid || idcmp(sid, len, lid, llen) < 0)) {
            size_t e = i + 1;
            while (e < b->n && b->k[e] == b->k[i])
                e++;
            id = sid, v = b->v + i, n = e - i, i = e;
        } else {
            size_t e = j + 1;
            while (e < nl && lcmp(b, b->li[e], b->li[j]) == 0)
                e++;
            n = e - j;
            if (n > gcap) {
                uint32_t *g = realloc(gv, n * sizeof *g);
                if (!g) {
                    rc = CS_ENOMEM;
                    break;
                }
                gv = g, gcap = n;
            }
            for (size_t z = 0; z < n; z++)
                gv[z] = b->lv[b->li[j + z]];
            id = lid, len = llen, v = gv, j = e;
        }
        size_t w = 0;
        for (size_t z = 0; z < n; z++) {
            cs_day d = kind == CS_SIDE_REFERRALS ? b->rday[v[z] >> 1]
                       : kind == CS_SIDE_REFERRAL_COUNTS ? UNDATED
                                                         : (cs_day)v[z];
            if (d <= st->as_of)
                v[w++] = v[z];
            else if (kind != CS_SIDE_REFERRALS || !(v[z] & 1)) /* a referral once */
                ss->after_as_of++;
        }
        if ((n = w) == 0)
            continue;
        /* its customer: of the log, one of the others, or new */
        uint64_t p = id_prefix(id, len);
        long k;
        size_t l;
        const char *s;
        while (ci < st->m && (s = cid(st, ci, &l), idcmp_p(s, l, id, len, p) < 0))
            ci++;
        if (ci < st->m && (s = cid(st, ci, &l), idcmp(s, l, id, len) == 0)) {
            k = (long)ci;
        } else {
            while (cj < nold && (s = cid(st, st->ex[cj], &l), idcmp_p(s, l, id, len, p) < 0))
                cj++;
            if (cj < nold && (s = cid(st, st->ex[cj], &l), idcmp(s, l, id, len) == 0)) {
                k = st->ex[cj];
            } else if ((k = new_cust(st, id, len)) >= 0) {
                nx[nn++] = (uint32_t)k;
                ss->new_ids++;
            } else {
                rc = CS_ENOMEM;
                break;
            }
        }
        side_apply(st, kind, ss, (size_t)k, v, n, ek);
    }
    free(gv);
    if (rc != CS_OK) {
        free(nx), free(ek);
        return rc;
    }
    rc = merge_others(st, nold, nx, nn);
    if (rc == CS_OK && kind == CS_SIDE_REFERRALS)
        rc = edges_add(st, b, ek, ss);
    free(ek);
    return rc;
}

int cs_stages_read(cs_stages *st, cs_input *in, const cs_side_spec *spec, cs_error *err)
{
    if (spec->kind < 0 || spec->kind >= CS_SIDE_NKINDS)
        return csi_fail(err, CS_EINVAL, "not a kind of side table: %d", spec->kind);
    cs_side_stats *ss = &st->side[spec->kind];
    cs_table *t = cs_table_open(in, CS_DELIM_AUTO, err);
    if (!t)
        return err ? err->code : CS_EFORMAT;
    int kind = spec->kind, cid_col, cref = -1, cdate = -1, cflag = -1, rc;
    const char *what = kind == CS_SIDE_REFERRALS ? "the referred customer" : "the customer id";
    rc = find_col(t, spec->id_column, kind == CS_SIDE_REFERRALS ? known_referred : known_id,
                  kind == CS_SIDE_REFERRALS ? "referred_id" : "customer_id", what, 1, &cid_col,
                  err);
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
    /* the rows are collected, then joined all at once (nothing of a table
     * that fails is kept) */
    struct sidebuf *b = &st->sb;
    b->n = b->nr = b->lid.n = b->lid.used = 0;
    struct day_memo memo = {.len = 0};
    while (rc == CS_OK) {
        rc = cs_table_next(t, err);
        if (rc != 1) {
            rc = rc < 0 ? rc : CS_OK;
            break;
        }
        rc = CS_OK;
        ss->rows++;
        const char *id, *rid = NULL;
        size_t len, rlen = 0;
        cs_day d = UNDATED;
        uint32_t cnt = 0;
        if ((rc = side_id(t, cid_col, spec->id_mode, &id, &len, err)) != CS_OK ||
            (cref >= 0 && (rc = side_id(t, cref, spec->id_mode, &rid, &rlen, err)) != CS_OK) ||
            (rc = side_day(t, cdate, spec->datefmt, &memo, &d, err)) != CS_OK ||
            (cflag >= 0 && (rc = side_count(t, cflag, &cnt, err)) != CS_OK))
            break;
        if (st->have_log && d != UNDATED && d > st->as_of) {
            ss->after_as_of++;
            continue;
        }
        if (kind == CS_SIDE_REFERRALS) {
            if (len == rlen && memcmp(id, rid, len) == 0) {
                ss->self_referrals++;
                continue;
            }
            if (b->nr >= INT32_MAX) {
                rc = csi_fail(err, CS_ENOMEM, "too many referrals (at most 2^31 - 1 rows)");
                break;
            }
            if (b->nr == b->rcap) {
                size_t ncap = b->rcap ? b->rcap * 2 : 1024;
                cs_day *nd = realloc(b->rday, ncap * sizeof *nd);
                if (!nd) {
                    rc = csi_fail(err, CS_ENOMEM, "out of memory");
                    break;
                }
                b->rday = nd, b->rcap = ncap;
            }
            b->rday[b->nr] = d;
            rc = sb_push(b, id, len, (uint32_t)(2 * b->nr));
            if (rc == CS_OK)
                rc = sb_push(b, rid, rlen, (uint32_t)(2 * b->nr + 1));
            b->nr++;
        } else {
            rc = sb_push(b, id, len, kind == CS_SIDE_REFERRAL_COUNTS ? cnt : (uint32_t)d);
        }
        if (rc != CS_OK) {
            rc = csi_fail(err, CS_ENOMEM, "out of memory");
            break;
        }
    }
    cs_table_free(t);
    if (rc == CS_OK && (rc = side_sort(b)) == CS_OK) {
        if (st->have_log) {
            rc = side_join(st, b, kind, ss);
        } else { /* joined when the log comes */
            struct pending *p = realloc(st->pend, (st->npend + 1) * sizeof *p);
            if (!p) {
                rc = CS_ENOMEM;
            } else {
                st->pend = p;
                p[st->npend++] = (struct pending){kind, *b};
                memset(b, 0, sizeof *b);
            }
        }
        if (rc != CS_OK)
            csi_fail(err, rc, "out of memory");
    }
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
    if (!which)
        return k < st->m ? log_row(st, k) : NULL;
    int32_t i = k < st->nb ? st->bidx[k] : -1;
    return i >= 0 ? &st->bef->rows[i] : NULL;
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
    if (by(c->prospect, date) || by(c->referred, date) || by(c->referrer, date) ||
        (k < st->ncnt && st->cnt[k]))
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
    size_t n = st->n;
    memset(refs, 0, n * sizeof *refs);
    for (size_t k = 0; k < n; k++) {
        refs[k] = k < st->ncnt ? st->cnt[k] & ~IN_COUNTS : 0;
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
            if (j - i >= m && !(ok[i].from < st->ncnt && st->cnt[ok[i].from]))
                adv_day[ok[i].from] = ok[i + m - 1].day;
            i = j;
        }
        free(ok);
    }
    return CS_OK;
}



/* Every customer by id: the log's (0..m-1, in its order) merged with the
 * others (ex, sorted). */
static uint32_t *id_order(const cs_stages *st)
{
    size_t n = st->n, m = st->m, r = n - m;
    uint32_t *o = csi_big_alloc((n ? n : 1) * sizeof *o, 0);
    if (!o)
        return NULL;
    size_t i = 0, j = 0, w = 0;
    while (i < m || j < r) {
        size_t la, lb;
        const char *a = i < m ? cid(st, i, &la) : NULL;
        const char *b = j < r ? cid(st, st->ex[j], &lb) : NULL;
        if (!b || (a && idcmp(a, la, b, lb) <= 0))
            o[w++] = (uint32_t)i++;
        else
            o[w++] = st->ex[j++];
    }
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
    if (!st->have_log)
        return csi_fail(err, CS_EINVAL, "the log goes in before the stages are computed");
    size_t n = st->n;
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
        o->id = cid(st, k, &len);
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
