/* custseg: per-customer summaries (the BTYD x, t_x, T and the RFM inputs). */
#ifndef CS_SUMMARY_H
#define CS_SUMMARY_H

#include "cs-error.h"
#include "cs-io.h"
#include "cs-txn.h"

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a day's negative amounts (returns, cancellations) do. */
enum cs_returns {
    CS_RETURNS_NET = 0, /* netted within the day; a day with a return whose net
                           value is <= 0 is not a purchase day */
    CS_RETURNS_DROP,    /* negative records are dropped (and counted) */
    CS_RETURNS_KEEP,    /* netted, but every day with a record is a purchase day */
    CS_RETURNS_NET_CUSTOMER, /* as NET, but a day brought to <= 0 is netted
                           against the customer's most recent earlier purchase
                           day (calibration period; its value, not its count:
                           it stays a purchase day); a customer with no earlier
                           purchase day keeps it apart, as NET does. No partial
                           form. */
};


typedef struct cs_summary_options {
    cs_day as_of;           /* end of observation; CS_DAY_NONE: the last date seen */
    cs_day calibration_end; /* CS_DAY_NONE: no holdout period */
    int returns;            /* enum cs_returns */
    int has_amount;         /* 0 when the log has no amounts (values are omitted) */
    int threads;            /* threads cs_load_transactions may use (0 or 1: one) */
} cs_summary_options;

/* Counts of what happened to the records; nothing is dropped uncounted. */
typedef struct cs_summary_stats {
    uint64_t records;           /* records given to the builder */
    uint64_t after_as_of;       /* left out: dated after as_of */
    uint64_t negative;          /* records with a negative amount */
    uint64_t dropped_returns;   /* negative records left out (CS_RETURNS_DROP) */
    uint64_t cancelled_days;    /* customer-days that are not purchase days */
    int64_t cancelled_value;    /* their net value (<= 0): in total_value, not in
                                   the purchase days' values */
    uint64_t netted_days;       /* CS_RETURNS_NET_CUSTOMER: such days netted
                                   against an earlier purchase day (not counted
                                   in cancelled_days) */
    int64_t netted_value;       /* and their value */
    uint64_t customers_seen;    /* distinct customers in the kept records */
    uint64_t holdout_only;      /* left out: first purchase in the holdout period */
    uint64_t no_purchase;       /* left out: no purchase day at all */
    uint64_t unsorted;          /* customers whose records were out of date order */
    cs_day min_day, max_day;    /* of the kept records (CS_DAY_NONE if none) */
} cs_summary_stats;

/* One customer. Purchase days are days with at least one record that are not
 * cancelled by returns (see enum cs_returns); values are micro-units. With a
 * calibration end, the first group of fields covers the calibration period. */
typedef struct cs_summary_row {
    const char *id;          /* not NUL-terminated; owned by the summary */
    uint32_t id_len;
    cs_day first;            /* first purchase day */
    cs_day last;             /* last purchase day */
    uint32_t transactions;   /* records (calibration period) */
    uint32_t purchase_days;  /* >= 1; frequency x = purchase_days - 1 */
    int64_t total_value;     /* net value of all records (calibration period) */
    int64_t repeat_value;    /* value of the purchase days after the first */
    uint32_t holdout_days;   /* purchase days in (calibration_end, as_of] */
    uint32_t holdout_transactions;
    int64_t holdout_value;   /* net value of the holdout records */
    cs_day nth_day;          /* the n-th calibration purchase day of a builder
                                that tracks it (cs_builder_track_nth), else
                                CS_DAY_NONE */
} cs_summary_row;

/* A finished summary: rows sorted by id (byte order). */
typedef struct cs_summary {
    size_t n;
    cs_summary_row *rows;
    cs_day as_of;            /* end of observation */
    cs_day calibration_end;  /* CS_DAY_NONE if no holdout */
    int has_amount;
    int returns;
    cs_summary_stats stats;
    void *priv_;             /* storage of the ids */
} cs_summary;

void cs_summary_free(cs_summary *s);
/* Appends the ids of s's rows, in order, to ids (its arena sized once).
 * Errors: CS_ENOMEM. */
int cs_summary_copy_ids(const cs_summary *s, cs_ids *ids);

/* ---- Building ------------------------------------------------------------ */

typedef struct cs_builder cs_builder;

/* Errors: CS_EINVAL (calibration end not before as_of), CS_ENOMEM. */
CS_OWN cs_builder *cs_builder_new(const cs_summary_options *opt, cs_error *err);

