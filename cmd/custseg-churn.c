/* custseg-churn: churn probabilities, contractual retention (sBG), evaluation. */
#include "common/common.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage: custseg-churn score --model FILE [--horizon H] [--bands A,B] [--report] [FILE]\n"
    "       custseg-churn evaluate --model FILE [--format json] [--roc FILE] [FILE]\n"
    "       custseg-churn sbg [--periods N] [--discount D] [--customers FILE] [FILE]\n"
    "       custseg-churn rates [--period month|quarter|year] [--alert-rate R] [--cohorts|--matrix]\n"
    "                           [FILE]...\n"
    "Churn in both settings: non-contractual (shops: customers stop silently),\n"
    "from a BG/NBD, Pareto/NBD, MBG/NBD or NBD model file of custseg-clv; and\n"
    "contractual (subscriptions: cancellations are seen), with the\n"
    "shifted-beta-geometric model.\n"
    "\n"
    "score: per customer of a custseg-summary table (or transactions, see\n"
    "  custseg-summary --help): p_churn = 1 - P(alive now), p_churn_at = 1 -\n"
    "  P(alive at T + H) for --horizon H (default 39, in the model's unit),\n"
    "  expected_purchases in the horizon, and a band: low below A, medium below B,\n"
    "  high from B (--bands, default 0.5,0.8), and p_no_purchase, the chance of no\n"
    "  purchase in the horizon (gone, or alive and quiet). A summary line on\n"
    "  standard error: the expected number of churned customers, the share at\n"
    "  high risk. --report: instead of a row per customer, one per band and one\n"
    "  for all: customers, share, expected churned, mean p_churn_at, expected\n"
    "  purchases, mean p_no_purchase.\n"
    "evaluate: on a summary with a holdout (custseg-summary --calibration-end): the\n"
    "  observed churn is no purchase in the holdout. AUC, Brier score, log loss,\n"
    "  lift and capture in the top 10% and 20%, and a calibration table by decile,\n"
    "  for the model's p_churn (exactly what score writes for the same options) and,\n"
    "  beside it, a baseline: days since the last purchase as the score. --format\n"
    "  json for one JSON object; --roc FILE writes the model's ROC points.\n"
    "  --score p_no_purchase scores with P(no purchase in the holdout) instead.\n"
    "rates: observed churn from transactions (see custseg-summary --help for the\n"
    "  input options), by whole period: customers active (bought at least once),\n"
    "  how many of them did not buy in the next period, the rate, and 'alert' where\n"
    "  it exceeds --alert-rate (e.g. 0.15, a common rule of thumb for natural\n"
    "  churn). --cohorts: instead, by acquisition cohort (period of the first\n"
    "  purchase) and period, the share of the cohort still buying; --matrix: the\n"
    "  same as one row per cohort and one column per period.\n"
    "sbg: contractual retention, shifted-beta-geometric (Fader & Hardie 2007). The\n"
    "  input is one of (told apart by its header line):\n"
    "  - survivor counts, one row per cohort: its name, then the number active at\n"
    "    the start and after each period (regular,1000,631,468,...);\n"
    "  - survivor counts, one row per period: [cohort,]period,active (0,1000 ...);\n"
    "  - subscription records: customer,start,end (end empty while active), with\n"
    "    --period month|quarter|year (default month) as the contract period and\n"
    "    --as-of DAY (default today) as the day they describe; cohorts are the\n"
    "    start periods, or the values of --cohort-column NAME (e.g. a plan).\n"
    "  One fit per cohort and a pooled fit; JSON with alpha, beta, log_likelihood,\n"
    "  standard errors, survival and retention projected --periods ahead (default\n"
    "  5), expected lifetime, DEL and DERL at --discount D per period (default\n"
    "  0.1); for records also the counts and the observed (Kaplan-Meier) survival.\n"
    "  --customers FILE: per active subscriber, the period it is in, p_renew and\n"
    "  DERL, from the pooled fit (--by-cohort: its cohort's own fit).\n"
    "\n"
    "  -m, --model FILE, -o, --output FILE, -f, --format csv|tsv|jsonl|json,\n"
    "  -q, --quiet, -h, --help, -V, --version\n"
    "\n"
    "Examples:\n"
    "  custseg-churn score --model bgnbd.json --horizon 26 cal.csv | sort -t, -k3 -gr | head\n"
    "  custseg-churn evaluate --model bgnbd.json --format json cal.csv\n"
    "  custseg-churn sbg --periods 5 cohorts.csv\n"
    "  custseg-churn sbg --as-of 2026-11-01 --cohort-column plan --customers derl.csv subs.csv\n"
    "  custseg-churn rates --period quarter --alert-rate 0.15 sales.csv.gz\n";

enum { OPT_HORIZON = OPT_LOAD_LAST + 1, OPT_BANDS, OPT_ROC, OPT_PERIODS, OPT_DISCOUNT, OPT_UNIT,
       OPT_AS_OF, OPT_CAL_END, OPT_PERIOD, OPT_ALERT, OPT_COHORTS, OPT_CUSTOMERS,
       OPT_COHORT_COLUMN, OPT_BY_COHORT, OPT_MATRIX, OPT_REPORT, OPT_SCORE };

struct churn {
    const char *cmd, *model, *out, *roc, *customers, *cohort_column;
    int format, json, periods, unit, period, cohorts, matrix, by_cohort, score_no_purchase, report;
    double alert;
    double horizon, band[2], discount;
    struct cli_load load;
    cs_summary_options so;
};

