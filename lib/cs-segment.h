/* custseg: RFM scores, cells, named segments and the segment report;
 * customer pyramids, their tier report, concentration and migration. */
#ifndef CS_SEGMENT_H
#define CS_SEGMENT_H

#include "cs-error.h"
#include "cs-io.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cs_summary;

/* Flag of cs_values_from_summary and cs_rfm_data_from_summary: copy the
 * customer ids as well. */
#define CS_SUMMARY_IDS 1u
struct cs_rfm_data;
struct cs_txn_options;
struct cs_load_options;
struct cs_summary_options;

#ifdef __cplusplus
extern "C" {
#endif

#define CS_RFM_MAX_BINS 10

enum cs_rfm_var { CS_RFM_R = 0, CS_RFM_F, CS_RFM_M };

/* The monetary variable breaks were computed on. */
enum cs_rfm_monetary {
    CS_RFM_MONETARY_NONE = 0, /* none (recency and frequency only), or not recorded */
    CS_RFM_TOTAL,             /* total value */
    CS_RFM_MEAN,              /* mean value per purchase day */
};

/* Fields of a breaks file whose line cs_rfm_breaks_load keeps (line[]). */
enum cs_rfm_field { CS_RFM_FIELD_BINS = 0, CS_RFM_FIELD_MONETARY, CS_RFM_FIELD_VARIABLES,
                    CS_RFM_FIELDS };

/* Cut points per variable: scores run 1..ncut[v]+1. With them, what they
 * were computed on, which a breaks file records and cs_rfm_breaks_check
 * compares with what a run asks for. */
typedef struct cs_rfm_breaks {
    int bins;                               /* asked for */
    int ncut[3];
    double cut[3][CS_RFM_MAX_BINS - 1];
    int rf_only;                            /* 1: recency and frequency only (no amounts) */
    int monetary;                           /* enum cs_rfm_monetary */
    cs_day as_of;                           /* the day recency counts to; CS_DAY_NONE: unknown */
    /* set by cs_rfm_breaks_load: the file's version (1: an old file that
     * records neither the variables nor the time unit nor the as-of day;
     * 0: computed, not read), its name and the lines of some fields (0:
     * absent) */
    int version;
    char file[256];
    long line[CS_RFM_FIELDS];
} cs_rfm_breaks;

/* Cut points of n values of variable var for `bins` bins: the type-7
 * quantiles (R's default: linear interpolation between order statistics)
 * at k/bins, k = 1..bins-1 (of the negated values for recency, which is
 * scored the other way round), without repeats and without one at the
 * extreme, which would separate nothing: ties can leave fewer bins than
 * asked. Returns the number of cut points, in increasing order. v is
 * reordered. */
int cs_rfm_cuts(double *v, size_t n, int bins, int var, double *cut);

/* The score of value x of variable var: frequency and monetary,
 * 1 + the number of cut points below x; recency (days since the last
 * purchase, fewer is better), 1 + the number of cut points above x. So
 * equal values always get equal scores, higher scores are better, and a
 * value equal to a cut point falls in the worse of the two bins. */
int cs_rfm_score(const cs_rfm_breaks *b, int var, double x);

/* The cut points of every variable of d for `bins` bins: for variable v,
 * the nfixed[v] increasing cut points fixed[v] when nfixed[v] >= 0 (fixed
 * and nfixed may be NULL: none fixed), else cs_rfm_cuts of the customers'
 * values; none for monetary when d->rf_only. Records d's rf_only, monetary
 * kind and as_of in b. d is not changed. Errors: CS_ENOMEM, CS_EINVAL (bins
 * outside 2..CS_RFM_MAX_BINS, or more than bins - 1 fixed cut points). */
int cs_rfm_breaks_compute(cs_rfm_breaks *b, const struct cs_rfm_data *d, int bins,
                          const double fixed[][CS_RFM_MAX_BINS], const int *nfixed,
                          cs_error *err);

/* Cut points over many customer tables without holding their customers
 * (the global step of RFM on partitions): each table's values are added
 * to a histogram of distinct values with their counts, and the cut points
 * computed from it are those cs_rfm_breaks_compute gives on all the
 * customers at once, exactly: the same type-7 quantiles from the same order
 * statistics, for recency, frequency and monetary alike (every distinct
 * value is kept: a histogram as large as the distinct values, at most the
 * customers; recency and frequency are whole days and counts, a few
 * thousand values). */
typedef struct cs_rfm_hist cs_rfm_hist;
CS_OWN cs_rfm_hist *cs_rfm_hist_new(cs_error *err);
/* Adds d's customers. Every table has the same variables and monetary
 * kind; the as-of day is kept when all agree (else CS_DAY_NONE). Errors:
 * CS_EINVAL (other variables than the tables before, a value that is not
 * finite), CS_ENOMEM. */
int cs_rfm_hist_add(cs_rfm_hist *h, const struct cs_rfm_data *d, cs_error *err);
/* The distinct values of variable var (enum cs_rfm_var) so far. */
size_t cs_rfm_hist_values(const cs_rfm_hist *h, int var);
/* As cs_rfm_breaks_compute over every customer added. Errors: those of
 * cs_rfm_breaks_compute, CS_EEMPTY (no customers; every monetary value 0,
 * as cs_rfm_data_check). */
int cs_rfm_hist_breaks(const cs_rfm_hist *h, cs_rfm_breaks *b, int bins,
                       const double fixed[][CS_RFM_MAX_BINS], const int *nfixed,
                       cs_error *err);
void cs_rfm_hist_free(cs_rfm_hist *h);

/* Breaks files (JSON, version 2): "format", "version", "variables"
 * (["recency", "frequency", "monetary"] or ["recency", "frequency"]),
 * "bins", "monetary_kind" ("total", "mean"; null without monetary, or not
 * recorded: a version 1 file without it),
 * "time_unit" ("day": recency is in days), "as_of" (YYYY-MM-DD or null),
 * "scores" (per variable, the scores it has: its cut points + 1, fewer than
 * bins when ties merged bins) and the cut points of each variable.
 * cs_rfm_breaks_load also reads version 1 (no "variables", "time_unit",
 * "as_of" nor "scores": b->version 1, taken as recency, frequency and
 * monetary in days). Errors: CS_EIO; CS_EFORMAT, with the file and line of
 * the field, for a file that is not a custseg breaks file of version 1 or 2,
 * has cut points out of order, more cut points than bins - 1 or another
 * number than its "scores" say, or a time unit other than days. */
int cs_rfm_breaks_save(const cs_rfm_breaks *b, FILE *fp, cs_error *err);
int cs_rfm_breaks_load(cs_rfm_breaks *b, cs_input *in, cs_error *err);
/* cs_rfm_breaks_load of the file at path ("-": standard input); errors
 * also those of cs_input_open. */
int cs_rfm_breaks_read(cs_rfm_breaks *b, const char *path, cs_error *err);

/* What a run asks of saved breaks: 0 (rf_only: -1) where it takes what
 * the file holds. */
typedef struct cs_rfm_breaks_want {
    int bins;     /* 0: any */
    int monetary; /* enum cs_rfm_monetary; CS_RFM_MONETARY_NONE: any */
    int rf_only;  /* -1: either; 0: recency, frequency and monetary; 1: recency and frequency */
} cs_rfm_breaks_want;

/* CS_EINVAL when breaks read from a file were computed on something else
 * than want asks for: another number of bins, the other monetary kind,
 * other variables. The error names the file and the line of the field, and
 * in setting/value what the run asks for ("bins", "monetary", "variables"). */
int cs_rfm_breaks_check(const cs_rfm_breaks *b, const cs_rfm_breaks_want *want, cs_error *err);

/* Named segments: the first rule whose bounds hold all three scores wins;
 * a customer no rule takes is "Others". */
typedef struct cs_rfm_rule {
    char name[64];
    int lo[3], hi[3];
    int uses_m; /* 1 when the rule bounds the monetary score */
} cs_rfm_rule;

typedef struct cs_rfm_rules {
    size_t n;
    cs_rfm_rule *rule;
} cs_rfm_rules;

/* A built-in rule set: "rfm" (the ten segments of the R rfm package 0.3.0
 * with its published bounds), "simple" (five tiers, see custseg-rfm(1)) or
 * "rf" (ten segments on recency and frequency alone, which also serve when
 * there are no amounts). Returns CS_EINVAL for another name. */
int cs_rfm_rules_builtin(cs_rfm_rules *r, const char *name, cs_error *err);
/* Reads a rule file: a JSON array of {"name": ..., "r": [min, max], "f":
 * [min, max], "m": [min, max]} (a missing variable takes any score).
 * Errors: CS_EFORMAT (bad JSON, a missing name, min > max or a bound
 * outside 1..bins: impossible rules), CS_EIO. */
int cs_rfm_rules_load(cs_rfm_rules *r, cs_input *in, int bins, cs_error *err);
/* A built-in rule set when spec names one (see cs_rfm_rules_builtin),
 * else the rule file at path spec (cs_rfm_rules_load); errors also those of
 * cs_input_open. The caller frees r with cs_rfm_rules_free. */
int cs_rfm_rules_open(cs_rfm_rules *r, const char *spec, int bins, cs_error *err);
/* 1 when spec names a built-in rule set ("rfm", "simple", "rf"), else 0. */
int cs_rfm_rules_is_builtin(const char *spec);
/* CS_EINVAL when a rule bounds the monetary score (uses_m), which scores
 * on recency and frequency alone do not have: the message names the first
 * such rule. */
int cs_rfm_rules_check_rf(const cs_rfm_rules *r, cs_error *err);
/* Pairs of rules whose bounds overlap (the later one then only takes what
 * the earlier leaves): calls fn (unless NULL) for the first `limit` pairs,
 * in rule order, and returns the number of all such pairs. */
size_t cs_rfm_rules_overlaps(const cs_rfm_rules *r, size_t limit,
                             void (*fn)(void *ctx, const char *first, const char *second),
                             void *ctx);
/* The segment name of a customer's scores (static until the rules go). */
const char *cs_rfm_segment(const cs_rfm_rules *r, const int score[3]);
/* The index of the first rule that holds the scores, r->n for "Others". */
size_t cs_rfm_segment_index(const cs_rfm_rules *r, const int score[3]);

/* A customer scored: the scores, the cell ("545": the three scores one
 * after the other; without monetary, "R5F4" and score[CS_RFM_M] 0), their
 * sum and the segment's name (borrowed from the rules, or the static
 * "Others"). */
typedef struct cs_rfm_scored {
    int score[3];
    int sum;
    char cell[16];
    const char *segment;
} cs_rfm_scored;
/* Scores customer i of d with b and names its segment with r. */
void cs_rfm_score_customer(const cs_rfm_breaks *b, const cs_rfm_rules *r,
                           const struct cs_rfm_data *d, size_t i, cs_rfm_scored *out);
void cs_rfm_rules_free(cs_rfm_rules *r);

/* ---- Customer pyramid ---- */

enum cs_pyr_scheme {
    CS_PYR_CURRY = 0, /* Top 1%, Big 4%, Medium 15%, Small 80% of the active; Inactive */
    CS_PYR_ZEITHAML,  /* Platinum, Gold, Iron by share of customers with value > 0; Lead <= 0 */
    CS_PYR_CUTS,      /* custom tiers by cumulative share of customers */
    CS_PYR_VALUE,     /* custom tiers by cumulative share of value */
};

#define CS_PYR_MAX_TIERS 10

typedef struct cs_pyramid {
    int scheme;
    int ncuts;
    double cuts[CS_PYR_MAX_TIERS - 1]; /* increasing cumulative shares in (0, 1) */
    int ntiers;                        /* filled by cs_pyramid_init */
    const char *names[CS_PYR_MAX_TIERS + 1];
} cs_pyramid;

/* Sets the scheme and its default cut points (curry: .01 .05 .20; zeithaml:
 * .05 .20), or the given ones when ncuts > 0. Errors: CS_EINVAL (cuts not
 * increasing in (0, 1), too many). */
int cs_pyramid_init(cs_pyramid *p, int scheme, const double *cuts, int ncuts, cs_error *err);

/* Tiers n customers by value: tier[i] is an index into p->names (0 the
 * highest tier); customers with active[i] == 0 (curry: Inactive) or, for
 * zeithaml, value <= 0 (Lead) take the last tier. rank[i] is 1 + the number
 * of eligible customers with a higher value (ties share a rank) and pct[i]
 * the share of eligible customers with a value at or below it. The tier of
 * a customer is the first tier whose threshold its value reaches, the
 * threshold of a tier being the value at position ceil(share x m) of the m
 * eligible customers sorted by value, highest first (or, by value share,
 * the value of the customer at which the cumulative value first reaches
 * the share): so ties at a cut go to the same, higher tier. active, rank
 * and pct may be NULL (all active; ranks and percentiles not wanted). */
int cs_pyramid_tier(const cs_pyramid *p, const double *value, const int *active, size_t n,
                    int *tier, size_t *rank, double *pct, cs_error *err);

/* One tier's row of the report: its customers, their shares of all
 * customers and of the total value, and the mean, median, minimum and
 * maximum of their values (NAN for a tier without customers). */
typedef struct cs_pyramid_report_row {
    const char *tier; /* p->names[t]: static */
    size_t customers;
    double customer_share;
    double value;
    double value_share; /* 0 when the values add up to 0 */
    double mean, median, min, max;
} cs_pyramid_report_row;

/* The report of n customers tiered by cs_pyramid_tier (tier[i] in
 * 0..p->ntiers-1): row[t] for tier t, in tier order; the caller gives room
 * for p->ntiers rows. Errors: CS_ENOMEM, CS_EINVAL (a tier out of range). */
int cs_pyramid_report(const cs_pyramid *p, const double *value, const int *tier, size_t n,
                      cs_pyramid_report_row *row, cs_error *err);

typedef struct cs_concentration {
    double gini;
    double top_share[3];  /* of the top 1%, 5% and 20% of customers */
    double lorenz[100];   /* share of value held by the lowest 1%, 2%, .. 100% */
} cs_concentration;

/* Gini over all n values (zeros included): with x sorted ascending,
 * G = 2 sum(i x_i) / (n sum x) - (n + 1) / n; 0 when all are equal,
 * 1 - 1/n when one customer has everything. The Lorenz curve interpolates
 * linearly between customers. Both are defined for values >= 0 only (with
 * both signs G leaves [0, 1]: 12.98 was seen). Errors: CS_EINVAL when a
 * value is negative (the message counts them) or the total is 0. */
int cs_concentration_compute(const double *value, size_t n, cs_concentration *c,
                             cs_error *err);

/* The concentration of n customers' values as JSON (customers, gini,
 * top_1pct_share, top_5pct_share, top_20pct_share, lorenz), numbers in the
 * C locale. Errors: CS_ENOMEM, CS_EIO. */
int cs_concentration_save(const cs_concentration *c, size_t n, FILE *fp, cs_error *err);

/* One numeric column per customer, read from a table with a header and a
 * customer_id column (e.g. total_value of custseg-summary, clv of
 * custseg-clv predict); days_since_last too when the table has it (else NAN). */
typedef struct cs_values {
    size_t n;
    cs_ids ids; /* id i: cs_ids_get(&ids, i, &len) */
    double *value;
    double *days_since_last;
} cs_values;

/* Errors: CS_ECOLUMN (no customer_id or no such column: the message lists
 * the columns), CS_EFORMAT (a value that is not a number, a row with
 * another number of fields: file, line, column, text), CS_EID (an empty or
 * invalid id), CS_EEMPTY, CS_EIO. */
CS_OWN cs_values *cs_values_read(cs_input *in, const char *column, cs_error *err);
/* The same, with another column subtracted (e.g. revenue minus cost: the
 * profit a Zeithaml pyramid tiers by). */
CS_OWN cs_values *cs_values_read_minus(cs_input *in, const char *column, const char *minus,
                                       cs_error *err);
/* The same with the customer ids in column customer (NULL: customer_id);
 * minus may be NULL. Columns are found by name (cs_table_find). */
CS_OWN cs_values *cs_values_read_columns(cs_input *in, const char *customer, const char *column,
                                         const char *minus, cs_error *err);
void cs_values_free(cs_values *v);
/* The total value (in currency units) and days since the last purchase of
 * every customer of a finished summary, in its order; with a calibration
 * end the rows describe the calibration period, and the days count to its
 * end (as cs_rfm_data_from_summary's recency does). flags: CS_SUMMARY_IDS
 * to copy the ids too (output per customer needs them, aggregates do not:
 * without, v->ids is empty). */
CS_OWN cs_values *cs_values_from_summary(const struct cs_summary *s, unsigned flags,
                                         cs_error *err);
/* Multiplies every value by factor (revenue to profit: a margin). */
void cs_values_scale(cs_values *v, double factor);
/* CS_EEMPTY when every value is 0 (there is no pyramid to build), else CS_OK. */
int cs_values_check(const cs_values *v, cs_error *err);
/* Days since the last purchase up to which a customer is active: active[i]
 * is 1 when v->days_since_last[i] <= inactive_after or is unknown (NAN:
 * the table had no such column). Returns how many were unknown. */
size_t cs_values_active(const cs_values *v, double inactive_after, int *active);

/* Values at one or two reference dates from a transaction log: for date k,
 * value[k][i] is the net value of customer i's records in (date - window,
 * date] (window <= 0: all records up to date), and days_since_last[k][i]
 * the days from the last purchase day on or before date, NAN if none: the
 * customer had not bought yet. A purchase day is what custseg-summary counts
 * (one cs_builder run per date, with as_of the date and cs_builder_value_from
 * for the window; so gives the threads and the returns policy, and may be
 * NULL). A date may be CS_DAY_NONE: the last date in the data (not with a
 * window). Customers are those with a purchase day on or before either
 * date, sorted by id (byte order); a customer without one at date k has
 * value 0 there. Two dates read the log twice: standard input cannot be one
 * of the paths then. Errors: those of the loader and the builder,
 * CS_EEMPTY, CS_EINVAL. opt->first_input is closed in every case. */
typedef struct cs_values2 {
    size_t n;
    cs_ids ids;
    double *value[2];
    double *days_since_last[2];
} cs_values2;

CS_OWN cs_values2 *cs_values_at_dates(const char *const *paths, size_t npaths,
                                      const struct cs_txn_options *txn,
                                      const struct cs_load_options *opt,
                                      const struct cs_summary_options *so, const int32_t *dates,
                                      int ndates, double window, cs_error *err);
void cs_values2_free(cs_values2 *v);
/* The values at date k (0 or 1) of v as a cs_values; frees v (also on
 * failure, which is CS_ENOMEM: NULL). */
CS_OWN cs_values *cs_values2_take(cs_values2 *v, int k, cs_error *err);

/* ---- Migration between the tiers of two pyramids ---- */

/* Customers moved from the tiers of an earlier pyramid to those of a later
 * one. Rows ("from"): tiers 0..T-1 then New (index T: not tiered in the
 * earlier one); columns ("to"): tiers 0..T-1 then Lost (index T: not in
 * the later one). Cell (f, t) is at f * (T + 1) + t. */
typedef struct cs_pyramid_migration {
    int ntiers;            /* T */
    size_t *customers;     /* (T + 1) x (T + 1) counts */
    double *value_before;  /* (T + 1) x (T + 1) sums of the earlier values (0 for
                              New), NULL when they are not known */
    double *value_after;   /* the same with the later values (0 for Lost), or NULL */
    size_t up, down, stay; /* in both: to a higher tier (lower index), a lower one,
                              the same */
    size_t new_customers;  /* row New */
    size_t lost;           /* column Lost */
} cs_pyramid_migration;

/* The tiers of the customers of v at its two dates: a customer is tiered at
 * date k when it had bought by then (days_since_last[k] not NAN), active
 * (curry) when days_since_last[k] <= inactive_after. Fills *m with the
 * counts and both value sums; the caller frees it with
 * cs_pyramid_migration_free. Errors: CS_ENOMEM, those of cs_pyramid_tier. */
int cs_pyramid_migrate_dates(cs_pyramid_migration *m, const cs_pyramid *p, const cs_values2 *v,
                             double inactive_after, cs_error *err);

/* The tiers of a saved pyramid (an earlier custseg-pyramid output): ids and
 * the index of each row's tier in p->names. */
typedef struct cs_pyramid_tiers {
    size_t n;
    cs_ids ids; /* id i: cs_ids_get(&ids, i, &len) */
    int *tier;
} cs_pyramid_tiers;

/* Reads a table with a header holding customer_id and tier columns (others
 * are ignored). Errors, with file, line and column: CS_ECOLUMN (a column
 * missing), CS_EFORMAT (a row with another number of fields, a tier that is
 * not one of p's), CS_EID (an empty or invalid id), CS_EEMPTY, CS_EIO,
 * CS_ENOMEM. The caller frees the
 * result with cs_pyramid_tiers_free. */
CS_OWN cs_pyramid_tiers *cs_pyramid_tiers_read(cs_input *in, const cs_pyramid *p,
                                               cs_error *err);
void cs_pyramid_tiers_free(cs_pyramid_tiers *t);

/* From the saved tiers `before` to tier_now[i] of the customers of now,
 * joined on the whole id (hashed): a current customer missing from before
 * is New, a saved one missing now is Lost (a customer saved twice counts
 * once per row when lost, and with its last row when not). Fills *m
 * (counts only: no value sums); the caller frees it with
 * cs_pyramid_migration_free. Errors: CS_ENOMEM. */
int cs_pyramid_migrate_before(cs_pyramid_migration *m, const cs_pyramid *p,
                              const cs_pyramid_tiers *before, const cs_values *now,
                              const int *tier_now, cs_error *err);
/* Frees the arrays of *m (not m itself; NULL is fine). */
void cs_pyramid_migration_free(cs_pyramid_migration *m);

/* ---- The RFM variables of customers ---- */

typedef struct cs_rfm_data {
    size_t n;
    cs_ids ids;       /* id i: cs_ids_get(&ids, i, &len) */
    double *v[3];     /* recency: days since the last purchase; frequency:
                         purchase days (the first included); monetary: total
                         value, or its mean per purchase day (0 when rf_only) */
    double *total;    /* total value (for reports; 0 when rf_only) */
    double *orders;   /* records (transactions) per customer, or NULL: unknown */
    int rf_only;      /* 1: no amounts, recency and frequency only */
    int monetary;     /* enum cs_rfm_monetary of v[CS_RFM_M] */
    cs_day as_of;     /* the day recency counts to; CS_DAY_NONE: unknown (a table) */
} cs_rfm_data;

/* From a finished summary (monetary_mean: 1 for the mean per purchase day);
 * a summary without amounts gives rf_only data. flags: CS_SUMMARY_IDS to
 * copy the ids (without, d->ids is empty: enough for breaks, scores by
 * index and reports). */
CS_OWN cs_rfm_data *cs_rfm_data_from_summary(const struct cs_summary *s, int monetary_mean,
                                             unsigned flags, cs_error *err);
/* The columns of a customer table RFM reads, by name (cs_table_find); a
 * NULL name is the custseg-summary column: customer_id, days_since_last
 * (recency), purchase_days (frequency), total_value (monetary: the total;
 * monetary_mean divides it by the frequency). */
typedef struct cs_rfm_columns {
    const char *customer, *recency, *frequency, *monetary;
} cs_rfm_columns;

/* From a custseg-summary table: customer_id, days_since_last, purchase_days,
 * total_value, and transactions when the table has it (orders). Without a
 * total_value column (a summary of a log without amounts) the data are
 * rf_only, unless cols names the monetary column. Errors: CS_ECOLUMN (a column missing: the message names it),
 * CS_EFORMAT (a value that is not a number, a recency below 0 or a
 * frequency below 1, a row with another number of fields: with file, line
 * and column), CS_EID (an empty or invalid id), CS_EEMPTY, CS_EIO. */
CS_OWN cs_rfm_data *cs_rfm_data_read(cs_input *in, int monetary_mean, cs_error *err);
/* The same from any table holding the columns cols names (cols NULL, or a
 * NULL name: the summary's). A recency column named "recency" (custseg-rfm's
 * former name of its days_since_last column) reads days_since_last when the
 * table has no "recency" but has days_since_last; a table with both reads
 * "recency", as named. Without a name, days_since_last is read and a column
 * "recency" never is: in other tables it is often the BTYD t_x (first to
 * last purchase), not the days since the last purchase. */
CS_OWN cs_rfm_data *cs_rfm_data_read_columns(cs_input *in, const cs_rfm_columns *cols,
                                             int monetary_mean, cs_error *err);
void cs_rfm_data_free(cs_rfm_data *d);
/* CS_EEMPTY when every customer's monetary value is 0 (there is nothing to
 * score: a wrong amount column?), else CS_OK (always for rf_only data). */
int cs_rfm_data_check(const cs_rfm_data *d, cs_error *err);

/* ---- The RFM segment report ---- */

/* One segment's row: its customers, their shares of customers and of
 * revenue (the total value: cs_rfm_data.total), their orders (the sum of
 * cs_rfm_data.orders: records; NAN when unknown) and the average order
 * value (revenue / orders; NAN without orders or amounts), and per variable
 * (recency, frequency, monetary: cs_rfm_data.v) the mean and the median.
 * Without amounts (rf_only), revenue, its share and monetary are NAN. */
typedef struct cs_rfm_report_row {
    const char *segment; /* a rule's name (borrowed from the rules: valid while
                            they are) or the static "Others" */
    size_t customers;
    double customer_share;
    double revenue;
    double revenue_share; /* 0 when the revenue of all customers is 0 */
    double orders;
    double aov;
    double mean[3], median[3];
} cs_rfm_report_row;

typedef struct cs_rfm_report {
    size_t n;               /* segments that have customers */
    cs_rfm_report_row *row; /* by revenue (rf_only: by orders, or customers when
                               orders are unknown), highest first; equal ones in
                               the rules' order, Others after the rules */
} cs_rfm_report;

/* Scores every customer of d with b, names its segment with r and sums up
 * per segment. Fills *rep, whose rows the caller frees with
 * cs_rfm_report_free. Errors: CS_ENOMEM, CS_EEMPTY (no customers). */
int cs_rfm_report_compute(cs_rfm_report *rep, const cs_rfm_data *d, const cs_rfm_breaks *b,
                          const cs_rfm_rules *r, cs_error *err);
/* Frees the rows (not rep itself; NULL is fine) and empties *rep. */
void cs_rfm_report_free(cs_rfm_report *rep);

/* ---- Customer relationship stages (custseg-stages) ---- */

/* A customer's relationship with the firm, in the order that says up and
 * down in a migration (prospect lowest). Every customer is in exactly one,
 * the first that holds (active: a purchase day within active_within days
 * before the date, or with a model P(alive) >= alive_threshold):
 *   advocate         has bought, active, successful referrals >= M
 *   loyal            active, purchase days >= N
 *   purchaser        active, 1 <= purchase days < N
 *   lapsed           has bought, not active
 *   potential_buyer  no purchase, a contact
 *   prospect         no purchase, no contact; in the prospects or referred
 */
enum cs_stage {
    CS_STAGE_PROSPECT = 0,
    CS_STAGE_POTENTIAL,
    CS_STAGE_LAPSED,
    CS_STAGE_PURCHASER,
    CS_STAGE_LOYAL,
    CS_STAGE_ADVOCATE,
    CS_STAGE_COUNT
};
/* "prospect", "potential_buyer", "lapsed", "purchaser", "loyal",
 * "advocate"; NULL out of range. */
const char *cs_stage_name(int stage);

/* The funnel's stages, reached in history rather than held now. */
enum cs_funnel_stage {
    CS_FUNNEL_PROSPECT = 0, /* in the prospects table (its date) */
    CS_FUNNEL_POTENTIAL,    /* a contact or a purchase (the earlier) */
    CS_FUNNEL_PURCHASER,    /* a purchase day (the first) */
    CS_FUNNEL_LOYAL,        /* N purchase days (the N-th) */
    CS_FUNNEL_ADVOCATE,     /* M successful referrals (the M-th success) */
    CS_FUNNEL_COUNT
};
/* "prospect", "potential_buyer", "purchaser", "loyal", "advocate". */
const char *cs_funnel_stage_name(int stage);

struct cs_model;

typedef struct cs_stages_options {
    int loyal_min_days;         /* N: purchase days of a loyal follower (>= 2) */
    int advocate_min_referrals; /* M: successful referrals of an advocate (>= 1) */
    double active_within;       /* days: active when the last purchase day is at
                                   most this many days before the date */
    const struct cs_model *model; /* NULL, or a purchase model with drop-out in
                                     a time unit: active when P(alive) >=
                                     alive_threshold instead */
    double alive_threshold;
    int no_rows;                /* 1: cs_stages_compute gives the counts, the
                                   funnel and the migration without the row of
                                   every customer (rows NULL): a report needs
                                   no per-customer memory */
} cs_stages_options;

/* The side tables: a header line, one row per customer or event. */
enum cs_side_kind {
    CS_SIDE_PROSPECTS = 0,  /* customer id [, date]: leads, sign-ups */
    CS_SIDE_CONTACTS,       /* customer id [, date]: visits, enquiries, calls */
    CS_SIDE_REFERRALS,      /* referrer id, referred id [, date] */
    CS_SIDE_REFERRAL_COUNTS,/* customer id, a column of successful referrals
                               (a count, or 0/1, yes/no, true/false) */
    CS_SIDE_NKINDS
};
/* "prospects", "contacts", "referrals", "referral counts". */
const char *cs_side_kind_name(int kind);

typedef struct cs_side_spec {
    int kind;                    /* enum cs_side_kind */
    const char *id_column;       /* NULL: customer_id, customer, cust_id, client_id,
                                    client, user_id, user, account_id, member_id or
                                    id (referrals, the referred: referred_id,
                                    referred, referee_id, referee) */
    const char *referrer_column; /* referrals; NULL: referrer_id or referrer */
    const char *date_column;     /* NULL: a column named date, if any (optional:
                                    an empty or missing date is undated) */
    const char *flag_column;     /* CS_SIDE_REFERRAL_COUNTS: required */
    const struct cs_datefmt *datefmt; /* NULL: YYYY-MM-DD or YYYYMMDD */
    int id_mode;                 /* enum cs_id_mode, as the log's */
} cs_side_spec;

typedef struct cs_side_stats {
    uint64_t rows;            /* rows read */
    uint64_t after_as_of;     /* left out: dated after the end of observation */
    uint64_t duplicates;      /* left out: a row seen before (prospects and
                                 counts: the same id; contacts: id and date;
                                 referrals: referrer and referred) */
    uint64_t self_referrals;  /* left out: referrer = referred */
    uint64_t new_ids;         /* ids the log never names (counted once, in the
                                 first table that names them) */
} cs_side_stats;

/* One customer's stage. */
typedef struct cs_stage_row {
    const char *id;           /* borrowed from the cs_stages */
    uint32_t id_len;
    int stage;                /* enum cs_stage */
    int stage_before;         /* at the earlier date; -1: unknown then (new) */
    int in_log;               /* 1: a purchase day in the log */
    uint32_t purchase_days;
    cs_day first, last;       /* CS_DAY_NONE without a purchase */
    int64_t value;            /* the summary's total_value, micro-units */
    uint32_t referrals;       /* successful referrals */
} cs_stage_row;

typedef struct cs_funnel_step {
    size_t base;          /* customers who reached the stage */
    size_t converted;     /* of them, those who reached the next */
    size_t timed;         /* of those, with both dates known, in order */
    double median_days;   /* from one date to the next over the timed; NAN
                             when none */
} cs_funnel_step;

typedef struct cs_stages_result {
    size_t n;
    cs_stage_row *rows;   /* sorted by id (byte order) */
    cs_day as_of, before; /* before: CS_DAY_NONE without a comparison */
    size_t count[CS_STAGE_COUNT];
    int64_t value[CS_STAGE_COUNT];
    size_t side_only[CS_STAGE_COUNT]; /* customers known only from side tables */
    size_t reached[CS_FUNNEL_COUNT];
    cs_funnel_step step[CS_FUNNEL_COUNT - 1]; /* stage k to k + 1 */
    int loyal_dates;      /* 0: the N-th purchase days are unknown (a summary
                             table): the loyal steps have no times */
    /* with an earlier date: [from][to], from CS_STAGE_COUNT is new */
    size_t migration[CS_STAGE_COUNT + 1][CS_STAGE_COUNT];
    size_t up, down, stay, new_customers;
    cs_side_stats side[CS_SIDE_NKINDS];
} cs_stages_result;

typedef struct cs_stages cs_stages;

/* Errors: CS_EINVAL (options out of range), CS_ENOMEM. */
CS_OWN cs_stages *cs_stages_new(const cs_stages_options *opt, cs_error *err);
void cs_stages_free(cs_stages *st);

/* The customers of the log: now, its summary at the end of observation
 * (now->as_of; with nth_day for the loyal dates: cs_builder_track_nth of
 * loyal_min_days, else the loyal steps are untimed), and with a comparison
 * the summary at the earlier date `before` (NULL when nobody had bought by
 * then; before_date CS_DAY_NONE: no comparison). Both are borrowed until
 * cs_stages_free. now may be in any order (a summary table keeps its
 * file's; a customer named twice counts by its last row); before is
 * sorted by id, as the builder gives it. Call it once; side tables read
 * before it are joined here. Errors: CS_EINVAL, CS_ENOMEM. */
int cs_stages_set_log(cs_stages *st, const struct cs_summary *now,
                      const struct cs_summary *before,
                      cs_day before_date, cs_error *err);

/* Reads a side table (header required). Rows dated after the end of
 * observation, duplicates and self-referrals are left out and counted.
 * Before cs_stages_set_log too: the table is read and sorted, and joined
 * with the customers when the log comes (the tables in the order read) —
 * so a caller may read the side tables on one thread while it loads the
 * log on another, as long as nothing else uses st meanwhile. A table that
 * fails leaves nothing of it in st.
 * Errors, with file, line and column: CS_ECOLUMN (a column missing),
 * CS_EFORMAT (a field count, a bad count or flag), CS_EDATE, CS_EID (an
 * empty id, not UTF-8, not a number with CS_ID_NUMERIC), CS_EEMPTY,
 * CS_EIO, CS_ENOMEM. */
int cs_stages_read(cs_stages *st, cs_input *in, const cs_side_spec *spec, cs_error *err);

/* Types every customer (of the log and of the side tables), sums up per
 * type, walks the funnel and, with an earlier date, the migration. The
 * rows (NULL with opt.no_rows) borrow ids from st and the summary now.
 * Free with cs_stages_result_free. Errors: CS_EINVAL (no log yet),
 * CS_EEMPTY (no customer), CS_ENOMEM. */
int cs_stages_compute(cs_stages *st, cs_stages_result *res, cs_error *err);
void cs_stages_result_free(cs_stages_result *res);

#ifdef __cplusplus
}
#endif
#endif
