/* custseg: reading input (plain or gzip, files or stdin), splitting records,
 * and writing tables (CSV, TSV, JSON lines) atomically. */
#ifndef CS_IO_H
#define CS_IO_H

#include "cs-error.h"
#include "cs-calendar.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Input -------------------------------------------------------------- */

typedef struct cs_input cs_input;

/* Opens path for reading; NULL or "-" is standard input. gzip data (one or
 * more members) is recognised by its magic bytes and inflated; anything else
 * is read as it is. Errors: CS_EIO (with sys_errno). */
CS_OWN cs_input *cs_input_open(const char *path, cs_error *err);

/* Reads up to cap bytes. Returns the count, 0 at the end, or a negative
 * CS_E* code (CS_EIO, CS_EGZIP for corrupt or truncated gzip data). */
ssize_t cs_input_read(cs_input *in, void *buf, size_t cap, cs_error *err);

/* Pushes len bytes back: the next reads return them first (they must be
 * bytes just read, e.g. to look at a header before choosing a reader).
 * Errors: CS_ENOMEM. */
int cs_input_unread(cs_input *in, const void *buf, size_t len, cs_error *err);

/* The name used in messages: the path, or "<stdin>". Static until close. */
const char *cs_input_name(const cs_input *in);
/* 1 when the data is gzip-compressed. */
int cs_input_is_gzip(const cs_input *in);
/* 1 when the input can be opened and read again from the start (a regular
 * file, not a pipe or a terminal). */
int cs_input_rereadable(const cs_input *in);
/* What tells one version of a file from another: device, inode, size and
 * modification time (from fstat on the open descriptor). */
typedef struct cs_input_stamp {
    uint64_t dev, ino;
    int64_t size;
    int64_t mtime_sec, mtime_nsec;
} cs_input_stamp;
/* Fills *st for an input that is a regular file and returns 1; returns 0
 * (and zeroes *st) for standard input, a pipe, or when fstat fails. Two
 * stamps of one path that differ mean the file was replaced (renamed over,
 * as log rotation does) or written to in between. */
int cs_input_stamp_get(const cs_input *in, cs_input_stamp *st);

/* Compressed bytes read so far (for progress). */
uint64_t cs_input_bytes_read(const cs_input *in);

/* Closes the input (a no-op on NULL). Standard input is not closed. */
void cs_input_close(cs_input *in);

/* ---- Records -------------------------------------------------------------- */

#define CS_DELIM_AUTO 0
#define CS_DELIM_WHITESPACE (-1)
/* The longest field accepted; longer ones are a CS_EFORMAT error. */
#define CS_FIELD_MAX 65536
/* The longest record accepted by default (cs_records_set_max_line). */
#define CS_LINE_MAX_DEFAULT ((size_t)64 << 20)

typedef struct cs_record {
    size_t nfields;
    const char *const *field; /* field[i] is len[i] bytes, not NUL-terminated */
    const size_t *len;
    long line;                /* line where the record starts (1-based) */
    const char *raw;          /* the record as read, without its line end */
    size_t raw_len;
} cs_record;

typedef struct cs_records cs_records;

/* Splits in into records. delimiter: a byte (',' ';' '\t' '|' ...; quoted
 * fields follow RFC 4180 and are parsed by libcsv), CS_DELIM_WHITESPACE (runs
 * of spaces and tabs, leading and trailing ones ignored, no quoting) or
 * CS_DELIM_AUTO (chosen from the first line: tab, else comma, else
 * semicolon, else whitespace). Line ends are LF or CRLF; a UTF-8 byte order
 * mark at the start is dropped; blank lines are skipped. */
CS_OWN cs_records *cs_records_new(CS_BORROW cs_input *in, int delimiter, cs_error *err);

/* The longest record accepted, in bytes (line ends inside a quoted record
 * count, its last line end does not); 0 restores CS_LINE_MAX_DEFAULT
 * (64 MiB). Memory for the reader's buffer stays below about this size
 * (or 1 MiB). Call it before the first cs_records_next. */
void cs_records_set_max_line(cs_records *r, size_t bytes);
size_t cs_records_max_line(const cs_records *r);