static double num(const char *opt, const char *s, double lo, double hi)
{
    char *end;
    double v = strtod(s, &end);
    if (*end || end == s || !(v >= lo && v <= hi))
        cli_usage("--%s: '%s' is not a number from %g to %g", opt, s, lo, hi);
    return v;
}

static cs_customers *customers(struct churn *o, char **paths, int n)
{
    int kind;
    cs_input *in = cli_open_peek(n ? paths[0] : "-", &kind);
    cs_error err = {0};
    if (kind == CS_TABLE_SUMMARY) {
        cs_customers *c = cs_customers_read(in, &err);
        cs_input_close(in);
        if (!c)
            cli_die(&err);
        return c;
    }
    cs_summary *s = cli_summarise(&o->load, &o->so, paths, n, in);
    cs_customers *c = cs_customers_from_summary(s, o->unit, &err);
    cs_summary_free(s);
    if (!c)
        cli_die(&err);
    return c;
}

static void purchase_model(const char *path, cs_model *m)
{
    cli_load_model(path, m);
    if (m->kind != CS_MODEL_BGNBD && m->kind != CS_MODEL_PNBD && m->kind != CS_MODEL_MBGNBD &&
        m->kind != CS_MODEL_NBD)
        cli_fail("%s is a %s model: churn scores need a purchase model with drop-out (bgnbd, "
                 "pnbd, mbgnbd, or nbd)",
                 path, cs_model_name(m->kind));
}

/* BG/NBD's blind spot, said once: no repeat purchase means alive */
static void bgnbd_note(const struct churn *o, const cs_model *m, const cs_customers *c)
{
    if (m->kind != CS_MODEL_BGNBD || o->load.quiet)
        return;
    double zero = 0;
    for (size_t i = 0; i < c->n; i++)
        zero += c->obs[i].x == 0 ? c->weight[i] : 0;
    if (zero > 0)
        cli_warn("note: BG/NBD takes the %.0f customers with no repeat purchase as alive "
                 "(p_churn 0); p_no_purchase, MBG/NBD or Pareto/NBD rank them better",
                 zero);
}

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static int cmd_score(struct churn *o, char **paths, int n)
{
    cs_model m;
    purchase_model(o->model, &m);
    if (o->unit < 0)
        o->unit = m.unit;
    cs_customers *c = customers(o, paths, n);
    if (c->unit != m.unit)
        cli_fail("the model %s is in %s and the data are not: summarise with --unit %s",
                 o->model, cs_unit_suffix(m.unit), cs_unit_suffix(m.unit));
    bgnbd_note(o, &m, c);
    const char *names[] = {"customer_id",        "p_churn",       "p_churn_at",
                           "expected_purchases", "p_no_purchase", "band"};
    const char *rnames[] = {"band",       "customers",          "share",
                            "expected_churned", "mean_p_churn_at", "expected_purchases",
                            "mean_p_no_purchase"};
    FILE *out = cli_output_open(o->out);
    cs_error err = {0};
    cs_writer *w = o->report ? cs_writer_new(out, o->format, o->load.output_header != 0, rnames,
                                             7, &err)
                             : cs_writer_new(out, o->format, o->load.output_header != 0, names,
                                             6, &err);
    if (!w)
        cli_die(&err);
    /* per band (low, medium, high) and all: customers and sums, for --report
     * and the summary line */
    double rep[4][5] = {{0}};
    size_t bad = 0;
    cs_predict_options po = {.horizon = o->horizon, .threads = o->so.threads, .no_purchase = 1};
    cs_prediction *pr = malloc((c->n + 1) * sizeof *pr);
    if (!pr)
        cli_fail("out of memory");
    cs_model_predict(&m, c->obs, NULL, c->n, &po, pr);
    for (size_t i = 0; i < c->n; i++) {
        double pa = pr[i].p_alive, pah = pr[i].p_alive_at, e = pr[i].expected;
        double pq = clamp01(pr[i].p_no_purchase);
        double pc = clamp01(1 - pa), pch = clamp01(1 - pah);
        bad += !isfinite(pa) || !isfinite(pah) || !isfinite(e) || !isfinite(pq);
        int bi = pch < o->band[0] ? 0 : pch < o->band[1] ? 1 : 2;
        const char *band = bi == 0 ? "low" : bi == 1 ? "medium" : "high";
        if (isfinite(pa) && isfinite(pah) && isfinite(e) && isfinite(pq)) {
            const int rows[2] = {bi, 3}; /* its band, and all */
            for (int k = 0; k < 2; k++) {
                double *r = rep[rows[k]], wgt = c->weight[i];
                r[0] += wgt;
                r[1] += wgt * pc;
                r[2] += wgt * pch;
                r[3] += wgt * e;
                r[4] += wgt * pq;
            }
        }
        if (o->report)
            continue;
        cs_writer_str(w, c->ids + c->id_off[i], c->id_len[i]);
        cs_writer_real(w, isfinite(pa) ? pc : NAN);
        cs_writer_real(w, isfinite(pah) ? pch : NAN);
        cs_writer_real(w, e);
        cs_writer_real(w, pq);
        cs_writer_str(w, band, strlen(band));
        if (cs_writer_end_row(w) != CS_OK)
            break;
    }
    free(pr);
    if (o->report) {
        static const char *const bn[] = {"low", "medium", "high", "all"};
        for (int k = 0; k < 4; k++) {
            double nk = rep[k][0];
            cs_writer_str(w, bn[k], strlen(bn[k]));
            cs_writer_int(w, (long long)nk);
            cs_writer_real(w, rep[3][0] > 0 ? nk / rep[3][0] : NAN);
            cs_writer_real(w, rep[k][1]);
            cs_writer_real(w, nk > 0 ? rep[k][2] / nk : NAN);
            cs_writer_real(w, rep[k][3]);
            cs_writer_real(w, nk > 0 ? rep[k][4] / nk : NAN);
            cs_writer_end_row(w);
        }
    }
    int ok = cs_writer_finish(w, &err) == CS_OK;
    cs_writer_free(w);
    if (!ok)
        cli_error(&err);
    if (!o->load.quiet)
        fprintf(stderr,
                "%s: %zu customers: %.1f expected to have churned already (%.1f%%); %zu (%.1f%%) "
                "at high risk (p_churn_at >= %g) by %g %s from now\n",
                cli_name(), c->n, rep[3][1], 100 * rep[3][1] / (double)c->n, (size_t)rep[2][0],
                100.0 * rep[2][0] / (double)c->n, o->band[1], o->horizon,
                cs_unit_suffix(m.unit));
    cs_customers_free(c);
    if (bad) {
        cli_warn("%zu customers have probabilities the model cannot give (left empty)", bad);
        ok = 0;
    }
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

static cJSON *eval_json(const cs_eval *e)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "auc", e->auc);
    if (isfinite(e->brier)) {
        cJSON_AddNumberToObject(j, "brier", e->brier);
        cJSON_AddNumberToObject(j, "log_loss", e->log_loss);
    } else {
        cJSON_AddNullToObject(j, "brier");
        cJSON_AddNullToObject(j, "log_loss");
    }
    cJSON_AddNumberToObject(j, "lift_top10", e->lift[0]);
    cJSON_AddNumberToObject(j, "lift_top20", e->lift[1]);
    cJSON_AddNumberToObject(j, "capture_top10", e->capture[0]);
    cJSON_AddNumberToObject(j, "capture_top20", e->capture[1]);
    cJSON *dec = cJSON_AddArrayToObject(j, "calibration");
    for (int d = 0; d < 10; d++) {
        cJSON *row = cJSON_CreateObject();
        cJSON_AddNumberToObject(row, "decile", d + 1);
        cJSON_AddNumberToObject(row, "customers", (double)e->dec_n[d]);
        cJSON_AddNumberToObject(row, "mean_score", e->dec_pred[d]);
        cJSON_AddNumberToObject(row, "observed_rate", e->dec_obs[d]);
        cJSON_AddItemToArray(dec, row);
    }
    return j;
}

