/* custseg: RFM scores, cells and named segments. */
#ifndef CS_SEGMENT_H
#define CS_SEGMENT_H

#include "cs-error.h"
#include "cs-io.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cs_summary;

#ifdef __cplusplus
extern "C" {
#endif

#define CS_RFM_MAX_BINS 10

enum cs_rfm_var { CS_RFM_R = 0, CS_RFM_F, CS_RFM_M };

/* Cut points per variable: scores run 1..ncut[v]+1. */
typedef struct cs_rfm_breaks {
    int bins;                               /* asked for */
    int ncut[3];
    double cut[3][CS_RFM_MAX_BINS - 1];
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

/* Breaks files (JSON). Errors: CS_EIO; CS_EFORMAT for a file that is not a
 * custseg breaks file of this version, or has cut points out of order. */
int cs_rfm_breaks_save(const cs_rfm_breaks *b, const char *monetary, FILE *fp, cs_error *err);
int cs_rfm_breaks_load(cs_rfm_breaks *b, cs_input *in, cs_error *err);

/* Named segments: the first rule whose bounds hold all three scores wins;
 * a customer no rule takes is "Others". */
typedef struct cs_rfm_rule {
    char name[64];
    int lo[3], hi[3];
} cs_rfm_rule;

typedef struct cs_rfm_rules {
    size_t n;
    cs_rfm_rule *rule;
} cs_rfm_rules;

/* A built-in rule set: "rfm" (the ten segments of the R rfm package 0.3.0
 * with its published bounds) or "simple" (five tiers, see
 * custseg-rfm(1)). Returns CS_EINVAL for another name. */
int cs_rfm_rules_builtin(cs_rfm_rules *r, const char *name, cs_error *err);
/* Reads a rule file: a JSON array of {"name": ..., "r": [min, max], "f":
 * [min, max], "m": [min, max]} (a missing variable takes any score).
 * Errors: CS_EFORMAT (bad JSON, a missing name, min > max or a bound
 * outside 1..bins: impossible rules), CS_EIO. */
int cs_rfm_rules_load(cs_rfm_rules *r, cs_input *in, int bins, cs_error *err);
/* Pairs of rules whose bounds overlap (the later one then only takes what
 * the earlier leaves): calls fn for each pair. */
void cs_rfm_rules_overlaps(const cs_rfm_rules *r,
                           void (*fn)(void *ctx, const char *first, const char *second),
                           void *ctx);
/* The segment name of a customer's scores (static until the rules go). */
const char *cs_rfm_segment(const cs_rfm_rules *r, const int score[3]);
void cs_rfm_rules_free(cs_rfm_rules *r);

/* ---- The RFM variables of customers ---- */

typedef struct cs_rfm_data {
    size_t n;
    char *ids;        /* id i is ids + id_off[i], id_len[i] bytes */
    size_t *id_off;
    uint32_t *id_len;
    double *v[3];     /* recency: days since the last purchase; frequency:
                         purchase days (the first included); monetary: total
                         value, or its mean per purchase day */
    double *total;    /* total value (for reports) */
} cs_rfm_data;

/* From a finished summary (monetary_mean: 1 for the mean per purchase day). */
CS_OWN cs_rfm_data *cs_rfm_data_from_summary(const struct cs_summary *s, int monetary_mean,
                                             cs_error *err);
/* From a custseg-summary table: customer_id, days_since_last, purchase_days,
 * total_value. Errors: CS_ECOLUMN (a column missing: the message names it),
 * CS_EFORMAT (a value that is not a number, with line and column),
 * CS_EEMPTY, CS_EIO. */
CS_OWN cs_rfm_data *cs_rfm_data_read(cs_input *in, int monetary_mean, cs_error *err);
void cs_rfm_data_free(cs_rfm_data *d);

#ifdef __cplusplus
}
#endif
#endif
