/* Table output: CSV (RFC 4180), TSV (escaped), JSON lines and xlsx
 * workbooks (libxlsxwriter). */
#include "cs-io.h"
#include "util/internal.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define WBUF (64 * 1024)
/* The widest a workbook's column is made, in characters. */
#define XLSX_WIDTH_MAX 60.0
/* Excel's limit on the text of one cell. */
#define XLSX_TEXT_MAX 32767

/* The xlsx backend's state: one sheet, written row by row in
 * libxlsxwriter's constant-memory mode. */
struct xlsx {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold, *money, *date;
    char path[64];   /* /proc/self/fd/N: the file open on fp */
    char sheet[128]; /* the sheet's name (Excel: at most 31 characters) */
    int header;
    lxw_row_t row;   /* the row being written */
    double *width;   /* the widest cell of each column, in characters */
    unsigned char *money_col; /* 1: the column's numbers are money */
    char *text;      /* a NUL-terminated copy of a text cell */
    size_t text_cap;
    locale_t c_locale; /* libxlsxwriter prints numbers with printf: under
                          uselocale(C), never the caller's decimal comma */
    int shared;      /* a sheet of a cs_workbook: the workbook is not ours */
    int over;        /* a row past the sheet's last one was refused */
    int too_long;    /* a text over XLSX_TEXT_MAX was refused */
    lxw_error lerr;  /* the first error libxlsxwriter returned */
};

/* Rows are built in a buffer of our own and handed to stdio in large
 * pieces: a call per cell costs more than the formatting itself. */
struct cs_writer {
    FILE *fp;
    int format;  /* enum cs_format */
    int digits;  /* significant digits of reals; 0: the defaults */
    int comma;   /* a decimal comma (CSV: ';' between fields) */
    char delim;  /* CSV: ',' or ';'; TSV: tab */
    size_t ncols, col;
    char **names;
    int failed;
    struct xlsx *x;
    size_t len;
    char buf[WBUF];
};

int cs_format_from_name(const char *name)
{
    if (!strcmp(name, "csv"))
        return CS_FORMAT_CSV;
    if (!strcmp(name, "tsv"))
        return CS_FORMAT_TSV;
    if (!strcmp(name, "jsonl") || !strcmp(name, "ndjson"))
        return CS_FORMAT_JSONL;
    if (!strcmp(name, "xlsx"))
        return CS_FORMAT_XLSX;
    return -1;
}

static void drain(cs_writer *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->fp) != w->len)
        w->failed = 1;
    w->len = 0;
}

static void put(cs_writer *w, const char *s, size_t n)
{
    if (w->len + n > WBUF) {
        drain(w);
        if (n > WBUF) {
            if (fwrite(s, 1, n, w->fp) != n)
                w->failed = 1;
            return;
        }
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void putch(cs_writer *w, char c)
{
    if (w->len == WBUF)
        drain(w);
    w->buf[w->len++] = c;
}

static void put_csv_text(cs_writer *w, const char *s, size_t n)
{
    int quote = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == w->delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r') {
            quote = 1;
            break;
        }
    /* a leading or trailing space would be lost by some readers: quote it */
    if (n && (s[0] == ' ' || s[n - 1] == ' '))
        quote = 1;
    if (!quote) {
        put(w, s, n);
        return;
    }
    putch(w, '"');
    size_t b = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '"') {
            put(w, s + b, i + 1 - b);
            putch(w, '"');
            b = i + 1;
        }
    put(w, s + b, n - b);
    putch(w, '"');
}

static void put_tsv_text(cs_writer *w, const char *s, size_t n)
{
    size_t b = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = NULL;
        switch (s[i]) {
        case '\t': esc = "\\t"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\\': esc = "\\\\"; break;
        default: continue;
        }
        put(w, s + b, i - b);
        put(w, esc, 2);
        b = i + 1;
    }
    put(w, s + b, n - b);
}

