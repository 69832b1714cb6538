/* custseg: churn: risk bands and their report, evaluation inputs, sBG fits
 * per cohort with their projections and per-subscriber values, and the
 * summary of observed churn rates. What custseg-churn computes; the tool
 * only writes it. Nothing here prints. */
#ifndef CS_CHURN_H
#define CS_CHURN_H

#include "cs-error.h"
#include "cs-models.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Churn scores and risk bands (non-contractual) ---- */

enum cs_churn_band { CS_BAND_LOW = 0, CS_BAND_MEDIUM, CS_BAND_HIGH, CS_BAND_ALL };

/* The band of a churn probability: low below cut[0], medium below cut[1],
 * high from cut[1] (a NAN probability is high). */
int cs_churn_band_classify(double p_churn_at, const double cut[2]);
/* "low", "medium", "high", "all" (CS_BAND_*); NULL for others. Static. */
const char *cs_churn_band_name(int band);

/* One customer's churn scores, from its predictions. */
typedef struct cs_churn_score {
    double p_churn;       /* 1 - P(alive), clamped to [0, 1]; NAN if P(alive) is not finite */
    double p_churn_at;    /* 1 - P(alive at T + H), the same way */
    double expected;      /* purchases expected in (T, T + H] */
    double p_no_purchase; /* P(no purchase in (T, T + H]), clamped to [0, 1] */
    int band;             /* enum cs_churn_band of p_churn_at (clamped, before NAN) */
    int ok;               /* 1 when all four are finite (the report counts it) */
} cs_churn_score;

/* Fills *s from p (predicted with no_purchase set) and the band cut points. */
void cs_churn_score_from_prediction(const cs_prediction *p, const double cut[2],
                                    cs_churn_score *s);

/* The band report: per band (low, medium, high) and for all, weighted. */
typedef struct cs_churn_report_row {
    double customers;          /* sum of weights */
    double share;              /* customers / all's customers; NAN when all is empty */
    double expected_churned;   /* sum of weight x p_churn */
    double sum_p_churn_at;     /* sum of weight x p_churn_at */
    double mean_p_churn_at;    /* sum_p_churn_at / customers; NAN when empty */
    double expected_purchases; /* sum of weight x expected */
    double sum_p_no_purchase;
    double mean_p_no_purchase; /* NAN when empty */
} cs_churn_report_row;

typedef struct cs_churn_report {
    cs_churn_report_row row[4]; /* indexed by enum cs_churn_band; CS_BAND_ALL: all */
    size_t bad;                 /* scores not ok: left out of every row */
} cs_churn_report;

/* Sums n scores (weights w, or 1 each when w is NULL) into *r, in order. */
void cs_churn_report_build(const cs_churn_score *s, const double *w, size_t n,
                           cs_churn_report *r);

typedef struct cs_churn_options {
    double horizon; /* H, in the model's unit */
    double cut[2];  /* band cut points, 0 < cut[0] < cut[1] < 1 */
    int threads;    /* for the predictions; 0 or 1: one */
} cs_churn_options;

/* Scores every customer of c under a purchase model m (into out[0..c->n))
 * and builds the report (rep may be NULL). Errors: CS_EINVAL (the model's
 * unit is not the data's, a row the model cannot take: cs_customers_check,
 * bad cut points), CS_ENOMEM. */
int cs_churn_score_customers(const cs_model *m, const cs_customers *c, const cs_churn_options *o,
                             cs_churn_score *out, cs_churn_report *rep, cs_error *err);

/* The customers (summed weights) that m takes as alive because they made no
 * repeat purchase (p_churn 0: a model with CS_CAP_ZERO_ALIVE, BG/NBD); 0
 * for other models. Worth telling: such scores rank them poorly. */
double cs_churn_zero_alive(const cs_model *m, const cs_customers *c);

/* The tables of scores: a row per customer of c (customer_id, p_churn,
 * p_churn_at, expected_purchases, p_no_purchase, band; s[i] for customer
 * i), and the band report (band, customers, share, expected_churned,
 * mean_p_churn_at, expected_purchases, mean_p_no_purchase; low, medium,
 * high, all). Written to fp with cs_writer (format: enum cs_format; header:
 * 1 for the header line). Errors: cs_writer's (CS_EIO, CS_ENOMEM). */
