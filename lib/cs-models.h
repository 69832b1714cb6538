/* custseg: customer-base models (BG/NBD, Pareto/NBD, MBG/NBD, BG/BB,
 * Gamma-Gamma): fitting, predictions, customer lifetime value, model files.
 * Formulas and sources: docs/MODELS.md. */
#ifndef CS_MODELS_H
#define CS_MODELS_H

#include "cs-error.h"
#include "cs-io.h"
#include "cs-txn.h"
#include "cs-summary.h"

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

enum cs_model_kind {
    CS_MODEL_BGNBD = 0, /* Fader, Hardie & Lee (2005): r, alpha, a, b */
    CS_MODEL_PNBD,      /* Schmittlein, Morrison & Colombo (1987): r, alpha, s, beta */
    CS_MODEL_MBGNBD,    /* Batislam, Denizel & Filiztekin (2007): r, alpha, a, b */
    CS_MODEL_BGBB,      /* Fader, Hardie & Shang (2010): alpha, beta, gamma, delta */
    CS_MODEL_GG,        /* Gamma-Gamma spend (Fader, Hardie & Lee 2005): p, q, gamma */
    CS_MODEL_NBD,       /* NBD (no drop-out): r, alpha; the limit of the above when
                           the data show no drop-out */
    CS_MODEL_SBG,       /* shifted-beta-geometric retention (Fader & Hardie 2007):
                           alpha, beta; observations: x = the period of
                           cancellation 1..T, or 0 for still active after T */
    CS_MODEL_COUNT
};

#define CS_MAX_PARAMS 8 /* room for BG/CNBD-k, Pareto/GGG, covariates */

/* "bgnbd", "pnbd", "mbgnbd", "bgbb", "gg"; static strings. */
const char *cs_model_name(int kind);
/* The kind for a name (also "paretonbd", "gammagamma"), or -1. */
int cs_model_from_name(const char *name);
int cs_model_nparams(int kind);
/* The literature's name of parameter i ("r", "alpha", ...). Static string. */
const char *cs_model_param_name(int kind, int i);
/* The literature's name of the model ("BG/NBD", "Gamma-Gamma"); static. */
const char *cs_model_title(int kind);

/* What a model is for: its role, and what it can do. */
enum cs_model_role {
    CS_ROLE_NONE = -1,  /* not a model kind */
    CS_ROLE_PURCHASE,   /* purchases over time: bgnbd, pnbd, mbgnbd, bgbb, nbd */
    CS_ROLE_SPEND,      /* the value of a purchase: gg */
    CS_ROLE_RETENTION,  /* contract renewals: sbg */
};
/* Capabilities (a model kind has a set of these). */
#define CS_CAP_DROPOUT     0x001u /* customers leave unseen: P(alive) < 1 */
#define CS_CAP_DISCRETE    0x002u /* discrete opportunities or periods, not a time unit */
#define CS_CAP_TIME_UNIT   0x004u /* x, t_x, T in a time unit (day, week, month) */
#define CS_CAP_REPEAT_ONLY 0x008u /* fitted on repeat buyers only (frequency > 0) */
#define CS_CAP_MONETARY    0x010u /* fitted on mean repeat values (needs monetary_value) */
#define CS_CAP_PATTERNS    0x020u /* fitted on a pattern table (frequency, t_x, periods) */
#define CS_CAP_SIMULATE    0x040u /* cs_simulate draws customers from it */
#define CS_CAP_LIMIT_ONLY  0x080u /* reached as other models' boundary limit, not fitted alone */
#define CS_CAP_NO_PURCHASE 0x100u /* cs_model_p_no_purchase is defined */
#define CS_CAP_ZERO_ALIVE  0x200u /* drop-out only after a repeat purchase: a customer
                                     with none is alive (P(alive) = 1, p_churn 0) */

/* 1 when the kind has every capability in cap, else 0 (0 for an unknown kind). */
struct cs_model;
int cs_model_kind_has(int kind, unsigned cap);
int cs_model_has(const struct cs_model *m, unsigned cap);
/* enum cs_model_role of a kind; CS_ROLE_NONE when unknown. */
int cs_model_role(int kind);
/* Why a prediction of this kind can be missing (NAN) beyond numerical limits
 * ("the conditional expectation needs a != 1"), or "numerical limits". */
const char *cs_model_nan_reason(int kind);
/* Writes into buf the names of the kinds whose role is in roles (a mask of
 * 1u << CS_ROLE_*) that have every capability in with and none in without,
 * in kind order, separated by ", " and the last two by last (" or ", ", ").
 * Truncates to size - 1 characters. Returns the number of names. */
int cs_model_list(unsigned roles, unsigned with, unsigned without, const char *last,
                  char *buf, size_t size);

/* One customer as the models see it. Purchase models: x repeat purchases,
 * tx the time from the first purchase to the last (the BTYD t_x, which
 * custseg formerly called recency) and T age, in the model's time unit. BG/BB:
 * x and tx in periods (tx = 0 when x = 0), T = n, the number of opportunities.
 * Gamma-Gamma: x repeat purchases and, in tx, their mean value.
 * litt is room for a fourth statistic: the sum of the logs of the
 * inter-purchase times, which BG/CNBD-k and Pareto/GGG need; the models
 * here ignore it, and it is 0 wherever nothing fills it. Grouping
 * (cs_dataset_group) tells observations apart by all four. */