/* Adds one record. Records of one customer normally come in date order (any
 * interleaving of customers is fine); a customer whose records do not is
 * marked and needs cs_builder_replay (see below). Errors: CS_ENOMEM,
 * CS_EAMOUNT (a customer's sum overflows). */
int cs_builder_add(cs_builder *b, const cs_txn *t, cs_error *err);

/* The number of customers whose records came out of date order. When it is
 * not 0, call cs_builder_replay_begin, give every record again (the same
 * input), and they are summarised exactly; memory then grows with the
 * records of those customers only. */
size_t cs_builder_unsorted(const cs_builder *b);
int cs_builder_replay_begin(cs_builder *b, cs_error *err);

/* Reads a partial summary written by cs_builder_write_partial, or a
 * partition file written by cs_builder_write_partitions, and merges it in
 * (one kind per builder; partition files of one partition, made with the
 * same options). Partition files merge exactly whatever the split (see
 * cs_builder_partition). Partials merge into exactly what one run over the
 * whole log gives only when the log was split by customer or by whole days
 * (no customer-day in two parts). Errors: CS_EPARTIAL (bad file, options
 * that differ, kinds mixed, partition files of another partition, a
 * truncated partition file, a customer-day found in two partials, a line
 * over 1 MiB, values that do not fit together
 * or would pass their 32- or 64-bit range once merged: file, line, column),
 * CS_EIO, CS_ENOMEM. After an error the builder holds part of the file:
 * free it. */
int cs_builder_merge_partial(cs_builder *b, cs_input *in, cs_error *err);

/* Writes the builder's state as a partial summary (text, one customer a line,
 * sorted by id). Errors: CS_EIO. */
int cs_builder_write_partial(cs_builder *b, FILE *fp, cs_error *err);

/* Finishes: returns the summary, or NULL with err set (CS_EEMPTY when no
 * customer remains, CS_EINVAL when the calibration end is not before the end
 * of observation). The builder is freed either way. */
CS_OWN cs_summary *cs_builder_finish(cs_builder *b, cs_error *err);

void cs_builder_free(cs_builder *b);

/* A value window: records dated before day still make purchase days (and
 * count as transactions, first and last purchase, repeat value), but add
 * nothing to total_value (e.g. the value of the last 12 months, with the
 * purchase days of all history). Call it on a new builder, before any
 * record; such a builder has no partial form (cs_builder_write_partial and
 * cs_builder_merge_partial return CS_EINVAL). Errors: CS_EINVAL. */
int cs_builder_value_from(cs_builder *b, cs_day day, cs_error *err);

/* Customers whose id is another customer's id with a ".0" tail or leading
 * zeros ("17733.0" next to "17733": ids a spreadsheet turned into numbers;
 * see CS_ID_NUMERIC). Returns how many such pairs a loaded builder holds;
 * example (cap bytes) receives the pair whose longer id sorts first, as
 * "17733.0 and 17733". Call it before finishing. */
size_t cs_builder_id_twins(const cs_builder *b, char *example, size_t cap);

/* The options the builder was made with, after partials were merged. */
const cs_summary_options *cs_builder_options(const cs_builder *b);
const cs_summary_stats *cs_builder_stats(const cs_builder *b);

/* ---- Partitions: a log summarised by many tasks ------------------------- */

/* A map task reads any part of the log and writes, for each of n
 * partitions, the customer-days of the customers whose id falls in it
 * (cs_partition_of); merging the files of one partition from every map task
 * (cs_builder_merge_partial) gives exactly the summary rows of its
 * customers that one run over the whole log gives, whatever the split: a
 * customer-day found in several files is netted as if it were in one, and
 * every file carries the map task's first and last date, so T and the end
 * of observation are the whole log's. The format ("# custseg partition
 * v1") is described in docs/ARCHITECTURE.md. */

#define CS_PARTITIONS_MAX 65536

struct cs_load_stats;

/* The partition hash: FNV-1a, 64 bits, over the id's bytes (after the
 * reader's id normalisation): h = 0xcbf29ce484222325; for each byte,
 * h ^= byte, h *= 0x100000001b3 (mod 2^64). Independent of machine, byte
 * order and threads. */
uint64_t cs_partition_hash(const char *id, size_t len);
/* The partition of an id among n (1..CS_PARTITIONS_MAX): hash mod n. */
uint32_t cs_partition_of(const char *id, size_t len, uint32_t n);