static void put_json_text(cs_writer *w, const char *s, size_t n)
{
    putch(w, '"');
    size_t b = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(w, s + b, i - b);
        char esc[8];
        switch (c) {
        case '"': put(w, "\\\"", 2); break;
        case '\\': put(w, "\\\\", 2); break;
        case '\n': put(w, "\\n", 2); break;
        case '\r': put(w, "\\r", 2); break;
        case '\t': put(w, "\\t", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            put(w, esc, 6);
        }
        b = i + 1;
    }
    put(w, s + b, n - b);
    putch(w, '"');
}

/* ---- xlsx ---- */

/* Columns of a sheet are as wide as the characters of their widest cell. */
static size_t text_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

static void xlsx_fit(cs_writer *w, size_t chars)
{
    double *wd = &w->x->width[w->col];
    if ((double)chars > *wd)
        *wd = (double)chars;
}

static int xlsx_check(cs_writer *w, lxw_error e)
{
    if (e != LXW_NO_ERROR) {
        if (w->x->lerr == LXW_NO_ERROR)
            w->x->lerr = e;
        w->failed = 1;
    }
    return e == LXW_NO_ERROR;
}

static void xlsx_free(struct xlsx *x)
{
    if (!x)
        return;
    if (x->wb && !x->shared)
        lxw_workbook_free(x->wb);
    if (x->c_locale != (locale_t)0)
        freelocale(x->c_locale);
    free(x->width);
    free(x->money_col);
    free(x->text);
    free(x);
}

/* The cell about to be written, or 0 (and the writer failed) when the sheet
 * has no room for its row. */
static int xlsx_room(cs_writer *w)
{
    if (w->x->row >= LXW_ROW_MAX) {
        w->x->over = 1;
        w->failed = 1;
        return 0;
    }
    return w->col < w->ncols && !w->failed;
}

static void xlsx_text(cs_writer *w, const char *s, size_t n)
{
    struct xlsx *x = w->x;
    if (!xlsx_room(w))
        return;
    if (text_width(s, n) > XLSX_TEXT_MAX) {
        x->too_long = 1;
        w->failed = 1;
        return;
    }
    if (n + 1 > x->text_cap) {
        size_t cap = n + 1 > 2 * x->text_cap ? n + 1 : 2 * x->text_cap;
        char *t = realloc(x->text, cap);
        if (!t) {
            xlsx_check(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return;
        }
        x->text = t;
        x->text_cap = cap;
    }
    memcpy(x->text, s, n);
    x->text[n] = '\0';
    xlsx_fit(w, text_width(s, n));
    if (n) {
        locale_t old = uselocale(x->c_locale); /* a cell may flush the row before */
        xlsx_check(w, worksheet_write_string(x->ws, x->row, (lxw_col_t)w->col, x->text,
                                             x->row == 0 && x->header ? x->bold : NULL));
        uselocale(old);
    }
}

/* A number cell; text is the number as CSV writes it (its width). */
static void xlsx_number(cs_writer *w, double v, size_t chars, lxw_format *fmt)
{
    struct xlsx *x = w->x;
    if (!xlsx_room(w))
        return;
    if (!fmt && x->money_col[w->col])
        fmt = x->money;
    if (fmt == x->money) /* #,##0.00: the separators, two decimals */
        chars = (size_t)snprintf(NULL, 0, "%.2f", fabs(v)) + (fabs(v) >= 1000) +
                (fabs(v) >= 1e6) + (fabs(v) >= 1e9) + (v < 0);
    xlsx_fit(w, chars);
    locale_t old = uselocale(x->c_locale);
    xlsx_check(w, worksheet_write_number(x->ws, x->row, (lxw_col_t)w->col, v, fmt));
    uselocale(old);
}

/* Creates the sheet and writes the header row, once, before the first row
 * (so that cs_writer_set_sheet and cs_writer_money_column can come after
 * cs_writer_new). */
static int xlsx_start(cs_writer *w)
{
    struct xlsx *x = w->x;
    if (x->ws)
        return 1;
    if (!(x->ws = workbook_add_worksheet(x->wb, x->sheet)) ||
        !(x->bold = workbook_add_format(x->wb)) || !(x->money = workbook_add_format(x->wb)) ||
        !(x->date = workbook_add_format(x->wb))) {
        xlsx_check(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return 0;
    }
    format_set_bold(x->bold);
    format_set_num_format(x->money, "#,##0.00");
    format_set_num_format(x->date, "yyyy-mm-dd");
    if (x->header) {
        for (size_t i = 0; i < w->ncols; i++) {
            w->col = i;
            xlsx_text(w, w->names[i], strlen(w->names[i]));
        }
        w->col = 0;
        x->row = 1;
        worksheet_freeze_panes(x->ws, 1, 0);
    }
    return !w->failed;
}

/* Writes the workbook out and frees it (whatever workbook_close returns);
 * call it in the C locale. */
static int close_workbook(lxw_workbook *wb, cs_error *err)
{
    errno = 0;
    lxw_error e = workbook_close(wb);
    if (e == LXW_NO_ERROR)
        return CS_OK;
    int se = errno ? errno : EIO;
    csi_fail(err, CS_EIO, "cannot write the workbook: %s (%s)", lxw_strerror(e), strerror(se));
    if (err)
        err->sys_errno = se;
    return CS_EIO;
}

/* A new workbook written to the file open on fp (its path is
 * /proc/self/fd/N, in path[64]); NULL with err set. */
static lxw_workbook *workbook_on(FILE *fp, char path[64], cs_error *err)
{
    int fd = fileno(fp);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || isatty(fd) ||
        !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))) {
        csi_fail(err, CS_EINVAL, "a workbook is written to a file, not to %s",
                 fd >= 0 && isatty(fd) ? "a terminal" : "a pipe or a stream");
        return NULL;
    }
    /* libxlsxwriter writes to a file name: the one open on fp, so that the
     * workbook lands where fp's bytes would (an output's temporary, renamed
     * into place when the run succeeds). Nothing of fp's is buffered. */
    snprintf(path, 64, "/proc/self/fd/%d", fd);
    if (fflush(fp) != 0 || access(path, W_OK) != 0) {
        csi_fail(err, CS_EIO, "cannot write a workbook to this file (%s): %s", path,
                 strerror(errno));
        return NULL;
    }
    /* the sheet's XML is staged in a deleted temporary file (about 400
     * bytes a row of 11 columns before it is zipped): in $TMPDIR when it is
     * set, else /tmp */
    const char *tmpdir = getenv("TMPDIR");
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE,
                                .tmpdir = tmpdir && *tmpdir ? (char *)tmpdir : NULL,
                                .use_zip64 = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb)
        csi_fail(err, CS_ENOMEM, "out of memory");
    return wb;
}