typedef struct cs_obs {
    double x, tx, T;
    double litt;
} cs_obs;

/* Customers grouped by identical observations, each with its count: the
 * likelihood is a sum over the groups, weighted. */
typedef struct cs_dataset {
    size_t n;       /* distinct observations */
    cs_obs *obs;
    double *w;      /* customers with that observation */
    double total;   /* customers in all */
} cs_dataset;

/* Groups n observations (weights w, or 1 each when w is NULL). */
CS_OWN cs_dataset *cs_dataset_group(const cs_obs *obs, const double *w, size_t n,
                                    cs_error *err);
void cs_dataset_free(cs_dataset *d);

/* Progress of a fit (cs_fit_options.progress): called from the calling
 * thread after every iteration of the optimiser, over all its runs (every
 * starting point's, the best one's to the end, and the no-drop-out model's
 * a boundary check fits), with the iterations done so far (1, 2, 3, ...)
 * and the log-likelihood at the current point (over all customers, the l2
 * penalty included; while the starting points run on a sample of many
 * patterns, the sample's scaled up). Returning non-zero cancels the fit:
 * cs_model_fit stops at once and fails with CS_ENOCONV, "... fit cancelled
 * after N iterations". The library prints nothing: a tool may show it. It
 * must not call back into the fit. */
typedef int (*cs_fit_progress_fn)(void *ctx, long iterations, double log_likelihood);

typedef struct cs_fit_options {
    double l2;            /* penalty l2 * sum(log(param)^2); 0: none */
    int max_iter;         /* per start; 0: 2000 */
    const double *start;  /* a starting point (natural scale), or NULL */
    int threads;          /* threads for the likelihood over many patterns (0: 1) */
    cs_fit_progress_fn progress; /* NULL, or called after each iteration */
    void *progress_ctx;
} cs_fit_options;

/* A fitted model (or one read from a model file). */
typedef struct cs_model {
    int kind;
    int np;
    double param[CS_MAX_PARAMS];
    double se[CS_MAX_PARAMS];  /* standard errors; NAN where the Hessian fails */
    double cov[CS_MAX_PARAMS][CS_MAX_PARAMS];
    double log_likelihood;     /* total over customers, without the penalty */
    double l2;
    double n_customers;
    size_t n_patterns;
    int unit;                  /* enum cs_unit of tx and T (purchase models) */
    char period[16];           /* BG/BB: what one opportunity is ("year", ...) */
    /* convergence report */
    char method[32];
    int iterations;
    int starts;
    double grad_norm;
    int converged;
    int boundary;              /* 1: the maximum lies on the boundary; see note */
    char note[512];
    long evaluations;          /* likelihood evaluations over the data */
    double seconds;            /* time the fit took */
    /* provenance */
    cs_day calibration_end;    /* CS_DAY_NONE if unknown */
    cs_day as_of;
    char fingerprint[24];      /* of the data fitted (hex) */
    struct cs_model_source {   /* what it was fitted on (model files; "" unknown) */
        char input[256];       /* the input's name as given ("-": standard input);
                                  of several, the first */
        int files;             /* inputs read (0: unknown) */
        long long bytes;       /* their size in bytes (-1: unknown) */
        char sha256[65];       /* SHA-256 (hex) of their bytes as stored (a gzip
                                  file's compressed bytes), one after the other;
                                  "": unknown (standard input, not a file) */
        char tool[48];         /* "custseg VERSION" that fitted it */
        char command[1024];    /* the command line, shell-quoted (cut at 1000
                                  bytes, ending in "...") */
    } source;
} cs_model;

/* Fits a model by maximum likelihood over log-parameters (BFGS2 with analytic
 * gradients where derived, damped Newton steps, Nelder-Mead when BFGS
 * fails), from several starting points. Standard errors from the Hessian.
 * On success m is filled and the return is CS_OK; errors: CS_EEMPTY (no
 * data, or no repeat buyers for a model that needs them), CS_EINVAL (data
 * the model cannot take, e.g. non-positive spend), CS_ENOCONV (no start
 * converged, m->note says what was tried; or opt->progress cancelled the
 * fit, m->note "cancelled after N iterations"). A maximum on the boundary of the parameter space sets
 * m->boundary and explains the limiting model in m->note. */
int cs_model_fit(int kind, const cs_dataset *d, const cs_fit_options *opt, cs_model *m,
                 cs_error *err);

/* Total log-likelihood of d under m. */
double cs_model_loglik(const cs_model *m, const cs_dataset *d);

/* A fit's report as text: "bgnbd fit on N customers (P distinct patterns)"
 * (after "name: " when name is not NULL: the caller's program name),
 * then indented lines with each parameter, its estimate and standard
 * error, the log-likelihood (and time unit), the method, iterations,
 * starts, gradient norm and convergence, the likelihood evaluations and
 * time, and the note if any. Returns CS_OK, or CS_EIO when fp is in error. */
int cs_model_report_write(const cs_model *m, const char *name, FILE *fp);

/* ---- Predictions (purchase models unless said otherwise) ---- */

