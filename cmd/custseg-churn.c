/* custseg-churn: churn probabilities, contractual retention (sBG), evaluation.
 * Parses its options, calls the library (cs-churn.h) and writes. */
#include "common/common.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_text[] =
    "Usage: custseg-churn score --model FILE [--horizon H] [--bands A,B] [--report] [FILE]\n"
    "       custseg-churn evaluate --model FILE [--score S] [--format json] [--roc FILE]\n"
    "                              [--deciles FILE] [FILE]\n"
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
    "  lift and capture in the top 10% and 20%, and the number of customers whose\n"
    "  score ties across a decile edge (decile_edge_ties), for the model's score\n"
    "  and, beside it, a baseline: days since the last purchase as the score.\n"
    "  The score (--score) is p_no_purchase by default: P(no purchase in the\n"
    "  holdout's length), the very event the label counts (score's p_no_purchase\n"
    "  with --horizon set to the holdout); --score p_churn scores 1 - P(alive)\n"
    "  instead (the default before custseg 0.2; it is not the label's event and\n"
    "  is 0 for everyone under a model without drop-out). --deciles FILE writes\n"
    "  the calibration table, one row per decile of the score (1: lowest scores):\n"
    "  decile, customers, mean_score, observed_rate and the baseline's\n"
    "  baseline_mean_days_since_last, baseline_observed_rate. Deciles are by rank;\n"
    "  equal scores are split by the customers' order in the input (of equal\n"
    "  scores, the earlier customer goes to the higher decile). --format json for\n"
    "  one JSON object (with the deciles); --roc FILE writes the ROC points.\n"
    "  A model without drop-out (the NBD model a fit reports at its boundary)\n"
    "  gives P(alive) = 1 to everyone: score and evaluate warn (even under -q).\n"
    "  score and evaluate check every row as custseg-clv fit does (see\n"
    "  custseg-clv --help: whole frequencies up to 100000, 0 <= t_x <= T,\n"
    "  holdout counts whole and >= 0; evaluate: none empty): a row that breaks a\n"
    "  rule is an error naming its line and column, exit 1.\n"
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
    "  -m, --model FILE, -o, --output FILE, -f, --format csv|tsv|jsonl|xlsx|json,\n"
    "  --precision N, --decimal-comma (below),\n"
    "  -j, --threads N (for the predictions and for summarising transactions;\n"
    "  default: the number of CPUs, at most 8; the output does not depend on it),\n"
    "  -q, --quiet (counts and notes hidden; warnings that change what the numbers\n"
    "  mean still shown), -qq or --silent (warnings hidden too), -h, --help, -V,\n"
    "  --version. -j is at most 64 (more threads than that only wait on each\n"
    "  other); --horizon at most 100 years in the model's unit (36525 days, 5217\n"
    "  weeks, 1200 months: a churn horizon beyond a lifetime is a typo); --periods\n"
    "  at most 1000. A FILE of -o, --roc, --deciles or --customers is written\n"
    "  atomically; '-' is standard output.\n"
    "\n"
    CLI_FORMAT_HELP("csv|tsv|jsonl|xlsx|json")
    "  (json: evaluate's one document; --decimal-comma is for csv and tsv)\n"
    "\n"
    "Examples:\n"
    "  custseg-churn score --model bgnbd.json --horizon 26 cal.csv | sort -t, -k3 -gr | head\n"
    "  custseg-churn evaluate --model bgnbd.json --format json cal.csv\n"
    "  custseg-churn evaluate --model bgnbd.json --deciles deciles.csv cal.csv\n"
    "  custseg-churn sbg --periods 5 cohorts.csv\n"
    "  custseg-churn sbg --as-of 2026-11-01 --cohort-column plan --customers derl.csv subs.csv\n"
    "  custseg-churn rates --period quarter --alert-rate 0.15 sales.csv.gz\n";

enum { OPT_HORIZON = OPT_LOAD_LAST + 1, OPT_BANDS, OPT_ROC, OPT_PERIODS, OPT_DISCOUNT,
       OPT_PERIOD, OPT_ALERT, OPT_COHORTS, OPT_CUSTOMERS, OPT_COHORT_COLUMN, OPT_BY_COHORT,
       OPT_MATRIX, OPT_REPORT, OPT_SCORE, OPT_DECILES, OPT_LAST };