static int cmd_evaluate(struct churn *o, char **paths, int n)
{
    cs_model m;
    purchase_model(o->model, &m);
    if (o->unit < 0)
        o->unit = m.unit;
    cs_customers *c = customers(o, paths, n);
    if (c->unit != m.unit)
        cli_fail("the model %s is in %s and the data are not: summarise with --unit %s",
                 o->model, cs_unit_suffix(m.unit), cs_unit_suffix(m.unit));
    if (!c->has_holdout)
        cli_usage("evaluate needs a holdout: summarise with --calibration-end");
    if (!o->score_no_purchase)
        bgnbd_note(o, &m, c);
    size_t nn = c->n;
    double *ps = malloc((nn + 1) * sizeof *ps), *bs = malloc((nn + 1) * sizeof *bs);
    int *y = malloc((nn + 1) * sizeof *y);
    int64_t num_, den;
    cs_unit_days(c->unit, &num_, &den);
    double hold = c->duration_holdout;
    if (o->score_no_purchase && !isfinite(hold))
        cli_fail("--score p_no_purchase needs the holdout's length (duration_holdout)");
    size_t bad = 0;
    for (size_t i = 0; i < nn; i++) {
        /* exactly score's p_churn (or p_no_purchase over the holdout) */
        ps[i] = o->score_no_purchase ? clamp01(cs_model_p_no_purchase(&m, &c->obs[i], hold))
                                     : clamp01(1 - cs_model_p_alive(&m, &c->obs[i]));
        if (!isfinite(ps[i]))
            bad++;
        bs[i] = (c->obs[i].T - c->obs[i].tx) * (double)num_ / (double)den; /* days since last */
        y[i] = c->x_holdout[i] == 0;
    }
    if (bad)
        cli_fail("the model gives no probability for %zu customers (its parameters do not "
                 "allow it)",
                 bad);
    size_t nroc = 0;
    double *fpr = o->roc ? malloc((nn + 2) * sizeof *fpr) : NULL;
    double *tpr = o->roc ? malloc((nn + 2) * sizeof *tpr) : NULL;
    cs_eval em, eb;
    cs_error err = {0};
    if (cs_evaluate(ps, y, nn, 1, &em, fpr, tpr, &nroc, &err) != CS_OK ||
        cs_evaluate(bs, y, nn, 0, &eb, NULL, NULL, NULL, &err) != CS_OK)
        cli_die(&err);
    if (o->roc) {
        FILE *fp = fopen(o->roc, "w");
        if (!fp)
            cli_fail("cannot write %s", o->roc);
        cs_writer *w = cs_writer_new(fp, CS_FORMAT_CSV, 1,
                                     (const char *const[]){"false_positive_rate",
                                                           "true_positive_rate"},
                                     2, &err);
        for (size_t i = 0; i < nroc; i++) {
            cs_writer_real(w, fpr[i]);
            cs_writer_real(w, tpr[i]);
            cs_writer_end_row(w);
        }
        cs_writer_finish(w, &err);
        cs_writer_free(w);
        fclose(fp);
    }
    FILE *out = cli_output_open(o->out);
    if (o->json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddNumberToObject(root, "customers", (double)nn);
        cJSON_AddNumberToObject(root, "churned", (double)em.positives);
        cJSON_AddNumberToObject(root, "churn_rate", em.base_rate);
        cJSON_AddStringToObject(root, "score", o->score_no_purchase ? "p_no_purchase" : "p_churn");
        cJSON_AddItemToObject(root, "model", eval_json(&em));
        cJSON_AddItemToObject(root, "baseline_days_since_last", eval_json(&eb));
        char *t = cJSON_Print(root);
        fprintf(out, "%s\n", t);
        cJSON_free(t);
        cJSON_Delete(root);
    } else {
        const char *names[] = {"metric", "model", "baseline_days_since_last"};
        cs_writer *w = cs_writer_new(out, o->format, o->load.output_header != 0, names, 3, &err);
        const char *mn[] = {"auc", "brier", "log_loss", "lift_top10", "lift_top20",
                            "capture_top10", "capture_top20"};
        const double mv[][2] = {{em.auc, eb.auc},         {em.brier, NAN},
                                {em.log_loss, NAN},       {em.lift[0], eb.lift[0]},
                                {em.lift[1], eb.lift[1]}, {em.capture[0], eb.capture[0]},
                                {em.capture[1], eb.capture[1]}};
        for (int k = 0; k < 7; k++) {
            cs_writer_str(w, mn[k], strlen(mn[k]));
            cs_writer_real(w, mv[k][0]);
            cs_writer_real(w, mv[k][1]);
            cs_writer_end_row(w);
        }
        for (int d = 0; d < 10; d++) {
            char k1[32];
            int l = snprintf(k1, sizeof k1, "decile_%d_predicted", d + 1);
            cs_writer_str(w, k1, (size_t)l);
            cs_writer_real(w, em.dec_pred[d]);
            cs_writer_null(w);
            cs_writer_end_row(w);
            l = snprintf(k1, sizeof k1, "decile_%d_observed", d + 1);
            cs_writer_str(w, k1, (size_t)l);
            cs_writer_real(w, em.dec_obs[d]);
            cs_writer_real(w, eb.dec_obs[d]);
            cs_writer_end_row(w);
        }
        cs_writer_finish(w, &err);
        cs_writer_free(w);
    }
    if (!o->load.quiet)
        fprintf(stderr, "%s: %zu customers, %.1f%% churned in the holdout; AUC model %.3f, "
                        "baseline (days since last purchase) %.3f\n",
                cli_name(), nn, 100 * em.base_rate, em.auc, eb.auc);
    free(ps), free(bs), free(y), free(fpr), free(tpr);
    cs_customers_free(c);
    return cli_output_close(out, 1) ? EXIT_DATA : 0;
}