/* The writer's xlsx state on the sheet of workbook wb (shared: a
 * cs_workbook's), or on a workbook of its own on w->fp (wb NULL). */
static void xlsx_open(cs_writer *w, int header, lxw_workbook *shared, cs_error *err)
{
    struct xlsx *x = calloc(1, sizeof *x);
    if (!x || !(x->width = calloc(w->ncols ? w->ncols : 1, sizeof *x->width)) ||
        !(x->money_col = calloc(w->ncols ? w->ncols : 1, 1)) ||
        (x->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0)) == (locale_t)0) {
        xlsx_free(x);
        csi_fail(err, CS_ENOMEM, "out of memory");
        w->failed = 1;
        return;
    }
    w->x = x;
    x->header = header;
    snprintf(x->sheet, sizeof x->sheet, "Sheet1");
    if (shared) {
        x->wb = shared;
        x->shared = 1;
    } else if (!(x->wb = workbook_on(w->fp, x->path, err)))
        w->failed = 1;
}

void cs_writer_set_sheet(cs_writer *w, const char *name)
{
    if (!w->x || w->x->ws)
        return;
    /* Excel: 1 to 31 characters, none of []:*?/\, no ' first or last */
    char *o = w->x->sheet;
    size_t n = 0, chars = 0;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        int lead = (*c & 0xC0) != 0x80;
        if (lead && chars == 31)
            break;
        size_t need = *c < 0x80 ? 1 : (*c & 0xE0) == 0xC0 ? 2 : (*c & 0xF0) == 0xE0 ? 3 : 4;
        if (lead && n + need >= sizeof w->x->sheet)
            break;
        if (!lead && n == 0)
            continue;
        chars += lead;
        o[n++] = strchr("[]:*?/\\", *c) ? '_' : (char)*c;
    }
    if (n == 0)
        o[n++] = '_';
    if (o[0] == '\'')
        o[0] = '_';
    if (o[n - 1] == '\'')
        o[n - 1] = '_';
    o[n] = '\0';
}

