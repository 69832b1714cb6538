/* Transaction records: which column is which, and strict parsing of each
 * record into (customer id, day, amount). */
#include "cs-txn.h"
#include "util/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum role { R_CUSTOMER, R_DATE, R_AMOUNT, R_QUANTITY, R_PRICE, R_COUNT };
static const char *const role_names[R_COUNT] = {"customer", "date", "amount", "quantity",
                                                "price"};

/* Header names recognised without a flag, compared after lower-casing and
 * dropping everything but letters and digits. First match in list order. */
static const char *const known_customer[] = {"customerid", "customer", "custid", "clientid",
                                             "client", "userid", "user", "accountid",
                                             "memberid", "id", NULL};
static const char *const known_date[] = {"date", "orderdate", "invoicedate", "transactiondate",
                                         "purchasedate", "txndate", "saledate", "timestamp",
                                         "datetime", "day", NULL};
static const char *const known_amount[] = {"amount", "revenue", "sales", "value",
                                           "dollarvalue", "salesamount", "netamount",
                                           "totalamount", "ordervalue", "total", "spend",
                                           "monetary", NULL};
static const char *const known_quantity[] = {"quantity", "qty", "units", NULL};
static const char *const known_price[] = {"unitprice", "price", "itemprice", NULL};

struct cs_txn_reader {
    cs_records *rec;
    cs_input *in;
    cs_txn_options opt;
    int col[R_COUNT];      /* 0-based, -1 unused */
    char *name[R_COUNT];   /* header name, or NULL */
    size_t nfields;        /* expected fields per record */
    int has_header;
    int have_pending;      /* the first record was data: return it first */
    cs_record pending;
    cs_datefmt datefmt;
    const char *raw;
    size_t raw_len;
    long raw_first, raw_last;
    char *header_text;     /* the header's fields, for --verbose */
    int kind;              /* enum cs_reject_kind of the last rejected record */
    struct rfilter *flt;   /* the filters, resolved */
    size_t nflt;
    uint64_t filtered;
    int64_t filtered_value;
};

#define FILTERED 2 /* convert: the filters leave the record out */

/* A filter with its column found and its values split. */
struct rfilter {
    int col;
    int include;
    size_t nv;
    const char **v; /* into text */
    size_t *vlen;
    char *text;
};

static const char *const kind_names[CS_REJECT_NKINDS] = {
    "missing-id", "bad-id", "bad-date", "bad-amount", "ragged", "bad-quote", "long-line", "nul"};

const char *cs_reject_kind_name(int kind)
{
    return kind >= 0 && kind < CS_REJECT_NKINDS ? kind_names[kind] : NULL;
}

int cs_reject_kind_from_name(const char *name, size_t len)
{
    for (int k = 0; k < CS_REJECT_NKINDS; k++)
        if (strlen(kind_names[k]) == len && memcmp(kind_names[k], name, len) == 0)
            return k;
    return -1;
}

int cs_id_numeric(const char *s, size_t n, size_t *start, size_t *len)
{
    size_t d = 0;
    while (d < n && s[d] >= '0' && s[d] <= '9')
        d++;
    if (d == 0)
        return 0;
    if (d < n) {
        if (s[d] != '.' || d + 1 == n)
            return 0;
        for (size_t i = d + 1; i < n; i++)
            if (s[i] != '0')
                return 0;
    }
    size_t z = 0;
    while (z + 1 < d && s[z] == '0')
        z++;
    *start = z;
    *len = d - z;
    return 1;
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

static int ieq(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    if (an != bn)
        return 0;
    for (size_t i = 0; i < an; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (char)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
}

static void list_columns(const cs_record *h, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < h->nfields && o + 8 < cap; i++) {
        char ex[80];
        csi_excerpt(ex, sizeof ex, h->field[i], h->len[i]);
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? ", " : "", ex);
    }
}

static int find_named(const cs_record *h, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < h->nfields; i++)
        if (h->len[i] == n && memcmp(h->field[i], name, n) == 0)
            return (int)i;
    int found = -1;
    for (size_t i = 0; i < h->nfields; i++)
        if (ieq(h->field[i], h->len[i], name)) {
            if (found >= 0)
                return -2; /* ambiguous */
            found = (int)i;
        }
    return found;
}

