/* Partitions: a log summarised by many tasks, exactly.
 *
 * A map task (any part of the log) keeps every customer's days, netted
 * within the day (records, negative records, net value in micro-units), and
 * writes them to the partition of the customer's id: FNV-1a 64 of the id
 * bytes, mod n. Merging the files of one partition from every map task nets
 * a customer-day found in several of them, and then folds each customer's
 * days in date order through the builder's one definition of a purchase day
 * (csi_builder_close_day), so the rows are those one run over the whole log
 * makes, whatever the split. Each file carries its map task's first and
 * last date (of all its records, not of the partition's), so the merge
 * knows the whole log's end of observation.
 *
 * The file (text, "# custseg partition v1"):
 *
 *   # custseg partition v1
 *   # options as_of=none calibration_end=none returns=net has_amount=1
 *   # partition index=P of=N hash=fnv1a64
 *   # task records=.. after_as_of=.. negative=.. dropped_returns=.. min_day=..
 *     max_day=.. customers=.. skipped=.. skipped_lines=.. bad_format=..
 *     bad_date=.. bad_amount=.. bad_id=.. filtered=.. filtered_value=..
 *   # stats records=.. after_as_of=.. negative=.. dropped_returns=..
 *     customers=.. days=..
 *   id<TAB>day<TAB>records<TAB>negatives<TAB>value
 *   <one line per customer-day, sorted by id (bytes), then day>
 *   # end
 *
 * "# task" is the whole map task (the same in each of its files), "# stats"
 * this partition's share of it; "# end" marks a whole file. */
#include "summary/builder-internal.h"
#include "util/internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t cs_partition_hash(const char *id, size_t len)
{
    const unsigned char *p = (const unsigned char *)id;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint32_t cs_partition_of(const char *id, size_t len, uint32_t n)
{
    return n <= 1 ? 0 : (uint32_t)(cs_partition_hash(id, len) % n);
}

int cs_builder_partition(cs_builder *b, uint32_t n, cs_error *err)
{
    if (n < 1 || n > CS_PARTITIONS_MAX)
        return csi_fail(err, CS_EINVAL, "the number of partitions must be from 1 to %d",
                        CS_PARTITIONS_MAX);
    if (b->st.records || b->collect || b->merge_kind || b->track_periods || b->track_days ||
        b->value_from != CS_DAY_NONE)
        return csi_fail(err, CS_EINVAL,
                        "a partition map is a new builder with no periods, days or value "
                        "window tracked");
    for (int i = 0; i < b->nshards; i++)
        if (b->sh[i].ncust)
            return csi_fail(err, CS_EINVAL, "a partition map is a new builder");
    b->pst = calloc(n, sizeof *b->pst);
    if (!b->pst)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    b->nparts = n;
    b->collect = COLLECT_MAP;
    return CS_OK;
}

void csi_day_lists_free(struct shard *s)
{
    for (size_t i = 0; s->dl && i < s->dlcap; i++)
        free(s->dl[i].v);
    free(s->dl);
    s->dl = NULL;
    s->dlcap = 0;
}

static int amount_overflow(const struct shard *s, size_t idx, cs_error *err)
{
    char ex[128];
    const struct cust *c = cust_at(s, idx);
    csi_excerpt(ex, sizeof ex, cust_id(s, c), c->id_len);
    return csi_fail(err, CS_EAMOUNT, "the amounts of customer '%s' add up to more than %.0f",
                    ex, 9.2e12);
}

static int add_day(struct day_agg *d, uint32_t records, uint32_t negatives, int64_t value)
{
    if ((uint64_t)d->records + records > UINT32_MAX ||
        __builtin_add_overflow(d->value, value, &d->value))
        return 0;
    d->records += records;
    d->negatives += negatives;
    return 1;
}

int csi_collect(cs_builder *b, struct shard *s, size_t idx, cs_day day, uint32_t records,
                uint32_t negatives, int64_t value, cs_error *err)
{
    (void)b;
    if (idx >= s->dlcap) {
        size_t ncap = s->dlcap ? s->dlcap * 2 : 1024;
        while (ncap <= idx)
            ncap *= 2;
        struct day_list *nl = realloc(s->dl, ncap * sizeof *nl);
        if (!nl)
            return csi_fail(err, CS_ENOMEM, "out of memory");
        memset(nl + s->dlcap, 0, (ncap - s->dlcap) * sizeof *nl);
        s->dl = nl;
        s->dlcap = ncap;
    }
    struct day_list *l = &s->dl[idx];
    if (l->n && l->v[l->n - 1].day == day) {
        if (!add_day(&l->v[l->n - 1], records, negatives, value))
            return amount_overflow(s, idx, err);
        return CS_OK;
    }
    if (l->n == l->cap) {
        if (l->cap >= UINT32_MAX / 2)
            return csi_fail(err, CS_ENOMEM, "out of memory");
        uint32_t ncap = l->cap ? l->cap * 2 : 2;
        struct day_agg *nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv)
            return csi_fail(err, CS_ENOMEM, "out of memory");
        l->v = nv;
        l->cap = ncap;
    }
    l->v[l->n++] = (struct day_agg){.day = day, .records = records, .negatives = negatives,
                                    .value = value};
    return CS_OK;
}

