/* custseg-clv: fit, apply and check customer-base models and CLV. */
#include "common/common.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage: custseg-clv fit --model MODEL [OPTION]... [FILE]...\n"
    "       custseg-clv predict --model FILE [--spend FILE] [OPTION]... [FILE]\n"
    "       custseg-clv validate --model FILE [--spend FILE] [OPTION]... [FILE]\n"
    "       custseg-clv new --model FILE [--horizon T] [--max-k K]\n"
    "       custseg-clv patterns --model MODEL [-o FILE] [FILE]...\n"
    "Fit customer-base models (BG/NBD, Pareto/NBD, MBG/NBD, BG/BB, Gamma-Gamma) by\n"
    "maximum likelihood, predict purchases, P(alive) and customer lifetime value,\n"
    "and check a model on a holdout period.\n"
    "\n"
    "Input: a custseg-summary table (recognised by its header), a BG/BB pattern\n"
    "table (frequency, t_x, periods[, weights]), for fit a pattern table of\n"
    "'patterns' (below), or transactions, which are\n"
    "summarised first with the options below and --unit (default week). t_x is\n"
    "the time from the first purchase to the last (t_x_UNIT in a summary); the\n"
    "former names recency_UNIT and recency are still read (t_x wins if both).\n"
    "\n"
    "fit:\n"
    "  -m, --model MODEL      bgnbd, pnbd, mbgnbd, bgbb or gg\n"
    "      --period year|quarter|month\n"
    "                         BG/BB from transactions: the whole periods after\n"
    "                         the first purchase are the opportunities\n"
    "      --l2 X             penalty X * sum(log(param)^2), for degenerate data\n"
    "      --print            a table of parameters, standard errors and fit\n"
    "                         quality on standard error\n"
    "  -o, --output FILE      the model file (JSON; default standard output); it\n"
    "                         records the calibration end, as-of day, input (name,\n"
    "                         size, SHA-256), custseg version and command line\n"
    "  Past 2 s a terminal shows \"fitting pnbd: iteration 120, LL -12345.6\".\n"
    "\n"
    "predict:\n"
    "  -m, --model FILE       a purchase model file from 'fit'\n"
    "      --spend FILE       a Gamma-Gamma model file: adds expected_spend and clv\n"
    "      --horizon T        expected purchases and P(alive) at T units ahead\n"
    "                         (default 39, in the model's unit; at most 100 years:\n"
    "                         36525 days, 5217 weeks or 1200 months, or 1000\n"
    "                         opportunities for BG/BB: no forecast reaches further)\n"
    "      --clv-periods N    CLV over N periods, at most 10000 (default 12)\n"
    "      --period-days D    length of a period in days (default 30.4375, a month\n"
    "                         of 365.25/12 days)\n"
    "      --discount D       discount rate per period (default 0.01)\n"
    "      --margin M         profit margin applied to spend (default 1)\n"
    "      --dert RATE        add DERT with a continuous discount RATE per unit\n"
    "      --bootstrap N      N bootstrap replicates (customers resampled, models\n"
    "                         refitted): adds _lo and _hi columns for expected\n"
    "                         purchases, P(alive) and CLV. At most 2000 (a refit\n"
    "                         each; percentile intervals settle by about 1000).\n"
    "                         Past 2 s a terminal shows \"bootstrap 120/500\".\n"
    "      --level L          interval level (default 0.9: 5th and 95th percentiles)\n"
    "      --seed S           seed of the bootstrap (default 1)\n"
    "  -o, --output FILE\n"
    CLI_FORMAT_HELP("csv|tsv|jsonl|xlsx")
    "\n"
    "patterns: the table a fit of MODEL needs, without the customers: the distinct\n"
    "  data of the customers, each with its count, sorted; 'fit' on it gives the\n"
    "  same model file (same digits, same log-likelihood and standard errors) as\n"
    "  on all the customers. Purchase models (bgnbd, pnbd, mbgnbd):\n"
    "  frequency,t_x_UNIT,T_UNIT,count; gg: frequency,monetary_value,count (repeat\n"
    "  buyers); bgbb: frequency,t_x,periods,weights. Inputs: summary tables (e.g.\n"
    "  one per partition of a log), pattern tables of the same kind, whose counts\n"
    "  are added (so a reduce tree works), or transaction logs (with --unit, and\n"
    "  --period for bgbb). Tables in different units are refused, never converted.\n"
    "  Every number reads back exactly (up to 17 significant digits). A pattern\n"
    "  table has no customer ids: predict and validate refuse it. 10 million\n"
    "  simulated customers over 78 weeks make 804,836 rows, 26 MB against 744 MB\n"
    "  for their summary (docs/PERFORMANCE.md).\n"
    "\n"
    "new: for a customer just acquired, P(X(T) = k) for k = 0..K-1 and K or\n"
    "  more (--max-k, default 10, at most 1000: a new customer's probability of\n"
    "  1000 purchases is nil, and each k costs a series), with E[X(T)] as the last\n"
    "  row (k = \"mean\"):\n"
    "  the repeat purchases expected in the first T units (or opportunities)\n"
    "\n"
    "validate: on a summary with a holdout period (custseg-summary\n"
    "  --calibration-end): actual and predicted holdout purchases by calibration\n"
    "  frequency 0..7+, totals, MAE and RMSE per customer; with --spend the\n"
    "  correlation of frequency and monetary value (Gamma-Gamma assumes none).\n"
    "  --model is a purchase model (a Gamma-Gamma model goes to --spend); BG/BB\n"
    "  takes a pattern table, not a summary in days or weeks. No customer is left\n"
    "  out: a row the model cannot take, an empty frequency_holdout, or a customer\n"
    "  the model gives no prediction for is an error (exit 1, nothing written).\n"
    "\n"
    "Rows (fit, predict and validate check them alike, as custseg-churn does):\n"
    "  frequency a whole number from 0 to 100000; t_x and T finite with\n"
    "  0 <= t_x <= T (pattern tables: whole periods, frequency <= periods,\n"
    "  BG/BB's x <= t_x); frequency_holdout empty or a whole number >= 0;\n"
    "  a repeat buyer's monetary_value > 0 for Gamma-Gamma. A row that breaks a\n"
    "  rule is an error naming its line, column and the rule; t_x > T on\n"
    "  most rows is reported as columns that look swapped or in other units.\n"
    "\n"
    "Transactions (as custseg-summary; see custseg-summary --help):\n"
    "  -c, --customer COL  -d, --date COL  -a, --amount COL  --quantity/--price\n"
    "  --delimiter D  --date-format FMT  --header/--no-header  --on-error\n"
    "      --unit day|week|month   (default week)\n"
    "      --as-of DATE, --calibration-end DATE\n"
    "\n"
    "  -j, --threads N (at most 64: more only wait on each other), -q, --quiet\n"
    "  (counts and notes hidden; warnings that change what the numbers mean, e.g. a\n"
    "  fit at its boundary, still shown), -qq or --silent (warnings hidden too),\n"
    "  -h, --help, -V, --version\n"
    "\n"
    "Examples:\n"
    "  custseg-summary --unit week --calibration-end 1997-09-30 orders.csv > cal.csv\n"
    "  custseg-clv fit --model bgnbd --print -o bgnbd.json cal.csv\n"
    "  custseg-clv fit --model gg -o gg.json cal.csv\n"
    "  custseg-clv predict --model bgnbd.json --spend gg.json --horizon 52 cal.csv\n"
    "  custseg-clv validate --model bgnbd.json cal.csv\n"
    "  custseg-clv patterns --model bgnbd -o p.csv part-0.csv part-1.csv\n"
    "  custseg-clv fit --model bgnbd -o bgnbd.json p.csv\n"
    "\n"
    "Exit status: 0 success, 1 bad data, a fit that did not converge or an I/O\n"
    "error, 2 usage error.\n";