/* Reads the next record: 1 and *rec filled (valid until the next call), 0 at
 * the end, or a negative code: CS_EFORMAT for a malformed record (a NUL
 * byte, a bad or unterminated quote, a field over CS_FIELD_MAX bytes, a
 * record over the max_line limit) after which reading can go on with the
 * next record, or CS_EIO/CS_EGZIP/CS_ENOMEM after which it cannot. err gets
 * the line and the message.
 * A record over the limit ("line longer than N bytes", or for a quoted
 * record that runs over several lines, "a quoted record runs over N bytes,
 * over lines A-B (a stray quote?)") is dropped up to the end of the line in
 * which it crossed the limit, or to the end of the input; reading goes on
 * with the next line. No more than about max_line bytes are held. */
int cs_records_next(cs_records *r, cs_record *rec, cs_error *err);

/* The delimiter in use (after CS_DELIM_AUTO has looked at the first line). */
int cs_records_delimiter(const cs_records *r);
/* The raw text of the last record read or rejected, without its last line
 * end, and the line it starts on; valid until the next call ("" with length
 * 0 after an error that ends reading). A quoted record keeps its inner line
 * ends. A record over the limit is cut to its first max_line bytes. */
const char *cs_records_raw(const cs_records *r, size_t *len, long *line);
/* The line on which that record ends (the last line dropped, for a record
 * over the limit): it spans cs_records_raw's line to this one. */
long cs_records_raw_last_line(const cs_records *r);

/* What was wrong with the last record rejected with CS_EFORMAT. */
enum cs_record_fault {
    CS_FAULT_NONE = 0,
    CS_FAULT_QUOTE, /* a bad or unterminated quote */
    CS_FAULT_LONG,  /* over max_line bytes, or a field over CS_FIELD_MAX */
    CS_FAULT_NUL,   /* a NUL byte */
};
int cs_records_fault(const cs_records *r);

void cs_records_free(cs_records *r);

/* ---- Customer ids ------------------------------------------------------ */

/* Ids back to back in one arena: id i is bytes + off[i], len[i] bytes (not
 * NUL-terminated; any bytes). Start from {0}; the fields after len are the
 * arena's own. Free with cs_ids_clear. */
typedef struct cs_ids {
    size_t n;
    char *bytes;
    size_t *off;
    uint32_t *len;
    size_t cap, used, bytes_cap;
} cs_ids;

/* Appends an id. Errors: CS_ENOMEM, CS_EINVAL (over 4 GiB). */
int cs_ids_push(cs_ids *ids, const char *id, size_t len);
/* Room for n ids of bytes bytes in all, so that as many pushes neither
 * move nor copy the arena (a million ids copied at once). Errors:
 * CS_ENOMEM. */
int cs_ids_reserve(cs_ids *ids, size_t n, size_t bytes);
/* Frees the arena and leaves it empty ({0}); NULL is a no-op. */
void cs_ids_clear(cs_ids *ids);
static inline const char *cs_ids_get(const cs_ids *ids, size_t i, size_t *len)
{
    *len = ids->len[i];
    return ids->bytes + ids->off[i];
}

/* ---- Tables with a header line ------------------------------------------- */

/* A table of named columns: what the tools write and read back (summaries,
 * scores, tiers, survivor counts, subscription records). The typed getters
 * report errors with the file, line, 1-based column and its name. */
typedef struct cs_table cs_table;

/* Getter flags. */
#define CS_TABLE_EMPTY_NAN 1u /* an empty field is NAN (a day: CS_DAY_NONE) */
#define CS_TABLE_NONNEG 2u    /* a number >= 0 */
#define CS_TABLE_WHOLE 4u     /* a whole number */

/* Reads the header line from in (borrowed, closed by the caller after
 * cs_table_free). delimiter as cs_records_new (CS_DELIM_AUTO: from the
 * header line). Errors: CS_EEMPTY (no header line), and the reader's. */