static cJSON *sbg_json(const char *name, const cs_model *m, int periods, double d, int nobs)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "cohort", name);
    cJSON_AddNumberToObject(j, "alpha", m->param[0]);
    cJSON_AddNumberToObject(j, "beta", m->param[1]);
    cJSON_AddNumberToObject(j, "log_likelihood", m->log_likelihood);
    if (m->note[0])
        cJSON_AddStringToObject(j, "note", m->note);
    cJSON *se = cJSON_AddObjectToObject(j, "standard_errors");
    cJSON_AddNumberToObject(se, "alpha", m->se[0]);
    cJSON_AddNumberToObject(se, "beta", m->se[1]);
    cJSON *sv = cJSON_AddArrayToObject(j, "survival");
    cJSON *rr = cJSON_AddArrayToObject(j, "retention");
    for (int t = 0; t <= nobs + periods; t++) {
        cJSON_AddItemToArray(sv, cJSON_CreateNumber(cs_sbg_survival(m, t)));
        if (t >= 1)
            cJSON_AddItemToArray(rr, cJSON_CreateNumber(cs_sbg_retention(m, t)));
    }
    double a = m->param[0], b = m->param[1];
    if (a > 1)
        cJSON_AddNumberToObject(j, "expected_lifetime", (a + b - 1) / (a - 1));
    else
        cJSON_AddNullToObject(j, "expected_lifetime"); /* infinite: alpha <= 1 */
    cJSON_AddNumberToObject(j, "discount", d);
    cJSON_AddNumberToObject(j, "del", cs_sbg_del(m, d));
    cJSON *derl = cJSON_AddArrayToObject(j, "derl_by_period");
    for (int n = 1; n <= nobs + 1; n++)
        cJSON_AddItemToArray(derl, cJSON_CreateNumber(cs_sbg_derl(m, d, n)));
    return j;
}

static cs_day today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    cs_day d = CS_DAY_NONE;
    if (gmtime_r(&now, &tm))
        cs_day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &d);
    return d;
}

/* Fits sBG on d; 0 with the error in err when it cannot. */
static int fit_sbg(const cs_dataset *d, cs_model *m, cs_error *err)
{
    return d && cs_model_fit(CS_MODEL_SBG, d, NULL, m, err) == CS_OK;
}

static void add_subs_fields(cJSON *j, const cs_subscriptions *s, long c, int maxt)
{
    size_t n = 0, act = 0;
    for (size_t i = 0; i < s->n; i++)
        if (c < 0 || s->cohort[i] == (uint32_t)c) {
            n++;
            act += s->end[i] == CS_DAY_NONE;
        }
    cJSON_AddNumberToObject(j, "subscribers", (double)n);
    cJSON_AddNumberToObject(j, "active", (double)act);
    cJSON_AddNumberToObject(j, "cancelled", (double)(n - act));
    double *km = malloc(((size_t)maxt + 1) * sizeof *km);
    if (!km)
        cli_fail("out of memory");
    int last = cs_subscriptions_km(s, c, km, maxt);
    if (last < 0)
        cli_fail("out of memory");
    cJSON *a = cJSON_AddArrayToObject(j, "observed_survival");
    for (int t = 0; t <= last; t++)
        cJSON_AddItemToArray(a, isfinite(km[t]) ? cJSON_CreateNumber(km[t]) : cJSON_CreateNull());
    free(km);
}