enum { OPT_L2 = OPT_LOAD_LAST + 1, OPT_PRINT, OPT_SPEND, OPT_HORIZON, OPT_CLV_PERIODS,
       OPT_PERIOD_DAYS, OPT_DISCOUNT, OPT_MARGIN, OPT_DERT, OPT_BOOTSTRAP, OPT_LEVEL, OPT_SEED,
       OPT_PERIOD, OPT_MAX_K, OPT_LAST };

/* Limits on the loops options drive (see --help): far past what a user
 * needs, short of minutes of CPU. */
#define CLV_MAX_BOOTSTRAP 2000 /* percentile intervals settle by ~1000 replicates */
#define CLV_MAX_K 1000         /* P(X = k) one by one: no new customer buys 1000 times */
#define CLI_SPEND_CORR_WARN 0.3 /* as cs_validation_report_write words it */

enum { CMD_FIT, CMD_PREDICT, CMD_VALIDATE, CMD_NEW, CMD_PATTERNS };

struct clv {
    const char *cmd;
    const char *model;
    const char *spend;
    struct cli_opts c; /* -f, -o, -j, -q, --unit, --as-of, --calibration-end */
    double l2;
    int print;
    cs_predict_options po; /* --horizon, --clv-periods, --discount, --margin, --dert */
    double period_days;
    cs_boot_options bo;    /* --bootstrap, --seed, --level */
    int period;            /* BG/BB from transactions; -1: none */
    int max_k;
    cs_summary_options so;
    struct cli_load load;
    struct cs_model_source src; /* fit: the command line, for the model file */
    cs_day data_as_of;          /* fit from transactions: their end of observation */
};

