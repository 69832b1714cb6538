/* Partial summaries: the builder's per-customer state as text, so that a log
 * split by customer or by whole days can be summarised piece by piece (in
 * parallel, on several machines) and merged into the exact single-run result.
 * Money stays in integer micro-units, so merging is exact in any order. */
#include "summary/builder-internal.h"
#include "util/internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "# custseg partial summary v1"
/* The longest line read. No line of a partial summary is near it: an id is
 * at most CS_FIELD_MAX bytes (2 x that escaped) and 12 numbers follow. A
 * longer line is not a partial summary; it is refused before memory grows
 * with it. */
#define PART_LINE_MAX (1u << 20)

const char *csi_returns_name(int r)
{
    return r == CS_RETURNS_DROP            ? "drop"
           : r == CS_RETURNS_KEEP         ? "keep"
           : r == CS_RETURNS_NET_CUSTOMER ? "net-customer"
                                          : "net";
}

void csi_day_text(cs_day d, char buf[11])
{
    if (d == CS_DAY_NONE)
        strcpy(buf, "none");
    else
        cs_day_format(d, buf);
}

void csi_put_escaped(FILE *fp, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\t')
            fputs("\\t", fp);
        else if (c == '\n')
            fputs("\\n", fp);
        else if (c == '\r')
            fputs("\\r", fp);
        else if (c == '\\')
            fputs("\\\\", fp);
        else
            putc(c, fp);
    }
}

int cs_builder_write_partial(cs_builder *b, FILE *fp, cs_error *err)
{
    if (b->value_from != CS_DAY_NONE)
        return csi_fail(err, CS_EINVAL, "a summary with a value window has no partial form");
    if (b->opt.returns == CS_RETURNS_NET_CUSTOMER)
        /* a cancellation in one part may belong to a purchase day in another */
        return csi_fail(err, CS_EINVAL,
                        "returns netted against earlier purchase days have no partial form");
    int rc = csi_builder_settle(b, err);
    if (rc != CS_OK)
        return rc;
    size_t n;
    uint64_t *order = csi_builder_sorted(b, &n);
    if (!order)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    char a[11], c[11], mn[11], mx[11];
    csi_day_text(b->opt.as_of, a);
    csi_day_text(b->opt.calibration_end, c);
    csi_day_text(b->st.min_day, mn);
    csi_day_text(b->st.max_day, mx);
    fprintf(fp, MAGIC "\n");
    fprintf(fp, "# options as_of=%s calibration_end=%s returns=%s has_amount=%d\n", a, c,
            csi_returns_name(b->opt.returns), b->opt.has_amount ? 1 : 0);
    fprintf(fp,
            "# stats records=%" PRIu64 " after_as_of=%" PRIu64 " negative=%" PRIu64
            " dropped_returns=%" PRIu64 " cancelled_days=%" PRIu64 " unsorted=%" PRIu64
            " min_day=%s max_day=%s cancelled_value=%" PRId64 "\n",
            b->st.records, b->st.after_as_of, b->st.negative, b->st.dropped_returns,
            b->st.cancelled_days, b->st.unsorted, mn, mx, b->st.cancelled_value);
    fprintf(fp, "id\tdfirst\tdlast\trecords\tvalue\tpdays\tpfirst\tpfirst_val\tplast\tpsum\t"
                "hold_records\thold_days\thold_value\n");
    for (size_t k = 0; k < n; k++) {
        const struct shard *sh = &b->sh[order[k] >> 32];
        const struct cust *u = cust_at(sh, (uint32_t)order[k]);
        char d1[11], d2[11], p1[11], p2[11];
        csi_day_text(u->dfirst, d1);
        csi_day_text(u->dlast, d2);
        csi_day_text(u->pfirst, p1);
        csi_day_text(u->plast, p2);
        csi_put_escaped(fp, cust_id(sh, u), u->id_len);
        fprintf(fp,
                "\t%s\t%s\t%" PRIu32 "\t%" PRId64 "\t%" PRIu32 "\t%s\t%" PRId64 "\t%s\t%" PRId64
                "\t%" PRIu32 "\t%" PRIu32 "\t%" PRId64 "\n",
                d1, d2, u->records, u->value, u->pdays, p1, u->pfirst_val, p2, u->psum,
                u->hold_records, u->hold_days, u->hold_value);
    }
    free(order);
    if (fflush(fp) != 0 || ferror(fp))
        return csi_fail(err, CS_EIO, "write error");
    return CS_OK;
}