/* P(alive) at T. */
double cs_model_p_alive(const cs_model *m, const cs_obs *o);
/* P(alive) at T + h. */
double cs_model_p_alive_at(const cs_model *m, const cs_obs *o, double h);
/* P(no purchase in (T, T + t]) given the history: gone, or alive and quiet
 * (BG/NBD, MBG/NBD, Pareto/NBD, NBD; NAN for others). */
double cs_model_p_no_purchase(const cs_model *m, const cs_obs *o, double t);
/* E[purchases in (T, T + t]] given the history (BG/BB: in the next t
 * opportunities). */
double cs_model_expected(const cs_model *m, const cs_obs *o, double t);
/* E[X(t)] for a new customer (t from the first purchase). */
double cs_model_expected_new(const cs_model *m, double t);
/* P(X(t) = k) for a new customer. */
double cs_model_pmf_new(const cs_model *m, double t, int k);
/* Discounted expected residual transactions with a continuous discount
 * rate delta per time unit. */
double cs_model_dert(const cs_model *m, const cs_obs *o, double delta);
/* Gamma-Gamma: E[M | x, mean value m]: the expected value of a future
 * transaction. x = 0 gives the population mean p gamma / (q - 1). */
double cs_model_spend(const cs_model *gg, double x, double mean_value);

/* Discrete CLV: sum over i = 1..periods of the purchases expected in period i
 * times spend x margin, discounted by (1 + discount)^i. period_len is one
 * period in the model's time unit (a month in weeks is 365.25/12/7). */
double cs_model_clv(const cs_model *m, const cs_obs *o, double spend, int periods,
                    double period_len, double discount, double margin);

/* ---- Contractual retention (sBG) ---- */

/* P(T = t), S(t) = P(T > t) and the retention rate r_t = S(t)/S(t-1) of an
 * sBG model (alpha, beta), t >= 1 (S(0) = 1). */
double cs_sbg_pmf(const cs_model *m, int t);
double cs_sbg_survival(const cs_model *m, int t);
double cs_sbg_retention(const cs_model *m, int t);
/* Discounted expected lifetime of a new customer (in periods, the first
 * counted undiscounted) and discounted expected residual lifetime of one
 * who has renewed n - 1 times (is in period n), at discount rate d per
 * period (Fader & Hardie 2010). */
double cs_sbg_del(const cs_model *m, double d);
double cs_sbg_derl(const cs_model *m, double d, int n);

/* ---- Contractual data for sBG ---- */

/* What a table given to sBG holds, judged from its header line:
 * subscription records (columns named like customer, start and end), a long
 * survivor table (period and active columns, optionally cohort: one row
 * per cohort and period), or a wide one (one row per cohort: its name, then
 * the counts still active at the start and after each period). */
enum cs_sbg_input { CS_SBG_WIDE = 0, CS_SBG_LONG, CS_SBG_SUBSCRIPTIONS };
int cs_sbg_input_kind(const cs_record *header);

/* A cohort's counts s[0] (its size, > 0) >= s[1] >= ... >= s[np-1] (still
 * active after t periods) as np sBG observations (o, w: room for np): the
 * cancellations of each period and the survivors of the last. Returns np,
 * or CS_EINVAL (counts that increase, a size of 0, a negative or infinite
 * count) or CS_EEMPTY (np < 2), with a message. */
int cs_sbg_from_survivors(const double *s, int np, cs_obs *o, double *w, cs_error *err);

typedef struct cs_survivors {
    size_t ncohorts;
    char **name;
    double **count; /* count[c][t], t = 0 .. nper[c] - 1 */
    int *nper;
} cs_survivors;

/* Reads a survivor table (wide or long) from t, whose header line is read:
 * the rows that follow. Every cohort is checked as cs_sbg_from_survivors
 * does; errors carry file, line and column. Errors: CS_EFORMAT, CS_EINVAL,
 * CS_EEMPTY, CS_ECOLUMN, and those of the reader. */
CS_OWN cs_survivors *cs_survivors_read(cs_table *t, cs_error *err);
void cs_survivors_free(cs_survivors *sv);

typedef struct cs_subs_options {
    int period;                /* enum cs_period: the length of a contract period */
    cs_day as_of;              /* the day the records describe (required) */
    const char *cohort_column; /* NULL: a cohort is the period of the start */
} cs_subs_options;

/* Subscription records: one per subscription, end CS_DAY_NONE while active.
 * Periods run from the start day (month arithmetic; a day past a month's
 * end is clamped to it). periods[i]: for a cancelled subscription the
 * period in which it ended (T >= 1: an end on a renewal day cancels that
 * renewal); for an active one the period it is in (n >= 1, after n - 1
 * renewals). */
typedef struct cs_subscriptions {
    size_t n, nactive;
    cs_ids ids; /* id i: cs_ids_get(&ids, i, &len) */
    cs_day *start, *end;
    int *periods;
    uint32_t *cohort; /* index into cohort_name (sorted by name) */
    size_t ncohorts;
    char **cohort_name;
    int period;
    cs_day as_of;
} cs_subscriptions;

/* Reads subscription records from t, whose header line is read (columns by
 * name, see cs_sbg_input_kind; dates YYYY-MM-DD or YYYYMMDD, as
 * cs_table_day). Errors, with file, line and column: CS_ECOLUMN, CS_EDATE (a
 * bad date, an end before its start, a date after as_of), CS_EID (an empty
 * id or one that is not UTF-8), CS_EFORMAT, CS_EEMPTY. */
