/* custseg: reports people open. What a report shows is computed once, here,
 * from one pass over the data (a loaded builder): the overview, concentration
 * and pyramid, RFM cells and segments, observed churn and cohorts, and, with a
 * holdout period or a model asked for, the model fits, their validation and
 * CLV. Written as one self-contained HTML page (inline SVG charts, no script,
 * nothing fetched from the network). */
#ifndef CS_REPORT_H
#define CS_REPORT_H

#include "cs-error.h"
#include "cs-models.h"
#include "cs-summary.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_report_options {
    const char *title;   /* NULL: "Customer report" */
    const char *source;  /* the data source as the user named it (inputs); NULL: none */
    const char *command; /* the command line that made the report; NULL: none */
    int unit;            /* enum cs_unit of the models (CS_UNIT_WEEK is usual) */
    int rfm_bins;        /* 2..CS_RFM_MAX_BINS; 0: 5 */
    double inactive_after; /* days without a purchase after which a customer is
                              Inactive in the pyramid; <= 0: 365 */
    int churn_period;    /* enum cs_period of the churn rates and cohorts */
    double churn_alert;  /* a churn rate above it is marked; < 0: none */
    /* The purchase model: fitted when fit is a model kind (CS_MODEL_BGNBD,
     * CS_MODEL_PNBD, CS_MODEL_MBGNBD), or, with fit -1, BG/NBD when the data
     * have a holdout period; none without. model (not NULL) is used as it is
     * instead (a saved model file). */
    int fit;
    const cs_model *model;
    const cs_model *spend; /* a Gamma-Gamma model to use instead of fitting one */
    double horizon;      /* expected purchases and CLV over this many units; <= 0: 52 weeks */
    double discount;     /* per year for CLV; < 0: 0.10 */
    double margin;       /* share of revenue that is profit; <= 0: 1 */
    int top;             /* customers in the top-CLV table; 0: 20 */
    int threads;
} cs_report_options;

/* Sets the defaults above (fit -1, week, month, alert none). */
void cs_report_options_init(cs_report_options *o);

typedef struct cs_report cs_report;

/* Makes a new builder report-ready: call before loading (it tracks the
 * periods the churn section needs and, when a model will be drawn, the
 * repeat purchase days per day of the tracking chart). Errors: those of
 * cs_builder_track_periods and cs_builder_track_days. */
int cs_report_prepare(cs_builder *b, const cs_report_options *o, cs_error *err);

/* Computes the report from a loaded, prepared builder (freed either way);
 * load (may be NULL) is what the loader read and skipped. A section whose
 * data are missing or cannot be computed (no amounts, values of both
 * signs, no holdout, a fit that failed) is left out and says why in
 * cs_report_notes; only a report with nothing at all (CS_EEMPTY) or out
 * of memory (CS_ENOMEM) is an error. */
CS_OWN cs_report *cs_report_build(cs_builder *b, const cs_load_stats *load,
                                  const cs_report_options *o, cs_error *err);

/* The same from a summary (freed either way): one read back from a summary
 * table (cs_summary_read) or one finished by the caller. Everything but
 * what needs the log itself: the churn rates and cohorts and the tracking
 * chart are left out with a note; the transactions counted are the
 * calibration period's when there is a holdout (the table does not count
 * the holdout's records). Errors: as cs_report_build. */
CS_OWN cs_report *cs_report_build_summary(cs_summary *s, const cs_report_options *o,
                                          cs_error *err);

/* Adds contractual retention to the churn section: the JSON written by
 * custseg-churn sbg (cs_sbg_result_json), read from in: the sBG survival
 * curve of every cohort and the pooled fit, observed and projected, with
 * the observed (Kaplan-Meier) survival beside the pooled curve for
 * subscription records, and a table of the fits (alpha, beta with standard
 * errors, expected lifetime, DEL). Replaces what an earlier call added.
 * Errors: CS_EFORMAT (not such JSON: file, and line for a JSON syntax
 * error), CS_EIO, CS_ENOMEM; the report is unchanged but for the sBG part
 * then. */
int cs_report_add_sbg(cs_report *r, cs_input *in, cs_error *err);

/* The sections left out and why, one sentence each ("Models: no holdout
 * period and no model asked for"). Borrowed: valid while r is. */
size_t cs_report_notes(const cs_report *r, const char *const **notes);

/* The headline figures, for a caller's message and for tests: customers,
 * Gini and the top 20 % share (NAN without the concentration section),
 * the purchase model's kind (-1 without). */
typedef struct cs_report_figures {
    size_t customers;
    double gini, top20;
    int model;
    int sections; /* sections written (of 5) */
} cs_report_figures;
void cs_report_get_figures(const cs_report *r, cs_report_figures *f);

/* Writes the page. Errors: CS_EIO, CS_ENOMEM. */
int cs_report_write_html(const cs_report *r, FILE *fp, cs_error *err);

/* Writes the report's tables as a workbook (see cs_workbook_new: fp a
 * regular file), one sheet per table, named and with the columns of the
 * tool that writes the same table: Overview (item, value: the counts, the
 * concentration, the sections left out), Pyramid (custseg-pyramid
 * --report), Concentration (the Lorenz points), Segments (custseg-rfm
 * --report), RFM cells, Model parameters, Validation (custseg-clv
 * validate's totals), CLV top customers, Churn rates (custseg-churn rates),
 * Cohorts (custseg-churn rates --table cohorts); a section left out has no
 * sheet. Errors: CS_EINVAL, CS_EIO, CS_ENOMEM. */
int cs_report_write_xlsx(const cs_report *r, FILE *fp, cs_error *err);

void cs_report_free(cs_report *r);

#ifdef __cplusplus
}
#endif
#endif
