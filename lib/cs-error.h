/* custseg: error reporting shared by every part of libcustseg. */
#ifndef CS_ERROR_H
#define CS_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Ownership markers: CS_OWN on a return value means the caller frees it;
 * CS_BORROW on a parameter means the callee keeps no reference to it. */
#define CS_OWN
#define CS_BORROW

/* Stable error codes. Functions return 0 (CS_OK) or a negative CS_E* code;
 * constructors return NULL. The numbers never change meaning. */
enum cs_code {
    CS_OK = 0,
    CS_ENOMEM = -1,    /* out of memory */
    CS_EIO = -2,       /* read or write failed (errno is in cs_error.sys_errno) */
    CS_EFORMAT = -3,   /* malformed record: quoting, field count, NUL byte, size */
    CS_EDATE = -4,     /* a date that does not parse or is out of range */
    CS_EAMOUNT = -5,   /* an amount that does not parse or is out of range */
    CS_EID = -6,       /* a customer id that is empty or not valid UTF-8 */
    CS_ECOLUMN = -7,   /* a column that is missing or named twice */
    CS_EEMPTY = -8,    /* no data where data is required */
    CS_EINVAL = -9,    /* an invalid option value passed by the caller */
    CS_EGZIP = -10,    /* corrupt or truncated gzip stream */
    CS_EORDER = -11,   /* records out of the order an operation needs */
    CS_EPARTIAL = -12, /* a partial summary file that is malformed or does not fit */
    CS_ENOCONV = -13,  /* a model fit that did not converge */
};

/* What the user can change to get past an error. The library names no
 * command-line flag: it says which of its settings is concerned, and the
 * caller words the hint (custseg's tools name their options). */
enum cs_hint {
    CS_HINT_NONE = 0,
    CS_HINT_COLUMNS_BY_NUMBER,  /* no header line: every column by number */
    CS_HINT_NAME_CUSTOMER,      /* no customer column recognised: name it */
    CS_HINT_NAME_DATE,          /* no date column recognised: name it */
    CS_HINT_NAME_AMOUNT,        /* no amount column: name it, or quantity and
                                   price, or read purchases without amounts */
    CS_HINT_END_OF_OBSERVATION, /* the end of observation is the last date in
                                   the data unless as_of is given */
    CS_HINT_PARTIAL_OPTIONS,    /* partial summaries made with other as_of,
                                   calibration_end, returns or amount settings */
    CS_HINT_AS_OF,              /* the data describe the as_of day: later dates
                                   are in the future */
};

/* Where and what went wrong. Every field is filled as far as it is known;
 * line and column are 0 when they do not apply. */
typedef struct cs_error {
    int code;          /* enum cs_code */
    int sys_errno;     /* errno for CS_EIO, else 0 */
    long line;         /* 1-based input line, 0 if none */
    int column;        /* 1-based column (field) number, 0 if none */
    char file[256];    /* input name ("-" shown as "<stdin>"), "" if none */
    char field[128];   /* column name, "" if none */
    char message[512]; /* what is wrong, with the offending text */
    int hint;          /* enum cs_hint: what the caller may suggest */
    char setting[32];  /* the setting the error is about, as the library's
                          options name it ("customer", "as_of"), "" if none */
    char value[96];    /* the value given for that setting */
} cs_error;

/* Static string naming a code ("CS_EDATE" -> "bad date"); do not free it. */
const char *cs_strerror(int code);

/* Clears *err (safe with NULL). */
void cs_error_clear(cs_error *err);

#ifdef __cplusplus
}
#endif
#endif