/* ---- reading ---- */

char *csi_next_line(struct csi_lines *l, size_t *len, int *rc, cs_error *err)
{
    *rc = CS_OK;
    for (;;) {
        char *nl = memchr(l->buf + l->pos, '\n', l->end - l->pos);
        if (nl || (l->eof && l->pos < l->end)) {
            char *s = l->buf + l->pos;
            size_t n = nl ? (size_t)(nl - s) : l->end - l->pos;
            l->pos += n + (nl ? 1 : 0);
            if (n && s[n - 1] == '\r')
                n--;
            s[n] = '\0'; /* safe: the newline or the spare byte */
            *len = n;
            l->line++;
            return s;
        }
        if (l->eof)
            return NULL;
        memmove(l->buf, l->buf + l->pos, l->end - l->pos);
        l->end -= l->pos;
        l->pos = 0;
        if (l->end + 1 >= l->cap) {
            if (l->cap >= PART_LINE_MAX) {
                csi_fail(err, CS_EPARTIAL, "not a valid custseg %s: line longer than %u bytes",
                         l->kind ? l->kind : "partial summary", PART_LINE_MAX);
                csi_error_where(err, cs_input_name(l->in), l->line + 1, 0, NULL, 0);
                *rc = CS_EPARTIAL;
                return NULL;
            }
            char *nb = realloc(l->buf, l->cap * 2);
            if (!nb) {
                *rc = csi_fail(err, CS_ENOMEM, "out of memory");
                return NULL;
            }
            l->buf = nb;
            l->cap *= 2;
        }
        ssize_t n = cs_input_read(l->in, l->buf + l->end, l->cap - l->end - 1, err);
        if (n < 0) {
            *rc = (int)n;
            return NULL;
        }
        if (n == 0)
            l->eof = 1;
        l->end += (size_t)n;
    }
}

int csi_parse_day(const char *s, cs_day *d)
{
    if (!strcmp(s, "none")) {
        *d = CS_DAY_NONE;
        return 1;
    }
    cs_datefmt iso = {.kind = CS_DATE_ISO};
    return cs_date_parse(&iso, s, strlen(s), d, NULL) == CS_OK;
}

const char *csi_kv(const char *line, const char *key, char *out, size_t cap)
{
    size_t kn = strlen(key);
    const char *p = line;
    while ((p = strstr(p, key)) != NULL) {
        if ((p == line || p[-1] == ' ') && p[kn] == '=') {
            p += kn + 1;
            size_t n = strcspn(p, " ");
            if (n >= cap)
                return NULL;
            memcpy(out, p, n);
            out[n] = '\0';
            return out;
        }
        p += kn;
    }
    return NULL;
}

static int bad(struct csi_lines *l, cs_error *err, const char *what)
{
    csi_fail(err, CS_EPARTIAL, "not a valid custseg partial summary: %s", what);
    csi_error_where(err, cs_input_name(l->in), l->line, 0, NULL, 0);
    return CS_EPARTIAL;
}

int csi_unescape(char *s, size_t *n)
{
    size_t o = 0;
    for (size_t i = 0; i < *n; i++) {
        if (s[i] != '\\') {
            s[o++] = s[i];
            continue;
        }
        if (++i >= *n)
            return 0;
        switch (s[i]) {
        case 't': s[o++] = '\t'; break;
        case 'n': s[o++] = '\n'; break;
        case 'r': s[o++] = '\r'; break;
        case '\\': s[o++] = '\\'; break;
        default: return 0;
        }
    }
    *n = o;
    return 1;
}

/* Plain decimal integers only: no sign for counts, no spaces, no '+', and
 * nothing out of range (strtoull/strtoll would clamp it). */
int csi_u64_of(const char *s, uint64_t *v)
{
    char *e;
    if (*s < '0' || *s > '9')
        return 0;
    errno = 0;
    unsigned long long x = strtoull(s, &e, 10);
    if (*e != '\0' || errno == ERANGE)
        return 0;
    *v = x;
    return 1;
}