CS_OWN cs_table *cs_table_open(CS_BORROW cs_input *in, int delimiter, cs_error *err);
void cs_table_free(cs_table *t);
/* The input's name as messages show it. */
const char *cs_table_file(const cs_table *t);
size_t cs_table_ncols(const cs_table *t);
/* The name of column col (0-based), or NULL. Valid until cs_table_free. */
const char *cs_table_name(const cs_table *t, int col);
/* The header line as a record (fields are the column names). */
const cs_record *cs_table_header(const cs_table *t);
/* The column named name: exactly, else ignoring ASCII case; -1 if none. */
int cs_table_find(const cs_table *t, const char *name);
/* The first of names (NULL-terminated, lower-case letters and digits) that
 * a column's name matches once lower-cased and stripped of everything but
 * letters and digits ("Customer_ID" matches "customerid"); -1 if none. */
int cs_table_find_known(const cs_table *t, const char *const *names);
/* cs_table_find, or CS_ECOLUMN: "no column 'name' (what)". */
int cs_table_require(const cs_table *t, const char *name, const char *what, cs_error *err);
/* The next row: 1, 0 at the end, or a negative code: CS_EFORMAT for a
 * malformed line or a field count other than the header's (with the
 * line), or the reader's I/O errors. */
int cs_table_next(cs_table *t, cs_error *err);
/* The current row (NULL before the first or after the end), and the line
 * it starts on (the header's before any row). */
const cs_record *cs_table_row(const cs_table *t);
long cs_table_line(const cs_table *t);
/* The field at col of the current row, as it is (borrowed until the next
 * row). CS_EINVAL without a row or such a column. */
int cs_table_str(const cs_table *t, int col, const char **s, size_t *len);
/* A plain decimal number (cs_parse_double) with the flags' conditions;
 * CS_EFORMAT with file, line, column: "'abc' is not a number", or what the
 * flags ask for ("'abc' is not a whole number >= 0", "'-1' is not a number
 * >= 0", "'x' is not a number (or empty)"). */
int cs_table_real(const cs_table *t, int col, unsigned flags, double *v, cs_error *err);
/* A date, YYYY-MM-DD or YYYYMMDD (CS_TABLE_EMPTY_NAN: empty is
 * CS_DAY_NONE); CS_EDATE with where. */
int cs_table_day(const cs_table *t, int col, unsigned flags, cs_day *d, cs_error *err);
/* Appends the field at col to ids: CS_EID for an empty id or one that is
 * not valid UTF-8, CS_ENOMEM. */
int cs_table_id(const cs_table *t, int col, cs_ids *ids, cs_error *err);

/* ---- Output ---------------------------------------------------------------- */

/* ---- Numbers as text (a dot for decimals whatever the locale) ---- */

/* Amounts are fixed point: 1 unit = 10^-6 of the currency (micro-units), so
 * sums are exact and independent of the order of the records. */
#define CS_MICRO 1000000LL
/* The largest magnitude of one amount, in currency units. Sums that would
 * overflow 64 bits of micro-units are reported as errors, never wrapped. */
#define CS_AMOUNT_MAX 1e12

/* Writes num/den as a decimal with at most `decimals` digits after the point
 * (rounded half away from zero, trailing zeros dropped, no exponent, always a
 * dot). den > 0. buf needs 48 bytes. Returns the length. */
size_t cs_format_ratio(char *buf, int64_t num, int64_t den, int decimals);

/* Writes v with `digits` significant digits (1..15), rounded, trailing zeros
 * dropped: plain notation from 1e-5 to 1e15, else d.ddde+XX. Always a dot,
 * never a locale. NaN and infinities give "". buf: 32 bytes. */
size_t cs_format_double(char *buf, double v, int digits);

/* Writes n with a comma between groups of three digits ("234,047"), as the
 * tools print counts in messages. Returns buf (32 bytes). */
const char *cs_format_count(char *buf, uint64_t n);

/* Writes micro-units as a decimal ("59.06", "-3", "0.000001"). buf: 32 bytes. */
size_t cs_format_money(char *buf, int64_t micro);

/* Parses a plain decimal ("12", "-0.5", "3.25e-3") into a double, exactly
 * rounded, locale-free. Returns 1, or 0 for anything else (spaces, NaN,
 * inf, hex, empty). */
