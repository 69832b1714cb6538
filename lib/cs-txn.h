/* custseg: dates, amounts and transaction records. */
#ifndef CS_TXN_H
#define CS_TXN_H

#include "cs-error.h"
#include "cs-io.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif



/* How dates are written in a column. */
enum cs_date_kind {
    CS_DATE_AUTO = 0, /* decided by the first value: ISO or YYYYMMDD */
    CS_DATE_ISO,      /* YYYY-MM-DD, optionally followed by 'T' or ' ' and a time */
    CS_DATE_COMPACT,  /* YYYYMMDD */
    CS_DATE_PATTERN,  /* strptime-style pattern (see cs_date_parse) */
};

typedef struct cs_datefmt {
    int kind;          /* enum cs_date_kind */
    char pattern[64];  /* for CS_DATE_PATTERN */
} cs_datefmt;

/* Checks a strptime-style pattern. Supported: %Y %m %d %e %H %M %S %y (00-68
 * -> 20xx, 69-99 -> 19xx) %b %B (English month names) %j %T (=%H:%M:%S) %F
 * (=%Y-%m-%d) %% and literal characters; a space matches one or more spaces.
 * The pattern must name the year, and the month and day or the day of the
 * year. Returns CS_OK or CS_EINVAL with a message. */
int cs_datefmt_set_pattern(cs_datefmt *fmt, const char *pattern, cs_error *err);

/* Parses one date in format fmt (CS_DATE_AUTO accepts ISO or YYYYMMDD and,
 * if kind_out is not NULL, reports which one matched). Times of day are
 * checked but ignored: a day is a day. Returns CS_OK or CS_EDATE (no message:
 * the caller knows the context; see cs_datefmt_expected). */
int cs_date_parse(const cs_datefmt *fmt, const char *s, size_t len, cs_day *out,
                  int *kind_out);

/* Static text describing what fmt expects, e.g. "YYYY-MM-DD"; do not free. */
const char *cs_datefmt_expected(const cs_datefmt *fmt);

/* Parses a decimal number with a dot ("-12.5", "3", ".5", "1.5e3") into
 * micro-units, rounding half away from zero past 6 decimals. Rejects empty
 * text, spaces, thousands separators, several dots, NaN, infinities, hex and
 * magnitudes above CS_AMOUNT_MAX. Returns CS_OK or CS_EAMOUNT, with a short
 * reason in *why (static string) when why is not NULL. */
int cs_amount_parse(const char *s, size_t len, int64_t *micro, const char **why);

/* quantity x price, both in micro-units, rounded to micro-units. Returns
 * CS_OK or CS_EAMOUNT when the product is out of range. */
int cs_amount_mul(int64_t qty_micro, int64_t price_micro, int64_t *out);





/* ---- Transaction reader ------------------------------------------------ */

enum cs_header_mode { CS_HEADER_AUTO = 0, CS_HEADER_YES, CS_HEADER_NO };

/* The kinds of bad record the reader tells apart (names as in
 * cs_reject_kind_name). */
enum cs_reject_kind {
    CS_REJECT_MISSING_ID = 0, /* "missing-id": empty customer id */
    CS_REJECT_BAD_ID,         /* "bad-id": not UTF-8, or not a number under
                                 CS_ID_NUMERIC */
    CS_REJECT_BAD_DATE,       /* "bad-date": does not parse, or out of range */
    CS_REJECT_BAD_AMOUNT,     /* "bad-amount": amount, quantity or price */
    CS_REJECT_RAGGED,         /* "ragged": another number of fields than line 1 */
    CS_REJECT_BAD_QUOTE,      /* "bad-quote": a bad or unterminated quote */
    CS_REJECT_LONG_LINE,      /* "long-line": over max_line bytes, or a field
                                 over CS_FIELD_MAX */
    CS_REJECT_NUL,            /* "nul": a NUL byte */
    CS_REJECT_NKINDS
};
/* "missing-id", "bad-date", ...; NULL for a kind out of range. */
const char *cs_reject_kind_name(int kind);
/* The kind of that name (len bytes), or -1. */
int cs_reject_kind_from_name(const char *name, size_t len);

/* How customer ids are read. */
enum cs_id_mode {
    CS_ID_AS_IS = 0, /* opaque bytes: "17850" and "17850.0" are two customers */
    CS_ID_NUMERIC,   /* every id is a whole number: leading zeros and a
                        trailing ".0" (".00", ...) are dropped ("017850.0" is
                        "17850"); any other id is a CS_EID error (kind
                        CS_REJECT_BAD_ID) */
};