int cs_churn_scores_write(const cs_customers *c, const cs_churn_score *s, FILE *fp, int format,
                          int header, cs_error *err);
int cs_churn_report_write(const cs_churn_report *r, FILE *fp, int format, int header,
                          cs_error *err);

/* ---- Evaluating churn scores on a holdout ---- */

enum cs_churn_score_kind { CS_CHURN_P_CHURN = 0, CS_CHURN_P_NO_PURCHASE };

/* The baseline score: days since the last purchase, (T - t_x) in unit
 * (enum cs_unit) converted to days and rounded to a millionth of a day (so
 * that customers last seen on the same day tie). */
double cs_churn_recency_days(const cs_obs *o, int unit);

/* The arrays cs_evaluate takes, for the customers of c with a holdout:
 * model[i] the score (p_churn = 1 - P(alive), or P(no purchase in the
 * holdout's length), clamped to [0, 1]), baseline[i] the recency in days,
 * label[i] 1 when the customer made no purchase in the holdout. Each array
 * has room for c->n (any may be NULL). *bad (may be NULL): customers whose
 * model score is not finite. Errors: CS_EINVAL (no holdout; a row the
 * model cannot take or an empty frequency_holdout: cs_customers_check with
 * CS_CHECK_HOLDOUT, the arrays are then not filled; p_no_purchase without
 * the holdout's length; the model gives no probability for some customers,
 * the arrays are then filled all the same). */
int cs_churn_eval_inputs(const cs_model *m, const cs_customers *c, int kind, double *model,
                         double *baseline, int *label, size_t *bad, cs_error *err);

typedef struct cs_churn_eval {
    int kind;         /* enum cs_churn_score_kind */
    size_t n;         /* customers */
    cs_eval model;    /* the model's score */
    cs_eval baseline; /* days since the last purchase */
} cs_churn_eval;

/* cs_churn_eval_inputs, then cs_evaluate on the model's scores (as
 * probabilities; ROC to roc_fpr/roc_tpr when not NULL, room for c->n + 1
 * points) and on the baseline. Errors: those two's. */
int cs_churn_evaluate(const cs_model *m, const cs_customers *c, int kind, cs_churn_eval *e,
                      double *roc_fpr, double *roc_tpr, size_t *nroc, cs_error *err);

/* The evaluation as the rows of a table: metric, the model's value and the
 * baseline's (NAN where it has none): auc, brier, log_loss, lift_top10,
 * lift_top20, capture_top10, capture_top20, decile_edge_ties (customers
 * whose score ties with a score across a decile edge: cs_eval's dec_tied).
 * The calibration by decile is a table of its own: cs_churn_deciles_write. */
#define CS_CHURN_EVAL_ROWS 8
typedef struct cs_churn_eval_row {
    char metric[24];
    double model, baseline;
} cs_churn_eval_row;
void cs_churn_eval_rows(const cs_churn_eval *e, cs_churn_eval_row rows[CS_CHURN_EVAL_ROWS]);

/* The rows of cs_churn_eval_rows as a table (metric, model,
 * baseline_days_since_last); the calibration table, one row per decile of
 * the score, 1 (lowest scores) to 10 (decile, customers, mean_score,
 * observed_rate, baseline_mean_days_since_last, baseline_observed_rate:
 * the baseline's deciles of days since the last purchase; empty cells for
 * an empty decile); and n ROC points (false_positive_rate,
 * true_positive_rate). Errors: cs_writer's. */
int cs_churn_eval_write(const cs_churn_eval *e, FILE *fp, int format, int header, cs_error *err);
int cs_churn_deciles_write(const cs_churn_eval *e, FILE *fp, int format, int header,
                           cs_error *err);
int cs_churn_roc_write(const double *fpr, const double *tpr, size_t n, FILE *fp, int format,
                       int header, cs_error *err);