void cs_writer_money_column(cs_writer *w, size_t col)
{
    if (w->x && col < w->ncols)
        w->x->money_col[col] = 1;
}

/* ---- writer ---- */

/* cs_writer_new, or with shared a sheet of that workbook (xlsx only). */
static cs_writer *writer_new(FILE *fp, int format, int header, const char *const *names,
                             size_t ncols, lxw_workbook *shared, cs_error *err)
{
    int kind = format & CS_FORMAT_KIND_MASK;
    int digits = CS_FORMAT_DIGITS_OF(format);
    int comma = (format & CS_FORMAT_DECIMAL_COMMA) != 0;
    if (kind > CS_FORMAT_XLSX || (format & ~(CS_FORMAT_KIND_MASK | CS_FORMAT_DIGITS(31) |
                                             CS_FORMAT_DECIMAL_COMMA)) ||
        digits > 15) {
        csi_fail(err, CS_EINVAL, "not a table format: %#x", (unsigned)format);
        return NULL;
    }
    if (comma && kind != CS_FORMAT_CSV && kind != CS_FORMAT_TSV) {
        csi_fail(err, CS_EINVAL, "a decimal comma is for CSV and TSV, not %s",
                 kind == CS_FORMAT_JSONL ? "JSON lines" : "a workbook");
        return NULL;
    }
    cs_writer *w = malloc(sizeof *w);
    if (w)
        memset(w, 0, offsetof(cs_writer, buf));
    if (!w)
        goto nomem;
    w->fp = fp;
    w->format = kind;
    w->digits = digits;
    w->comma = comma;
    w->delim = kind == CS_FORMAT_TSV ? '\t' : comma ? ';' : ',';
    w->ncols = ncols;
    w->names = calloc(ncols ? ncols : 1, sizeof *w->names);
    if (!w->names)
        goto nomem;
    for (size_t i = 0; i < ncols; i++)
        if (!(w->names[i] = strdup(names[i])))
            goto nomem;
    if (kind == CS_FORMAT_XLSX) {
        xlsx_open(w, header, shared, err);
        if (w->failed) {
            cs_writer_free(w);
            return NULL;
        }
        return w;
    }
    if (header && kind != CS_FORMAT_JSONL) {
        for (size_t i = 0; i < ncols; i++) {
            if (i)
                putch(w, w->delim);
            if (kind == CS_FORMAT_TSV)
                put_tsv_text(w, names[i], strlen(names[i]));
            else
                put_csv_text(w, names[i], strlen(names[i]));
        }
        putch(w, '\n');
    }
    return w;
nomem:
    cs_writer_free(w);
    csi_fail(err, CS_ENOMEM, "out of memory");
    return NULL;
}

cs_writer *cs_writer_new(FILE *fp, int format, int header, const char *const *names,
                         size_t ncols, cs_error *err)
{
    return writer_new(fp, format, header, names, ncols, NULL, err);
}

void cs_writer_free(cs_writer *w)
{
    if (!w)
        return;
    if (w->names)
        for (size_t i = 0; i < w->ncols; i++)
            free(w->names[i]);
    free(w->names);
    xlsx_free(w->x);
    free(w);
}

static void sep(cs_writer *w)
{
    if (w->format == CS_FORMAT_JSONL) {
        putch(w, w->col ? ',' : '{');
        const char *nm = w->col < w->ncols ? w->names[w->col] : "extra";
        put_json_text(w, nm, strlen(nm));
        putch(w, ':');
    } else if (w->col) {
        putch(w, w->delim);
    }
    w->col++;
}