/* Makes a new builder a partition map of n partitions (1 to
 * CS_PARTITIONS_MAX): it keeps each customer's days instead of summarising
 * them (memory grows with the customer-days), and is written with
 * cs_builder_write_partitions (it cannot be finished). Call it before any
 * record. Not with tracked periods or days or a value window. Errors:
 * CS_EINVAL, CS_ENOMEM. */
int cs_builder_partition(cs_builder *b, uint32_t n, cs_error *err);

/* Where cs_builder_write_partitions writes: open gives the stream of
 * partition index (NULL with err set on failure), close finishes it
 * (0, or a CS_E* code with err set). Partitions are written one after the
 * other, 0 first, each opened and closed before the next. */
typedef struct cs_partition_sink {
    FILE *(*open)(void *ctx, uint32_t index, cs_error *err);
    int (*close)(void *ctx, uint32_t index, FILE *fp, cs_error *err);
    void *ctx;
} cs_partition_sink;

/* Writes every partition of a partition map, even those without customers;
 * load (may be NULL) adds the load's skipped and filtered counts to each
 * file's header for a driver to sum. The builder is left as it was (free
 * it). Errors: CS_EINVAL (not a partition map), CS_EIO, CS_ENOMEM, the
 * sink's. */
int cs_builder_write_partitions(cs_builder *b, const cs_partition_sink *sink,
                                const struct cs_load_stats *load, cs_error *err);

/* ---- Loading transaction logs ------------------------------------------- */

/* How many bad records of each kind (enum cs_reject_kind) a load may skip
 * before it fails: more than max_lines[k] input lines lost to kind k, or
 * more than max_rate[k] of the lines read (a fraction: 0.01 is 1 %) once
 * more than rate_min_lines[k] lines are lost (a small log may lose a line
 * or two). A negative limit is no limit. */
typedef struct cs_reject_budget {
    int64_t max_lines[CS_REJECT_NKINDS];
    double max_rate[CS_REJECT_NKINDS];
    int64_t rate_min_lines[CS_REJECT_NKINDS];
} cs_reject_budget;

/* What cs_load_transactions does with a bad record. */
typedef struct cs_load_options {
    int skip_bad;  /* 0: stop at the first bad record; 1: skip it and go on */
    /* With skip_bad: the kinds skipped, a mask of 1u << enum cs_reject_kind;
     * a bad record of another kind stops the load. 0: every kind. */
    unsigned skip_kinds;
    /* With skip_bad: the limits, checked once every input was read; NULL:
     * none. Over a limit, the load fails with the error of the kind's first
     * bad record (its file, line and column; code as the record's), the
     * message saying how many records and lines, and the rate, and the
     * setting max_rejects or max_reject_rate. */
    const cs_reject_budget *budget;
    /* Called for each skipped record, with the error, the raw text (as
     * cs_txn_raw: valid during the call; cut to the reader's max_line bytes
     * for a longer record), the input lines it spans, first to last, and
     * its kind (enum cs_reject_kind). */
    void (*on_reject)(void *ctx, const cs_error *e, const char *raw, size_t len,
                      long first_line, long last_line, int kind);
    /* Called once per input after its columns are resolved (for --verbose). */
    void (*on_open)(void *ctx, const cs_txn_reader *rd, const char *name);
    /* Called every 2^20 records with the bytes read from the current input
     * (compressed bytes for gzip) and the records read in all (progress). */
    void (*on_progress)(void *ctx, uint64_t bytes, uint64_t records);
    void *ctx;
    /* paths[0] already opened (e.g. after a look at its first line, pushed
     * back with cs_input_unread); the loader takes it over and closes it. */
    cs_input *first_input;
} cs_load_options;