static int looks_like_data(const cs_record *r, const cs_datefmt *fmt)
{
    /* A header never holds a date; a data line nearly always does. */
    cs_datefmt any = {0};
    for (size_t i = 0; i < r->nfields; i++) {
        cs_day d;
        if (cs_date_parse(&any, r->field[i], r->len[i], &d, NULL) == CS_OK ||
            (fmt->kind == CS_DATE_PATTERN &&
             cs_date_parse(fmt, r->field[i], r->len[i], &d, NULL) == CS_OK))
            return 1;
    }
    return 0;
}

/* The field of column spec (a 1-based number) parses as a number. */
static int number_at(const cs_record *r, const char *spec)
{
    if (!spec)
        return 0;
    long c = strtol(spec, NULL, 10) - 1;
    int64_t v;
    return c >= 0 && (size_t)c < r->nfields &&
           cs_amount_parse(r->field[c], r->len[c], &v, NULL) == CS_OK;
}

static int column_error(cs_txn_reader *rd, cs_error *err, const char *fmt, const char *a,
                        const char *b)
{
    csi_fail(err, CS_ECOLUMN, fmt, a, b);
    csi_error_where(err, cs_input_name(rd->in), 1, 0, NULL, 0);
    return CS_ECOLUMN;
}

static int resolve_filters(cs_txn_reader *rd, const cs_record *first, const char *cols,
                           cs_error *err)
{
    if (rd->opt.nfilters == 0)
        return CS_OK;
    rd->flt = calloc(rd->opt.nfilters, sizeof *rd->flt);
    if (!rd->flt)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    rd->nflt = rd->opt.nfilters;
    for (size_t i = 0; i < rd->nflt; i++) {
        const cs_txn_filter *f = &rd->opt.filters[i];
        struct rfilter *g = &rd->flt[i];
        g->include = f->include;
        const char *setting = f->include ? "include" : "exclude";
        if (all_digits(f->column)) {
            long c = strtol(f->column, NULL, 10);
            if (c < 1 || (size_t)c > first->nfields) {
                csi_fail(err, CS_ECOLUMN, "there is no column %s (the first line has %zu fields)",
                         f->column, first->nfields);
                csi_error_setting(err, setting, f->column);
                csi_error_where(err, cs_input_name(rd->in), 1, 0, NULL, 0);
                return CS_ECOLUMN;
            }
            g->col = (int)c - 1;
        } else {
            g->col = rd->has_header ? find_named(first, f->column) : -1;
            if (g->col < 0) {
                if (g->col == -2)
                    csi_fail(err, CS_ECOLUMN, "column name '%s' matches several columns (%s)",
                             f->column, cols);
                else if (rd->has_header)
                    csi_fail(err, CS_ECOLUMN, "no column named '%s' (columns: %s)", f->column,
                             cols);
                else
                    csi_fail(err, CS_ECOLUMN,
                             "no header line: name the column '%s' by number", f->column);
                csi_error_setting(err, setting, f->column);
                csi_error_where(err, cs_input_name(rd->in), 1, 0, NULL, 0);
                return CS_ECOLUMN;
            }
        }
        g->text = strdup(f->values ? f->values : "");
        size_t nv = 1;
        for (const char *c = g->text; c && *c; c++)
            nv += *c == ',';
        g->v = calloc(nv, sizeof *g->v);
        g->vlen = calloc(nv, sizeof *g->vlen);
        if (!g->text || !g->v || !g->vlen)
            return csi_fail(err, CS_ENOMEM, "out of memory");
        char *p = g->text;
        for (;;) {
            char *c = strchr(p, ',');
            g->v[g->nv] = p;
            g->vlen[g->nv++] = c ? (size_t)(c - p) : strlen(p);
            if (!c)
                break;
            p = c + 1;
        }
    }
    return CS_OK;
}

/* 1 when the filters leave the record out. */
static int filtered_out(const cs_txn_reader *rd, const cs_record *r)
{
    for (size_t i = 0; i < rd->nflt; i++) {
        const struct rfilter *g = &rd->flt[i];
        const char *f = r->field[g->col];
        size_t n = r->len[g->col];
        int hit = 0;
        for (size_t k = 0; k < g->nv && !hit; k++)
            hit = g->vlen[k] == n && memcmp(g->v[k], f, n) == 0;
        if (hit != g->include)
            return 1;
    }
    return 0;
}