CS_OWN cs_subscriptions *cs_subscriptions_read(cs_table *t, const cs_subs_options *opt,
                                               cs_error *err);
void cs_subscriptions_free(cs_subscriptions *s);
/* The sBG observations of one cohort (cohort < 0: all): a cancellation in
 * period T is P(T), an active subscription in period n is S(n - 1). */
CS_OWN cs_dataset *cs_subscriptions_dataset(const cs_subscriptions *s, long cohort,
                                            cs_error *err);
/* The number of customer ids with more than one subscription (each
 * subscription counts as a subscriber of its own), or CS_ENOMEM. */
long cs_subscriptions_repeat_ids(const cs_subscriptions *s);
/* Observed survival S(0..maxt) of a cohort (cohort < 0: all) by Kaplan and
 * Meier: active subscriptions are censored after their renewals so far;
 * NAN where nobody is left at risk. Returns the last period with an
 * outcome seen (at most maxt), or CS_ENOMEM. */
int cs_subscriptions_km(const cs_subscriptions *s, long cohort, double *surv, int maxt);

/* ---- Evaluating churn scores ---- */

typedef struct cs_eval {
    double auc;          /* P(score of a churner > score of a stayer), ties count 1/2 */
    double brier;        /* mean (p - y)^2; NAN when the scores are not probabilities */
    double log_loss;     /* -mean(y log p + (1-y) log(1-p)), p clamped to [1e-15, 1-1e-15] */
    double lift[2];      /* churn rate among the top 10% / 20% by score over the base rate */
    double capture[2];   /* share of all churners found in the top 10% / 20% */
    double base_rate;
    size_t n, positives;
    /* calibration by decile of the score: mean score and observed rate */
    double dec_pred[10], dec_obs[10];
    size_t dec_n[10];
    /* customers whose score equals a score in a neighbouring decile: ties
     * across a decile edge, split by input order (of equal scores, the
     * earlier customer goes to the higher decile) */
    size_t dec_tied;
} cs_eval;

/* Evaluates scores against labels (1 = churned). probabilities: 1 when the
 * scores are probabilities (Brier and log loss are then computed). The ROC
 * curve goes to roc_fpr/roc_tpr when not NULL (n + 1 points each, *nroc set).
 * Errors: CS_EINVAL when both classes are not present. */
int cs_evaluate(const double *score, const int *label, size_t n, int probabilities,
                cs_eval *e, double *roc_fpr, double *roc_tpr, size_t *nroc, cs_error *err);

/* ---- Customer tables ---- */

enum cs_table_kind {
    CS_TABLE_OTHER = 0, /* not a table this library writes: transactions */
    CS_TABLE_SUMMARY,   /* custseg-summary output: customer_id, frequency, t_x_UNIT, T_UNIT... */
    CS_TABLE_PATTERNS,  /* BG/BB patterns: frequency, t_x, periods[, weights] */
    CS_TABLE_COUNTS,    /* purchase pattern table: frequency, t_x_UNIT, T_UNIT, count
                           (no customer_id): distinct customers' data with their numbers */
    CS_TABLE_SPEND_COUNTS, /* spend pattern table: frequency, monetary_value, count (no
                              customer_id): repeat buyers' data with their numbers */
};

/* What a header line announces (CSV or TSV). t_x (first to last purchase)
 * is also read under its former names, recency_UNIT
 * (patterns: recency), when the header has no t_x_UNIT (t_x); with both,
 * the new name wins. */
int cs_table_kind(const char *line, size_t len);

/* The columns of a customer table that cs_customers_check checks. */
enum cs_customer_column {
    CS_COLUMN_FREQUENCY = 0, /* frequency */
    CS_COLUMN_RECENCY,       /* t_x_UNIT (patterns: t_x), first to last purchase */
    CS_COLUMN_T,             /* T_UNIT (patterns: periods) */
    CS_COLUMN_MONETARY,      /* monetary_value */
    CS_COLUMN_HOLDOUT,       /* frequency_holdout */
    CS_COLUMNS
};

/* Customers as the models and the tools see them: one row per customer (or
 * per pattern, with a weight). Arrays have n entries. */
typedef struct cs_customers {
    size_t n;
    int kind;              /* enum cs_table_kind */
    int unit;              /* enum cs_unit of t_x and T; -1 for patterns */
    cs_ids ids;            /* id i: cs_ids_get(&ids, i, &len) */
    cs_obs *obs;           /* x, t_x, T (patterns: x, t_x, n) */
    double *monetary;      /* mean repeat value; NAN where the table has none */
    double *x_holdout;     /* holdout purchase days; NAN where none */
    double *weight;        /* 1 per customer, or the pattern counts */
    int has_monetary, has_holdout;
    double duration_holdout; /* in unit; NAN when none */
    /* Where the rows came from, for messages (cs_customers_read; NULL and 0
     * elsewhere): the table's name, each row's input line, and the 1-based
     * column of each of enum cs_customer_column (0: none). */
    char *file;
    long *line;
    int column[CS_COLUMNS];
    int tx_old_name; /* 1: t_x was read under its old name (recency_UNIT;
                        patterns: recency), which messages then use */
} cs_customers;