int csi_i64_of(const char *s, int64_t *v)
{
    char *e;
    if (!((*s >= '0' && *s <= '9') || (*s == '-' && s[1] >= '0' && s[1] <= '9')))
        return 0;
    errno = 0;
    long long x = strtoll(s, &e, 10);
    if (*e != '\0' || errno == ERANGE)
        return 0;
    *v = x;
    return 1;
}

/* The customer lines' columns (1-based in messages). */
enum { P_ID, P_DFIRST, P_DLAST, P_RECORDS, P_VALUE, P_PDAYS, P_PFIRST, P_PFIRST_VAL, P_PLAST,
       P_PSUM, P_HOLD_RECORDS, P_HOLD_DAYS, P_HOLD_VALUE, P_NCOLS };
static const char *const col_names[P_NCOLS] = {
    "id",  "dfirst", "dlast", "records",      "value",     "pdays",     "pfirst",
    "pfirst_val", "plast", "psum", "hold_records", "hold_days", "hold_value"};

/* A bad customer line: file:line:column 'name': message. */
static int bad_col(struct csi_lines *l, cs_error *err, int col, const char *fmt, ...)
    CS_PRINTF(4, 5);
static int bad_col(struct csi_lines *l, cs_error *err, int col, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    csi_fail(err, CS_EPARTIAL, "not a valid custseg partial summary: %s", msg);
    csi_error_where(err, cs_input_name(l->in), l->line, col + 1, col_names[col],
                    strlen(col_names[col]));
    return CS_EPARTIAL;
}

/* Parses the fields of one customer line into *t and u (records, pdays,
 * hold_records, hold_days) and checks that they fit together as the
 * builder makes them; opt: the partial's options. */
static int parse_customer(struct csi_lines *l, char **f, const cs_summary_options *opt,
                          struct cust *t, uint32_t u[4], cs_error *err)
{
    char ex[64];
    const int days[] = {P_DFIRST, P_DLAST, P_PFIRST, P_PLAST};
    cs_day *dp[] = {&t->dfirst, &t->dlast, &t->pfirst, &t->plast};
    for (int k = 0; k < 4; k++)
        if (!csi_parse_day(f[days[k]], dp[k])) {
            csi_excerpt(ex, sizeof ex, f[days[k]], strlen(f[days[k]]));
            return bad_col(l, err, days[k], "'%s' is not a date (YYYY-MM-DD, or none)", ex);
        }
    const int counts[] = {P_RECORDS, P_PDAYS, P_HOLD_RECORDS, P_HOLD_DAYS};
    for (int k = 0; k < 4; k++) {
        uint64_t v;
        if (!csi_u64_of(f[counts[k]], &v) || v > UINT32_MAX) {
            csi_excerpt(ex, sizeof ex, f[counts[k]], strlen(f[counts[k]]));
            return bad_col(l, err, counts[k], "'%s' is not a whole number from 0 to %" PRIu32,
                           ex, UINT32_MAX);
        }
        u[k] = (uint32_t)v;
    }
    const int money[] = {P_VALUE, P_PFIRST_VAL, P_PSUM, P_HOLD_VALUE};
    int64_t *mp[] = {&t->value, &t->pfirst_val, &t->psum, &t->hold_value};
    for (int k = 0; k < 4; k++)
        if (!csi_i64_of(f[money[k]], mp[k])) {
            csi_excerpt(ex, sizeof ex, f[money[k]], strlen(f[money[k]]));
            return bad_col(l, err, money[k],
                           "'%s' is not a whole number of micro-units in 64 bits", ex);
        }
    char d1[11], d2[11];
    if (t->dfirst == CS_DAY_NONE || t->dlast == CS_DAY_NONE)
        return bad_col(l, err, t->dfirst == CS_DAY_NONE ? P_DFIRST : P_DLAST,
                       "a customer has a first and a last day with a record");
    if (t->dfirst > t->dlast) {
        cs_day_format(t->dfirst, d1);
        cs_day_format(t->dlast, d2);
        return bad_col(l, err, P_DFIRST, "first day %s is after the last day %s", d1, d2);
    }
    if (opt->as_of != CS_DAY_NONE && t->dlast > opt->as_of) {
        cs_day_format(t->dlast, d1);
        cs_day_format(opt->as_of, d2);
        return bad_col(l, err, P_DLAST, "last day %s is after as_of %s", d1, d2);
    }
    if (u[0] == 0 && u[2] == 0)
        return bad_col(l, err, P_RECORDS, "a customer has at least one record");
    /* purchase days: none, and no purchase dates; or some, within the days */
    if (u[1] == 0 || t->pfirst == CS_DAY_NONE || t->plast == CS_DAY_NONE) {
        if (u[1] != 0 || t->pfirst != CS_DAY_NONE || t->plast != CS_DAY_NONE)
            return bad_col(l, err, P_PDAYS,
                           "pdays is %" PRIu32 " but pfirst is %s and plast %s: purchase days "
                           "(at least 1) go with their first and last dates",
                           u[1], f[P_PFIRST], f[P_PLAST]);
    } else {
        if (t->pfirst > t->plast) {
            cs_day_format(t->pfirst, d1);
            cs_day_format(t->plast, d2);
            return bad_col(l, err, P_PFIRST,
                           "first purchase %s is after the last purchase %s", d1, d2);
        }
        if (t->pfirst < t->dfirst || t->plast > t->dlast)
            return bad_col(l, err, t->pfirst < t->dfirst ? P_PFIRST : P_PLAST,
                           "purchase days lie outside the days with a record (%s to %s)",
                           f[P_DFIRST], f[P_DLAST]);
        cs_day end = opt->calibration_end != CS_DAY_NONE ? opt->calibration_end : opt->as_of;
        if (end != CS_DAY_NONE && t->plast > end) {
            cs_day_format(t->plast, d1);
            cs_day_format(end, d2);
            return bad_col(l, err, P_PLAST,
                           "last purchase %s is after the end of the period %s (t_x "
                           "would exceed T)",
                           d1, d2);
        }
        if (u[1] > u[0] || (int64_t)u[1] > (int64_t)t->plast - t->pfirst + 1 ||
            (u[1] == 1) != (t->pfirst == t->plast))
            return bad_col(l, err, P_PDAYS,
                           "%" PRIu32 " purchase days do not fit %" PRIu32
                           " records from %s to %s",
                           u[1], u[0], f[P_PFIRST], f[P_PLAST]);
    }
    if (u[3] > u[2])
        return bad_col(l, err, P_HOLD_DAYS, "%" PRIu32 " holdout days but %" PRIu32 " records",
                       u[3], u[2]);
    if (opt->calibration_end == CS_DAY_NONE && (u[2] || u[3] || t->hold_value))
        return bad_col(l, err, P_HOLD_RECORDS,
                       "holdout counts without a calibration_end in the options");
    return CS_OK;
}