static int cmp_agg(const void *a, const void *b)
{
    const struct day_agg *x = a, *y = b;
    return (x->day > y->day) - (x->day < y->day);
}

/* Sorts a customer's days and nets the days found more than once. */
static int net_days(const struct shard *s, size_t idx, struct day_list *l, cs_error *err)
{
    if (l->n < 2)
        return CS_OK;
    int sorted = 1;
    for (uint32_t k = 1; k < l->n && sorted; k++)
        sorted = l->v[k - 1].day < l->v[k].day;
    if (sorted)
        return CS_OK;
    qsort(l->v, l->n, sizeof *l->v, cmp_agg);
    uint32_t o = 0;
    for (uint32_t k = 1; k < l->n; k++) {
        if (l->v[k].day == l->v[o].day) {
            if (!add_day(&l->v[o], l->v[k].records, l->v[k].negatives, l->v[k].value))
                return amount_overflow(s, idx, err);
        } else {
            l->v[++o] = l->v[k];
        }
    }
    l->n = o + 1;
    return CS_OK;
}

int csi_partition_fold(cs_builder *b, cs_error *err)
{
    for (int si = 0; si < b->nshards; si++) {
        struct shard *s = &b->sh[si];
        for (size_t i = 0; i < s->ncust && i < s->dlcap; i++) {
            struct day_list *l = &s->dl[i];
            struct cust *c = cust_at(s, i);
            int rc = net_days(s, i, l, err);
            if (rc != CS_OK)
                return rc;
            for (uint32_t k = 0; k < l->n; k++) {
                const struct day_agg *d = &l->v[k];
                if (b->opt.calibration_end == CS_DAY_NONE || d->day <= b->opt.calibration_end) {
                    if ((uint64_t)c->records + d->records > UINT32_MAX ||
                        __builtin_add_overflow(c->value, d->value, &c->value))
                        return amount_overflow(s, i, err);
                    c->records += d->records;
                } else {
                    if ((uint64_t)c->hold_records + d->records > UINT32_MAX ||
                        __builtin_add_overflow(c->hold_value, d->value, &c->hold_value))
                        return amount_overflow(s, i, err);
                    c->hold_records += d->records;
                }
                if (c->dfirst == CS_DAY_NONE || d->day < c->dfirst)
                    c->dfirst = d->day;
                if (c->dlast == CS_DAY_NONE || d->day > c->dlast)
                    c->dlast = d->day;
                if (csi_builder_close_day(b, s, c, i, d->day, d->value, d->negatives > 0) !=
                    CS_OK)
                    return csi_fail(err, CS_ENOMEM, "out of memory");
            }
            free(l->v);
            l->v = NULL;
            l->n = l->cap = 0;
        }
        csi_day_lists_free(s);
    }
    b->collect = COLLECT_NONE;
    return CS_OK;
}

/* ---- writing (the map) ---- */

static void write_options(FILE *fp, const cs_summary_options *o)
{
    char a[11], c[11];
    csi_day_text(o->as_of, a);
    csi_day_text(o->calibration_end, c);
    fprintf(fp, "# options as_of=%s calibration_end=%s returns=%s has_amount=%d\n", a, c,
            csi_returns_name(o->returns), o->has_amount ? 1 : 0);
}

/* The day lines, built in a buffer written in 64 KiB blocks: stdio calls
 * per field were half the map's time on 10M records. */