static int resolve(cs_txn_reader *rd, const cs_record *first, cs_error *err)
{
    const char *spec[R_COUNT] = {rd->opt.customer, rd->opt.date, rd->opt.amount,
                                 rd->opt.quantity, rd->opt.price};
    char cols[1024];
    list_columns(first, cols, sizeof cols);
    int need_names = 0;
    for (int k = 0; k < R_COUNT; k++)
        if (spec[k] && !all_digits(spec[k]))
            need_names = 1;
    int auto_cols = !spec[R_CUSTOMER] || !spec[R_DATE] ||
                    (!rd->opt.no_amount && !spec[R_AMOUNT] && !spec[R_QUANTITY]);
    if (auto_cols)
        need_names = 1;

    int header;
    if (rd->opt.header == CS_HEADER_YES)
        header = 1;
    else if (rd->opt.header == CS_HEADER_NO)
        header = 0;
    else if (need_names)
        header = !looks_like_data(first, &rd->datefmt);
    else
        /* every column given by number: line 1 is a header only when it
         * names columns (no date, no number where the amounts are); else
         * it is data, parsed like any record (a bad date is an error at
         * line 1, not a header silently dropped) */
        header = !looks_like_data(first, &rd->datefmt) && !number_at(first, spec[R_AMOUNT]) &&
                 !number_at(first, spec[R_QUANTITY]) && !number_at(first, spec[R_PRICE]);
    if (need_names && !header) {
        column_error(rd, err,
                     "the input has no header line (its first line is data: %s), so name the "
                     "columns by number%s",
                     cols, "");
        return csi_hint(err, CS_HINT_COLUMNS_BY_NUMBER);
    }
    rd->has_header = header;
    rd->nfields = first->nfields;
    if (header && !(rd->header_text = strdup(cols)))
        return csi_fail(err, CS_ENOMEM, "out of memory");

    for (int k = 0; k < R_COUNT; k++) {
        rd->col[k] = -1;
        if (!spec[k])
            continue;
        if (all_digits(spec[k])) {
            long c = strtol(spec[k], NULL, 10);
            if (c < 1 || (size_t)c > first->nfields) {
                char num[32];
                snprintf(num, sizeof num, "%zu", first->nfields);
                csi_fail(err, CS_ECOLUMN, "there is no such column (the first line has %s fields)",
                         num);
                csi_error_setting(err, role_names[k], spec[k]);
                csi_error_where(err, cs_input_name(rd->in), 1, 0, NULL, 0);
                return CS_ECOLUMN;
            }
            rd->col[k] = (int)c - 1;
        } else {
            int c = find_named(first, spec[k]);
            if (c == -2)
                return column_error(rd, err, "column name '%s' matches several columns (%s)",
                                    spec[k], cols);
            if (c < 0) {
                csi_fail(err, CS_ECOLUMN, "no column of that name (columns: %s)", cols);
                csi_error_setting(err, role_names[k], spec[k]);
                csi_error_where(err, cs_input_name(rd->in), 1, 0, NULL, 0);
                return CS_ECOLUMN;
            }
            rd->col[k] = c;
        }
    }
    if ((spec[R_QUANTITY] != NULL) != (spec[R_PRICE] != NULL)) {
        csi_fail(err, CS_ECOLUMN, "the quantity and price columns go together");
        return CS_ECOLUMN;
    }
    if (spec[R_AMOUNT] && spec[R_QUANTITY]) {
        csi_fail(err, CS_ECOLUMN, "an amount column, or quantity and price columns: not both");
        return CS_ECOLUMN;
    }
    if (rd->col[R_CUSTOMER] < 0 && (rd->col[R_CUSTOMER] = csi_find_known(first, known_customer)) < 0)
        return column_error(rd, err, "no customer id column recognised in the header (columns: %s)%s",
                            cols, ""),
               csi_hint(err, CS_HINT_NAME_CUSTOMER);
    if (rd->col[R_DATE] < 0 && (rd->col[R_DATE] = csi_find_known(first, known_date)) < 0)
        return column_error(rd, err, "no date column recognised in the header (columns: %s)%s",
                            cols, ""),
               csi_hint(err, CS_HINT_NAME_DATE);
    if (!rd->opt.no_amount && rd->col[R_AMOUNT] < 0 && rd->col[R_QUANTITY] < 0) {
        rd->col[R_AMOUNT] = csi_find_known(first, known_amount);
        if (rd->col[R_AMOUNT] < 0) {
            rd->col[R_QUANTITY] = csi_find_known(first, known_quantity);
            rd->col[R_PRICE] = csi_find_known(first, known_price);
            if (rd->col[R_QUANTITY] < 0 || rd->col[R_PRICE] < 0)
                return column_error(rd, err,
                                    "no amount column recognised in the header (columns: %s)%s",
                                    cols, ""),
                       csi_hint(err, CS_HINT_NAME_AMOUNT);
        }
    }
    if (rd->opt.no_amount)
        rd->col[R_AMOUNT] = rd->col[R_QUANTITY] = rd->col[R_PRICE] = -1;
    if (rd->col[R_CUSTOMER] == rd->col[R_DATE])
        return column_error(rd, err, "the customer and date columns are the same column%s%s",
                            "", "");
    int frc = resolve_filters(rd, first, cols, err);
    if (frc != CS_OK)
        return frc;
    if (header)
        for (int k = 0; k < R_COUNT; k++)
            if (rd->col[k] >= 0) {
                size_t n = first->len[rd->col[k]];
                rd->name[k] = malloc(n + 1);
                if (!rd->name[k])
                    return csi_fail(err, CS_ENOMEM, "out of memory");
                memcpy(rd->name[k], first->field[rd->col[k]], n);
                rd->name[k][n] = '\0';
            }
    return CS_OK;
}