/* Per active subscriber: the period it is in, the chance it renews at the
 * end of it, and its DERL (Fader & Hardie 2010) under m. */
static int write_customers(struct churn *o, const cs_subscriptions *s, const cs_model *pooled,
                           const cs_model *by_cohort, const int *cohort_ok)
{
    FILE *out = cli_output_open(o->customers);
    cs_error err = {0};
    const char *names[] = {"customer_id", "cohort", "start", "period", "p_renew", "derl"};
    cs_writer *w = cs_writer_new(out, o->format, o->load.output_header != 0, names, 6, &err);
    /* DERL depends on the fit and the period only: one 2F1 per (fit, n) */
    int maxn = 1;
    for (size_t i = 0; i < s->n; i++)
        maxn = s->periods[i] > maxn ? s->periods[i] : maxn;
    size_t nfit = s->ncohorts + 1, stride = (size_t)maxn + 1;
    double *derl = malloc(nfit * stride * sizeof *derl);
    if (!derl)
        cli_fail("out of memory");
    for (size_t k = 0; k < nfit * stride; k++)
        derl[k] = NAN;
    for (size_t i = 0; w && i < s->n; i++) {
        if (s->end[i] != CS_DAY_NONE)
            continue;
        uint32_t c = s->cohort[i];
        int own = o->by_cohort && cohort_ok[c];
        const cs_model *m = own ? &by_cohort[c] : pooled;
        int n = s->periods[i];
        double *dl = &derl[(own ? c : s->ncohorts) * stride + (size_t)n];
        if (isnan(*dl))
            *dl = cs_sbg_derl(m, o->discount, n);
        char d[11];
        cs_day_format(s->start[i], d);
        cs_writer_str(w, s->ids + s->id_off[i], s->id_len[i]);
        cs_writer_str(w, s->cohort_name[c], strlen(s->cohort_name[c]));
        cs_writer_str(w, d, 10);
        cs_writer_int(w, n);
        cs_writer_real(w, cs_sbg_retention(m, n));
        cs_writer_real(w, *dl);
        cs_writer_end_row(w);
    }
    free(derl);
    int ok = w && cs_writer_finish(w, &err) == CS_OK;
    cs_writer_free(w);
    if (!ok)
        cli_error(&err);
    return cli_output_close(out, ok) || !ok;
}