int cs_parse_double(const char *s, size_t len, double *v);

enum cs_format { CS_FORMAT_CSV = 0, CS_FORMAT_TSV, CS_FORMAT_JSONL, CS_FORMAT_XLSX };

/* The `format` of cs_writer_new and of every function that writes a table
 * is an enum cs_format or'ed with options:
 *   CS_FORMAT_DIGITS(n)      n significant digits (1..15) for the numbers
 *                            that are not whole (cs_writer_real, and the
 *                            decimals given to cs_writer_num: times, means),
 *                            instead of CS_REAL_DIGITS and the text given;
 *                            whole numbers and money amounts
 *                            (cs_writer_money) stay exact
 *   CS_FORMAT_DECIMAL_COMMA  CSV and TSV only: numbers with a comma for the
 *                            decimal mark; CSV then puts ';' between fields
 *                            and quotes a field holding ; " CR or LF (a
 *                            comma needs no quotes). JSON lines and
 *                            workbooks refuse it (CS_EINVAL): JSON numbers
 *                            have a dot, and a workbook's numbers are
 *                            numbers, shown as the spreadsheet's locale says.
 * e.g. CS_FORMAT_CSV | CS_FORMAT_DIGITS(6) | CS_FORMAT_DECIMAL_COMMA. */
#define CS_FORMAT_KIND_MASK 0xff
#define CS_FORMAT_DIGITS(n) ((n) << 8)
#define CS_FORMAT_DIGITS_OF(f) (((f) >> 8) & 0x1f)
#define CS_FORMAT_DECIMAL_COMMA (1 << 13)

/* Parses "csv", "tsv", "jsonl" (or "ndjson") or "xlsx"; returns the enum
 * or -1. */
int cs_format_from_name(const char *name);

typedef struct cs_writer cs_writer;

/* A table writer on fp (borrowed). The columns are named once; header says
 * whether CSV/TSV output starts with the names (JSON lines always use them
 * as keys). CSV follows RFC 4180 (fields with , " CR or LF are quoted; line
 * ends are LF). TSV escapes tab, LF, CR and backslash as \t \n \r \\.
 * Numbers never depend on the locale.
 *
 * CS_FORMAT_XLSX writes an Excel workbook (libxlsxwriter, in its
 * constant-memory mode: memory does not grow with the rows; its calls run
 * under uselocale(C), so a decimal-comma locale does not reach the XML)
 * of one sheet
 * into the file open on fp, which must be a regular file (it is reopened
 * by name through /proc/self/fd, so the workbook lands in an cs_outfile's
 * temporary and appears only when that is committed); a terminal, a pipe
 * or a memory stream is CS_EINVAL. Nothing of fp's may be buffered. The
 * sheet: the header row in bold, frozen, with an autofilter over the table
 * (header = 0: no header row, no filter); text cells for cs_writer_str
 * (customer ids stay text even when they look like numbers), number cells
 * for the numbers (what the CSV text says, after CS_FORMAT_DIGITS), money
 * with the number format #,##0.00 (cs_writer_money, and the numbers of a
 * cs_writer_money_column), dates as Excel dates formatted yyyy-mm-dd (days
 * before 1900 as text), empty cells for null; columns as wide as their
 * widest cell (at most 60 characters). A sheet holds 1,048,576 rows with
 * its header: a longer table fails at cs_writer_finish (CS_EINVAL, saying
 * so), as does a text over 32,767 characters. */
CS_OWN cs_writer *cs_writer_new(CS_BORROW FILE *fp, int format, int header,
                                const char *const *names, size_t ncols, cs_error *err);
/* A workbook's sheet name (Excel's rules: cut to 31 characters, []:*?/\
 * replaced by _); call before the first cell. Default "Sheet1". Other
 * formats ignore it. */
void cs_writer_set_sheet(cs_writer *w, const char *name);
/* The numbers of column col (0-based) are money: a workbook formats them
 * #,##0.00. Call before the first cell; other formats ignore it. */