/* What the load read and what it left out. */
typedef struct cs_load_stats {
    uint64_t skipped;       /* bad records skipped, all kinds */
    uint64_t bad_format;    /* CS_EFORMAT: quoting, field count, NUL, size */
    uint64_t bad_date;
    uint64_t bad_amount;
    uint64_t bad_id;
    int read_twice;         /* 1 when out-of-order records needed a replay */
    /* Input lines the skipped records spanned (>= skipped): a record with a
     * stray quote can swallow many lines, and all of them are lost. */
    uint64_t skipped_lines;
    /* By kind (enum cs_reject_kind): records skipped, the lines they
     * spanned, and the first one's error (code 0 when none). */
    uint64_t kind_records[CS_REJECT_NKINDS];
    uint64_t kind_lines[CS_REJECT_NKINDS];
    cs_error kind_first[CS_REJECT_NKINDS];
    uint64_t records_read;  /* records read, good, bad or filtered (first reading) */
    uint64_t lines_read;    /* records_read plus the extra lines of bad records */
    uint64_t filtered;      /* left out by the reader's filters */
    int64_t filtered_value; /* their amounts, micro-units */
    /* With a date pattern (CS_DATE_PATTERN): the records whose date
     * parsed, and those on day 13-31 of their month: when none of many
     * is, a day/month pattern may have the two swapped. */
    uint64_t dated;
    uint64_t dated_after_12th;
    /* The second day/month signal, "dates outside the data's range". A date
     * on day 1-12 (early) reads as a date either way round; one on day
     * 13-31 (late) does not, so the late dates give the period the log
     * covers, and with the right pattern the early dates cover the same
     * one. dated_late_first/_last: the first and last late date
     * (CS_DAY_NONE: none). dated_early_outside: early-dated records more
     * than CS_DATE_SWAP_MARGIN days before the first or after the last late
     * date; dated_early_swap_inside: those of them whose date with day and
     * month exchanged lies within that period (margin included): read the
     * other way round they would fit. dated_early_gap: for the farthest of those, the
     * number of late dates the stretch between it and the late period would
     * hold at the log's rate (k - 2 sqrt(k) for its k distinct late dates, a
     * low estimate, per late calendar day from the first to the last date,
     * times the late calendar days of the stretch): with the right pattern the chance of such an empty stretch
     * is about exp(-dated_early_gap). dates_swap_suspect: 1 when
     * dated_early_swap_inside >= CS_DATE_SWAP_MIN_RECORDS, is at least half
     * of dated_early_outside, and dated_early_gap >= CS_DATE_SWAP_MIN_GAP
     * (the other signal, no late date at all, is dated_after_12th == 0). */
    cs_day dated_late_first, dated_late_last;
    uint64_t dated_early_outside;
    uint64_t dated_early_swap_inside;
    double dated_early_gap;
    int dates_swap_suspect;
    /* With as_of: customers all of whose records are dated after it (their
     * records are in cs_summary_stats.after_as_of; they are no customer of
     * the summary). */
    uint64_t customers_after_as_of;
} cs_load_stats;

/* The day/month signal's margin (days), least number of records and least
 * expected number of late dates missing (exp(-10): a chance of 5e-5). */
#define CS_DATE_SWAP_MARGIN 31
#define CS_DATE_SWAP_MIN_RECORDS 10
#define CS_DATE_SWAP_MIN_GAP 10.0

/* Reads every input (paths; "-" is standard input) as one log into b.
 * Customers whose records are out of date order are summarised exactly by a
 * second reading, which needs inputs that can be read again: with standard
 * input that is a CS_EORDER error. The second reading opens each path again
 * and checks that it is the same file, unchanged (cs_input_stamp_get): a log
 * rotated or written to in between is a CS_EIO error, "changed while it was
 * being read". Errors: those of the reader (with file, line, column),
 * CS_EORDER, CS_EIO. stats may be NULL. */
int cs_load_transactions(cs_builder *b, const char *const *paths, size_t npaths,
                         const cs_txn_options *txn, const cs_load_options *opt,
                         cs_load_stats *stats, cs_error *err);

/* ---- Output ---------------------------------------------------------------- */

/* Writes the summary table (see custseg-summary(1) for the columns). */
int cs_summary_write(const cs_summary *s, FILE *fp, int format, int header, int unit,
                     cs_error *err);

/* Finishes like cs_builder_finish and writes the table at once, without
 * holding every row in memory (the builder is freed either way). stats and
 * as_of, when not NULL, receive the counts and the end of observation. A
 * builder of merged partition files writes the header alone when its
 * partition has no customer (a whole log's partition may be empty). */
int cs_builder_write_summary(cs_builder *b, FILE *fp, int format, int header, int unit,
                             cs_summary_stats *stats, cs_day *as_of, cs_error *err);

/* Reads a summary table written by cs_summary_write (CSV or TSV) back into a
 * summary: customer_id, first_purchase, last_purchase, transactions,
 * purchase_days and days_since_last are required; total_value and
 * monetary_value (amounts), frequency (checked: purchase_days - 1) and the
 * holdout columns (frequency_holdout, value_holdout, duration_holdout_UNIT)
 * are read when present. The end of the period is last_purchase +
 * days_since_last, the same on every row (with a holdout it is the
 * calibration end, and as_of follows from duration_holdout); repeat_value
 * is monetary_value x frequency (the table keeps the mean to 6 decimals);
 * holdout_transactions are 0 (the table does not have them), returns
 * CS_RETURNS_NET, and of the stats only records (the calibration
 * transactions), customers_seen, min_day (first purchases) and max_day
 * (last purchases) are set. Rows keep the table's order. Errors: CS_ECOLUMN
 * (a column missing), CS_EFORMAT and CS_EDATE (a field, or a row at odds
 * with the rest: file, line, column), CS_EEMPTY, CS_EIO, CS_ENOMEM. */