static int cmd_sbg(struct churn *o, char **paths, int n)
{
    if (n > 1)
        cli_usage("sbg reads one table (survivor counts or subscription records)");
    cs_error err = {0};
    cs_input *in = cs_input_open(n ? paths[0] : "-", &err);
    if (!in)
        cli_die(&err);
    const char *file = cs_input_name(in);
    cs_records *r = cs_records_new(in, CS_DELIM_AUTO, &err);
    cs_record hdr;
    int rc = r ? cs_records_next(r, &hdr, &err) : -1;
    if (rc <= 0) {
        if (rc == 0)
            cli_fail("%s: the input is empty", file);
        cli_die(&err);
    }
    int kind = cs_sbg_input_kind(&hdr);
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "cohorts");
    cs_model pooled;
    size_t ncoh = 0;
    if (kind != CS_SBG_SUBSCRIPTIONS) {
        if (o->customers)
            cli_usage("--customers needs subscription records (customer, start, end)");
        cJSON_AddStringToObject(root, "input", "survivors");
        cs_survivors *sv = cs_survivors_read(r, &hdr, file, &err);
        if (!sv)
            cli_die(&err);
        size_t total = 0;
        int maxp = 0;
        for (size_t c = 0; c < sv->ncohorts; c++) {
            total += (size_t)sv->nper[c];
            maxp = sv->nper[c] - 1 > maxp ? sv->nper[c] - 1 : maxp;
        }
        cs_obs *all_o = malloc((total + 1) * sizeof *all_o);
        double *all_w = malloc((total + 1) * sizeof *all_w);
        if (!all_o || !all_w)
            cli_fail("out of memory");
        size_t nall = 0;
        for (size_t c = 0; c < sv->ncohorts; c++) {
            int k = cs_sbg_from_survivors(sv->count[c], sv->nper[c], all_o + nall, all_w + nall,
                                          &err);
            cs_dataset *d = k > 0 ? cs_dataset_group(all_o + nall, all_w + nall, (size_t)k, &err)
                                  : NULL;
            cs_model m;
            if (!fit_sbg(d, &m, &err)) {
                char msg[600];
                snprintf(msg, sizeof msg, "cohort '%s': %s", sv->name[c], err.message);
                cli_fail("%s: %s", file, msg);
            }
            cs_dataset_free(d);
            cJSON_AddItemToArray(arr, sbg_json(sv->name[c], &m, o->periods, o->discount,
                                               sv->nper[c] - 1));
            nall += (size_t)k;
            ncoh++;
        }
        if (ncoh > 1) {
            cs_dataset *d = cs_dataset_group(all_o, all_w, nall, &err);
            if (!fit_sbg(d, &pooled, &err))
                cli_fail("%s: the pooled fit: %s", file, err.message);
            cs_dataset_free(d);
            cJSON_AddItemToObject(root, "pooled",
                                  sbg_json("pooled", &pooled, o->periods, o->discount, maxp));
        }
        free(all_o);
        free(all_w);
        cs_survivors_free(sv);
    } else {
        cs_subs_options so = {.period = o->period,
                              .as_of = o->so.as_of != CS_DAY_NONE ? o->so.as_of : today(),
                              .cohort_column = o->cohort_column};
        cs_subscriptions *s = cs_subscriptions_read(r, &hdr, file, &so, &err);
        if (!s)
            cli_die(&err);
        char asof[11];
        cs_day_format(so.as_of, asof);
        cJSON_AddStringToObject(root, "input", "subscriptions");
        cJSON_AddStringToObject(root, "as_of", asof);
        cJSON_AddStringToObject(root, "period", cs_period_name(o->period));
        int maxt = 1;
        for (size_t i = 0; i < s->n; i++)
            maxt = s->periods[i] > maxt ? s->periods[i] : maxt;
        cs_model *cm = calloc(s->ncohorts + 1, sizeof *cm);
        int *ok = calloc(s->ncohorts + 1, sizeof *ok);
        if (!cm || !ok)
            cli_fail("out of memory");
        size_t failed = 0;
        for (size_t c = 0; c < s->ncohorts; c++) {
            cs_dataset *d = cs_subscriptions_dataset(s, (long)c, &err);
            cs_error ferr = {0};
            ok[c] = fit_sbg(d, &cm[c], &ferr);
            cs_dataset_free(d);
            cJSON *j;
            if (ok[c]) {
                j = sbg_json(s->cohort_name[c], &cm[c], o->periods, o->discount, maxt);
            } else {
                /* e.g. a cohort with no cancellation yet: alpha/beta run off */
                j = cJSON_CreateObject();
                cJSON_AddStringToObject(j, "cohort", s->cohort_name[c]);
                cJSON_AddStringToObject(j, "error", ferr.message);
                failed++;
            }
            add_subs_fields(j, s, (long)c, maxt);
            cJSON_AddItemToArray(arr, j);
            ncoh++;
        }
        cs_dataset *d = cs_subscriptions_dataset(s, -1, &err);
        if (!fit_sbg(d, &pooled, &err))
            cli_fail("%s: the fit on all subscriptions: %s", file, err.message);
        cs_dataset_free(d);
        cJSON *j = sbg_json("pooled", &pooled, o->periods, o->discount, maxt);
        add_subs_fields(j, s, -1, maxt);
        cJSON_AddItemToObject(root, "pooled", j);
        if (failed && !o->load.quiet)
            cli_warn("%zu of %zu cohorts could not be fitted (see their \"error\")", failed,
                     s->ncohorts);
        long rep = cs_subscriptions_repeat_ids(s);
        if (rep > 0 && !o->load.quiet)
            cli_warn("note: %ld customer %s more than one subscription; each subscription "
                     "counts as a subscriber of its own",
                     rep, rep == 1 ? "id has" : "ids have");
        if (o->customers && write_customers(o, s, &pooled, cm, ok)) {
            cJSON_Delete(root);
            return EXIT_DATA;
        }
        free(cm);
        free(ok);
        cs_subscriptions_free(s);
    }
    cs_records_free(r);
    cs_input_close(in);
    char *t = cJSON_Print(root);
    cJSON_Delete(root);
    FILE *out = cli_output_open(o->out);
    fprintf(out, "%s\n", t);
    cJSON_free(t);
    return cli_output_close(out, 1) ? EXIT_DATA : 0;
}

