/* custseg: what a report holds once computed (lib/report/report.c), and
 * what the HTML page (html.c) draws from it. Internal. */
#ifndef CS_REPORT_INTERNAL_H
#define CS_REPORT_INTERNAL_H

#include "cs-churn.h"
#include "cs-report.h"
#include "cs-segment.h"

#define CSI_REPORT_MAX_NOTES 16
#define CSI_PTX_MAX 8      /* period transactions: 0..6 and 7+ */
#define CSI_PA_ROWS 11     /* P(alive) matrix: frequencies shown */
#define CSI_PA_COLS 12     /* and recency columns */
#define CSI_COHORT_AGES 24 /* cohort retention: periods after the first shown */

struct csi_top {
    char *id;
    double x, tx, T, p_alive, expected, clv;
};

/* One sBG fit of custseg-churn sbg's output (a cohort, or the pooled fit). */
struct csi_sbg {
    char *name;
    char *error;      /* the fit failed: why (nothing else is set) */
    double alpha, beta, se_alpha, se_beta, ll;
    double lifetime;  /* expected lifetime in periods; NAN: infinite */
    double del, discount;
    int observed;     /* periods in the data; survival beyond is projected */
    int nsurv;        /* survival S(0..nsurv - 1) under the fit */
    double *survival;
    int nkm;          /* subscription records: observed (Kaplan-Meier) survival */
    double *km;
    double subscribers, active, cancelled;
};

struct cs_report {
    cs_report_options opt; /* strings below are copies */
    char *title, *source, *command;
    char *notes[CSI_REPORT_MAX_NOTES];
    size_t nnotes;

    /* overview */
    size_t customers;
    uint64_t transactions;
    int64_t revenue; /* micro-units, all periods */
    int has_amount;
    int returns;
    cs_day as_of, calibration_end, first_day, last_day;
    cs_summary_stats sstats;
    int has_load;
    cs_load_stats load;
    int from_table; /* made from a summary table (cs_report_build_summary) */

    /* concentration and pyramid (on total value, the calibration period) */
    int has_conc;
    cs_concentration conc;
    size_t conc_clipped; /* customers with a negative value counted as 0 */
    int has_pyr;
    cs_pyramid pyr;
    cs_pyramid_report_row pyr_rows[CS_PYR_MAX_TIERS + 1];

    /* RFM */
    int has_rfm;
    int rf_only;
    cs_rfm_breaks breaks;
    cs_rfm_rules rules;
    cs_rfm_report rfm;
    int nr, nf; /* scores in use: 1..nr, 1..nf */
    double cell_n[CS_RFM_MAX_BINS][CS_RFM_MAX_BINS];   /* [r-1][f-1] customers */
    double cell_m[CS_RFM_MAX_BINS][CS_RFM_MAX_BINS];   /* mean total value */

    /* churn */
    int has_rates;
    cs_rates rates;
    cs_rates_summary rsum;

    /* contractual retention (cs_report_add_sbg) */
    struct csi_sbg *sbg;
    size_t nsbg;
    int sbg_records; /* from subscription records (else survivor counts) */
    int sbg_pooled;  /* the last entry is the pooled fit */
    int sbg_period;  /* enum cs_period of records; -1 unknown */

    /* models */
    int has_model, has_spend, has_valid, has_ptx, has_pa, has_clv;
    cs_model model, spend;
    size_t spend_zero; /* repeat buyers with a mean value <= 0, left out of the spend fit */
    cs_validation valid;
    int has_ceval;
    cs_churn_eval ceval; /* P(no purchase in the holdout) against the recency baseline */
    int holdout_weeks_ok;
    double ptx_actual[CSI_PTX_MAX], ptx_model[CSI_PTX_MAX];
    double pa[CSI_PA_ROWS * CSI_PA_COLS];
    double pa_tx[CSI_PA_COLS]; /* recency of each column (unit) */
    double pa_T;
    double clv_decile_mean[10], clv_decile_share[10];
    double clv_total;
    size_t clv_n;
    struct csi_top *top;
    size_t ntop;
    /* tracking: repeat purchases per week from the first day, actual (from
     * the builder's days) and expected */
    int rd_known; /* the builder's counts are exact */
    cs_day rd_first;
    size_t rd_n;
    uint32_t *rd;
    int has_trk;
    size_t trk_n;
    double *trk_x, *trk_actual, *trk_model; /* week start (day), counts */
};

/* Frees the sBG fits (cs_report_add_sbg). */
void csi_report_sbg_free(cs_report *r);

/* Adds a note (a section left out and why); printf-like. */
void csi_report_note(cs_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