cs_txn_reader *cs_txn_reader_new(cs_input *in, const cs_txn_options *opts, cs_error *err)
{
    cs_txn_reader *rd = calloc(1, sizeof *rd);
    if (!rd) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    rd->in = in;
    rd->opt = *opts;
    rd->datefmt = opts->datefmt;
    rd->rec = cs_records_new(in, opts->delimiter, err);
    if (!rd->rec)
        goto fail;
    cs_records_set_max_line(rd->rec, opts->max_line);
    cs_record first;
    int rc = cs_records_next(rd->rec, &first, err);
    if (rc < 0)
        goto fail;
    if (rc == 0) {
        csi_fail(err, CS_EEMPTY, "the input is empty");
        csi_error_where(err, cs_input_name(in), 0, 0, NULL, 0);
        goto fail;
    }
    if (resolve(rd, &first, err) != CS_OK)
        goto fail;
    if (!rd->has_header) {
        rd->have_pending = 1;
        rd->pending = first;
    }
    return rd;
fail:
    cs_txn_reader_free(rd);
    return NULL;
}

void cs_txn_reader_free(cs_txn_reader *rd)
{
    if (!rd)
        return;
    cs_records_free(rd->rec);
    for (int k = 0; k < R_COUNT; k++)
        free(rd->name[k]);
    free(rd->header_text);
    for (size_t i = 0; i < rd->nflt; i++) {
        free(rd->flt[i].text);
        free(rd->flt[i].v);
        free(rd->flt[i].vlen);
    }
    free(rd->flt);
    free(rd);
}

static int bad_field(cs_txn_reader *rd, const cs_record *r, int role, cs_error *err, int code,
                     const char *fmt, const char *a, const char *b)
{
    csi_fail(err, code, fmt, a, b);
    const char *nm = rd->name[role] ? rd->name[role] : role_names[role];
    csi_error_where(err, cs_input_name(rd->in), r->line, rd->col[role] + 1, nm, strlen(nm));
    return code;
}