static int cmd_rates(struct churn *o, char **paths, int n)
{
    int kind;
    cs_input *in = cli_open_peek(n ? paths[0] : "-", &kind);
    if (kind != CS_TABLE_OTHER)
        cli_usage("rates reads transactions, not a summary table");
    cs_builder *b = cli_load_builder(&o->load, &o->so, paths, n, in, o->period);
    cs_rates r;
    cs_error err = {0};
    int rc = cs_builder_rates(b, &r, &err);
    cs_builder_free(b);
    if (rc != CS_OK)
        cli_die(&err);
    FILE *out = cli_output_open(o->out);
    cs_writer *w;
    size_t alerts = 0, all_active = 0, all_churned = 0;
    int kmin = -1, kmax = -1;
    double rmin = 0, rmax = 0;
    if (!o->cohorts) {
        const char *names[] = {"period", "active", "churned_next", "churn_rate", "alert"};
        w = cs_writer_new(out, o->format, o->load.output_header != 0, names, 5, &err);
        if (!w)
            cli_die(&err);
        for (int k = 0; k < r.nper; k++) {
            char lab[16];
            cs_period_label(r.first + k, r.period, lab);
            cs_writer_str(w, lab, strlen(lab));
            cs_writer_int(w, (long long)r.active[k]);
            int known = k + 1 < r.nper && r.active[k] > 0;
            double rate = known ? (double)r.churned[k] / (double)r.active[k] : NAN;
            if (known)
                cs_writer_int(w, (long long)r.churned[k]);
            else
                cs_writer_null(w);
            cs_writer_real(w, rate);
            int alert = o->alert >= 0 && known && rate > o->alert;
            alerts += alert;
            if (known) {
                if (kmin < 0 || rate < rmin)
                    kmin = k, rmin = rate;
                if (kmax < 0 || rate > rmax)
                    kmax = k, rmax = rate;
                all_active += r.active[k];
                all_churned += r.churned[k];
            }
            cs_writer_str(w, alert ? "alert" : "", alert ? 5 : 0);
            cs_writer_end_row(w);
        }
    } else if (!o->matrix) {
        const char *names[] = {"cohort", "period", "cohort_size", "active", "share"};
        w = cs_writer_new(out, o->format, o->load.output_header != 0, names, 5, &err);
        if (!w)
            cli_die(&err);
        for (int c = 0; c < r.nper; c++) {
            if (!r.cohort_size[c])
                continue;
            for (int k = c; k < r.nper; k++) {
                char lc[16], lk[16];
                cs_period_label(r.first + c, r.period, lc);
                cs_period_label(r.first + k, r.period, lk);
                size_t a = r.cohort_active[(size_t)c * (size_t)r.nper + (size_t)k];
                cs_writer_str(w, lc, strlen(lc));
                cs_writer_str(w, lk, strlen(lk));
                cs_writer_int(w, (long long)r.cohort_size[c]);
                cs_writer_int(w, (long long)a);
                cs_writer_real(w, (double)a / (double)r.cohort_size[c]);
                cs_writer_end_row(w);
            }
        }
    } else {
        /* one row per cohort, one column per period: the usual triangle */
        size_t nc = (size_t)r.nper + 2;
        char (*lab)[16] = malloc(nc * sizeof *lab);
        const char **names = malloc(nc * sizeof *names);
        if (!lab || !names)
            cli_fail("out of memory");
        names[0] = "cohort";
        names[1] = "cohort_size";
        for (int k = 0; k < r.nper; k++) {
            cs_period_label(r.first + k, r.period, lab[k]);
            names[k + 2] = lab[k];
        }
        w = cs_writer_new(out, o->format, o->load.output_header != 0, names, nc, &err);
        if (!w)
            cli_die(&err);
        for (int c = 0; c < r.nper; c++) {
            if (!r.cohort_size[c])
                continue;
            cs_writer_str(w, lab[c], strlen(lab[c]));
            cs_writer_int(w, (long long)r.cohort_size[c]);
            for (int k = 0; k < r.nper; k++) {
                size_t a = r.cohort_active[(size_t)c * (size_t)r.nper + (size_t)k];
                if (k < c)
                    cs_writer_null(w);
                else
                    cs_writer_real(w, (double)a / (double)r.cohort_size[c]);
            }
            cs_writer_end_row(w);
        }
        free(lab);
        free(names);
    }
    int ok = cs_writer_finish(w, &err) == CS_OK;
    cs_writer_free(w);
    if (!ok)
        cli_error(&err);
    const char *pn = cs_period_name(r.period);
    if (kmin >= 0 && !o->load.quiet) {
        char la[16], lb[16];
        cs_period_label(r.first + kmin, r.period, la);
        cs_period_label(r.first + kmax, r.period, lb);
        fprintf(stderr,
                "%s: %d %s%s with a next one: churn from %.1f%% (%s) to %.1f%% (%s); in all "
                "%.1f%% of the active customers did not buy in the next %s\n",
                cli_name(), r.nper - 1, pn, r.nper == 2 ? "" : "s", 100 * rmin, la, 100 * rmax, lb,
                100.0 * (double)all_churned / (double)all_active, pn);
    }
    if (alerts && !o->load.quiet)
        cli_warn("%zu %s with churn above %g", alerts, alerts == 1 ? "period" : "periods",
                 o->alert);
    if (r.first_partial && !o->load.quiet) {
        char lab[16], d[11];
        cs_period_label(r.first, r.period, lab);
        cs_day_format(r.data_start, d);
        cli_warn("note: the data start on %s, inside %s: that %s's counts cover only part of it",
                 d, lab, pn);
    }
    cs_rates_free(&r);
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

int main(int argc, char **argv)
{
    cli_init("custseg-churn");
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        printf("custseg-churn (custseg) %s\n", cs_version());
        return 0;
    }
    if (argc < 2 || argv[1][0] == '-')
        cli_usage("give a command: score, evaluate, sbg or rates");
    struct churn o = {.cmd = argv[1], .format = CS_FORMAT_CSV, .periods = 5, .unit = -1,
                      .horizon = 39, .band = {0.5, 0.8}, .discount = 0.1,
                      .period = CS_PERIOD_MONTH, .alert = -1,
                      .so = {.as_of = CS_DAY_NONE, .calibration_end = CS_DAY_NONE}};
    if (strcmp(o.cmd, "score") && strcmp(o.cmd, "evaluate") && strcmp(o.cmd, "sbg") &&
        strcmp(o.cmd, "rates"))
        cli_usage("'%s' is not a command: score, evaluate, sbg or rates", o.cmd);
    cli_load_init(&o.load);
    static const struct option longopts[] = {
        CLI_LOAD_LONGOPTS,
        {"model", required_argument, NULL, 'm'},
        {"horizon", required_argument, NULL, OPT_HORIZON},
        {"bands", required_argument, NULL, OPT_BANDS},
        {"roc", required_argument, NULL, OPT_ROC},
        {"periods", required_argument, NULL, OPT_PERIODS},
        {"discount", required_argument, NULL, OPT_DISCOUNT},
        {"unit", required_argument, NULL, OPT_UNIT},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"calibration-end", required_argument, NULL, OPT_CAL_END},
        {"period", required_argument, NULL, OPT_PERIOD},
        {"alert-rate", required_argument, NULL, OPT_ALERT},
        {"cohorts", no_argument, NULL, OPT_COHORTS},
        {"matrix", no_argument, NULL, OPT_MATRIX},
        {"report", no_argument, NULL, OPT_REPORT},
        {"customers", required_argument, NULL, OPT_CUSTOMERS},
        {"cohort-column", required_argument, NULL, OPT_COHORT_COLUMN},
        {"by-cohort", no_argument, NULL, OPT_BY_COHORT},
        {"score", required_argument, NULL, OPT_SCORE},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    optind = 2;
    int c;
    unsigned char seen[OPT_SCORE + 1] = {0};
    while ((c = getopt_long(argc, argv, ":c:d:a:m:f:o:qhV", longopts, NULL)) != -1) {
        if (c >= 0 && c < (int)sizeof seen)
            seen[c] = 1;
        if (cli_load_option(&o.load, c, optarg))
            continue;
        switch (c) {
        case 'm': o.model = optarg; break;
        case OPT_HORIZON: o.horizon = num("horizon", optarg, 0, 1e6); break;
        case OPT_BANDS: {
            char *end;
            o.band[0] = strtod(optarg, &end);
            if (*end != ',' || !(o.band[0] > 0 && o.band[0] < 1))
                cli_usage("--bands: expected two probabilities A,B with 0 < A < B < 1");
            o.band[1] = strtod(end + 1, &end);
            if (*end || !(o.band[1] > o.band[0] && o.band[1] < 1))
                cli_usage("--bands: expected two probabilities A,B with 0 < A < B < 1");
            break;
        }
        case OPT_ROC: o.roc = optarg; break;
        case OPT_PERIODS: o.periods = (int)num("periods", optarg, 0, 1000); break;
        case OPT_DISCOUNT: o.discount = num("discount", optarg, 1e-6, 10); break;
        case OPT_UNIT:
            if ((o.unit = cs_unit_from_name(optarg)) < 0)
                cli_usage("--unit: '%s' is not day, week or month", optarg);
            break;
        case OPT_AS_OF: o.so.as_of = cli_date_arg("as-of", optarg); break;
        case OPT_CAL_END: o.so.calibration_end = cli_date_arg("calibration-end", optarg); break;
        case OPT_PERIOD:
            if ((o.period = cs_period_from_name(optarg)) < 0)
                cli_usage("--period: '%s' is not month, quarter or year", optarg);
            break;
        case OPT_ALERT: o.alert = num("alert-rate", optarg, 0, 1); break;
        case OPT_COHORTS: o.cohorts = 1; break;
        case OPT_MATRIX: o.cohorts = o.matrix = 1; break;
        case OPT_REPORT: o.report = 1; break;
        case OPT_CUSTOMERS: o.customers = optarg; break;
        case OPT_COHORT_COLUMN: o.cohort_column = optarg; break;
        case OPT_BY_COHORT: o.by_cohort = 1; break;
        case OPT_SCORE:
            if (strcmp(optarg, "p_churn") && strcmp(optarg, "p_no_purchase"))
                cli_usage("--score: '%s' is not p_churn or p_no_purchase", optarg);
            o.score_no_purchase = !strcmp(optarg, "p_no_purchase");
            break;
        case 'f':
            if (!strcmp(optarg, "json"))
                o.json = 1;
            else if ((o.format = cs_format_from_name(optarg)) < 0)
                cli_usage("--format: '%s' is not csv, tsv, jsonl or json", optarg);
            break;
        case 'o': o.out = optarg; break;
        case 'q': o.load.quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("custseg-churn (custseg) %s\n", cs_version()); return 0;
        default: cli_bad_option(argv, c);
        }
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o.so.threads = cpus > 1 ? (int)cpus : 1;
    /* an option another command takes is a mistake, not something to ignore */
    static const struct {
        int opt;
        const char *name, *cmds;
    } only[] = {
        {'m', "--model", "score evaluate"},
        {OPT_UNIT, "--unit", "score evaluate"},
        {OPT_CAL_END, "--calibration-end", "score evaluate"},
        {OPT_HORIZON, "--horizon", "score"},
        {OPT_BANDS, "--bands", "score"},
        {OPT_REPORT, "--report", "score"},
        {OPT_ROC, "--roc", "evaluate"},
        {OPT_SCORE, "--score", "evaluate"},
        {OPT_PERIOD, "--period", "rates sbg"},
        {OPT_ALERT, "--alert-rate", "rates"},
        {OPT_COHORTS, "--cohorts", "rates"},
        {OPT_MATRIX, "--matrix", "rates"},
        {OPT_PERIODS, "--periods", "sbg"},
        {OPT_DISCOUNT, "--discount", "sbg"},
        {OPT_CUSTOMERS, "--customers", "sbg"},
        {OPT_COHORT_COLUMN, "--cohort-column", "sbg"},
        {OPT_BY_COHORT, "--by-cohort", "sbg"},
    };
    for (size_t i = 0; i < sizeof only / sizeof only[0]; i++)
        if (seen[only[i].opt] && !strstr(only[i].cmds, o.cmd))
            cli_usage("%s is not an option of %s (it is for %s)", only[i].name, o.cmd,
                      only[i].cmds);
    if (o.json && strcmp(o.cmd, "evaluate"))
        cli_usage("--format json is for evaluate (%s writes a table: csv, tsv or jsonl%s)",
                  o.cmd, !strcmp(o.cmd, "sbg") ? "; its main output is always JSON" : "");
    if (!strcmp(o.cmd, "sbg"))
        return cmd_sbg(&o, argv + optind, argc - optind);
    if (strcmp(o.cmd, "rates") && !o.model)
        cli_usage("%s needs --model", o.cmd);
    int rc = !strcmp(o.cmd, "rates")   ? cmd_rates(&o, argv + optind, argc - optind)
             : !strcmp(o.cmd, "score") ? cmd_score(&o, argv + optind, argc - optind)
                                       : cmd_evaluate(&o, argv + optind, argc - optind);
    /* --rejects: kept only when the command succeeded */
    if (cli_load_finish(&o.load, rc == 0))
        rc = EXIT_DATA;
    return rc;
}