void cs_writer_str(cs_writer *w, const char *s, size_t len)
{
    if (w->x) {
        if (xlsx_start(w))
            xlsx_text(w, s, len);
        w->col++;
        return;
    }
    sep(w);
    switch (w->format) {
    case CS_FORMAT_TSV: put_tsv_text(w, s, len); break;
    case CS_FORMAT_JSONL: put_json_text(w, s, len); break;
    default: put_csv_text(w, s, len); break;
    }
}

/* A number as text, exactly as given but for the decimal mark. */
static void put_number(cs_writer *w, const char *text, size_t len)
{
    sep(w);
    if (!w->comma) {
        put(w, text, len);
        return;
    }
    const char *dot = memchr(text, '.', len);
    if (!dot) {
        put(w, text, len);
        return;
    }
    put(w, text, (size_t)(dot - text));
    putch(w, ',');
    put(w, dot + 1, len - (size_t)(dot - text) - 1);
}

/* A number written as text: an integer as it is, anything else rounded to
 * the writer's digits when they were set. In a workbook, a number cell
 * holding what the text says. */
static void number_text(cs_writer *w, const char *text, size_t len, lxw_format *fmt)
{
    char buf[40];
    double v = 0;
    int parsed = -1; /* not tried */
    if (w->digits && (memchr(text, '.', len) || memchr(text, 'e', len) || memchr(text, 'E', len))) {
        if ((parsed = cs_parse_double(text, len, &v)) != 0) {
            len = cs_format_double(buf, v, w->digits);
            text = buf;
            parsed = cs_parse_double(text, len, &v);
        }
    }
    if (!w->x) {
        put_number(w, text, len);
        return;
    }
    if (xlsx_start(w)) {
        if (parsed < 0)
            parsed = cs_parse_double(text, len, &v);
        if (parsed)
            xlsx_number(w, v, len, fmt);
        else
            xlsx_text(w, text, len);
    }
    w->col++;
}

void cs_writer_num(cs_writer *w, const char *text, size_t len)
{
    number_text(w, text, len, NULL);
}

void cs_writer_int(cs_writer *w, long long v)
{
    char buf[32];
    char *e = buf + sizeof buf, *p = e;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    if (w->x) {
        if (xlsx_start(w))
            xlsx_number(w, (double)v, (size_t)(e - p), NULL);
        w->col++;
        return;
    }
    put_number(w, p, (size_t)(e - p));
}

void cs_writer_real(cs_writer *w, double v)
{
    if (!isfinite(v)) {
        cs_writer_null(w);
        return;
    }
    char buf[40];
    size_t n = cs_format_double(buf, v, w->digits ? w->digits : CS_REAL_DIGITS);
    number_text(w, buf, n, NULL);
}

void cs_writer_money(cs_writer *w, int64_t micro)
{
    char buf[48];
    size_t n = cs_format_money(buf, micro);
    if (w->x) { /* exact: the nearest double to the decimal, as parsing it gives */
        if (xlsx_start(w))
            xlsx_number(w, (double)micro / (double)CS_MICRO, n, w->x->money);
        w->col++;
        return;
    }
    put_number(w, buf, n);
}

void cs_writer_date(cs_writer *w, int32_t day)
{
    if (day == CS_DAY_NONE) {
        cs_writer_null(w);
        return;
    }
    char buf[11];
    cs_day_format(day, buf);
    if (w->x) {
        /* Excel's serial day: 25569 is 1970-01-01; Excel counts a 29
         * February 1900 that never was, so earlier days are one less, and
         * days before 1900 have no serial (written as text) */
        if (xlsx_start(w)) {
            if (day >= -25508)
                xlsx_number(w, (double)day + 25569, 10, w->x->date);
            else if (day >= -25567)
                xlsx_number(w, (double)day + 25568, 10, w->x->date);
            else
                xlsx_text(w, buf, 10);
        }
        w->col++;
        return;
    }
    sep(w);
    if (w->format == CS_FORMAT_JSONL) {
        putch(w, '"');
        put(w, buf, 10);
        putch(w, '"');
    } else {
        put(w, buf, 10);
    }
}

void cs_writer_null(cs_writer *w)
{
    if (w->x) {
        xlsx_start(w); /* an empty cell */
        w->col++;
        return;
    }
    sep(w);
    if (w->format == CS_FORMAT_JSONL)
        put(w, "null", 4);
}