static int parse_amount_field(cs_txn_reader *rd, const cs_record *r, int role, int64_t *out,
                              cs_error *err)
{
    const char *s = r->field[rd->col[role]];
    size_t n = r->len[rd->col[role]];
    const char *why;
    if (cs_amount_parse(s, n, out, &why) == CS_OK)
        return CS_OK;
    if (n == 0)
        return bad_field(rd, r, role, err, CS_EAMOUNT, "empty %s (a number is required)%s",
                         role == R_AMOUNT ? "amount" : role_names[role], "");
    char ex[128];
    csi_excerpt(ex, sizeof ex, s, n);
    return bad_field(rd, r, role, err, CS_EAMOUNT, "cannot parse '%s' as a number: %s", ex, why);
}

static int convert(cs_txn_reader *rd, const cs_record *r, cs_txn *t, cs_error *err)
{
    rd->raw = r->raw;
    rd->raw_len = r->raw_len;
    rd->raw_first = r->line;
    rd->raw_last = cs_records_raw_last_line(rd->rec);
    if (r->nfields != rd->nfields) {
        rd->kind = CS_REJECT_RAGGED;
        csi_fail(err, CS_EFORMAT, "expected %zu fields, found %zu", rd->nfields, r->nfields);
        csi_error_where(err, cs_input_name(rd->in), r->line, 0, NULL, 0);
        return CS_EFORMAT;
    }
    if (rd->nflt && filtered_out(rd, r)) {
        int64_t v = 0, q, p;
        rd->filtered++;
        if (rd->col[R_AMOUNT] >= 0) {
            if (cs_amount_parse(r->field[rd->col[R_AMOUNT]], r->len[rd->col[R_AMOUNT]], &v,
                                NULL) != CS_OK)
                v = 0;
        } else if (rd->col[R_QUANTITY] >= 0) {
            if (cs_amount_parse(r->field[rd->col[R_QUANTITY]], r->len[rd->col[R_QUANTITY]], &q,
                                NULL) != CS_OK ||
                cs_amount_parse(r->field[rd->col[R_PRICE]], r->len[rd->col[R_PRICE]], &p,
                                NULL) != CS_OK ||
                cs_amount_mul(q, p, &v) != CS_OK)
                v = 0;
        }
        if (__builtin_add_overflow(rd->filtered_value, v, &rd->filtered_value))
            rd->filtered_value = v < 0 ? INT64_MIN : INT64_MAX;
        return FILTERED;
    }
    const char *id = r->field[rd->col[R_CUSTOMER]];
    size_t idn = r->len[rd->col[R_CUSTOMER]];
    rd->kind = CS_REJECT_MISSING_ID;
    if (idn == 0)
        return bad_field(rd, r, R_CUSTOMER, err, CS_EID, "empty customer id%s%s", "", "");
    rd->kind = CS_REJECT_BAD_ID;
    for (size_t i = 0; i < idn; i++)
        if ((unsigned char)id[i] >= 0x80) {
            if (!csi_utf8_valid(id, idn)) {
                char ex[128];
                csi_excerpt(ex, sizeof ex, id, idn);
                return bad_field(rd, r, R_CUSTOMER, err, CS_EID,
                                 "customer id is not valid UTF-8: '%s'%s", ex, "");
            }
            break;
        }
    if (rd->opt.id_mode == CS_ID_NUMERIC) {
        size_t st, len;
        if (!cs_id_numeric(id, idn, &st, &len)) {
            char ex[128];
            csi_excerpt(ex, sizeof ex, id, idn);
            bad_field(rd, r, R_CUSTOMER, err, CS_EID,
                      "customer id '%s' is not a whole number (ids are read as numbers)%s", ex,
                      "");
            csi_error_setting(err, "id_normalize", "numeric");
            return CS_EID;
        }
        id += st;
        idn = len;
    }
    rd->kind = CS_REJECT_BAD_DATE;
    const char *ds = r->field[rd->col[R_DATE]];
    size_t dn = r->len[rd->col[R_DATE]];
    int kind = 0;
    if (cs_date_parse(&rd->datefmt, ds, dn, &t->day, &kind) != CS_OK) {
        char ex[128];
        csi_excerpt(ex, sizeof ex, ds, dn);
        int y = 0;
        int shaped = dn >= 8;
        for (size_t i = 0; i < 4 && i < dn; i++) {
            shaped &= ds[i] >= '0' && ds[i] <= '9';
            y = y * 10 + (ds[i] - '0');
        }
        if (shaped && rd->datefmt.kind != CS_DATE_PATTERN && (y < CS_YEAR_MIN || y > CS_YEAR_MAX))
            return bad_field(rd, r, R_DATE, err, CS_EDATE,
                             "date '%s' is out of range (%s)", ex,
                             "1900-01-01 to 2200-12-31");
        cs_datefmt show = rd->datefmt;
        if (show.kind == CS_DATE_AUTO)
            show.kind = dn == 8 ? CS_DATE_COMPACT : CS_DATE_ISO;
        return bad_field(rd, r, R_DATE, err, CS_EDATE, "cannot parse '%s' as a date (expected %s)",
                         ex, cs_datefmt_expected(&show));
    }
    if (rd->datefmt.kind == CS_DATE_AUTO)
        rd->datefmt.kind = kind; /* one format per column, fixed by its first value */
    t->id = id;
    t->id_len = idn;
    rd->kind = CS_REJECT_BAD_AMOUNT;
    if (rd->col[R_AMOUNT] >= 0) {
        if (parse_amount_field(rd, r, R_AMOUNT, &t->amount, err) != CS_OK)
            return CS_EAMOUNT;
    } else if (rd->col[R_QUANTITY] >= 0) {
        int64_t q, p;
        if (parse_amount_field(rd, r, R_QUANTITY, &q, err) != CS_OK ||
            parse_amount_field(rd, r, R_PRICE, &p, err) != CS_OK)
            return CS_EAMOUNT;
        if (cs_amount_mul(q, p, &t->amount) != CS_OK)
            return bad_field(rd, r, R_QUANTITY, err, CS_EAMOUNT,
                             "quantity x price is too large%s%s", "", "");
    } else {
        t->amount = 0;
    }
    return CS_OK;
}