/* The largest frequency (repeat purchases, or BG/BB transactions) a
 * customer table may hold: 100000. custseg-summary counts repeat purchase
 * days, so no summary of a log shorter than 273 years comes near it; beyond
 * it the models stop giving numbers: BG/NBD's and MBG/NBD's conditional
 * expectations (2F1 with r + x and a + b + x - 1 among its arguments) are
 * missing from x = 3e5 (measured with published parameters, T from 0 to
 * 10000 weeks; finite at 1e5 for BG/NBD, Pareto/NBD and MBG/NBD: predict,
 * P(alive), CLV, DERT and the churn scores), and a parameter of order 1e-6
 * is lost in r + x from about 1e9. */
#define CS_FREQUENCY_MAX 100000.0

/* What cs_customers_check asks of the rows besides the rules. */
#define CS_CHECK_HOLDOUT 0x1u /* every row has a frequency_holdout (validation) */
#define CS_CHECK_CUSTOMERS 0x2u /* rows are customers (predictions, scores, validation):
                                   not a purchase or spend pattern table, whose rows are
                                   counts of customers without ids */

/* The one check of customers' rows: every reader (cs_customers_read,
 * cs_customers_from_summary) and everything that takes customers (fitting:
 * cs_customers_dataset; predictions, validation, churn scores and their
 * evaluation) calls it, so that no path takes rows another refuses. The
 * rules of every row:
 *  - frequency a whole number from 0 to CS_FREQUENCY_MAX;
 *  - t_x and T finite, 0 <= t_x <= T (within 1e-9); a pattern
 *    table's t_x and periods whole, frequency <= periods;
 *  - frequency_holdout empty or a whole number >= 0 (CS_CHECK_HOLDOUT: not
 *    empty).
 * With kind a model kind (-1: none), also what that model takes: the table
 * its capabilities ask for (CS_CAP_DISCRETE or CS_CAP_PATTERNS: a pattern
 * table; CS_CAP_TIME_UNIT: a summary in a time unit), a mean value for every repeat buyer of a model
 * with CS_CAP_MONETARY, and its family's check of an observation (BG/BB:
 * x <= t_x <= n; Gamma-Gamma: positive mean values). And of the table as a
 * whole: when t_x > T on most rows (at least 2), the error says the
 * columns look swapped or in different units rather than naming one row.
 * Errors: CS_EFORMAT for a row, with file, line, column and its name when
 * c was read from a table, and the rule in the message ("t_x_weeks 30
 * is greater than T_weeks 20", or recency_weeks for a table that has that
 * former name; "frequency must be a whole number >= 0,
 * found 2.5"); CS_EINVAL for the table (not the kind the model takes, no
 * holdout with CS_CHECK_HOLDOUT, an unknown kind). */
int cs_customers_check(const cs_customers *c, int kind, unsigned flags, cs_error *err);

/* Reads a summary or pattern table (CSV or TSV, header required) and checks
 * its rows (cs_customers_check with no model). Errors: CS_ECOLUMN (not such
 * a table, or a column missing), CS_EFORMAT (a field that is not a number,
 * with line and column; also a row that breaks a rule, or a
 * duration_holdout that differs between rows), CS_EEMPTY, CS_EIO. */
CS_OWN cs_customers *cs_customers_read(cs_input *in, cs_error *err);
/* Takes the customers of a summary (times in unit). */
CS_OWN cs_customers *cs_customers_from_summary(const cs_summary *s, int unit, cs_error *err);
void cs_customers_free(cs_customers *c);
/* What a model of this kind is fitted on, from customers: every customer
 * (weighted), or for a spend model the repeat buyers with x and, in t_x,
 * their mean value. Errors: CS_EINVAL (a pattern table for a model that
 * does not take one or the other way round, no monetary values for a
 * spend model, an unknown kind; the message says which), CS_ENOMEM. */
CS_OWN cs_dataset *cs_customers_dataset(const cs_customers *c, int kind, cs_error *err);
/* The customers of a loaded builder (freed either way): with patterns, its
 * BG/BB pattern rows (cs_builder_periods; periods must be tracked;
 * *too_recent, when not NULL, counts the customers left out), else its
 * summary with times in unit. Errors: those of cs_builder_periods,
 * cs_builder_finish and cs_customers_from_summary. */
CS_OWN cs_customers *cs_builder_customers(cs_builder *b, int patterns, int unit,
                                          size_t *too_recent, cs_error *err);
/* 1 when c can be given to m: a pattern table for a model in discrete
 * periods (CS_CAP_DISCRETE or CS_CAP_PATTERNS: BG/BB, not a time unit), a summary table in
 * m's unit for a model in a time unit, any table for a model with neither
 * (Gamma-Gamma); else 0 (a table in another unit, a pattern table for a
 * model in a time unit, a summary in days or weeks for BG/BB). Nothing is
 * ever converted. */
int cs_model_unit_matches(const struct cs_model *m, const cs_customers *c);
/* Fits a model of this kind to c (cs_customers_dataset, then cs_model_fit)
 * and sets m->unit to c's (0 for a pattern table); m->calibration_end and
 * m->as_of are CS_DAY_NONE. On CS_ENOCONV m holds the best fit found (and
 * its note); errors: those of the two. */