int cs_builder_merge_partial(cs_builder *b, cs_input *in, cs_error *err)
{
    if (b->value_from != CS_DAY_NONE)
        return csi_fail(err, CS_EINVAL, "a summary with a value window has no partial form");
    struct csi_lines l = {.in = in, .cap = 1 << 20};
    l.buf = malloc(l.cap);
    if (!l.buf)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    int rc = CS_OK;
    size_t n;
    char *s = csi_next_line(&l, &n, &rc, err);
    char v[64];
    if (!s) {
        rc = rc ? rc : bad(&l, err, "the file is empty");
        goto out;
    }
    if (!strcmp(s, CSI_PARTITION_MAGIC)) {
        if (b->merge_kind == MERGE_PARTIAL) {
            rc = csi_fail(err, CS_EPARTIAL, "a partition file, but the files before it are "
                                        "partial summaries: merge one kind");
        csi_error_where(err, cs_input_name(in), l.line, 0, NULL, 0);
            goto out;
        }
        l.kind = "partition file";
        rc = csi_merge_partition(b, &l, err);
        goto out;
    }
    if (strcmp(s, MAGIC) != 0) {
        rc = bad(&l, err, "its first line is not '" MAGIC "' (or '" CSI_PARTITION_MAGIC "')");
        goto out;
    }
    if (b->merge_kind == MERGE_PARTITION || b->collect != COLLECT_NONE) {
        rc = csi_fail(err, CS_EPARTIAL, "a partial summary, but the files before it are "
                                        "partition files: merge one kind");
        csi_error_where(err, cs_input_name(in), l.line, 0, NULL, 0);
        goto out;
    }
    b->merge_kind = MERGE_PARTIAL;
    cs_summary_options o = {0};
    s = csi_next_line(&l, &n, &rc, err);
    if (!s || strncmp(s, "# options ", 10) != 0 || !csi_kv(s, "as_of", v, sizeof v) ||
        !csi_parse_day(v, &o.as_of) || !csi_kv(s, "calibration_end", v, sizeof v) ||
        !csi_parse_day(v, &o.calibration_end) || !csi_kv(s, "returns", v, sizeof v)) {
        rc = rc ? rc : bad(&l, err, "bad options line");
        goto out;
    }
    o.returns = !strcmp(v, "drop") ? CS_RETURNS_DROP : !strcmp(v, "keep") ? CS_RETURNS_KEEP : 0;
    if (!csi_kv(s, "has_amount", v, sizeof v)) {
        rc = bad(&l, err, "bad options line");
        goto out;
    }
    o.has_amount = !strcmp(v, "1");
    csi_builder_stats_sync(b);
    int fresh = b->st.records == 0 && b->st.customers_seen == 0;
    if (fresh) {
        o.threads = b->opt.threads;
        b->opt = o;
    } else if (o.as_of != b->opt.as_of || o.calibration_end != b->opt.calibration_end ||
               o.returns != b->opt.returns || o.has_amount != b->opt.has_amount) {
        csi_fail(err, CS_EPARTIAL, "this partial summary was made with other options");
        csi_hint(err, CS_HINT_PARTIAL_OPTIONS);
        csi_error_where(err, cs_input_name(in), l.line, 0, NULL, 0);
        rc = CS_EPARTIAL;
        goto out;
    }
    s = csi_next_line(&l, &n, &rc, err);
    cs_summary_stats st = {0};
    cs_day mn, mx;
    if (!s || strncmp(s, "# stats ", 8) != 0) {
        rc = rc ? rc : bad(&l, err, "bad stats line");
        goto out;
    }
    {
        const char *keys[] = {"records", "after_as_of", "negative", "dropped_returns",
                              "cancelled_days", "unsorted"};
        uint64_t *dst[] = {&st.records, &st.after_as_of, &st.negative, &st.dropped_returns,
                           &st.cancelled_days, &st.unsorted};
        for (size_t k = 0; k < 6; k++)
            if (!csi_kv(s, keys[k], v, sizeof v) || !csi_u64_of(v, dst[k])) {
                rc = bad(&l, err, "bad stats line");
                goto out;
            }
        if (!csi_kv(s, "min_day", v, sizeof v) || !csi_parse_day(v, &mn) ||
            !csi_kv(s, "max_day", v, sizeof v) || !csi_parse_day(v, &mx)) {
            rc = bad(&l, err, "bad stats line");
            goto out;
        }
    }
    b->st.records += st.records;
    b->st.after_as_of += st.after_as_of;
    b->st.negative += st.negative;
    b->st.dropped_returns += st.dropped_returns;
    /* customer-level counts live in the shards (see csi_builder_stats_sync);
     * the partial's out-of-order customers were settled when it was made */
    b->sh[0].cancelled_days += st.cancelled_days;
    if (csi_kv(s, "cancelled_value", v, sizeof v)) { /* absent from older partials */
        char *end;
        errno = 0;
        long long cv = strtoll(v, &end, 10);
        if (*end || errno || cv > 0) {
            rc = bad(&l, err, "bad stats line");
            goto out;
        }
        b->sh[0].cancelled_value += cv;
    }
    if (mn != CS_DAY_NONE && (b->st.min_day == CS_DAY_NONE || mn < b->st.min_day))
        b->st.min_day = mn;
    if (mx != CS_DAY_NONE && (b->st.max_day == CS_DAY_NONE || mx > b->st.max_day))
        b->st.max_day = mx;
    s = csi_next_line(&l, &n, &rc, err);
    if (!s || strncmp(s, "id\tdfirst\t", 10) != 0) {
        rc = rc ? rc : bad(&l, err, "missing column line");
        goto out;
    }
    while ((s = csi_next_line(&l, &n, &rc, err)) != NULL) {
        char *f[13];
        size_t nf = 0;
        char *p = s;
        f[nf++] = p;
        while ((p = strchr(p, '\t')) != NULL && nf < 13) {
            *p++ = '\0';
            f[nf++] = p;
        }
        if (nf != 13 || p) {
            rc = bad(&l, err, "a customer line does not have 13 fields");
            goto out;
        }
        size_t idn = strlen(f[0]);
        struct cust t;
        memset(&t, 0, sizeof t);
        uint32_t u[4];
        if (!csi_unescape(f[0], &idn) || idn == 0 || idn > CS_FIELD_MAX) {
            rc = bad_col(&l, err, P_ID,
                         idn == 0       ? "an empty id"
                         : idn > CS_FIELD_MAX ? "an id longer than 65536 bytes"
                                              : "a bad escape in the id (\\t \\n \\r \\\\ only)");
            goto out;
        }
        if ((rc = parse_customer(&l, f, &o, &t, u, err)) != CS_OK)
            goto out;
        int created;
        uint64_t h = csi_hash_bytes(f[0], idn);
        int si = shard_of(b, h);
        long i = csi_builder_intern(b, si, h, f[0], idn, &created);
        if (i < 0) {
            rc = csi_fail(err, CS_ENOMEM, "out of memory");
            goto out;
        }
        struct cust *c = cust_at(&b->sh[si], (size_t)i);
        if (!created) {
            if (t.dfirst == c->dfirst || t.dfirst == c->dlast || t.dlast == c->dfirst ||
                t.dlast == c->dlast) {
                char ex[128], d[11];
                csi_excerpt(ex, sizeof ex, f[0], idn);
                cs_day_format(t.dfirst == c->dfirst || t.dfirst == c->dlast ? t.dfirst : t.dlast,
                              d);
                csi_fail(err, CS_EPARTIAL,
                        "customer '%s' has records on %s in two partial summaries: split "
                        "the log by customer or by whole days, or map it to partition files, "
                        "which merge any split exactly",
                        ex, d);
                csi_error_where(err, cs_input_name(in), l.line, 0, NULL, 0);
                rc = CS_EPARTIAL;
                goto out;
            }
        }
        if (c->dfirst == CS_DAY_NONE || t.dfirst < c->dfirst)
            c->dfirst = t.dfirst;
        if (c->dlast == CS_DAY_NONE || t.dlast > c->dlast)
            c->dlast = t.dlast;
        /* checked before anything is added: counts are 32 bits, money 64 */
        uint32_t *cnt[] = {&c->records, &c->pdays, &c->hold_records, &c->hold_days};
        const int ccol[] = {P_RECORDS, P_PDAYS, P_HOLD_RECORDS, P_HOLD_DAYS};
        int64_t *mon[] = {&c->value, &c->psum, &c->hold_value};
        const int64_t add[] = {t.value, t.psum, t.hold_value};
        const int mcol[] = {P_VALUE, P_PSUM, P_HOLD_VALUE};
        int64_t sum;
        char ex[128];
        csi_excerpt(ex, sizeof ex, f[0], idn);
        for (int k = 0; k < 4; k++)
            if ((uint64_t)*cnt[k] + u[k] > UINT32_MAX) {
                rc = bad_col(&l, err, ccol[k],
                             "customer '%s': merged %s would pass %" PRIu32 " (%" PRIu32
                             " + %" PRIu32 ")",
                             ex, col_names[ccol[k]], UINT32_MAX, *cnt[k], u[k]);
                goto out;
            }
        for (int k = 0; k < 3; k++)
            if (__builtin_add_overflow(*mon[k], add[k], &sum)) {
                rc = bad_col(&l, err, mcol[k], "customer '%s': merged %s overflows 64 bits", ex,
                             col_names[mcol[k]]);
                goto out;
            }
        for (int k = 0; k < 4; k++)
            *cnt[k] += u[k];
        for (int k = 0; k < 3; k++)
            *mon[k] += add[k];
        if (t.pfirst != CS_DAY_NONE && (c->pfirst == CS_DAY_NONE || t.pfirst < c->pfirst)) {
            c->pfirst = t.pfirst;
            c->pfirst_val = t.pfirst_val;
        }
        int64_t repeat; /* the summary's repeat value must fit too */
        if (__builtin_sub_overflow(c->psum, c->pfirst_val, &repeat)) {
            rc = bad_col(&l, err, P_PSUM,
                         "customer '%s': the repeat purchases' value (psum - pfirst_val) "
                         "overflows 64 bits", ex);
            goto out;
        }
        if (t.plast != CS_DAY_NONE && (c->plast == CS_DAY_NONE || t.plast > c->plast))
            c->plast = t.plast;
    }
out:
    free(l.buf);
    return rc;
}
