/* Tables with a header line: the per-customer tables the tools write and
 * read back (summaries, scores, tiers, survivor counts, subscription
 * records). Columns are found by name; typed getters say file, line,
 * column and what was expected. Customer ids go into one arena type. */
#include "cs-io.h"
#include "util/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- customer ids ---- */

int cs_ids_push(cs_ids *ids, const char *id, size_t len)
{
    if (len > UINT32_MAX)
        return CS_EINVAL;
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? 2 * ids->cap : 256;
        size_t *off = csi_big_grow(ids->off, ids->n * sizeof *off, cap * sizeof *off);
        if (!off)
            return CS_ENOMEM;
        ids->off = off;
        uint32_t *l = csi_big_grow(ids->len, ids->n * sizeof *l, cap * sizeof *l);
        if (!l)
            return CS_ENOMEM;
        ids->len = l;
        ids->cap = cap;
    }
    if (ids->used + len + 1 > ids->bytes_cap) {
        size_t cap = 2 * (ids->used + len + 1) + 4096;
        char *b = csi_big_grow(ids->bytes, ids->used, cap);
        if (!b)
            return CS_ENOMEM;
        ids->bytes = b;
        ids->bytes_cap = cap;
    }
    memcpy(ids->bytes + ids->used, id, len);
    ids->off[ids->n] = ids->used;
    ids->len[ids->n] = (uint32_t)len;
    ids->used += len;
    ids->n++;
    return CS_OK;
}

int cs_ids_reserve(cs_ids *ids, size_t n, size_t bytes)
{
    if (ids->n + n > ids->cap) {
        size_t cap = ids->n + n;
        size_t *off = csi_big_grow(ids->off, ids->n * sizeof *off, cap * sizeof *off);
        if (!off)
            return CS_ENOMEM;
        ids->off = off;
        uint32_t *l = csi_big_grow(ids->len, ids->n * sizeof *l, cap * sizeof *l);
        if (!l)
            return CS_ENOMEM;
        ids->len = l;
        ids->cap = cap;
    }
    if (ids->used + bytes + 1 > ids->bytes_cap) {
        size_t cap = ids->used + bytes + 1;
        char *b = csi_big_grow(ids->bytes, ids->used, cap);
        if (!b)
            return CS_ENOMEM;
        ids->bytes = b;
        ids->bytes_cap = cap;
    }
    return CS_OK;
}

void cs_ids_clear(cs_ids *ids)
{
    if (!ids)
        return;
    free(ids->bytes);
    free(ids->off);
    free(ids->len);
    memset(ids, 0, sizeof *ids);
}

/* ---- header names ---- */

static void normalise(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[o++] = c;
    }
    out[o] = '\0';
}

int csi_find_known(const cs_record *h, const char *const *names)
{
    for (const char *const *k = names; *k; k++)
        for (size_t i = 0; i < h->nfields; i++) {
            char norm[64];
            normalise(h->field[i], h->len[i], norm, sizeof norm);
            if (strcmp(norm, *k) == 0)
                return (int)i;
        }
    return -1;
}

/* ---- the table ---- */

struct cs_table {
    cs_records *rec;
    char file[256];
    size_t ncols;
    char **names;      /* the header's names, NUL-terminated copies */
    size_t *name_len;
    cs_record header;  /* over names (for csi_find_known) */
    cs_record row;
    int have_row;
};

void cs_table_free(cs_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncols; i++)
        free(t->names ? t->names[i] : NULL);
    free(t->names);
    free(t->name_len);
    cs_records_free(t->rec);
    free(t);
}

cs_table *cs_table_open(cs_input *in, int delimiter, cs_error *err)
{
    cs_table *t = calloc(1, sizeof *t);
    if (!t) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    const char *name = cs_input_name(in);
    snprintf(t->file, sizeof t->file, "%s", name ? name : "");
    if (!(t->rec = cs_records_new(in, delimiter, err)))
        goto fail;
    cs_record h;
    int rc = cs_records_next(t->rec, &h, err);
    if (rc == 0) {
        csi_fail(err, CS_EEMPTY, "the input is empty: expected a header line");
        csi_error_where(err, t->file, 0, 0, NULL, 0);
        goto fail;
    }
    if (rc < 0)
        goto fail;
    t->ncols = h.nfields;
    if (!(t->names = calloc(h.nfields + 1, sizeof *t->names)) ||
        !(t->name_len = calloc(h.nfields + 1, sizeof *t->name_len))) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < h.nfields; i++) {
        if (!(t->names[i] = malloc(h.len[i] + 1))) {
            csi_fail(err, CS_ENOMEM, "out of memory");
            goto fail;
        }
        memcpy(t->names[i], h.field[i], h.len[i]);
        t->names[i][h.len[i]] = '\0';
        t->name_len[i] = h.len[i];
    }
    t->header = (cs_record){.nfields = t->ncols,
                            .field = (const char *const *)t->names,
                            .len = t->name_len,
                            .line = h.line};
    return t;
fail:
    cs_table_free(t);
    return NULL;
}

const char *cs_table_file(const cs_table *t)
{
    return t->file;
}

size_t cs_table_ncols(const cs_table *t)
{
    return t->ncols;
}

const char *cs_table_name(const cs_table *t, int col)
{
    return col >= 0 && (size_t)col < t->ncols ? t->names[col] : NULL;
}

const cs_record *cs_table_header(const cs_table *t)
{
    return &t->header;
}