/* e as a JSON object (customers, churned, churn_rate, score, model,
 * baseline_days_since_last; each of the last two with the metrics,
 * decile_edge_ties and calibration, an array of deciles), indented, no final newline. The caller frees
 * it with free(); NULL when out of memory. */
CS_OWN char *cs_churn_eval_json(const cs_churn_eval *e);

/* ---- Contractual retention: sBG fits per cohort ---- */

/* E[T], the expected lifetime in periods of a new customer (the sum of S(t)
 * over t >= 0): (alpha + beta - 1) / (alpha - 1); INFINITY for alpha <= 1. */
double cs_sbg_expected_lifetime(const cs_model *m);

/* One sBG fit (a cohort's, or the pooled one) with what follows from it. */
typedef struct cs_sbg_cohort_fit {
    char *name;          /* the cohort, or "pooled" */
    int ok;              /* 0: the fit failed (only a cohort of subscription records): error */
    char error[512];
    cs_model model;
    int observed;        /* periods observed (the longest cohort's for the pooled fit) */
    int horizon;         /* observed + the periods projected */
    double *survival;    /* S(t), t = 0..horizon */
    double *retention;   /* r(t), t = 1..horizon (retention[0] is NAN) */
    double expected_lifetime; /* cs_sbg_expected_lifetime */
    double del;          /* DEL at the discount */
    double *derl;        /* derl[n - 1]: DERL of a subscriber in period n = 1..observed + 1 */
    /* subscription records only */
    size_t subscribers, active, cancelled;
    int nkm;             /* observed (Kaplan-Meier) survival S(0..nkm - 1) */
    double *km;          /* NAN where nobody is left at risk */
} cs_sbg_cohort_fit;

typedef struct cs_sbg_result {
    int records;         /* 1: from subscription records, 0: survivor counts */
    int period;          /* records: enum cs_period of a contract period */
    cs_day as_of;        /* records: the day they describe */
    int periods;         /* periods projected past the data */
    double discount;     /* per period, for DEL and DERL */
    size_t ncohorts;
    cs_sbg_cohort_fit *cohort;
    cs_sbg_cohort_fit *pooled; /* NULL for one cohort of survivor counts */
    size_t failed;       /* cohorts whose fit failed */
} cs_sbg_result;

typedef struct cs_sbg_options {
    int periods;     /* periods to project past the data (>= 0) */
    double discount; /* per period (> 0) */
} cs_sbg_options;

/* Fits every cohort of a survivor table and, with more than one cohort, all
 * of them pooled. Errors: CS_ENOCONV, CS_EEMPTY, CS_EINVAL from a fit, the
 * message starting "cohort 'NAME': " or "the pooled fit: "; CS_ENOMEM.
 * Free the result with cs_sbg_result_free. */
CS_OWN cs_sbg_result *cs_sbg_fit_survivors(const cs_survivors *sv, const cs_sbg_options *o,
                                           cs_error *err);

/* Fits every cohort of subscription records (a cohort that cannot be fitted
 * gets ok = 0 and its error: e.g. no cancellation yet) and all of them
 * pooled; counts and Kaplan-Meier survival per cohort. Errors: the pooled
 * fit's, the message starting "the fit on all subscriptions: "; CS_ENOMEM. */
CS_OWN cs_sbg_result *cs_sbg_fit_subscriptions(const cs_subscriptions *s,
                                               const cs_sbg_options *o, cs_error *err);
void cs_sbg_result_free(cs_sbg_result *r);

/* Reads one table from in, survivor counts (wide or long) or subscription
 * records (so: their options), told apart by its header line
 * (cs_sbg_input_kind), and fits it with cs_sbg_fit_survivors or
 * cs_sbg_fit_subscriptions (r->records tells which). For records, *subs
 * (when subs is not NULL) gets them, for cs_sbg_result_subscribers: the
 * caller frees them with cs_subscriptions_free; else it is set to NULL.
 * Errors: the readers' (with file, line and column), CS_EEMPTY (an empty
 * input), the fits' (with the input's name as the file); NULL then. */