struct obuf {
    FILE *fp;
    char *p;
    size_t n, cap;
    const char *days; /* "YYYY-MM-DD" of day0 + k, 10 bytes each */
    cs_day day0;
};

static int ob_room(struct obuf *o, size_t need)
{
    if (o->n + need <= o->cap)
        return 1;
    if (o->n) {
        fwrite(o->p, 1, o->n, o->fp);
        o->n = 0;
    }
    if (need > o->cap) {
        char *np = realloc(o->p, need);
        if (!np)
            return 0;
        o->p = np;
        o->cap = need;
    }
    return 1;
}

static char *put_u64(char *out, uint64_t v)
{
    char buf[24];
    int n = 0;
    do {
        buf[sizeof buf - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(out, buf + sizeof buf - n, (size_t)n);
    return out + n;
}

/* One customer's day lines; the id escaped once. */
static int put_days(struct obuf *o, const char *id, size_t len, const struct day_list *l)
{
    char *esc = malloc(2 * len + 1);
    if (!esc)
        return 0;
    size_t el = 0;
    for (size_t i = 0; i < len; i++) {
        char c = id[i];
        const char *e = c == '\t'   ? "\\t"
                        : c == '\n' ? "\\n"
                        : c == '\r' ? "\\r"
                        : c == '\\' ? "\\\\"
                                    : NULL;
        if (e) {
            esc[el++] = e[0];
            esc[el++] = e[1];
        } else {
            esc[el++] = c;
        }
    }
    for (uint32_t k = 0; k < l->n; k++) {
        const struct day_agg *d = &l->v[k];
        if (!ob_room(o, el + 80)) {
            free(esc);
            return 0;
        }
        char *w = o->p + o->n;
        memcpy(w, esc, el);
        w += el;
        *w++ = '\t';
        memcpy(w, o->days + (size_t)(d->day - o->day0) * 10, 10);
        w += 10;
        *w++ = '\t';
        w = put_u64(w, d->records);
        *w++ = '\t';
        w = put_u64(w, d->negatives);
        *w++ = '\t';
        if (d->value < 0) {
            *w++ = '-';
            w = put_u64(w, (uint64_t)0 - (uint64_t)d->value);
        } else {
            w = put_u64(w, (uint64_t)d->value);
        }
        *w++ = '\n';
        o->n = (size_t)(w - o->p);
    }
    free(esc);
    return 1;
}

int cs_builder_write_partitions(cs_builder *b, const cs_partition_sink *sink,
                                const struct cs_load_stats *ls, cs_error *err)
{
    if (b->collect != COLLECT_MAP)
        return csi_fail(err, CS_EINVAL, "not a partition map");
    uint32_t np = b->nparts;
    size_t n;
    int rc = CS_OK;
    uint64_t *order = csi_builder_sorted(b, &n);
    uint64_t *refs = malloc((n + 1) * sizeof *refs);
    uint32_t *part = malloc((n + 1) * sizeof *part);
    size_t *start = calloc((size_t)np + 1, sizeof *start);
    uint64_t *days = calloc(np, sizeof *days);
    if (!order || !refs || !part || !start || !days) {
        rc = csi_fail(err, CS_ENOMEM, "out of memory");
        goto out;
    }
    /* each customer's partition, days in order, and the partitions' sizes */
    for (size_t k = 0; k < n; k++) {
        struct shard *s = &b->sh[order[k] >> 32];
        size_t i = (uint32_t)order[k];
        const struct cust *c = cust_at(s, i);
        part[k] = cs_partition_of(cust_id(s, c), c->id_len, np);
        start[part[k] + 1]++;
        if (i < s->dlcap) {
            if ((rc = net_days(s, i, &s->dl[i], err)) != CS_OK)
                goto out;
            days[part[k]] += s->dl[i].n;
        }
    }
    for (uint32_t p = 0; p < np; p++)
        start[p + 1] += start[p];
    {
        size_t *fill = calloc((size_t)np + 1, sizeof *fill);
        if (!fill) {
            rc = csi_fail(err, CS_ENOMEM, "out of memory");
            goto out;
        }
        for (size_t k = 0; k < n; k++) /* stable: by id within a partition */
            refs[start[part[k]] + fill[part[k]]++] = order[k];
        free(fill);
    }
    char mn[11], mx[11];
    csi_day_text(b->st.min_day, mn);
    csi_day_text(b->st.max_day, mx);
    const struct cs_load_stats none = {0};
    if (!ls)
        ls = &none;
    /* every day of the map as text, once */
    struct obuf ob = {.cap = 1 << 16, .day0 = b->st.min_day};
    size_t ndays = b->st.min_day == CS_DAY_NONE ? 0 : (size_t)(b->st.max_day - b->st.min_day) + 1;
    char *daytext = malloc(ndays * 10 + 11);
    ob.p = malloc(ob.cap);
    if (!daytext || !ob.p) {
        free(daytext);
        free(ob.p);
        rc = csi_fail(err, CS_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < ndays; k++) {
        char t[11];
        cs_day_format(b->st.min_day + (cs_day)k, t);
        memcpy(daytext + k * 10, t, 10);
    }
    ob.days = daytext;
    for (uint32_t p = 0; p < np; p++) {
        FILE *fp = sink->open(sink->ctx, p, err);
        if (!fp) {
            rc = err && err->code ? err->code : CS_EIO;
            goto out;
        }
        const struct part_stats *ps = &b->pst[p];
        fputs(CSI_PARTITION_MAGIC "\n", fp);
        write_options(fp, &b->opt);
        fprintf(fp, "# partition index=%" PRIu32 " of=%" PRIu32 " hash=fnv1a64\n", p, np);
        fprintf(fp,
                "# task records=%" PRIu64 " after_as_of=%" PRIu64 " negative=%" PRIu64
                " dropped_returns=%" PRIu64 " min_day=%s max_day=%s customers=%zu"
                " skipped=%" PRIu64 " skipped_lines=%" PRIu64 " bad_format=%" PRIu64
                " bad_date=%" PRIu64 " bad_amount=%" PRIu64 " bad_id=%" PRIu64
                " filtered=%" PRIu64 " filtered_value=%" PRId64 "\n",
                b->st.records, b->st.after_as_of, b->st.negative, b->st.dropped_returns, mn, mx,
                n, ls->skipped, ls->skipped_lines, ls->bad_format, ls->bad_date, ls->bad_amount,
                ls->bad_id, ls->filtered, ls->filtered_value);
        fprintf(fp,
                "# stats records=%" PRIu64 " after_as_of=%" PRIu64 " negative=%" PRIu64
                " dropped_returns=%" PRIu64 " customers=%zu days=%" PRIu64 "\n",
                ps->records, ps->after_as_of, ps->negative, ps->dropped_returns,
                start[p + 1] - start[p], days[p]);
        fputs("id\tday\trecords\tnegatives\tvalue\n", fp);
        ob.fp = fp;
        ob.n = 0;
        int nomem = 0;
        for (size_t k = start[p]; k < start[p + 1] && !nomem; k++) {
            const struct shard *s = &b->sh[refs[k] >> 32];
            size_t i = (uint32_t)refs[k];
            const struct cust *c = cust_at(s, i);
            if (i < s->dlcap)
                nomem = !put_days(&ob, cust_id(s, c), c->id_len, &s->dl[i]);
        }
        if (ob.n)
            fwrite(ob.p, 1, ob.n, fp);
        if (nomem) {
            sink->close(sink->ctx, p, fp, NULL);
            rc = csi_fail(err, CS_ENOMEM, "out of memory");
            free(daytext);
            free(ob.p);
            goto out;
        }
        fputs("# end\n", fp);
        if (fflush(fp) != 0 || ferror(fp)) {
            sink->close(sink->ctx, p, fp, NULL);
            rc = csi_fail(err, CS_EIO, "write error");
            break;
        }
        if ((rc = sink->close(sink->ctx, p, fp, err)) != CS_OK)
            break;
    }
    free(daytext);
    free(ob.p);
out:
    free(order);
    free(refs);
    free(part);
    free(start);
    free(days);
    return rc;
}

/* ---- reading (the merge) ---- */

enum { Q_ID, Q_DAY, Q_RECORDS, Q_NEGATIVES, Q_VALUE, Q_NCOLS };
static const char *const qcol[Q_NCOLS] = {"id", "day", "records", "negatives", "value"};

/* file:line[: column 'name']: not a valid custseg partition file: ... */
static int pbad(struct csi_lines *l, cs_error *err, int col, const char *fmt, ...)
    CS_PRINTF(4, 5);
static int pbad(struct csi_lines *l, cs_error *err, int col, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    csi_fail(err, CS_EPARTIAL, "not a valid custseg partition file: %s", msg);
    if (col >= 0)
        csi_error_where(err, cs_input_name(l->in), l->line, col + 1, qcol[col],
                        strlen(qcol[col]));
    else
        csi_error_where(err, cs_input_name(l->in), l->line, 0, NULL, 0);
    return CS_EPARTIAL;
}

static int parse_returns(const char *v, int *r)
{
    if (!strcmp(v, "net"))
        *r = CS_RETURNS_NET;
    else if (!strcmp(v, "drop"))
        *r = CS_RETURNS_DROP;
    else if (!strcmp(v, "keep"))
        *r = CS_RETURNS_KEEP;
    else if (!strcmp(v, "net-customer"))
        *r = CS_RETURNS_NET_CUSTOMER;
    else
        return 0;
    return 1;
}

/* The u64 values of keys in line into out; 0 when one is missing or bad. */
static int kv_u64s(const char *line, const char *const *keys, uint64_t *out, int n)
{
    char v[64];
    for (int k = 0; k < n; k++)
        if (!csi_kv(line, keys[k], v, sizeof v) || !csi_u64_of(v, &out[k]))
            return 0;
    return 1;
}

int csi_merge_partition(cs_builder *b, struct csi_lines *l, cs_error *err)
{
    int rc = CS_OK;
    size_t len;
    char v[64];
    char *s = csi_next_line(l, &len, &rc, err);
    cs_summary_options o = {0};
    if (!s || strncmp(s, "# options ", 10) != 0 || !csi_kv(s, "as_of", v, sizeof v) ||
        !csi_parse_day(v, &o.as_of) || !csi_kv(s, "calibration_end", v, sizeof v) ||
        !csi_parse_day(v, &o.calibration_end) || !csi_kv(s, "returns", v, sizeof v) ||
        !parse_returns(v, &o.returns) || !csi_kv(s, "has_amount", v, sizeof v) ||
        (strcmp(v, "0") && strcmp(v, "1")))
        return rc ? rc : pbad(l, err, -1, "bad options line");
    o.has_amount = !strcmp(v, "1");
    if (o.as_of != CS_DAY_NONE && o.calibration_end != CS_DAY_NONE &&
        o.calibration_end >= o.as_of)
        return pbad(l, err, -1, "bad options line: calibration_end is not before as_of");
    int first = b->merge_kind == MERGE_NONE;
    if (first) {
        csi_builder_stats_sync(b);
        if (b->st.records || b->st.customers_seen || b->collect || b->track_periods ||
            b->track_days)
            return csi_fail(err, CS_EINVAL, "partition files merge into a new builder");
        o.threads = b->opt.threads;
        b->opt = o;
        b->merge_kind = MERGE_PARTITION;
        b->collect = COLLECT_MERGE;
    } else if (o.as_of != b->opt.as_of || o.calibration_end != b->opt.calibration_end ||
               o.returns != b->opt.returns || o.has_amount != b->opt.has_amount) {
        csi_fail(err, CS_EPARTIAL, "this partition file was made with other options");
        csi_hint(err, CS_HINT_PARTIAL_OPTIONS);
        csi_error_where(err, cs_input_name(l->in), l->line, 0, NULL, 0);
        return CS_EPARTIAL;
    }
    /* the partition */
    s = csi_next_line(l, &len, &rc, err);
    uint64_t pv[2];
    static const char *const pkeys[] = {"index", "of"};
    if (!s || strncmp(s, "# partition ", 12) != 0 || !kv_u64s(s, pkeys, pv, 2) ||
        pv[1] < 1 || pv[1] > CS_PARTITIONS_MAX || pv[0] >= pv[1])
        return rc ? rc : pbad(l, err, -1, "bad partition line");
    if (!csi_kv(s, "hash", v, sizeof v) || strcmp(v, "fnv1a64"))
        return pbad(l, err, -1, "the partition hash is not fnv1a64");
    if (first) {
        b->part_index = (uint32_t)pv[0];
        b->part_of = (uint32_t)pv[1];
    } else if (pv[0] != b->part_index || pv[1] != b->part_of) {
        return pbad(l, err, -1,
                    "partition %" PRIu64 " of %" PRIu64 ", but the files before it are "
                    "partition %" PRIu32 " of %" PRIu32 ": merge the files of one partition",
                    pv[0], pv[1], b->part_index, b->part_of);
    }
    /* the map task: its first and last date are the whole log's share */
    s = csi_next_line(l, &len, &rc, err);
    cs_day mn, mx;
    if (!s || strncmp(s, "# task ", 7) != 0 || !csi_kv(s, "min_day", v, sizeof v) ||
        !csi_parse_day(v, &mn) || !csi_kv(s, "max_day", v, sizeof v) ||
        !csi_parse_day(v, &mx) || (mn == CS_DAY_NONE) != (mx == CS_DAY_NONE) ||
        (mn != CS_DAY_NONE && mn > mx) ||
        (mx != CS_DAY_NONE && o.as_of != CS_DAY_NONE && mx > o.as_of))
        return rc ? rc : pbad(l, err, -1, "bad task line");
    if (mn != CS_DAY_NONE && (b->st.min_day == CS_DAY_NONE || mn < b->st.min_day))
        b->st.min_day = mn;
    if (mx != CS_DAY_NONE && (b->st.max_day == CS_DAY_NONE || mx > b->st.max_day))
        b->st.max_day = mx;
    /* this partition's counts */
    s = csi_next_line(l, &len, &rc, err);
    static const char *const skeys[] = {"records",         "after_as_of", "negative",
                                        "dropped_returns", "customers",   "days"};
    uint64_t sv[6];
    if (!s || strncmp(s, "# stats ", 8) != 0 || !kv_u64s(s, skeys, sv, 6) ||
        sv[1] + sv[3] > sv[0] || sv[3] > sv[2])
        return rc ? rc : pbad(l, err, -1, "bad stats line");
    b->st.records += sv[0];
    b->st.after_as_of += sv[1];
    b->st.negative += sv[2];
    b->st.dropped_returns += sv[3];
    s = csi_next_line(l, &len, &rc, err);
    if (!s || strcmp(s, "id\tday\trecords\tnegatives\tvalue") != 0)
        return rc ? rc : pbad(l, err, -1, "missing column line");
    /* the customer-days, sorted by id, then day */
    char *prev = NULL;
    size_t prev_len = 0, prev_cap = 0;
    cs_day prev_day = CS_DAY_NONE;
    uint64_t ndays = 0, ncust = 0, nrec = 0, nneg = 0;
    int ended = 0;
    long si_idx = -1;
    int si = 0;
    char ex[128];
    while ((s = csi_next_line(l, &len, &rc, err)) != NULL) {
        if (ended) {
            rc = pbad(l, err, -1, "a line after '# end'");
            goto out;
        }
        if (!strcmp(s, "# end")) {
            ended = 1;
            continue;
        }
        char *f[Q_NCOLS];
        int nf = 0;
        char *p = s;
        f[nf++] = p;
        while ((p = strchr(p, '\t')) != NULL && nf < Q_NCOLS) {
            *p++ = '\0';
            f[nf++] = p;
        }
        if (nf != Q_NCOLS || p) {
            rc = pbad(l, err, -1, "a customer-day line does not have %d fields", Q_NCOLS);
            goto out;
        }
        size_t idn = strlen(f[Q_ID]);
        if (!csi_unescape(f[Q_ID], &idn) || idn == 0 || idn > CS_FIELD_MAX) {
            rc = pbad(l, err, Q_ID,
                      idn == 0              ? "an empty id"
                      : idn > CS_FIELD_MAX ? "an id longer than 65536 bytes"
                                           : "a bad escape in the id (\\t \\n \\r \\\\ only)");
            goto out;
        }
        csi_excerpt(ex, sizeof ex, f[Q_ID], idn);
        uint32_t part = cs_partition_of(f[Q_ID], idn, b->part_of);
        if (part != b->part_index) {
            rc = pbad(l, err, Q_ID,
                      "customer '%s' belongs to partition %" PRIu32 " of %" PRIu32
                      ", not %" PRIu32,
                      ex, part, b->part_of, b->part_index);
            goto out;
        }
        cs_day day;
        if (!csi_parse_day(f[Q_DAY], &day) || day == CS_DAY_NONE) {
            csi_excerpt(ex, sizeof ex, f[Q_DAY], strlen(f[Q_DAY]));
            rc = pbad(l, err, Q_DAY, "'%s' is not a date (YYYY-MM-DD)", ex);
            goto out;
        }
        if (mn == CS_DAY_NONE || day < mn || day > mx) {
            char d[11], a[11], z[11];
            cs_day_format(day, d);
            csi_day_text(mn, a);
            csi_day_text(mx, z);
            rc = pbad(l, err, Q_DAY, "%s is outside the map task's dates (%s to %s)", d, a, z);
            goto out;
        }
        uint64_t rec, neg;
        int64_t val;
        if (!csi_u64_of(f[Q_RECORDS], &rec) || rec < 1 || rec > UINT32_MAX) {
            csi_excerpt(ex, sizeof ex, f[Q_RECORDS], strlen(f[Q_RECORDS]));
            rc = pbad(l, err, Q_RECORDS, "'%s' is not a whole number from 1 to %" PRIu32, ex,
                      UINT32_MAX);
            goto out;
        }
        if (!csi_u64_of(f[Q_NEGATIVES], &neg) || neg > rec ||
            (neg && o.returns == CS_RETURNS_DROP)) {
            csi_excerpt(ex, sizeof ex, f[Q_NEGATIVES], strlen(f[Q_NEGATIVES]));
            rc = pbad(l, err, Q_NEGATIVES,
                      "'%s' is not a whole number from 0 to the records (%" PRIu64 ")%s", ex,
                      rec, o.returns == CS_RETURNS_DROP ? ", and 0 as returns are dropped" : "");
            goto out;
        }
        if (!csi_i64_of(f[Q_VALUE], &val) || (!o.has_amount && val != 0)) {
            csi_excerpt(ex, sizeof ex, f[Q_VALUE], strlen(f[Q_VALUE]));
            rc = pbad(l, err, Q_VALUE, "'%s' is not a whole number of micro-units in 64 bits%s",
                      ex, o.has_amount ? "" : " (0 without amounts)");
            goto out;
        }
        /* order: by id (bytes), then day; each customer-day once */
        size_t m = idn < prev_len ? idn : prev_len;
        int cmp = prev ? memcmp(f[Q_ID], prev, m) : 1;
        if (cmp == 0)
            cmp = (idn > prev_len) - (idn < prev_len);
        if (cmp < 0 || (cmp == 0 && day <= prev_day)) {
            rc = pbad(l, err, cmp < 0 ? Q_ID : Q_DAY,
                      "lines out of order (sorted by id, then day; each customer-day once)");
            goto out;
        }
        if (cmp > 0) {
            if (idn > prev_cap) {
                char *np = realloc(prev, idn);
                if (!np) {
                    rc = csi_fail(err, CS_ENOMEM, "out of memory");
                    goto out;
                }
                prev = np;
                prev_cap = idn;
            }
            memcpy(prev, f[Q_ID], idn);
            prev_len = idn;
            ncust++;
            int created;
            uint64_t h = csi_hash_bytes(f[Q_ID], idn);
            si = shard_of(b, h);
            si_idx = csi_builder_intern(b, si, h, f[Q_ID], idn, &created);
            if (si_idx < 0) {
                rc = csi_fail(err, CS_ENOMEM, "out of memory");
                goto out;
            }
        }
        prev_day = day;
        ndays++;
        nrec += rec;
        nneg += neg;
        rc = csi_collect(b, &b->sh[si], (size_t)si_idx, day, (uint32_t)rec, (uint32_t)neg, val,
                         err);
        if (rc != CS_OK)
            goto out;
    }
    if (rc != CS_OK)
        goto out;
    if (!ended) {
        l->line++;
        rc = pbad(l, err, -1, "no '# end' line: the file was cut short");
        goto out;
    }
    if (ndays != sv[5] || ncust != sv[4] || nrec != sv[0] - sv[1] - sv[3] ||
        nneg != sv[2] - sv[3]) {
        rc = pbad(l, err, -1,
                  "%" PRIu64 " customers, %" PRIu64 " days, %" PRIu64 " records and %" PRIu64
                  " negative ones do not match the stats line (%" PRIu64 ", %" PRIu64
                  ", %" PRIu64 ", %" PRIu64 ")",
                  ncust, ndays, nrec, nneg, sv[4], sv[5], sv[0] - sv[1] - sv[3], sv[2] - sv[3]);
        goto out;
    }
out:
    free(prev);
    return rc;
}