/* The customers of the input: a summary or pattern table as it is, or
 * transactions summarised on the way. */
static cs_customers *read_customers_in(struct clv *o, char **paths, int n, cs_input *in,
                                       int kind)
{
    cs_error err = {0};
    cs_customers *c;
    if (kind != CS_TABLE_OTHER) {
        if (n > 1)
            cli_usage("give one summary table (or transaction logs; several tables are "
                      "combined by 'custseg-clv patterns')");
        c = cs_customers_read(in, &err);
        cs_input_close(in);
    } else {
        size_t recent = 0;
        o->so.threads = o->c.threads;
        cs_builder *b = cli_load_builder(&o->load, &o->so, paths, n, in, o->period);
        o->data_as_of = o->so.as_of != CS_DAY_NONE ? o->so.as_of : cs_builder_stats(b)->max_day;
        c = cs_builder_customers(b, o->period >= 0, o->c.unit, &recent, &err);
        if (recent) { /* customers left out: a warning */
            char k[32];
            cli_warn("left out %s customers acquired in the last whole period (no "
                     "opportunity yet)", cli_count(recent, k));
        }
    }
    if (!c)
        cli_die(&err);
    return c;
}

static cs_customers *read_customers(struct clv *o, char **paths, int n)
{
    int kind;
    cs_input *in = cli_open_peek(n > 0 ? paths[0] : "-", &kind);
    return read_customers_in(o, paths, n, in, kind);
}

/* The library names models and columns; the tool words them as its options. */
static void fit_hint(cs_error *err, int kind, const cs_customers *c, const cs_model *m)
{
    size_t len = strlen(err->message);
    if (c->kind == CS_TABLE_PATTERNS && !cs_model_kind_has(kind, CS_CAP_PATTERNS)) {
        char names[128];
        cs_model_list(~0u, CS_CAP_PATTERNS, 0, " or ", names, sizeof names);
        snprintf(err->message, sizeof err->message,
                 "a pattern table (frequency, t_x, periods) is for --model %s", names);
    } else if (cs_model_kind_has(kind, CS_CAP_MONETARY) && !c->has_monetary) {
        snprintf(err->message + len, sizeof err->message - len,
                 " (was it summarised with --no-amount?)");
    } else if (m && err->code == CS_ENOCONV && !strncmp(m->note, "did not converge", 16)) {
        snprintf(err->message + len, sizeof err->message - len,
                 ". Try --l2 0.01 to regularise, a longer calibration period, or another model");
    }
}

/* A fit's progress on a terminal, by cli_progress's rules (stderr a
 * terminal, not under -q, past CLI_PROGRESS_AFTER seconds, rewritten at most
 * every 0.5 s): "custseg-clv: fitting pnbd: iteration 120, LL -12345.6",
 * erased when the fit ends. */
struct fit_show {
    const char *model;
    struct timespec start, last;
    int width; /* of the line shown, 0: none */
};

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) * 1e-9;
}