enum { CMD_SCORE, CMD_EVALUATE, CMD_SBG, CMD_RATES };
static const char *const commands[] = {"score", "evaluate", "sbg", "rates", NULL};

struct churn {
    const char *cmd, *model, *roc, *deciles, *customers, *cohort_column;
    int periods, period, table, by_cohort, score_churn, report, header;
    double alert, horizon, band[2], discount;
    struct cli_opts opts;
    struct cli_load load;
    cs_summary_options so;
};

/* the purchase models that give churn scores: a time unit and P(no purchase) */
#define CHURN_CAPS (CS_CAP_TIME_UNIT | CS_CAP_NO_PURCHASE)

/* the model and the customers it scores (a summary table, or transactions
 * summarised), in the same unit; note: say BG/NBD's blind spot */
static cs_customers *scored(struct churn *o, char **paths, int n, cs_model *m, int note)
{
    cli_load_model(o->model, m);
    char list[128];
    if (cs_model_role(m->kind) != CS_ROLE_PURCHASE || !cs_model_has(m, CHURN_CAPS)) {
        cs_model_list(1u << CS_ROLE_PURCHASE, CHURN_CAPS, 0, ", or ", list, sizeof list);
        cli_fail("%s is a %s model: churn scores need a purchase model with drop-out (%s)",
                 o->model, cs_model_name(m->kind), list);
    }
    /* a horizon beyond 100 years in the model's unit is a typo, not a question */
    int64_t num, den;
    cs_unit_days(m->unit, &num, &den);
    double most = floor(36525.0 * (double)den / (double)num);
    if (strcmp(o->cmd, "evaluate") && o->horizon > most)
        cli_usage("--horizon: %g %s is more than 100 years; at most %g (in the model's unit)",
                  o->horizon, cs_unit_suffix(m->unit), most);
    int tab, unit = o->opts.unit < 0 ? m->unit : o->opts.unit;
    cs_input *in = cli_open_peek(n ? paths[0] : "-", &tab);
    cs_error err = {0};
    cs_summary *s = tab != CS_TABLE_OTHER ? NULL : cli_summarise(&o->load, &o->so, paths, n, in);
    cs_customers *c = s ? cs_customers_from_summary(s, unit, &err) : cs_customers_read(in, &err);
    if (s)
        cs_summary_free(s);
    else
        cs_input_close(in);
    if (!c)
        cli_die(&err);
    if (c->unit != m->unit)
        cli_fail("the model %s is in %s and the data are not: summarise with --unit %s",
                 o->model, cs_unit_suffix(m->unit), cs_unit_suffix(m->unit));
    int evaluate = !strcmp(o->cmd, "evaluate");
    if (evaluate && !c->has_holdout)
        cli_usage("evaluate needs a holdout: summarise with --calibration-end");
    /* the rows the model takes (the rules of custseg-clv fit), before any note */
    unsigned check = CS_CHECK_CUSTOMERS | (evaluate ? CS_CHECK_HOLDOUT : 0);
    if (cs_customers_check(c, m->kind, check, &err) != CS_OK) {
        cs_customers_free(c);
        cli_die(&err);
    }
    if (!cs_model_has(m, CS_CAP_DROPOUT)) /* the NBD limit: the fit saw no drop-out */
        cli_warn("warning: %s is %s model, without drop-out%s: P(alive) is 1 and p_churn 0 "
                 "for every customer, so p_churn%s rank%s nobody. Rank by p_no_purchase "
                 "(evaluate's default) or expected_purchases, which this model still gives; "
                 "for drop-out, fit on a longer calibration period or another model",
                 o->model, m->kind == CS_MODEL_NBD ? "the NBD" : "a",
                 m->boundary ? " (the fit's maximum lay on the no-drop-out boundary)" : "",
                 evaluate ? "" : ", p_churn_at and the bands", evaluate ? "s" : "");
    double zero = note ? cs_churn_zero_alive(m, c) : 0; /* no repeat purchase: alive */
    if (zero > 0)
        cli_warn("note: %s takes the %.0f customers with no repeat purchase as alive "
                 "(p_churn 0); p_no_purchase, MBG/NBD or Pareto/NBD rank them better",
                 cs_model_title(m->kind), zero);
    return c;
}