int cs_txn_read(cs_txn_reader *rd, cs_txn *txn, cs_error *err)
{
    cs_record r;
    if (rd->have_pending) {
        rd->have_pending = 0;
        int rc = convert(rd, &rd->pending, txn, err);
        if (rc != FILTERED)
            return rc == CS_OK ? 1 : rc;
    }
    for (;;) {
        int rc = cs_records_next(rd->rec, &r, err);
        if (rc <= 0) {
            rd->raw = cs_records_raw(rd->rec, &rd->raw_len, &rd->raw_first);
            rd->raw_last = cs_records_raw_last_line(rd->rec);
            int f = cs_records_fault(rd->rec);
            rd->kind = f == CS_FAULT_QUOTE ? CS_REJECT_BAD_QUOTE
                       : f == CS_FAULT_NUL ? CS_REJECT_NUL
                                           : CS_REJECT_LONG_LINE;
            return rc;
        }
        rc = convert(rd, &r, txn, err);
        if (rc != FILTERED)
            return rc == CS_OK ? 1 : rc;
    }
}

int cs_txn_reject_kind(const cs_txn_reader *rd)
{
    return rd->kind;
}

void cs_txn_filtered(const cs_txn_reader *rd, uint64_t *records, int64_t *value)
{
    *records = rd->filtered;
    *value = rd->filtered_value;
}

const char *cs_txn_raw(const cs_txn_reader *rd, size_t *len)
{
    *len = rd->raw_len;
    return rd->raw;
}

void cs_txn_raw_lines(const cs_txn_reader *rd, long *first, long *last)
{
    *first = rd->raw_first;
    *last = rd->raw_last;
}

const char *cs_txn_header_text(const cs_txn_reader *rd)
{
    return rd->header_text;
}

int cs_txn_column(const cs_txn_reader *rd, const char *role, const char **name)
{
    for (int k = 0; k < R_COUNT; k++)
        if (strcmp(role, role_names[k]) == 0) {
            if (name)
                *name = rd->name[k];
            return rd->col[k] + 1;
        }
    if (name)
        *name = NULL;
    return 0;
}

int cs_txn_delimiter(const cs_txn_reader *rd)
{
    return cs_records_delimiter(rd->rec);
}

int cs_txn_has_header(const cs_txn_reader *rd)
{
    return rd->has_header;
}

const char *cs_txn_date_format(const cs_txn_reader *rd)
{
    return cs_datefmt_expected(&rd->datefmt);
}
