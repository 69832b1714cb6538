/* Partial summaries: the builder's per-customer state as text, so that a log
 * split by customer or by whole days can be summarised piece by piece (in
 * parallel, on several machines) and merged into the exact single-run result.
 * Money stays in integer micro-units, so merging is exact in any order. */
#include "summary/builder-internal.h"
#include "util/internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "# custseg partial summary v1"

static const char *returns_name(int r)
{
    return r == CS_RETURNS_DROP ? "drop" : r == CS_RETURNS_KEEP ? "keep" : "net";
}

static void day_text(cs_day d, char buf[11])
{
    if (d == CS_DAY_NONE)
        strcpy(buf, "none");
    else
        cs_day_format(d, buf);
}

static void put_escaped(FILE *fp, const char *s, size_t n)
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
    int rc = csi_builder_settle(b, err);
    if (rc != CS_OK)
        return rc;
    size_t n;
    uint64_t *order = csi_builder_sorted(b, &n);
    if (!order)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    char a[11], c[11], mn[11], mx[11];
    day_text(b->opt.as_of, a);
    day_text(b->opt.calibration_end, c);
    day_text(b->st.min_day, mn);
    day_text(b->st.max_day, mx);
    fprintf(fp, MAGIC "\n");
    fprintf(fp, "# options as_of=%s calibration_end=%s returns=%s has_amount=%d\n", a, c,
            returns_name(b->opt.returns), b->opt.has_amount ? 1 : 0);
    fprintf(fp,
            "# stats records=%" PRIu64 " after_as_of=%" PRIu64 " negative=%" PRIu64
            " dropped_returns=%" PRIu64 " cancelled_days=%" PRIu64 " unsorted=%" PRIu64
            " min_day=%s max_day=%s\n",
            b->st.records, b->st.after_as_of, b->st.negative, b->st.dropped_returns,
            b->st.cancelled_days, b->st.unsorted, mn, mx);
    fprintf(fp, "id\tdfirst\tdlast\trecords\tvalue\tpdays\tpfirst\tpfirst_val\tplast\tpsum\t"
                "hold_records\thold_days\thold_value\n");
    for (size_t k = 0; k < n; k++) {
        const struct shard *sh = &b->sh[order[k] >> 32];
        const struct cust *u = cust_at(sh, (uint32_t)order[k]);
        char d1[11], d2[11], p1[11], p2[11];
        day_text(u->dfirst, d1);
        day_text(u->dlast, d2);
        day_text(u->pfirst, p1);
        day_text(u->plast, p2);
        put_escaped(fp, cust_id(sh, u), u->id_len);
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

struct lines {
    cs_input *in;
    char *buf;
    size_t cap, pos, end;
    int eof;
    long line;
};

/* Returns the next line (NUL-terminated in place), NULL at the end or on
 * error (*rc set). */
static char *next_line(struct lines *l, size_t *len, int *rc, cs_error *err)
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

static int parse_day(const char *s, cs_day *d)
{
    if (!strcmp(s, "none")) {
        *d = CS_DAY_NONE;
        return 1;
    }
    cs_datefmt iso = {.kind = CS_DATE_ISO};
    return cs_date_parse(&iso, s, strlen(s), d, NULL) == CS_OK;
}

static const char *kv(const char *line, const char *key, char *out, size_t cap)
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

static int bad(struct lines *l, cs_error *err, const char *what)
{
    csi_fail(err, CS_EPARTIAL, "not a valid custseg partial summary: %s", what);
    csi_error_where(err, cs_input_name(l->in), l->line, 0, NULL, 0);
    return CS_EPARTIAL;
}

static int unescape(char *s, size_t *n)
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

static int u64_of(const char *s, uint64_t *v)
{
    char *e;
    if (!*s || *s == '-')
        return 0;
    errno = 0;
    *v = strtoull(s, &e, 10);
    return *e == '\0' && errno != ERANGE; /* no saturated value */
}

static int i64_of(const char *s, int64_t *v)
{
    char *e;
    if (!*s)
        return 0;
    errno = 0;
    *v = strtoll(s, &e, 10);
    return *e == '\0' && errno != ERANGE;
}

int cs_builder_merge_partial(cs_builder *b, cs_input *in, cs_error *err)
{
    if (b->value_from != CS_DAY_NONE)
        return csi_fail(err, CS_EINVAL, "a summary with a value window has no partial form");
    struct lines l = {.in = in, .cap = 1 << 20};
    l.buf = malloc(l.cap);
    if (!l.buf)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    int rc = CS_OK;
    size_t n;
    char *s = next_line(&l, &n, &rc, err);
    char v[64];
    if (!s) {
        rc = rc ? rc : bad(&l, err, "the file is empty");
        goto out;
    }
    if (strcmp(s, MAGIC) != 0) {
        rc = bad(&l, err, "its first line is not '" MAGIC "'");
        goto out;
    }
    cs_summary_options o = {0};
    s = next_line(&l, &n, &rc, err);
    if (!s || strncmp(s, "# options ", 10) != 0 || !kv(s, "as_of", v, sizeof v) ||
        !parse_day(v, &o.as_of) || !kv(s, "calibration_end", v, sizeof v) ||
        !parse_day(v, &o.calibration_end) || !kv(s, "returns", v, sizeof v)) {
        rc = rc ? rc : bad(&l, err, "bad options line");
        goto out;
    }
    o.returns = !strcmp(v, "drop") ? CS_RETURNS_DROP : !strcmp(v, "keep") ? CS_RETURNS_KEEP : 0;
    if (!kv(s, "has_amount", v, sizeof v)) {
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
    s = next_line(&l, &n, &rc, err);
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
            if (!kv(s, keys[k], v, sizeof v) || !u64_of(v, dst[k])) {
                rc = bad(&l, err, "bad stats line");
                goto out;
            }
        if (!kv(s, "min_day", v, sizeof v) || !parse_day(v, &mn) ||
            !kv(s, "max_day", v, sizeof v) || !parse_day(v, &mx)) {
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
    if (mn != CS_DAY_NONE && (b->st.min_day == CS_DAY_NONE || mn < b->st.min_day))
        b->st.min_day = mn;
    if (mx != CS_DAY_NONE && (b->st.max_day == CS_DAY_NONE || mx > b->st.max_day))
        b->st.max_day = mx;
    s = next_line(&l, &n, &rc, err);
    if (!s || strncmp(s, "id\tdfirst\t", 10) != 0) {
        rc = rc ? rc : bad(&l, err, "missing column line");
        goto out;
    }
    while ((s = next_line(&l, &n, &rc, err)) != NULL) {
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
        uint64_t u[5];
        if (!unescape(f[0], &idn) || idn == 0 || !parse_day(f[1], &t.dfirst) ||
            !parse_day(f[2], &t.dlast) || !u64_of(f[3], &u[0]) || !i64_of(f[4], &t.value) ||
            !u64_of(f[5], &u[1]) || !parse_day(f[6], &t.pfirst) ||
            !i64_of(f[7], &t.pfirst_val) || !parse_day(f[8], &t.plast) ||
            !i64_of(f[9], &t.psum) || !u64_of(f[10], &u[2]) || !u64_of(f[11], &u[3]) ||
            !i64_of(f[12], &t.hold_value) || u[0] > UINT32_MAX || u[1] > UINT32_MAX ||
            u[2] > UINT32_MAX || u[3] > UINT32_MAX || (u[1] > 0) != (t.pfirst != CS_DAY_NONE)) {
            rc = bad(&l, err, "a customer line has a bad value");
            goto out;
        }
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
                        "the log by customer or by whole days",
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
        c->records += (uint32_t)u[0];
        c->pdays += (uint32_t)u[1];
        c->hold_records += (uint32_t)u[2];
        c->hold_days += (uint32_t)u[3];
        if (__builtin_add_overflow(c->value, t.value, &c->value) ||
            __builtin_add_overflow(c->psum, t.psum, &c->psum) ||
            __builtin_add_overflow(c->hold_value, t.hold_value, &c->hold_value)) {
            rc = csi_fail(err, CS_EAMOUNT, "amounts overflow");
            goto out;
        }
        if (t.pfirst != CS_DAY_NONE && (c->pfirst == CS_DAY_NONE || t.pfirst < c->pfirst)) {
            c->pfirst = t.pfirst;
            c->pfirst_val = t.pfirst_val;
        }
        int64_t repeat; /* the summary's repeat value must fit too */
        if (__builtin_sub_overflow(c->psum, c->pfirst_val, &repeat)) {
            rc = csi_fail(err, CS_EAMOUNT, "amounts overflow");
            csi_error_where(err, cs_input_name(in), l.line, 0, NULL, 0);
            goto out;
        }
        if (t.plast != CS_DAY_NONE && (c->plast == CS_DAY_NONE || t.plast > c->plast))
            c->plast = t.plast;
    }
out:
    free(l.buf);
    return rc;
}