static int fit_progress(void *ctx, long iterations, double ll)
{
    struct fit_show *s = ctx;
    if (seconds_since(&s->start) < CLI_PROGRESS_AFTER ||
        (s->width && seconds_since(&s->last) < 0.5))
        return 0;
    int w = fprintf(stderr, "\r%s: fitting %s: iteration %ld, LL %.1f", cli_name(), s->model,
                    iterations, ll);
    if (w - 1 < s->width) /* a shorter line: blank the rest of the longer one */
        fprintf(stderr, "%*s", s->width - (w - 1), "");
    if (w - 1 > s->width)
        s->width = w - 1;
    clock_gettime(CLOCK_MONOTONIC, &s->last);
    return 0;
}

static void fit_progress_end(const struct fit_show *s)
{
    if (s->width)
        fprintf(stderr, "\r%*s\r", s->width, "");
}

static int cmd_fit(struct clv *o, char **paths, int n)
{
    int kind = cs_model_from_name(o->model);
    unsigned roles = 1u << CS_ROLE_PURCHASE | 1u << CS_ROLE_SPEND;
    if (kind < 0 || !((1u << cs_model_role(kind)) & roles) ||
        cs_model_kind_has(kind, CS_CAP_LIMIT_ONLY)) {
        char names[128];
        cs_model_list(roles, 0, CS_CAP_LIMIT_ONLY, " or ", names, sizeof names);
        cli_usage("--model: '%s' is not %s", o->model, names);
    }
    cs_customers *c = read_customers(o, paths, n);
    cs_error err = {0};
    cs_fit_options fo = {.l2 = o->l2, .threads = o->c.threads};
    struct fit_show show = {.model = cs_model_name(kind)};
    if (cli_quiet() == 0 && isatty(STDERR_FILENO)) {
        clock_gettime(CLOCK_MONOTONIC, &show.start);
        fo.progress = fit_progress;
        fo.progress_ctx = &show;
    }
    cs_model model;
    int rc = cs_customers_fit(c, kind, &fo, &model, &err);
    fit_progress_end(&show);
    if (rc != CS_OK) {
        if (o->print && rc == CS_ENOCONV)
            cs_model_report_write(&model, cli_name(), stderr);
        fit_hint(&err, kind, c, &model);
        cs_customers_free(c);
        cli_die(&err);
    }
    /* what it was fitted on: the dates (of a summary table, those given),
     * the input, this custseg and the command line */
    model.calibration_end = o->c.calibration_end;
    model.as_of = o->c.as_of != CS_DAY_NONE ? o->c.as_of : o->data_as_of;
    model.source = o->src;
    cs_customers_free(c);
    if (cs_model_source_inputs(&model.source, (const char *const *)paths, (size_t)n, &err) !=
        CS_OK)
        cli_die(&err);
    if (o->print)
        cs_model_report_write(&model, cli_name(), stderr);
    else if (model.boundary) /* changes what the parameters mean: a warning */
        cli_warn("%s", model.note);
    FILE *out = cli_output_open(o->c.out);
    int ok = cs_model_save(&model, out, &err) == CS_OK;
    if (!ok)
        cli_error(&err);
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

/* The customers for m: in its unit unless --unit says otherwise; a table in
 * another unit is an error. */
static cs_customers *customers_for(struct clv *o, const cs_model *m, char **paths, int n)
{
    if (o->c.unit < 0)
        o->c.unit = m->unit;
    cs_customers *c = read_customers(o, paths, n);
    if (c->kind == CS_TABLE_COUNTS || c->kind == CS_TABLE_SPEND_COUNTS)
        cli_fail("%s is a pattern table (counts of customers with the same data, no customer "
                 "ids): it is for 'fit'; %s needs one row per customer, a summary table",
                 n > 0 ? paths[0] : "<stdin>", o->cmd);
    const char *mu = cs_unit_suffix(m->unit);
    if (!cs_model_unit_matches(m, c) && cs_model_has(m, CS_CAP_DISCRETE))
        cli_fail("the model %s is a %s model, in periods, not a time unit: it takes a pattern "
                 "table (frequency, t_x, periods), not a summary in %s; give it "
                 "transactions with --period, or a pattern table",
                 o->model, cs_model_title(m->kind), cs_unit_suffix(c->unit));
    if (!cs_model_unit_matches(m, c)) /* "--unit week": the suffix without its s */
        cli_fail("the model %s was fitted in %s but the data are in %s: summarise them with "
                 "--unit %.*s (custseg never converts silently)",
                 o->model, mu, c->unit >= 0 ? cs_unit_suffix(c->unit) : "periods",
                 (int)strlen(mu) - 1, mu);
    return c;
}

/* The rows m takes (cs_customers_check: the same rules as fit's), or exit 1. */
static void check_rows(cs_customers *c, const cs_model *m, unsigned flags)
{
    cs_error err = {0};
    if (cs_customers_check(c, m->kind, flags, &err) != CS_OK) {
        cs_customers_free(c);
        cli_die(&err);
    }
}

/* The purchase model of --model and the spend model of --spend, if any. */
static int load_models(struct clv *o, cs_model *m, cs_model *gg, const char *why)
{
    cli_load_model(o->model, m);
    if (cs_model_role(m->kind) == CS_ROLE_SPEND)
        cli_fail("%s is a %s model: %s", o->model, cs_model_title(m->kind), why);
    if (!o->spend || !gg)
        return 0;
    cli_load_model(o->spend, gg);
    if (cs_model_role(gg->kind) != CS_ROLE_SPEND)
        cli_fail("%s is a %s model, and --spend takes a Gamma-Gamma (gg) model", o->spend,
                 cs_model_name(gg->kind));
    if (!(gg->param[1] > 1))
        cli_fail("the Gamma-Gamma model has q = %g <= 1: its expected spend is infinite",
                 gg->param[1]);
    return 1;
}

/* --horizon at most 100 years in the model's unit (36525 days, 5217 weeks,
 * 1200 months), or 1000 opportunities of a discrete model: beyond that a
 * horizon is a typo, and the series behind some predictions grow with it */
static void check_horizon(const struct clv *o, const cs_model *m)
{
    double most = 1000;
    const char *what = "opportunities";
    if (!cs_model_has(m, CS_CAP_DISCRETE)) {
        int64_t num, den;
        cs_unit_days(m->unit, &num, &den);
        most = floor(36525.0 * (double)den / (double)num);
        what = cs_unit_suffix(m->unit);
    }
    if (o->po.horizon > most)
        cli_usage("--horizon: %g is more than %s; at most %g %s for this model",
                  o->po.horizon, cs_model_has(m, CS_CAP_DISCRETE) ? "1000 opportunities"
                                                                   : "100 years", most, what);
}

static int cmd_predict(struct clv *o, char **paths, int n)
{
    cs_model m, gg;
    int have_spend = load_models(o, &m, &gg, "give it with --spend, and a purchase model with "
                                             "--model");
    check_horizon(o, &m);
    cs_customers *c = customers_for(o, &m, paths, n);
    if (have_spend && !c->has_monetary)
        cli_usage("--spend needs monetary values, and the input has none");
    check_rows(c, &m, 0);
    if (have_spend)
        check_rows(c, &gg, 0);
    int64_t num, den;
    cs_unit_days(m.unit, &num, &den);
    cs_predict_options po = o->po;
    po.spend = have_spend ? &gg : NULL;
    po.period_len = o->period_days * (double)den / (double)num;
    po.threads = o->c.threads;
    o->bo.progress = cli_progress; /* on a terminal, past 2 s */
    o->bo.progress_ctx = (void *)"bootstrap";
    cs_error err = {0};
    size_t nan_rows;
    int failed;
    FILE *out = cli_output_open(o->c.out);
    int ok = cs_customers_predict_write(&m, c, &po, &o->bo, out, o->c.format,
                                        o->load.output_header != 0, &nan_rows, &failed,
                                        &err) == CS_OK;
    cs_customers_free(c);
    if (!ok && err.code == CS_ENOCONV) /* the bootstrap: nothing written */
        strncat(err.message, " (try --l2)", sizeof err.message - strlen(err.message) - 1);
    if (!ok)
        cli_error(&err);
    if (failed)
        cli_warn("%d of %d bootstrap refits did not converge and were left out", failed,
                 o->bo.replicates);
    if (nan_rows) {
        char k[32];
        cli_note_error("%s customers have predictions the model cannot give (left empty): %s",
                 cli_count(nan_rows, k), cs_model_nan_reason(m.kind));
        ok = 0;
    }
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

/* The pattern table of --model from every input: summary or pattern tables
 * one after the other (one held at a time), or transactions summarised. */
static int cmd_patterns(struct clv *o, char **paths, int n)
{
    int kind = cs_model_from_name(o->model);
    if (kind < 0 || cs_patterns_table_kind(kind) < 0) {
        char names[128];
        cs_model_list(1u << CS_ROLE_PURCHASE | 1u << CS_ROLE_SPEND, 0, CS_CAP_LIMIT_ONLY,
                      " or ", names, sizeof names);
        cli_usage("--model: '%s' is not %s", o->model, names);
    }
    cs_patterns p;
    cs_error err = {0};
    if (cs_patterns_init(&p, kind, &err) != CS_OK)
        cli_die(&err);
    int tab;
    cs_input *in = cli_open_peek(n > 0 ? paths[0] : "-", &tab);
    if (tab == CS_TABLE_OTHER) { /* transaction logs: summarised */
        if (o->c.unit < 0)
            o->c.unit = CS_UNIT_WEEK;
        cs_customers *c = read_customers_in(o, paths, n, in, tab);
        if (cs_patterns_add(&p, c, &err) != CS_OK) {
            fit_hint(&err, kind, c, NULL);
            cli_die(&err);
        }
        cs_customers_free(c);
    }
    for (int i = 0; tab != CS_TABLE_OTHER && i < (n > 0 ? n : 1); i++) {
        const char *path = n > 0 ? paths[i] : "-";
        int k = tab;
        if (i > 0)
            in = cli_open_peek(path, &k);
        if (k == CS_TABLE_OTHER)
            cli_usage("%s is not a summary or pattern table: give tables only, or "
                      "transaction logs only", path);
        cs_customers *c = cs_customers_read(in, &err);
        cs_input_close(in);
        if (!c)
            cli_die(&err);
        if (o->c.unit >= 0 && c->unit >= 0 && c->unit != o->c.unit)
            cli_fail("%s is in %s, and --unit says %s (custseg never converts)", path,
                     cs_unit_suffix(c->unit), cs_unit_suffix(o->c.unit));
        if (cs_patterns_add(&p, c, &err) != CS_OK) {
            fit_hint(&err, kind, c, NULL);
            cli_die(&err);
        }
        cs_customers_free(c);
    }
    char a[32], b[32];
    cli_info("%s customers in %s patterns", cli_count((unsigned long long)p.customers, a),
             cli_count(p.n, b));
    FILE *out = cli_output_open(o->c.out);
    int ok = cs_patterns_write(&p, out, 1, &err) == CS_OK;
    if (!ok)
        cli_error(&err);
    cs_patterns_free(&p);
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

static int cmd_new(struct clv *o, char **paths, int n)
{
    (void)paths;
    if (n > 0)
        cli_usage("new takes no input file");
    cs_model m;
    load_models(o, &m, NULL, "new-customer purchases need a purchase model");
    check_horizon(o, &m);
    FILE *out = cli_output_open(o->c.out);
    cs_error err = {0};
    int missing;
    int ok = cs_model_new_write(&m, o->po.horizon, o->max_k, out, o->c.format,
                                o->load.output_header != 0, &missing, &err) == CS_OK;
    if (!ok)
        cli_error(&err);
    if (missing) {
        cli_note_error("the model cannot give some of these values (left empty)");
        ok = 0;
    }
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

static int cmd_validate(struct clv *o, char **paths, int n)
{
    cs_model m;
    cli_load_model(o->model, &m);
    if (cs_model_role(m.kind) == CS_ROLE_SPEND)
        cli_fail("%s is a %s model: it predicts the value of purchases, not their number, "
                 "and validate checks predicted purchases; give a purchase model with --model "
                 "(and this one with --spend)",
                 o->model, cs_model_title(m.kind));
    if (cs_model_role(m.kind) != CS_ROLE_PURCHASE)
        cli_fail("%s is a %s model, and validate checks a purchase model", o->model,
                 cs_model_title(m.kind));
    if (o->spend) {
        cs_model gg;
        cli_load_model(o->spend, &gg);
        if (cs_model_role(gg.kind) != CS_ROLE_SPEND)
            cli_fail("%s is a %s model, and --spend takes a Gamma-Gamma (gg) model", o->spend,
                     cs_model_name(gg.kind));
    }
    cs_customers *c = customers_for(o, &m, paths, n);
    if (!c->has_holdout || !isfinite(c->duration_holdout))
        cli_usage("validate needs a holdout: summarise with --calibration-end (columns "
                  "frequency_holdout and duration_holdout_UNIT)");
    check_rows(c, &m, CS_CHECK_HOLDOUT);
    cs_validation v;
    cs_error err = {0};
    if (cs_model_validate(&m, c, &v, &err) != CS_OK) {
        cs_customers_free(c);
        cli_die(&err);
    }
    FILE *out = cli_output_open(o->c.out);
    int ok = cs_validation_write(&v, out, o->c.format, o->load.output_header != 0, &err) == CS_OK;
    /* the holdout totals are information (-q hides them); the spend
     * correlation is a warning only when it is large enough to make the
     * spend model suspect (then -q shows it, -qq hides it), else information */
    int spend = o->spend && c->has_monetary, loud = fabs(v.spend_corr) > CLI_SPEND_CORR_WARN;
    int q = cli_quiet();
    cs_validation_report_write(&v, m.unit,
                               (q ? 0 : CS_REPORT_HOLDOUT) |
                                   (spend && (q == 0 || (q == 1 && loud)) ? CS_REPORT_SPEND : 0),
                               cli_name(), stderr);
    cs_customers_free(c);
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

int main(int argc, char **argv)
{
    cli_init("custseg-clv");
    static const char *const cmds[] = {"fit", "predict", "validate", "new", "patterns", NULL};
    int cmd = cli_subcommand(argc, argv, cmds, usage_text);
    struct clv o = {.cmd = argv[1],
                    .po = {.horizon = 39, .clv_periods = 12, .discount = 0.01, .margin = 1},
                    .period_days = 365.25 / 12, .bo = {.seed = 1, .level = 0.9}, .period = -1,
                    .max_k = 10, .data_as_of = CS_DAY_NONE};
    if (cmd == CMD_FIT) /* before getopt_long reorders argv */
        cs_model_source_command(&o.src, argc, argv);
    cli_opts_init(&o.c);
    cli_load_init(&o.load);
    static const struct option longopts[] = {
        CLI_LOAD_LONGOPTS,
        {"model", required_argument, NULL, 'm'},
        {"spend", required_argument, NULL, OPT_SPEND},
        {"l2", required_argument, NULL, OPT_L2},
        {"print", no_argument, NULL, OPT_PRINT},
        {"horizon", required_argument, NULL, OPT_HORIZON},
        {"clv-periods", required_argument, NULL, OPT_CLV_PERIODS},
        {"period-days", required_argument, NULL, OPT_PERIOD_DAYS},
        {"discount", required_argument, NULL, OPT_DISCOUNT},
        {"margin", required_argument, NULL, OPT_MARGIN},
        {"dert", required_argument, NULL, OPT_DERT},
        {"bootstrap", required_argument, NULL, OPT_BOOTSTRAP},
        {"level", required_argument, NULL, OPT_LEVEL},
        {"seed", required_argument, NULL, OPT_SEED},
        {"period", required_argument, NULL, OPT_PERIOD},
        {"max-k", required_argument, NULL, OPT_MAX_K},
        CLI_OPT_UNIT, CLI_OPT_AS_OF, CLI_OPT_CAL_END, CLI_OPT_FORMAT, CLI_OPT_OUTPUT,
        CLI_OPT_THREADS, CLI_OPT_QUIET, CLI_OPT_HELP,
        {NULL, 0, NULL, 0},
    };
    unsigned char seen[OPT_LAST] = {0};
    int ch;
    while ((ch = getopt_long(argc, argv, ":c:d:a:m:f:o:j:qhV", longopts, NULL)) != -1) {
        if (ch >= 0 && ch < OPT_LAST) /* -c, -d, -a as their long forms */
            seen[ch == 'c' ? OPT_CUSTOMER : ch == 'd' ? OPT_DATE : ch == 'a' ? OPT_AMOUNT : ch] = 1;
        if (cli_load_option(&o.load, ch, optarg) || cli_opts_option(&o.c, ch, optarg))
            continue;
        switch (ch) {
        case 'm': o.model = optarg; break;
        case OPT_SPEND: o.spend = optarg; break;
        case OPT_L2: o.l2 = cli_number("l2", optarg, 0, 1e6); break;
        case OPT_PRINT: o.print = 1; break;
        case OPT_HORIZON: o.po.horizon = cli_number("horizon", optarg, 0, 1e6); break;
        case OPT_CLV_PERIODS: o.po.clv_periods = (int)cli_integer("clv-periods", optarg, 1, 10000); break;
        case OPT_PERIOD_DAYS: o.period_days = cli_number("period-days", optarg, 1e-3, 1e5); break;
        case OPT_DISCOUNT: o.po.discount = cli_number("discount", optarg, 0, 10); break;
        case OPT_MARGIN: o.po.margin = cli_number("margin", optarg, -1e6, 1e6); break;
        case OPT_DERT: o.po.dert_rate = cli_number("dert", optarg, 1e-9, 100); break;
        case OPT_BOOTSTRAP: o.bo.replicates = (int)cli_integer("bootstrap", optarg, 2, CLV_MAX_BOOTSTRAP); break;
        case OPT_LEVEL: o.bo.level = cli_number("level", optarg, 0.01, 0.999); break;
        case OPT_MAX_K: o.max_k = (int)cli_integer("max-k", optarg, 1, CLV_MAX_K); break;
        case OPT_SEED: o.bo.seed = (unsigned long)cli_integer("seed", optarg, 0, 4294967295L); break;
        case OPT_PERIOD:
            if ((o.period = cs_period_from_name(optarg)) < 0)
                cli_usage("--period: '%s' is not year, quarter or month", optarg);
            break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("custseg-clv (custseg) %s\n", cs_version()); return 0;
        default: cli_bad_option(argv, ch);
        }
    }
    cli_opts_finish(&o.c);
    o.load.quiet = o.c.quiet;
    o.so.as_of = o.c.as_of;
    o.so.calibration_end = o.c.calibration_end;
    /* an option another command takes is a mistake, not something to ignore */
    static const struct {
        const char *cmds;
        int opts[17];
    } only[] = {
        {"predict validate", {OPT_SPEND}},
        {"fit", {OPT_L2, OPT_PRINT}},
        {"fit patterns", {OPT_PERIOD}},
        {"predict new", {OPT_HORIZON}},
        {"predict", {OPT_CLV_PERIODS, OPT_PERIOD_DAYS, OPT_DISCOUNT, OPT_MARGIN, OPT_DERT,
                     OPT_BOOTSTRAP, OPT_LEVEL, OPT_SEED}},
        {"new", {OPT_MAX_K}},
        {"fit predict validate patterns", {OPTC_UNIT, OPTC_AS_OF, OPTC_CAL_END, 'j', OPT_CUSTOMER,
                                  OPT_DATE, OPT_AMOUNT, OPT_QUANTITY, OPT_PRICE, OPT_NO_AMOUNT,
                                  OPT_DELIMITER, OPT_DATE_FORMAT, OPT_HEADER, OPT_INPUT_HEADER,
                                  OPT_ON_ERROR, OPT_REJECTS}},
        {"predict validate new", {'f', OPTC_PRECISION, OPTC_DECIMAL_COMMA}},
    };
    for (size_t i = 0; i < sizeof only / sizeof only[0]; i++)
        for (const int *p = only[i].opts; *p; p++)
            for (const struct option *l = longopts; l->name && seen[*p]; l++)
                if (l->val == *p && !strstr(only[i].cmds, o.cmd))
                    cli_usage("--%s is not an option of %s (it is for %s)", l->name, o.cmd,
                              only[i].cmds);
    if (!o.model)
        cli_usage("%s needs --model", o.cmd);
    if (cmd == CMD_FIT && o.c.unit < 0)
        o.c.unit = CS_UNIT_WEEK;
    static int (*const run[])(struct clv *, char **, int) = {cmd_fit, cmd_predict, cmd_validate,
                                                             cmd_new, cmd_patterns};
    int rc = run[cmd](&o, argv + optind, argc - optind);
    /* --rejects: kept only when the command succeeded */
    return cli_load_finish(&o.load, rc == 0) ? EXIT_DATA : rc;
}