/* 1 when a table was written; prints the error if not */
static int wrote(int rc, const cs_error *err)
{
    return rc == CS_OK || (cli_error(err), 0);
}

/* JSON text (NULL: out of memory) and a newline to -o */
static int put_json(struct churn *o, char *t)
{
    FILE *out = t ? cli_output_open(o->opts.out) : (cli_fail("out of memory"), NULL);
    fprintf(out, "%s\n", t);
    free(t);
    return cli_output_close(out, 1) ? EXIT_DATA : 0;
}

static int cmd_score(struct churn *o, char **paths, int n)
{
    cs_model m;
    cs_customers *c = scored(o, paths, n, &m, 1);
    cs_churn_options co = {.horizon = o->horizon, .cut = {o->band[0], o->band[1]},
                           .threads = o->opts.threads};
    cs_churn_score *sc = malloc((c->n + 1) * sizeof *sc);
    cs_churn_report rep;
    cs_error err = {0};
    if (!sc)
        cli_fail("out of memory");
    if (cs_churn_score_customers(&m, c, &co, sc, &rep, &err) != CS_OK)
        cli_die(&err);
    FILE *out = cli_output_open(o->opts.out);
    int ok = wrote(o->report ? cs_churn_report_write(&rep, out, o->opts.format, o->header, &err)
                             : cs_churn_scores_write(c, sc, out, o->opts.format, o->header, &err),
                   &err);
    free(sc);
    double churned = rep.row[CS_BAND_ALL].expected_churned, high = rep.row[CS_BAND_HIGH].customers;
    cli_info("%zu customers: %.1f expected to have churned already (%.1f%%); %zu (%.1f%%) "
                 "at high risk (p_churn_at >= %g) by %g %s from now",
                 c->n, churned, 100 * churned / (double)c->n, (size_t)high,
                 100.0 * high / (double)c->n, o->band[1], o->horizon, cs_unit_suffix(m.unit));
    cs_customers_free(c);
    if (rep.bad) {
        cli_note_error("%zu customers have probabilities the model cannot give (left empty)", rep.bad);
        ok = 0;
    }
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

static int cmd_evaluate(struct churn *o, char **paths, int n)
{
    cs_model m;
    cs_customers *c = scored(o, paths, n, &m, o->score_churn);
    if (!o->score_churn && !isfinite(c->duration_holdout))
        cli_fail("evaluate scores p_no_purchase, which needs the holdout's length "
                 "(duration_holdout): summarise with --calibration-end, or give "
                 "--score p_churn");
    size_t nroc = 0;
    double *fpr = o->roc ? malloc(2 * (c->n + 2) * sizeof *fpr) : NULL;
    double *tpr = fpr ? fpr + c->n + 2 : NULL;
    if (o->roc && !fpr)
        cli_fail("out of memory");
    cs_churn_eval ev;
    cs_error err = {0};
    int score = o->score_churn ? CS_CHURN_P_CHURN : CS_CHURN_P_NO_PURCHASE;
    if (cs_churn_evaluate(&m, c, score, &ev, fpr, tpr, &nroc, &err) != CS_OK)
        cli_die(&err);
    cs_customers_free(c);
    if (o->roc) { /* always CSV with a header; a failure: no main output either */
        FILE *fp = cli_side_open(o->roc);
        int ok = wrote(cs_churn_roc_write(fpr, tpr, nroc, fp, CS_FORMAT_CSV, 1, &err), &err);
        if (cli_side_close(fp, ok) || !ok)
            return EXIT_DATA;
    }
    free(fpr);
    if (o->deciles) { /* the format of the main output, json aside (CSV then) */
        FILE *fp = cli_side_open(o->deciles);
        int fmt = o->opts.format == CLI_FORMAT_JSON ? CS_FORMAT_CSV : o->opts.format;
        int ok = wrote(cs_churn_deciles_write(&ev, fp, fmt, o->header, &err), &err);
        if (cli_side_close(fp, ok) || !ok)
            return EXIT_DATA;
    }
    FILE *out = o->opts.format == CLI_FORMAT_JSON ? NULL : cli_output_open(o->opts.out);
    int ok = out ? wrote(cs_churn_eval_write(&ev, out, o->opts.format, o->header, &err), &err)
                 : !put_json(o, cs_churn_eval_json(&ev));
    const char *sname = o->score_churn ? "p_churn" : "p_no_purchase";
    cli_info("%zu customers, %.1f%% churned in the holdout; AUC model (%s) %.3f, "
             "baseline (days since last purchase) %.3f; %zu model scores tied across "
             "decile edges",
             ev.n, 100 * ev.model.base_rate, sname, ev.model.auc, ev.baseline.auc,
             ev.model.dec_tied);
    if (ev.model.dec_tied * 2 > ev.n) /* the deciles are mostly ties: say so */
        cli_warn("warning: %zu of %zu customers' %s ties with scores across decile edges: "
                 "the deciles, lift and capture split equal scores by input order and say "
                 "little",
                 ev.model.dec_tied, ev.n, sname);
    return (out && cli_output_close(out, ok)) || !ok ? EXIT_DATA : 0;
}

static int cmd_sbg(struct churn *o, char **paths, int n)
{
    if (n > 1)
        cli_usage("sbg reads one table (survivor counts or subscription records)");
    cs_error err = {0};
    cs_input *in = cs_input_open(n ? paths[0] : "-", &err);
    cs_sbg_options opt = {.periods = o->periods, .discount = o->discount};
    cs_subs_options so = {.period = o->period, .cohort_column = o->cohort_column,
                          .as_of = o->so.as_of}; /* default: today (UTC) */
    if (so.as_of == CS_DAY_NONE)
        so.as_of = (cs_day)(time(NULL) / 86400);
    cs_subscriptions *s;
    cs_sbg_result *res = in ? cs_sbg_fit_input(in, &so, &opt, &s, &err) : NULL;
    if (!res)
        cli_die(&err);
    cs_input_close(in);
    if (o->customers && !s)
        cli_usage("--customers needs subscription records (customer, start, end)");
    long rep = s ? cs_subscriptions_repeat_ids(s) : 0;
    if (res->failed)
        cli_warn("%zu of %zu cohorts could not be fitted (see their \"error\")", res->failed,
                 res->ncohorts);
    if (rep > 0)
        cli_warn("note: %ld customer %s more than one subscription; each subscription "
                 "counts as a subscriber of its own",
                 rep, rep == 1 ? "id has" : "ids have");
    int failed = 0;
    if (o->customers) { /* per active subscriber: period, p_renew, DERL (Fader & Hardie 2010) */
        size_t nv;
        cs_sbg_subscriber *v = cs_sbg_result_subscribers(res, s, o->by_cohort, &nv, &err);
        if (!v)
            cli_die(&err);
        FILE *fp = cli_side_open(o->customers);
        failed = !wrote(cs_sbg_subscribers_write(v, nv, s, fp, o->opts.format, o->header, &err),
                        &err);
        failed |= cli_side_close(fp, !failed);
        free(v);
    }
    cs_subscriptions_free(s);
    char *t = failed ? NULL : cs_sbg_result_json(res);
    cs_sbg_result_free(res);
    return failed ? EXIT_DATA : put_json(o, t); /* --customers failed: no JSON either */
}

static int cmd_rates(struct churn *o, char **paths, int n)
{
    int tab;
    cs_input *in = cli_open_peek(n ? paths[0] : "-", &tab);
    if (tab != CS_TABLE_OTHER)
        cli_usage("rates reads transactions, not a summary table");
    cs_builder *b = cli_load_builder(&o->load, &o->so, paths, n, in, o->period);
    cs_rates r;
    cs_rates_summary sum;
    cs_error err = {0};
    int rc = cs_builder_rates(b, &r, &err);
    cs_builder_free(b);
    if (rc != CS_OK || cs_rates_summarise(&r, o->alert, &sum, &err) != CS_OK)
        cli_die(&err);
    FILE *out = cli_output_open(o->opts.out);
    int ok = wrote(cs_rates_write(&r, o->table, o->alert, out, o->opts.format, o->header, &err),
                   &err);
    const char *pn = cs_period_name(r.period);
    char lo[16], hi[16], d[11];
    cs_period_label(r.first + (sum.kmin > 0 ? sum.kmin : 0), r.period, lo);
    cs_period_label(r.first + (sum.kmax > 0 ? sum.kmax : 0), r.period, hi);
    int say = o->table == CS_RATES_PERIODS;
    if (say && sum.kmin >= 0) /* the summary of the rates table */
        cli_info("%d %s%s with a next one: churn from %.1f%% (%s) to %.1f%% (%s); in all "
                 "%.1f%% of the active customers did not buy in the next %s",
                 r.nper - 1, pn, r.nper == 2 ? "" : "s", 100 * sum.rmin, lo, 100 * sum.rmax, hi,
                 100.0 * (double)sum.churned / (double)sum.active, pn);
    if (say && sum.alerts)
        cli_info("%zu %s with churn above %g", sum.alerts,
                 sum.alerts == 1 ? "period" : "periods", o->alert);
    cs_day_format(r.data_start, d);
    cs_period_label(r.first, r.period, lo);
    if (r.first_partial)
        cli_warn("note: the data start on %s, inside %s: that %s's counts cover only part of it",
                 d, lo, pn);
    cs_rates_free(&r);
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

/* --bands A,B: two probabilities, 0 < A < B < 1 */
static void parse_bands(const char *arg, double band[2])
{
    char a[64];
    const char *comma = strchr(arg, ',');
    size_t n = comma ? (size_t)(comma - arg) : sizeof a;
    if (n < sizeof a) {
        memcpy(a, arg, n), a[n] = '\0';
        band[0] = cli_number("bands", a, 0, 1), band[1] = cli_number("bands", comma + 1, 0, 1);
    }
    if (n >= sizeof a || !(band[0] > 0 && band[0] < band[1] && band[1] < 1))
        cli_usage("--bands: expected two probabilities A,B with 0 < A < B < 1");
}

int main(int argc, char **argv)
{
    cli_init("custseg-churn");
    int cmd = cli_subcommand(argc, argv, commands, usage_text);
    struct churn o = {.cmd = argv[1], .periods = 5, .horizon = 39, .band = {0.5, 0.8},
                      .discount = 0.1, .period = CS_PERIOD_MONTH, .alert = -1};
    cli_opts_init(&o.opts);
    o.opts.allow_json = 1; /* evaluate's; the other commands say why not below */
    cli_load_init(&o.load);
#define R(name, val) {name, required_argument, NULL, val}
#define N(name, val) {name, no_argument, NULL, val}
    static const struct option longopts[] = {
        CLI_LOAD_LONGOPTS, CLI_OPT_UNIT, CLI_OPT_AS_OF, CLI_OPT_CAL_END, CLI_OPT_FORMAT,
        CLI_OPT_OUTPUT, CLI_OPT_THREADS, CLI_OPT_QUIET, CLI_OPT_HELP, R("model", 'm'),
        R("horizon", OPT_HORIZON), R("bands", OPT_BANDS), N("report", OPT_REPORT),
        R("roc", OPT_ROC), R("deciles", OPT_DECILES), R("score", OPT_SCORE), R("period", OPT_PERIOD),
        R("alert-rate", OPT_ALERT), N("cohorts", OPT_COHORTS), N("matrix", OPT_MATRIX),
        R("periods", OPT_PERIODS), R("discount", OPT_DISCOUNT), R("customers", OPT_CUSTOMERS),
        R("cohort-column", OPT_COHORT_COLUMN), N("by-cohort", OPT_BY_COHORT), {NULL, 0, NULL, 0},
    };
    int c;
    unsigned char seen[OPT_LAST] = {0};
    while ((c = getopt_long(argc, argv, ":c:d:a:m:f:o:j:qhV", longopts, NULL)) != -1) {
        if (c >= 0 && c < (int)sizeof seen)
            seen[c] = 1;
        if (cli_load_option(&o.load, c, optarg) || cli_opts_option(&o.opts, c, optarg))
            continue;
        switch (c) {
        case 'm': o.model = optarg; break;
        case OPT_HORIZON: o.horizon = cli_number("horizon", optarg, 0, 1e6); break;
        case OPT_BANDS: parse_bands(optarg, o.band); break;
        case OPT_ROC: o.roc = optarg; break;
        case OPT_DECILES: o.deciles = optarg; break;
        case OPT_PERIODS: o.periods = (int)cli_integer("periods", optarg, 0, 1000); break;
        case OPT_DISCOUNT: o.discount = cli_number("discount", optarg, 1e-6, 10); break;
        case OPT_PERIOD:
            if ((o.period = cs_period_from_name(optarg)) < 0)
                cli_usage("--period: '%s' is not month, quarter or year", optarg);
            break;
        case OPT_ALERT: o.alert = cli_number("alert-rate", optarg, 0, 1); break;
        case OPT_COHORTS: o.table = o.table ? o.table : CS_RATES_COHORTS; break;
        case OPT_MATRIX: o.table = CS_RATES_MATRIX; break;
        case OPT_REPORT: o.report = 1; break;
        case OPT_CUSTOMERS: o.customers = optarg; break;
        case OPT_COHORT_COLUMN: o.cohort_column = optarg; break;
        case OPT_BY_COHORT: o.by_cohort = 1; break;
        case OPT_SCORE:
            if (strcmp(optarg, "p_churn") && strcmp(optarg, "p_no_purchase"))
                cli_usage("--score: '%s' is not p_churn or p_no_purchase", optarg);
            o.score_churn = !strcmp(optarg, "p_churn");
            break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("custseg-churn (custseg) %s\n", cs_version()); return 0;
        default: cli_bad_option(argv, c);
        }
    }
    cli_opts_finish(&o.opts);
    o.load.quiet = o.opts.quiet, o.header = o.load.output_header != 0;
    o.so = (cs_summary_options){.as_of = o.opts.as_of, .calibration_end = o.opts.calibration_end,
                                .threads = o.opts.threads};
    /* an option another command takes is a mistake, not something to ignore */
    static const struct {
        int opt;
        const char *cmds;
    } only[] = {
        {'m', "score evaluate"}, {OPTC_UNIT, "score evaluate"}, {OPTC_CAL_END, "score evaluate"},
        {'j', "score evaluate rates"}, {OPT_HORIZON, "score"}, {OPT_BANDS, "score"},
        {OPT_REPORT, "score"}, {OPT_ROC, "evaluate"}, {OPT_DECILES, "evaluate"}, {OPT_SCORE, "evaluate"},
        {OPT_PERIOD, "rates sbg"}, {OPT_ALERT, "rates"}, {OPT_COHORTS, "rates"},
        {OPT_MATRIX, "rates"}, {OPT_PERIODS, "sbg"}, {OPT_DISCOUNT, "sbg"},
        {OPT_CUSTOMERS, "sbg"}, {OPT_COHORT_COLUMN, "sbg"}, {OPT_BY_COHORT, "sbg"},
    };
    for (size_t i = 0; i < sizeof only / sizeof only[0]; i++)
        for (const struct option *l = longopts; seen[only[i].opt] && l->name; l++)
            if (l->val == only[i].opt && !strstr(only[i].cmds, o.cmd))
                cli_usage("--%s is not an option of %s (it is for %s)", l->name, o.cmd,
                          only[i].cmds);
    if (o.opts.format == CLI_FORMAT_JSON && cmd != CMD_EVALUATE)
        cli_usage("--format json is for evaluate (%s writes a table: csv, tsv or jsonl%s)",
                  o.cmd, cmd == CMD_SBG ? "; its main output is always JSON" : "");
    if (cmd == CMD_SBG)
        return cmd_sbg(&o, argv + optind, argc - optind);
    if (cmd != CMD_RATES && !o.model)
        cli_usage("%s needs --model", o.cmd);
    int rc = cmd == CMD_RATES   ? cmd_rates(&o, argv + optind, argc - optind)
             : cmd == CMD_SCORE ? cmd_score(&o, argv + optind, argc - optind)
                                : cmd_evaluate(&o, argv + optind, argc - optind);
    /* --rejects: kept only when the command succeeded */
    if (cli_load_finish(&o.load, rc == 0))
        rc = EXIT_DATA;
    return rc;
}