int cs_customers_fit(const cs_customers *c, int kind, const struct cs_fit_options *opt,
                     struct cs_model *m, cs_error *err);

/* ---- Checking a model on a holdout period ---- */

#define CS_VALIDATE_ROWS 9 /* calibration frequency 0..6, 7+ (7) and all (8) */
#define CS_VALIDATE_ALL 8

typedef struct cs_validation {
    double duration;                      /* the holdout, in the model's unit */
    /* by calibration frequency: customers (weights) with both an actual and
     * a predicted holdout count, and their totals */
    double customers[CS_VALIDATE_ROWS];
    double actual[CS_VALIDATE_ROWS];
    double predicted[CS_VALIDATE_ROWS];
    double mae, rmse;                     /* per customer over all; NAN with none */
    /* spend against frequency (with monetary values): the repeat buyers with
     * a value, unweighted, and the Pearson correlation of x and monetary
     * value (NAN when it is not defined) */
    double spend_n;
    double spend_corr;
} cs_validation;

/* Compares the purchases m expects in the holdout (E[X(duration_holdout)]
 * given each customer's calibration data) with the holdout purchases.
 * Every customer is compared, none is left out: a row m cannot take
 * (cs_customers_check with CS_CHECK_HOLDOUT: an empty frequency_holdout
 * too) or a customer m gives no prediction for is an error. Errors:
 * CS_EINVAL (a model that does not predict purchases, e.g. Gamma-Gamma; no
 * holdout in c; a table in another unit or, for BG/BB, not a pattern
 * table; those of cs_customers_check; predictions m cannot give, with
 * their number, the first customer's id and line, and the model's
 * reason). */
int cs_model_validate(const cs_model *m, const cs_customers *c, cs_validation *v,
                      cs_error *err);

/* Writes the holdout table (cs_writer format, header line or not): one row
 * per calibration frequency 0..6, 7 or more and all, columns frequency (a
 * number: 0..6, 7 for "7 or more", empty for all), group (its label: "0"
 * to "6", "7+", "all"), customers, actual_mean, predicted_mean (empty
 * without customers), actual_total, predicted_total. Errors: those of
 * cs_writer. */
int cs_validation_write(const cs_validation *v, FILE *fp, int format, int header,
                        cs_error *err);

/* What cs_validation_report_write writes. */
#define CS_REPORT_HOLDOUT 0x1u /* holdout totals, MAE and RMSE (with customers) */
#define CS_REPORT_SPEND   0x2u /* the frequency-spend correlation and its reading */
/* One line per item of what, each starting with "name: " (the caller's
 * program name; NULL: nothing): "holdout of 39 weeks: actual A, predicted P
 * purchases (+x%); per customer MAE m, RMSE r" (unit: the model's), and
 * "Gamma-Gamma: correlation of frequency and monetary value over N repeat
 * buyers: c" with its reading. Returns CS_OK, or CS_EIO when fp is in error. */
int cs_validation_report_write(const cs_validation *v, int unit, unsigned what,
                               const char *name, FILE *fp);

/* ---- Simulation ---- */

typedef struct cs_sim_options {
    int kind;                     /* purchase model: bgnbd, pnbd, mbgnbd, nbd */
    double param[CS_MAX_PARAMS];
    int spend;                    /* 1: values from the Gamma-Gamma spend[] */
    double spend_param[3];        /* p, q, gamma */
    long customers;
    cs_day start;                 /* first acquisition day */
    cs_day acquisition_end;       /* acquisitions uniform over [start, this] */
    cs_day end;                   /* end of observation */
    int unit;                     /* enum cs_unit: the model's time unit */
    unsigned long seed;
    double returns;               /* share of purchases partly or wholly returned
                                     later (a negative record), 0..1 */
    double same_day;              /* share of purchases with a second record on the
                                     same day (another order), 0..1 */
    /* NULL, or progress (a cs_progress_fn): called with the customers done
     * of customers, 0 before the first, then after every
     * CS_SIM_PROGRESS_EVERY customers, and customers at the end of a run
     * that went through; from the calling thread. */
    void (*progress)(void *ctx, long done, long total);
    void *progress_ctx;
} cs_sim_options;

#define CS_SIM_PROGRESS_EVERY 1024

/* Receives each simulated purchase (in order within a customer; the first
 * is the acquisition), value in currency units (0 without spend). */
typedef int (*cs_sim_txn_fn)(void *ctx, long customer, cs_day day, double value);
/* Receives each customer's exact continuous-time data: x, t_x, T in the
 * model's unit, and the mean of the repeat values (0 when x = 0). */
typedef int (*cs_sim_customer_fn)(void *ctx, long customer, double x, double tx, double T,
                                  double mean_value);

/* The most purchases (the first included) a customer acquired at start may
 * expect by end under the model's parameters (E[X(t)] of a new customer), and
 * the most one simulated customer may make. */
#define CS_SIM_MAX_EXPECTED 100000
#define CS_SIM_MAX_PURCHASES 1000000

/* Draws customers from the model's generative story (GSL's mt19937 seeded
 * with seed: the same options give the same output). Either callback may be
 * NULL; a non-zero return from one stops the run and is returned. Errors:
 * CS_EINVAL for options that make no sense, parameters under which a
 * customer expects more than CS_SIM_MAX_EXPECTED purchases, and a customer
 * who draws more than CS_SIM_MAX_PURCHASES. */