void cs_writer_money_column(cs_writer *w, size_t col);

/* A workbook of several sheets, written to the file open on fp (a
 * regular file: an output's temporary; not a pipe or a terminal), each
 * sheet a writer of its own with the xlsx format's cells (see
 * CS_FORMAT_XLSX): cs_workbook_sheet adds a sheet named name (Excel's
 * rules, as cs_writer_set_sheet; names must differ) with the header names;
 * write its rows, cs_writer_finish it (the workbook stays open) and
 * cs_writer_free it before the next sheet. cs_workbook_close writes the
 * file and frees the workbook; cs_workbook_free drops it unwritten.
 * Errors: CS_EINVAL (not a file), CS_EIO, CS_ENOMEM. */
typedef struct cs_workbook cs_workbook;
CS_OWN cs_workbook *cs_workbook_new(CS_BORROW FILE *fp, cs_error *err);
CS_OWN cs_writer *cs_workbook_sheet(cs_workbook *b, const char *name, const char *const *names,
                                    size_t ncols, cs_error *err);
int cs_workbook_close(cs_workbook *b, cs_error *err);
void cs_workbook_free(cs_workbook *b);
/* Cells are added left to right; cs_writer_end_row closes a row. */
void cs_writer_str(cs_writer *w, const char *s, size_t len);
void cs_writer_int(cs_writer *w, long long v);
/* A number already formatted as text ("38.857142857143"); under
 * CS_FORMAT_DIGITS a number with decimals is rounded to the digits. */
void cs_writer_num(cs_writer *w, const char *text, size_t len);
/* A double with CS_REAL_DIGITS significant digits (cs_format_double), or
 * the writer's CS_FORMAT_DIGITS; NaN and infinities are written as empty
 * (CSV, TSV, a workbook's empty cell) or null (JSON). */
#define CS_REAL_DIGITS 12
void cs_writer_real(cs_writer *w, double v);
/* An amount of money in micro-units, exactly (cs_format_money). */
void cs_writer_money(cs_writer *w, int64_t micro);
void cs_writer_date(cs_writer *w, int32_t day);
void cs_writer_null(cs_writer *w);
/* Ends a row; returns CS_OK or CS_EIO once the stream has failed (for a
 * workbook: a row past the sheet's last, which cs_writer_finish words). */
int cs_writer_end_row(cs_writer *w);
/* Flushes (a workbook: writes it whole); returns CS_OK, CS_EIO (errno in
 * err) or for a workbook CS_EINVAL (too many rows, a text too long). Does
 * not close fp. */
int cs_writer_finish(cs_writer *w, cs_error *err);
/* Frees w; a workbook not finished is dropped (its file is left as it
 * was: empty). */
void cs_writer_free(cs_writer *w);

/* ---- Atomic output files ---------------------------------------------------- */

typedef struct cs_outfile cs_outfile;

/* Creates a temporary file beside path (same folder, so rename is atomic),
 * with O_EXCL and mode 0600 until it is committed. A symbolic link is
 * followed: its target is replaced and the link kept. The committed file
 * keeps an existing file's mode and group (the group's rights are dropped
 * when the group cannot be kept); a new file gets 0666 less the umask.
 * A path that exists and is not a regular file (a device such as /dev/null,
 * a FIFO) is opened and written directly instead: there is nothing to
 * replace atomically, and a rename would replace the device itself.
 * Errors: CS_EIO. The FILE is cs_outfile_fp(). */
CS_OWN cs_outfile *cs_outfile_open(const char *path, cs_error *err);
FILE *cs_outfile_fp(cs_outfile *f);
/* The temporary file's path (for a signal handler that must unlink it). */
const char *cs_outfile_temp_path(const cs_outfile *f);
/* Flushes, syncs and renames the temporary file onto path, then frees f.
 * On failure the temporary file is removed and path is left as it was. */
int cs_outfile_commit(cs_outfile *f, cs_error *err);
/* Removes the temporary file and frees f (a no-op on NULL). */
void cs_outfile_abort(cs_outfile *f);

#ifdef __cplusplus
}
#endif
#endif