CS_OWN cs_summary *cs_summary_read(cs_input *in, cs_error *err);

/* ---- Periods with a purchase (BG/BB patterns, churn rates) ---- */

/* Makes a builder keep, for every customer, the periods that hold a
 * purchase day (a day as custseg-summary counts it: records that are not
 * cancelled by returns); call it on a new builder, before any record.
 * Then load the transactions and call cs_builder_period_histories,
 * cs_builder_periods (cs-models.h) or cs_builder_rates. Errors: CS_EINVAL. */
int cs_builder_track_periods(cs_builder *b, int period, cs_error *err);


/* Makes a builder keep, for every customer, the day of its n-th purchase
 * day (n >= 1; a day as custseg-summary counts it) in the calibration
 * period: cs_summary_row.nth_day, CS_DAY_NONE for a customer with fewer.
 * Call it on a new builder, before any record. Costs no memory (the day
 * lives in what was padding of the customer's state). A partial summary
 * does not carry it: do not merge partials into such a builder. Errors:
 * CS_EINVAL. */
int cs_builder_track_nth(cs_builder *b, int n, cs_error *err);

/* Makes a builder count, for each day, the repeat purchase days on it of
 * customers with a purchase day in the calibration period (the whole log
 * without a calibration end): a day as custseg-summary counts it, after the
 * customer's first. Call it on a new builder, before any record; then load
 * the transactions and call cs_builder_repeat_days (before finishing).
 * Memory: four bytes per day the log covers. Errors: CS_EINVAL. */
int cs_builder_track_days(cs_builder *b, cs_error *err);
/* The counts of a loaded builder that tracks days: counts[i] (n entries,
 * the caller frees them) for day first + i, from the first day with a
 * repeat purchase to the last; n 0 and counts NULL when there is none.
 * Errors: CS_EINVAL (days not tracked), CS_EORDER (some customers' records
 * came out of date order: the first reading counted part of their days, so
 * the counts would not be exact), CS_ENOMEM. */
int cs_builder_repeat_days(cs_builder *b, cs_day *first, size_t *n, uint32_t **counts,
                           cs_error *err);

/* Observed churn by period: the whole periods from the first purchase
 * period in the data (which the data may enter part-way) to the last whole
 * period before the end. Period k is absolute: a year, 4 y + quarter, or
 * 12 y + month (see cs_period_label). */
typedef struct cs_rates {
    int period;            /* enum cs_period */
    int first, nper;
    cs_day end;            /* end of observation */
    cs_day data_start;     /* the first date in the data */
    int first_partial;     /* 1 when the data start after the first period's first day */
    size_t *active;        /* customers with a purchase in period k */
    size_t *churned;       /* of those, with none in period k+1 (k < nper-1) */
    size_t *cohort_size;   /* customers whose first purchase period is k */
    size_t *cohort_active; /* [c * nper + k]: of cohort c, active in period k */
} cs_rates;

/* Fills *r from a loaded builder that tracks periods. Errors: CS_EEMPTY (no
 * records, or no whole period), CS_EINVAL (over 1200 periods, or periods not
 * tracked), CS_ENOMEM. Free with cs_rates_free. */
int cs_builder_rates(cs_builder *b, cs_rates *r, cs_error *err);
void cs_rates_free(cs_rates *r);

/* Receives one customer's history of whole periods: x periods after the
 * first purchase period hold a purchase day, t_x is the last of them (0 if
 * none) and n the whole periods after the first one up to the end of
 * observation. id is borrowed for the call. A non-zero return stops the
 * walk and is returned. */
typedef int (*cs_period_fn)(void *ctx, const char *id, size_t id_len, int x, int tx, int n);

/* Walks the customers of a loaded builder that tracks periods, sorted by
 * id: fn for each one with at least one whole period after the first;
 * those with none yet are counted in *too_recent. A period the end of
 * observation (as-of, or the last date in the data) cuts short does not
 * count. Errors: CS_EEMPTY (no records), CS_EINVAL (periods not tracked),
 * CS_ENOMEM, or fn's. */
int cs_builder_period_histories(cs_builder *b, cs_period_fn fn, void *ctx, size_t *too_recent,
                                cs_error *err);

#ifdef __cplusplus
}
#endif
#endif