int cs_simulate(const cs_sim_options *o, cs_sim_txn_fn txn, cs_sim_customer_fn cust, void *ctx,
                cs_error *err);

/* ---- Predictions for many customers ---- */

typedef struct cs_predict_options {
    double horizon;        /* t for expected purchases and P(alive at T + t) */
    const cs_model *spend; /* Gamma-Gamma model, or NULL: no spend, no CLV */
    int clv_periods;
    double period_len;     /* one CLV period in the model's unit */
    double discount;       /* per period */
    double margin;
    double dert_rate;      /* > 0: also DERT at this continuous rate */
    int threads;           /* 0 or 1: one */
    int no_purchase;       /* 1: also p_no_purchase */
} cs_predict_options;

/* One customer's predictions (NAN where the model cannot give one). */
typedef struct cs_prediction {
    double expected;       /* purchases in (T, T + horizon] */
    double p_alive;
    double p_alive_at;     /* at T + horizon */
    double spend;          /* E[value of a transaction] (Gamma-Gamma) */
    double clv;
    double dert;
    double p_no_purchase;  /* P(no purchase in (T, T + horizon]), if asked */
} cs_prediction;

/* Predicts for n customers (monetary: mean repeat values, used with a
 * spend model; NULL otherwise) into out[0..n). Returns the number of
 * customers with a NAN among their predictions. */
size_t cs_model_predict(const cs_model *m, const cs_obs *obs, const double *monetary, size_t n,
                        const cs_predict_options *opt, cs_prediction *out);

/* Writes predictions, one row per customer of c: customer_id, frequency,
 * t_x_UNIT, T_UNIT (UNIT "periods" for discrete models),
 * expected_purchases, p_alive, p_alive_at_horizon, then expected_spend and
 * clv with po->spend, dert with po->dert_rate > 0, and with lo and hi (from
 * cs_model_bootstrap) expected_purchases_lo/_hi, p_alive_lo/_hi and, with
 * spend, clv_lo/_hi. Errors: those of cs_writer. */
int cs_predictions_write(const cs_model *m, const cs_customers *c, const cs_predict_options *po,
                         const cs_prediction *pr, const double *lo, const double *hi, FILE *fp,
                         int format, int header, cs_error *err);

/* Progress of a long computation: done of total steps, reported after each
 * step from the calling thread. The library prints nothing: a tool may show
 * it (on a terminal). It must not call back into the computation. */
typedef void (*cs_progress_fn)(void *ctx, long done, long total);

/* Bootstrap intervals for cs_customers_predict_write (see cs_model_bootstrap). */
typedef struct cs_boot_options {
    int replicates;        /* 0: no intervals */
    unsigned long seed;
    double level;          /* e.g. 0.9: the 5th and 95th percentiles */
    cs_progress_fn progress; /* NULL, or called after each replicate */
    void *progress_ctx;
} cs_boot_options;

/* Predicts for every customer of c (cs_model_predict), with bootstrap
 * intervals when bo is not NULL and bo->replicates > 0 (cs_model_bootstrap,
 * run first: its errors come before anything is written), and writes the
 * table as cs_predictions_write does. *nan_rows counts the customers with a
 * prediction the model cannot give, *failed the bootstrap refits left out.
 * Errors: those of cs_model_bootstrap and cs_writer, CS_ENOMEM. */
int cs_customers_predict_write(const cs_model *m, const cs_customers *c,
                               const cs_predict_options *po, const cs_boot_options *bo,
                               FILE *fp, int format, int header, size_t *nan_rows, int *failed,
                               cs_error *err);

/* Writes a new customer's purchases in (0, t]: rows k = 0..max_k-1 with
 * P(X(t) = k) and the cumulative sum, "max_k+" with the rest, and "mean"
 * with E[X(t)]; columns k, probability, cumulative. *missing counts the
 * values the model cannot give (written empty). Errors: those of cs_writer. */
int cs_model_new_write(const cs_model *m, double t, int max_k, FILE *fp, int format, int header,
                       int *missing, cs_error *err);

/* Bootstrap intervals: replicates times, customers are resampled with
 * replacement, the model (and the spend model, if any) refitted from the
 * fitted values, and everyone's predictions recomputed; lo/hi receive the
 * (1-level)/2 and (1+level)/2 percentiles (linear interpolation) of each
 * customer's expected purchases, P(alive) and CLV: lo[3*i + k], k = 0, 1,
 * 2 (CLV NAN without a spend model). *failed counts replicates whose refit
 * did not converge (left out). Errors: CS_EINVAL (too many values to hold:
 * replicates x customers above 5e7), CS_ENOCONV (more than a tenth of the
 * refits failed), CS_ENOMEM. */
int cs_model_bootstrap(const cs_model *m, const cs_obs *obs, const double *monetary, size_t n,
                       const cs_predict_options *po, int replicates, unsigned long seed,
                       double level, double *lo, double *hi, int *failed, cs_error *err);
/* cs_model_bootstrap with its options in bo (replicates, seed, level) and
 * bo->progress called after each replicate (done, replicates). */