int cs_writer_end_row(cs_writer *w)
{
    if (w->x) {
        xlsx_start(w);
        w->x->row++;
    } else if (w->format == CS_FORMAT_JSONL) {
        put(w, w->col ? "}\n" : "{}\n", w->col ? 2 : 3);
    } else {
        putch(w, '\n');
    }
    w->col = 0;
    return w->failed ? CS_EIO : CS_OK;
}

static int xlsx_finish_c(cs_writer *w, cs_error *err)
{
    struct xlsx *x = w->x;
    xlsx_start(w);
    if (x->over) {
        char n[32];
        return csi_fail(err, CS_EINVAL,
                        "the table has more rows than a sheet holds (%s with the header): "
                        "write it as CSV, or split it",
                        cs_format_count(n, LXW_ROW_MAX));
    }
    if (x->too_long)
        return csi_fail(err, CS_EINVAL,
                        "a text cell over %d characters, more than a sheet's cell holds",
                        XLSX_TEXT_MAX);
    if (!w->failed) {
        for (size_t c = 0; c < w->ncols; c++) {
            double wd = x->width[c] + 2 > XLSX_WIDTH_MAX ? XLSX_WIDTH_MAX : x->width[c] + 2;
            xlsx_check(w, worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, wd, NULL));
        }
        if (x->header && w->ncols)
            xlsx_check(w, worksheet_autofilter(x->ws, 0, 0, x->row > 1 ? x->row - 1 : 0,
                                               (lxw_col_t)(w->ncols - 1)));
    }
    if (w->failed) {
        const char *why = x->lerr != LXW_NO_ERROR ? lxw_strerror(x->lerr) : "a cell failed";
        return csi_fail(err, CS_EIO, "cannot write the workbook: %s", why);
    }
    if (x->shared)
        return CS_OK; /* the workbook is written by cs_workbook_close */
    lxw_workbook *wb = x->wb;
    x->wb = NULL;
    return close_workbook(wb, err);
}

/* xlsx_finish_c in the C locale (column widths, the rows still held). */
static int xlsx_finish(cs_writer *w, cs_error *err)
{
    locale_t old = uselocale(w->x->c_locale);
    int rc = xlsx_finish_c(w, err);
    uselocale(old);
    return rc;
}

int cs_writer_finish(cs_writer *w, cs_error *err)
{
    if (w->x)
        return xlsx_finish(w, err);
    drain(w);
    if (fflush(w->fp) != 0 || ferror(w->fp) || w->failed) {
        int e = errno ? errno : EIO;
        csi_fail(err, CS_EIO, "write error: %s", strerror(e));
        if (err)
            err->sys_errno = e;
        return CS_EIO;
    }
    return CS_OK;
}

/* ---- workbooks of several sheets ---- */

struct cs_workbook {
    FILE *fp;
    lxw_workbook *wb;
    char path[64];
};

cs_workbook *cs_workbook_new(FILE *fp, cs_error *err)
{
    cs_workbook *b = calloc(1, sizeof *b);
    if (!b) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    b->fp = fp;
    if (!(b->wb = workbook_on(fp, b->path, err))) {
        free(b);
        return NULL;
    }
    return b;
}

cs_writer *cs_workbook_sheet(cs_workbook *b, const char *name, const char *const *names,
                             size_t ncols, cs_error *err)
{
    cs_writer *w = writer_new(b->fp, CS_FORMAT_XLSX, 1, names, ncols, b->wb, err);
    if (w)
        cs_writer_set_sheet(w, name);
    return w;
}

int cs_workbook_close(cs_workbook *b, cs_error *err)
{
    if (!b)
        return CS_OK;
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t old = c != (locale_t)0 ? uselocale(c) : (locale_t)0;
    int rc = close_workbook(b->wb, err);
    if (c != (locale_t)0) {
        uselocale(old);
        freelocale(c);
    }
    free(b);
    return rc;
}

void cs_workbook_free(cs_workbook *b)
{
    if (!b)
        return;
    lxw_workbook_free(b->wb);
    free(b);
}