int cs_table_find(const cs_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->names[i], name) == 0)
            return (int)i;
    for (size_t i = 0; i < t->ncols; i++)
        if (strcasecmp(t->names[i], name) == 0)
            return (int)i;
    return -1;
}

int cs_table_find_known(const cs_table *t, const char *const *names)
{
    return csi_find_known(&t->header, names);
}

int cs_table_require(const cs_table *t, const char *name, const char *what, cs_error *err)
{
    int c = cs_table_find(t, name);
    if (c >= 0)
        return c;
    csi_fail(err, CS_ECOLUMN, "no column '%s'%s%s%s", name, what ? " (" : "", what ? what : "",
             what ? ")" : "");
    csi_error_where(err, t->file, t->header.line, 0, NULL, 0);
    return CS_ECOLUMN;
}

int cs_table_next(cs_table *t, cs_error *err)
{
    t->have_row = 0;
    int rc = cs_records_next(t->rec, &t->row, err);
    if (rc <= 0) {
        if (rc < 0 && err && !err->file[0])
            csi_error_where(err, t->file, err->line, 0, NULL, 0);
        return rc;
    }
    if (t->row.nfields != t->ncols) {
        csi_fail(err, CS_EFORMAT, "expected %zu fields as in the header, found %zu", t->ncols,
                 t->row.nfields);
        csi_error_where(err, t->file, t->row.line, 0, NULL, 0);
        return CS_EFORMAT;
    }
    t->have_row = 1;
    return 1;
}

const cs_record *cs_table_row(const cs_table *t)
{
    return t->have_row ? &t->row : NULL;
}

long cs_table_line(const cs_table *t)
{
    return t->have_row ? t->row.line : t->header.line;
}

/* An error about the field at col of the current row. */
static int field_error(const cs_table *t, int col, cs_error *err, int code, const char *what)
{
    char ex[96];
    csi_excerpt(ex, sizeof ex, t->row.field[col], t->row.len[col]);
    csi_fail(err, code, "'%s' is not %s", ex, what);
    csi_error_where(err, t->file, t->row.line, col + 1, t->names[col], t->name_len[col]);
    return code;
}

static int bad_col(const cs_table *t, int col, cs_error *err)
{
    if (!t->have_row)
        return csi_fail(err, CS_EINVAL, "no current row");
    if (col < 0 || (size_t)col >= t->ncols)
        return csi_fail(err, CS_EINVAL, "no column %d", col + 1);
    return CS_OK;
}

int cs_table_str(const cs_table *t, int col, const char **s, size_t *len)
{
    if (!t->have_row || col < 0 || (size_t)col >= t->ncols)
        return CS_EINVAL;
    *s = t->row.field[col];
    *len = t->row.len[col];
    return CS_OK;
}

int cs_table_real(const cs_table *t, int col, unsigned flags, double *v, cs_error *err)
{
    int rc = bad_col(t, col, err);
    if (rc != CS_OK)
        return rc;
    const char *s = t->row.field[col];
    size_t n = t->row.len[col];
    if (n == 0 && (flags & CS_TABLE_EMPTY_NAN)) {
        *v = NAN;
        return CS_OK;
    }
    double x;
    if (!cs_parse_double(s, n, &x)) {
        /* what the column expects in full: "a whole number >= 0 (or empty)" */
        char what[48];
        snprintf(what, sizeof what, "%s%s%s",
                 flags & CS_TABLE_WHOLE ? "a whole number" : "a number",
                 flags & CS_TABLE_NONNEG ? " >= 0" : "",
                 flags & CS_TABLE_EMPTY_NAN ? " (or empty)" : "");
        return field_error(t, col, err, CS_EFORMAT, what);
    }
    if ((flags & CS_TABLE_NONNEG) && x < 0)
        return field_error(t, col, err, CS_EFORMAT, "a number >= 0");
    if ((flags & CS_TABLE_WHOLE) && x != floor(x))
        return field_error(t, col, err, CS_EFORMAT, "a whole number");
    *v = x;
    return CS_OK;
}

int cs_table_day(const cs_table *t, int col, unsigned flags, cs_day *d, cs_error *err)
{
    int rc = bad_col(t, col, err);
    if (rc != CS_OK)
        return rc;
    if (t->row.len[col] == 0 && (flags & CS_TABLE_EMPTY_NAN)) {
        *d = CS_DAY_NONE;
        return CS_OK;
    }
    if (cs_day_parse(t->row.field[col], t->row.len[col], d) != CS_OK)
        return field_error(t, col, err, CS_EDATE,
                           "a date (expected YYYY-MM-DD or YYYYMMDD, from 1900 to 2200)");
    return CS_OK;
}

int cs_table_id(const cs_table *t, int col, cs_ids *ids, cs_error *err)
{
    int rc = bad_col(t, col, err);
    if (rc != CS_OK)
        return rc;
    const char *s = t->row.field[col];
    size_t n = t->row.len[col];
    if (n == 0) {
        csi_fail(err, CS_EID, "empty customer id");
        csi_error_where(err, t->file, t->row.line, col + 1, t->names[col], t->name_len[col]);
        return CS_EID;
    }
    if (!csi_utf8_valid(s, n))
        return field_error(t, col, err, CS_EID, "valid UTF-8");
    if (cs_ids_push(ids, s, n) != CS_OK)
        return csi_fail(err, CS_ENOMEM, "out of memory");
    return CS_OK;
}