int cs_model_bootstrap_run(const cs_model *m, const cs_obs *obs, const double *monetary,
                           size_t n, const cs_predict_options *po, const cs_boot_options *bo,
                           double *lo, double *hi, int *failed, cs_error *err);

/* ---- BG/BB patterns from a transaction log ---- */

/* One pattern row per customer (sorted by id): the period of the first
 * purchase is the acquisition; the opportunities are the whole periods after
 * it up to the end of observation (the as-of date, or the last date in the
 * data; a period the end cuts short does not count); x is the number of those
 * periods with a purchase day, t_x the last of them (0 if none), T = n.
 * Customers with no opportunity yet are left out (counted in *too_recent).
 * Built from cs_builder_period_histories. Errors: CS_EEMPTY (no records),
 * CS_EINVAL (periods not tracked), CS_ENOMEM. */
CS_OWN cs_customers *cs_builder_periods(cs_builder *b, size_t *too_recent, cs_error *err);

/* ---- Pattern tables: sufficient statistics for fitting ---- */

/* The distinct observations a fit of one model kind groups its customers
 * into (cs_customers_dataset, cs_dataset_group), each with the number of
 * customers that have it, added up over any number of tables: the
 * summaries of a log's partitions, or pattern tables of the same kind (a
 * reduce tree). A fit on the table (cs_customers_read, cs_customers_fit)
 * groups into the very same data, in the same order, and so gives the same
 * numbers bit for bit as a fit on all the customers at once, as long as the
 * counts are whole numbers (sums of whole numbers below 2^53 are exact in
 * any order). Tables:
 *  - CS_TABLE_COUNTS, for BG/NBD, Pareto/NBD and MBG/NBD: frequency,
 *    t_x_UNIT, T_UNIT, count;
 *  - CS_TABLE_SPEND_COUNTS, for Gamma-Gamma: frequency, monetary_value,
 *    count, repeat buyers only;
 *  - CS_TABLE_PATTERNS, for BG/BB: frequency, t_x, periods, weights.
 * Rows sorted by (frequency, t_x, T) (spend: frequency, monetary_value);
 * numbers written so that they read back exactly. */
typedef struct cs_patterns {
    int model;        /* the model kind (enum cs_model_kind) it is for */
    int kind;         /* enum cs_table_kind of the table (above) */
    int unit;         /* CS_TABLE_COUNTS: enum cs_unit (-1 before the first table); else -1 */
    size_t n;         /* distinct observations */
    cs_obs *obs;      /* sorted; spend: x and, in tx, the mean repeat value */
    double *count;    /* customers with each */
    double customers; /* the sum of the counts */
    size_t inputs;    /* tables added */
} cs_patterns;

/* The table kind a model is fitted on (above), or -1 for a kind without one
 * (sBG, NBD). */
int cs_patterns_table_kind(int model);
/* An empty table for model. Errors: CS_EINVAL (a kind without one). */
int cs_patterns_init(cs_patterns *p, int model, cs_error *err);
/* Adds the customers of c: a summary (CS_TABLE_SUMMARY, or a BG/BB pattern
 * table for BG/BB) or a pattern table of p's kind. c is checked by the fit's
 * rules for the model (cs_customers_dataset: the table kind, monetary
 * values, every row) and must be in p's time unit (none is converted).
 * Errors: those of cs_customers_dataset, CS_EINVAL (another unit, with the
 * table's name), CS_ENOMEM. */
int cs_patterns_add(cs_patterns *p, const cs_customers *c, cs_error *err);
/* Writes the table as CSV (header line or not): every number as the
 * shortest decimal (at most 17 significant digits, a dot) that reads back
 * as the same double. Errors: CS_EINVAL (a purchase table without a unit:
 * nothing added), those of cs_writer. */
int cs_patterns_write(const cs_patterns *p, FILE *fp, int header, cs_error *err);
void cs_patterns_free(cs_patterns *p);

/* ---- Model files (JSON) ---- */

#define CS_MODEL_FILE_VERSION 1

/* Writes m as JSON (see docs/MODELS.md), with what it was fitted on
 * (m->source: "input": {"name", "files", "bytes", "sha256"}, "command";
 * null where unknown) and the version of this custseg ("tool").
 * Errors: CS_EIO. */
int cs_model_save(const cs_model *m, FILE *fp, cs_error *err);
/* Reads a model file. What it was fitted on is read when the file has it
 * (m->source; files written before it, and keys it does not know, are
 * fine). Errors: CS_EFORMAT for JSON that is not a custseg model of this
 * version (the message says what is wrong), CS_EIO. */
int cs_model_load(cs_model *m, cs_input *in, cs_error *err);
/* The command line argv[0..argc-1] into s->command, each argument quoted
 * for a POSIX shell where it needs it, and the version of this custseg into
 * s->tool. */
void cs_model_source_command(struct cs_model_source *s, int argc, char *const argv[]);
/* The inputs a model is fitted on (paths; none: standard input) into
 * s->input, s->files, s->bytes and s->sha256: each regular file is read
 * again for its SHA-256; standard input or another kind of file leaves
 * bytes -1 and sha256 "". Errors: CS_EIO (a file that cannot be read),
 * CS_ENOMEM. */
int cs_model_source_inputs(struct cs_model_source *s, const char *const *paths, size_t n,
                           cs_error *err);

#ifdef __cplusplus
}
#endif
#endif