/* Normalises a numeric id as CS_ID_NUMERIC does: returns 1 and sets *start
 * and *len to the id without leading zeros and a ".0" tail (a part of s),
 * or 0 when s is not digits optionally followed by '.' and zeros. */
int cs_id_numeric(const char *s, size_t n, size_t *start, size_t *len);

/* Records left out before they are parsed, by the text of a field: with
 * include, a record is kept only when its field is one of values; without,
 * a record whose field is one of them is left out. Comparison is exact
 * (bytes, after CSV unquoting). Every filter must keep a record for it to
 * be read. */
typedef struct cs_txn_filter {
    const char *column;    /* header name or 1-based number */
    const char *values;    /* comma-separated values (no quoting) */
    int include;
} cs_txn_filter;

/* Which input columns hold what. A column is named by its header name (exact
 * or, failing that, case-insensitively) or by a 1-based number. NULL means
 * "recognise a common header name". */
typedef struct cs_txn_options {
    int delimiter;         /* CS_DELIM_AUTO, CS_DELIM_WHITESPACE or a byte */
    int header;            /* enum cs_header_mode */
    const char *customer;
    const char *date;
    const char *amount;
    const char *quantity;  /* with price: amount = quantity x price */
    const char *price;
    int no_amount;         /* the log has no amounts: every record counts 0 */
    cs_datefmt datefmt;
    size_t max_line;       /* the longest record in bytes; 0: CS_LINE_MAX_DEFAULT
                            * (see cs_records_set_max_line) */
    int id_mode;           /* enum cs_id_mode */
    const cs_txn_filter *filters; /* nfilters of them, borrowed */
    size_t nfilters;
} cs_txn_options;

/* One transaction record. id points into the reader and is valid until the
 * next call; it is not NUL-terminated. */
typedef struct cs_txn {
    const char *id;
    size_t id_len;
    cs_day day;
    int64_t amount;        /* micro-units; 0 when the log has no amounts */
} cs_txn;

typedef struct cs_txn_reader cs_txn_reader;

/* Opens a reader over one input (borrowed; it must outlive the reader).
 * Reads the header (if any) and resolves the columns; errors: CS_ECOLUMN
 * (missing/unknown column), CS_EEMPTY (no data at all), CS_EFORMAT, CS_EIO. */
CS_OWN cs_txn_reader *cs_txn_reader_new(CS_BORROW cs_input *in,
                                        const cs_txn_options *opts, cs_error *err);

/* Reads the next record. Returns 1 with *txn filled, 0 at the end of input,
 * or a negative CS_E* code with err describing the bad record (file, line,
 * column, text). After an error the reader stands after the bad record, so
 * the caller may skip it and go on (except after CS_EIO/CS_EGZIP/CS_ENOMEM). */
int cs_txn_read(cs_txn_reader *rd, cs_txn *txn, cs_error *err);

/* The kind (enum cs_reject_kind) of the record last rejected by
 * cs_txn_read. */
int cs_txn_reject_kind(const cs_txn_reader *rd);

/* Records left out by the filters so far, and the sum of their amounts
 * (micro-units; the ones whose amount does not parse add nothing). */
void cs_txn_filtered(const cs_txn_reader *rd, uint64_t *records, int64_t *value);

/* The raw bytes of the record last returned or rejected (for --rejects),
 * without its line end; valid until the next call. */
const char *cs_txn_raw(const cs_txn_reader *rd, size_t *len);
/* The input lines that record spans, first to last (a quoted record with a
 * stray quote can span many; all of them are lost when it is rejected). */
void cs_txn_raw_lines(const cs_txn_reader *rd, long *first, long *last);

/* The roles a reader resolved, for a --verbose report: role is "customer",
 * "date", "amount", "quantity" or "price". Returns the 1-based column number
 * (0 if the role is unused) and sets *name to the header name or NULL. */
int cs_txn_column(const cs_txn_reader *rd, const char *role, const char **name);
/* The delimiter in use (a byte, or CS_DELIM_WHITESPACE). */
int cs_txn_delimiter(const cs_txn_reader *rd);
/* Whether a header line was read. */
int cs_txn_has_header(const cs_txn_reader *rd);
/* The header line's fields as text ("customer, date, amount"), or NULL
 * without a header line. With CS_HEADER_AUTO, line 1 is taken for a header
 * only when it names columns: when no field of it is a date and the amount
 * (or quantity and price) columns, when given by number, are not numbers;
 * otherwise it is the first record. */
const char *cs_txn_header_text(const cs_txn_reader *rd);
/* The date format found or given, as text ("YYYY-MM-DD"). */
const char *cs_txn_date_format(const cs_txn_reader *rd);

void cs_txn_reader_free(cs_txn_reader *rd);

#ifdef __cplusplus
}
#endif
#endif