CS_OWN cs_sbg_result *cs_sbg_fit_input(cs_input *in, const cs_subs_options *so,
                                       const cs_sbg_options *o, cs_subscriptions **subs,
                                       cs_error *err);

/* r as a JSON object (input, cohorts, pooled, ...; see custseg-churn(1)),
 * indented, no final newline. The caller frees it with free(); NULL when out
 * of memory. */
CS_OWN char *cs_sbg_result_json(const cs_sbg_result *r);

/* An active subscriber's values under its fit. */
typedef struct cs_sbg_subscriber {
    size_t index;   /* the record in the cs_subscriptions (id, cohort, start) */
    int period;     /* n: the period it is in (n - 1 renewals made) */
    double p_renew; /* r(n): the chance it renews at the end of period n */
    double derl;    /* DERL at the result's discount */
} cs_sbg_subscriber;

/* The active subscribers of s (fitted into r by cs_sbg_fit_subscriptions),
 * in record order, under the pooled fit or, by_cohort, their cohort's own
 * where it has one. *n: how many. The caller frees the array with free().
 * Errors (NULL): CS_EINVAL (r is not s's fit), CS_ENOMEM. */
CS_OWN cs_sbg_subscriber *cs_sbg_result_subscribers(const cs_sbg_result *r,
                                                    const cs_subscriptions *s, int by_cohort,
                                                    size_t *n, cs_error *err);

/* The active subscribers v[0..n) of s (from cs_sbg_result_subscribers) as
 * a table: customer_id, cohort, start, period, p_renew, derl. Errors:
 * cs_writer's. */
int cs_sbg_subscribers_write(const cs_sbg_subscriber *v, size_t n, const cs_subscriptions *s,
                             FILE *fp, int format, int header, cs_error *err);

/* ---- Observed churn rates (see cs_builder_rates) ---- */

/* 1 when period k's churn is known: a next period exists and someone was
 * active in k. */
int cs_rates_known(const cs_rates *r, int k);
/* churned / active of period k, NAN when not known. */
double cs_rates_rate(const cs_rates *r, int k);

/* The share of cohort c (first purchase in period c) active in period k;
 * NAN before the cohort's first period or for an empty cohort. */
double cs_rates_share(const cs_rates *r, int c, int k);

typedef struct cs_rates_summary {
    int known;            /* periods with a known rate */
    int kmin, kmax;       /* the period (index from r->first) with the lowest and the
                             highest rate, the first one on ties; -1 when none is known */
    double rmin, rmax;
    size_t active, churned; /* sums over the known periods */
    double pooled;        /* churned / active; NAN when none is known */
    double alert;         /* the threshold given (< 0: none) */
    size_t alerts;        /* known periods with a rate above alert */
} cs_rates_summary;

/* 1 when period k is known and its rate exceeds alert (alert >= 0). */
int cs_rates_alert(const cs_rates *r, int k, double alert);
/* Summarises r: lowest and highest known rates, the pooled rate, and the
 * periods above alert (< 0: no alerts). Errors: CS_EINVAL (r NULL). */
int cs_rates_summarise(const cs_rates *r, double alert, cs_rates_summary *s, cs_error *err);

/* The tables of cs_rates_write. */
enum cs_rates_table {
    CS_RATES_PERIODS = 0, /* period, active, churned_next, churn_rate, alert ("alert" where
                             the rate exceeds alert >= 0, else empty) */
    CS_RATES_COHORTS,     /* cohort, period, cohort_size, active, share: a row per cohort
                             and period from its first */
    CS_RATES_MATRIX,      /* cohort, cohort_size, then one share column per period (named
                             by its label): a row per cohort */
};
/* Writes r as the table (enum cs_rates_table) to fp with cs_writer; periods
 * are named by cs_period_label, empty cohorts left out. Errors: CS_EINVAL
 * (r NULL, a bad table), cs_writer's. */
int cs_rates_write(const cs_rates *r, int table, double alert, FILE *fp, int format, int header,
                   cs_error *err);

#ifdef __cplusplus
}
#endif
#endif
