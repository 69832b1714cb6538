/* custseg-clv: fit, apply and check customer-base models and CLV. */
#include "common/common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage: custseg-clv fit --model MODEL [OPTION]... [FILE]...\n"
    "       custseg-clv predict --model FILE [--spend FILE] [OPTION]... [FILE]\n"
    "       custseg-clv validate --model FILE [--spend FILE] [OPTION]... [FILE]\n"
    "       custseg-clv new --model FILE [--horizon T] [--max-k K]\n"
    "Fit customer-base models (BG/NBD, Pareto/NBD, MBG/NBD, BG/BB, Gamma-Gamma) by\n"
    "maximum likelihood, predict purchases, P(alive) and customer lifetime value,\n"
    "and check a model on a holdout period.\n"
    "\n"
    "Input: a custseg-summary table (recognised by its header), a BG/BB pattern\n"
    "table (frequency, recency, periods[, weights]), or transactions, which are\n"
    "summarised first with the options below and --unit (default week).\n"
    "\n"
    "fit:\n"
    "  -m, --model MODEL      bgnbd, pnbd, mbgnbd, bgbb or gg\n"
    "      --period year|quarter|month\n"
    "                         BG/BB from transactions: the whole periods after\n"
    "                         the first purchase are the opportunities\n"
    "      --l2 X             penalty X * sum(log(param)^2), for degenerate data\n"
    "      --print            a table of parameters, standard errors and fit\n"
    "                         quality on standard error\n"
    "  -o, --output FILE      the model file (JSON; default standard output)\n"
    "\n"
    "predict:\n"
    "  -m, --model FILE       a purchase model file from 'fit'\n"
    "      --spend FILE       a Gamma-Gamma model file: adds expected_spend and clv\n"
    "      --horizon T        expected purchases and P(alive) at T units ahead\n"
    "                         (default 39, in the model's unit)\n"
    "      --clv-periods N    CLV over N periods (default 12)\n"
    "      --period-days D    length of a period in days (default 30.4375, a month\n"
    "                         of 365.25/12 days)\n"
    "      --discount D       discount rate per period (default 0.01)\n"
    "      --margin M         profit margin applied to spend (default 1)\n"
    "      --dert RATE        add DERT with a continuous discount RATE per unit\n"
    "      --bootstrap N      N bootstrap replicates (customers resampled, models\n"
    "                         refitted): adds _lo and _hi columns for expected\n"
    "                         purchases, P(alive) and CLV\n"
    "      --level L          interval level (default 0.9: 5th and 95th percentiles)\n"
    "      --seed S           seed of the bootstrap (default 1)\n"
    "  -f, --format csv|tsv|jsonl, -o, --output FILE\n"
    "\n"
    "new: for a customer just acquired, P(X(T) = k) for k = 0..K-1 and K or\n"
    "  more (--max-k, default 10), with E[X(T)] as the last row (k = \"mean\"):\n"
    "  the repeat purchases expected in the first T units (or opportunities)\n"
    "\n"
    "validate: on a summary with a holdout period (custseg-summary\n"
    "  --calibration-end): actual and predicted holdout purchases by calibration\n"
    "  frequency 0..7+, totals, MAE and RMSE per customer; with --spend the\n"
    "  correlation of frequency and monetary value (Gamma-Gamma assumes none).\n"
    "\n"
    "Transactions (as custseg-summary; see custseg-summary --help):\n"
    "  -c, --customer COL  -d, --date COL  -a, --amount COL  --quantity/--price\n"
    "  --delimiter D  --date-format FMT  --header/--no-header  --on-error\n"
    "      --unit day|week|month   (default week)\n"
    "      --as-of DATE, --calibration-end DATE\n"
    "\n"
    "  -j, --threads N, -q, --quiet, -h, --help, -V, --version\n"
    "\n"
    "Examples:\n"
    "  custseg-summary --unit week --calibration-end 1997-09-30 orders.csv > cal.csv\n"
    "  custseg-clv fit --model bgnbd --print -o bgnbd.json cal.csv\n"
    "  custseg-clv fit --model gg -o gg.json cal.csv\n"
    "  custseg-clv predict --model bgnbd.json --spend gg.json --horizon 52 cal.csv\n"
    "  custseg-clv validate --model bgnbd.json cal.csv\n"
    "\n"
    "Exit status: 0 success, 1 bad data, a fit that did not converge or an I/O\n"
    "error, 2 usage error.\n";

enum {
    OPT_L2 = OPT_LOAD_LAST + 1,
    OPT_PRINT,
    OPT_SPEND,
    OPT_HORIZON,
    OPT_CLV_PERIODS,
    OPT_PERIOD_DAYS,
    OPT_DISCOUNT,
    OPT_MARGIN,
    OPT_DERT,
    OPT_UNIT,
    OPT_AS_OF,
    OPT_CAL_END,
    OPT_BOOTSTRAP,
    OPT_LEVEL,
    OPT_SEED,
    OPT_PERIOD,
    OPT_MAX_K,
};

struct clv {
    const char *cmd;
    const char *model;
    const char *spend;
    const char *out;
    int format;
    int unit;
    double l2;
    int print;
    double horizon;
    int clv_periods;
    double period_days;
    double discount;
    double margin;
    double dert;
    int period; /* BG/BB from transactions; -1: none */
    int max_k;
    int bootstrap;
    double level;
    unsigned long seed;
    int quiet;
    int threads;
    cs_summary_options so;
    struct cli_load load;
};

static double number_arg(const char *opt, const char *arg, double lo, double hi)
{
    char *end;
    double v = strtod(arg, &end);
    if (*end || !(v >= lo && v <= hi))
        cli_usage("--%s: '%s' is not a number from %g to %g", opt, arg, lo, hi);
    return v;
}

/* The customers of the input: a summary or pattern table as it is, or
 * transactions summarised on the way. */
static cs_customers *read_customers(struct clv *o, char **paths, int n)
{
    const char *first = n > 0 ? paths[0] : "-";
    int kind;
    cs_input *in = cli_open_peek(first, &kind);
    cs_error err = {0};
    if (kind != CS_TABLE_OTHER) {
        if (n > 1)
            cli_usage("give one summary table (or transaction logs)");
        cs_customers *c = cs_customers_read(in, &err);
        cs_input_close(in);
        if (!c)
            cli_die(&err);
        return c;
    }
    cli_load_ready(&o->load);
    if (o->period >= 0) {
        /* BG/BB: whole periods with a purchase, per customer */
        o->so.threads = o->threads;
        cs_builder *b = cli_load_builder(&o->load, &o->so, paths, n, in, o->period);
        size_t recent = 0;
        cs_customers *c = cs_builder_periods(b, &recent, &err);
        cs_builder_free(b);
        if (!c)
            cli_die(&err);
        if (recent && !o->quiet) {
            char k[32];
            cli_warn("left out %s customers acquired in the last whole period (no opportunity "
                     "yet)",
                     cli_count(recent, k));
        }
        return c;
    }
    o->so.threads = o->threads;
    cs_summary *s = cli_summarise(&o->load, &o->so, paths, n, in);
    cs_customers *c = cs_customers_from_summary(s, o->unit, &err);
    cs_summary_free(s);
    if (!c)
        cli_die(&err);
    return c;
}

static const char *unit_word(int unit)
{
    return unit == CS_UNIT_WEEK ? "week" : unit == CS_UNIT_MONTH ? "month" : "day";
}

static void print_fit(const cs_model *m)
{
    fprintf(stderr, "%s: %s fit on %.0f customers (%zu distinct patterns)\n", cli_name(),
            cs_model_name(m->kind), m->n_customers, m->n_patterns);
    fprintf(stderr, "  %-8s %14s %14s\n", "param", "estimate", "std. error");
    for (int j = 0; j < m->np; j++)
        fprintf(stderr, "  %-8s %14.6g %14.6g\n", cs_model_param_name(m->kind, j), m->param[j],
                m->se[j]);
    fprintf(stderr, "  log-likelihood %.4f", m->log_likelihood);
    if (cs_model_has(m, CS_CAP_TIME_UNIT))
        fprintf(stderr, " (time unit: %s)", unit_word(m->unit));
    fprintf(stderr, "\n  %s, %d iterations from %d starts, gradient norm %.2g, %s\n", m->method,
            m->iterations, m->starts, m->grad_norm, m->converged ? "converged" : "NOT converged");
    fprintf(stderr, "  %ld likelihood evaluations in %.3f s (%.3g ms each)\n", m->evaluations,
            m->seconds, m->evaluations ? 1e3 * m->seconds / (double)m->evaluations : 0.0);
    if (m->note[0])
        fprintf(stderr, "  note: %s\n", m->note);
}

/* The library names models and columns; the tool words them as its options. */
static void fit_hint(cs_error *err, int kind, const cs_customers *c, const cs_model *m)
{
    size_t len = strlen(err->message);
    if (c->kind == CS_TABLE_PATTERNS && !cs_model_kind_has(kind, CS_CAP_PATTERNS)) {
        char names[128];
        cs_model_list(~0u, CS_CAP_PATTERNS, 0, " or ", names, sizeof names);
        snprintf(err->message, sizeof err->message,
                 "a pattern table (frequency, recency, periods) is for --model %s", names);
    } else if (cs_model_kind_has(kind, CS_CAP_MONETARY) && !c->has_monetary) {
        snprintf(err->message + len, sizeof err->message - len,
                 " (was it summarised with --no-amount?)");
    } else if (m && err->code == CS_ENOCONV && !strncmp(m->note, "did not converge", 16)) {
        snprintf(err->message + len, sizeof err->message - len,
                 ". Try --l2 0.01 to regularise, a longer calibration period, or another model");
    }
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
    cs_dataset *d = cs_customers_dataset(c, kind, &err);
    if (!d) {
        fit_hint(&err, kind, c, NULL);
        cli_die(&err);
    }
    cs_fit_options fo = {.l2 = o->l2, .threads = o->threads};
    cs_model model;
    int rc = cs_model_fit(kind, d, &fo, &model, &err);
    cs_dataset_free(d);
    model.unit = c->unit >= 0 ? c->unit : 0;
    if (rc != CS_OK) {
        if (o->print && rc == CS_ENOCONV)
            print_fit(&model);
        fit_hint(&err, kind, c, &model);
        cs_customers_free(c);
        cli_die(&err);
    }
    model.calibration_end = o->so.calibration_end;
    model.as_of = o->so.as_of;
    cs_customers_free(c);
    if (o->print)
        print_fit(&model);
    else if (model.boundary && !o->quiet)
        cli_warn("%s", model.note);
    FILE *out = cli_output_open(o->out);
    int ok = cs_model_save(&model, out, &err) == CS_OK;
    if (!ok)
        cli_error(&err);
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

static void check_unit(const cs_model *m, const cs_customers *c, const char *path)
{
    if (cs_model_has(m, CS_CAP_TIME_UNIT) &&
        (c->kind != CS_TABLE_SUMMARY || c->unit != m->unit))
        cli_fail("the model %s was fitted in %ss but the data are in %ss: summarise them with "
                 "--unit %s (custseg never converts silently)",
                 path, unit_word(m->unit), c->unit >= 0 ? unit_word(c->unit) : "period",
                 unit_word(m->unit));
}

/* The purchase model of --model and the spend model of --spend, if any. */
static int load_models(struct clv *o, cs_model *m, cs_model *gg, const char *why)
{
    cli_load_model(o->model, m);
    if (cs_model_role(m->kind) == CS_ROLE_SPEND)
        cli_fail("%s is a %s model: %s", o->model, cs_model_title(m->kind), why);
    if (!o->spend)
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

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        cli_fail("out of memory");
    return p;
}

static int cmd_predict(struct clv *o, char **paths, int n)
{
    cs_model m, gg;
    int have_spend = load_models(o, &m, &gg, "give it with --spend, and a purchase model with "
                                             "--model");
    if (o->unit < 0)
        o->unit = m.unit;
    cs_customers *c = read_customers(o, paths, n);
    check_unit(&m, c, o->model);
    if (have_spend && !c->has_monetary)
        cli_usage("--spend needs monetary values, and the input has none");
    int64_t num, den;
    cs_unit_days(m.unit, &num, &den);
    cs_predict_options po = {.horizon = o->horizon,
                             .spend = have_spend ? &gg : NULL,
                             .clv_periods = o->clv_periods,
                             .period_len = o->period_days * (double)den / (double)num,
                             .discount = o->discount,
                             .margin = o->margin,
                             .dert_rate = o->dert,
                             .threads = o->threads};
    cs_prediction *pr = xmalloc((c->n + 1) * sizeof *pr);
    size_t nan_rows = cs_model_predict(&m, c->obs, c->monetary, c->n, &po, pr);
    double *lo = NULL, *hi = NULL;
    cs_error err = {0};
    if (o->bootstrap) {
        lo = xmalloc((c->n * 3 + 1) * sizeof *lo);
        hi = xmalloc((c->n * 3 + 1) * sizeof *hi);
        int failed = 0;
        if (cs_model_bootstrap(&m, c->obs, c->monetary, c->n, &po, o->bootstrap, o->seed,
                               o->level, lo, hi, &failed, &err) != CS_OK) {
            if (err.code == CS_ENOCONV)
                strncat(err.message, " (try --l2)", sizeof err.message - strlen(err.message) - 1);
            cli_die(&err);
        }
        if (failed && !o->quiet)
            cli_warn("%d of %d bootstrap refits did not converge and were left out", failed,
                     o->bootstrap);
    }
    FILE *out = cli_output_open(o->out);
    int ok = cs_predictions_write(&m, c, &po, pr, lo, hi, out, o->format,
                                  o->load.output_header != 0, &err) == CS_OK;
    free(pr);
    free(lo);
    free(hi);
    cs_customers_free(c);
    if (!ok)
        cli_error(&err);
    if (nan_rows) {
        char k[32];
        cli_warn("%s customers have predictions the model cannot give (left empty): %s",
                 cli_count(nan_rows, k), cs_model_nan_reason(m.kind));
        ok = 0;
    }
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

static int cmd_new(struct clv *o)
{
    cs_model m;
    cli_load_model(o->model, &m);
    if (cs_model_role(m.kind) == CS_ROLE_SPEND)
        cli_fail("%s is a %s model: new-customer purchases need a purchase model", o->model,
                 cs_model_title(m.kind));
    FILE *out = cli_output_open(o->out);
    cs_error err = {0};
    int missing;
    int ok = cs_model_new_write(&m, o->horizon, o->max_k, out, o->format,
                                o->load.output_header != 0, &missing, &err) == CS_OK;
    if (!ok)
        cli_error(&err);
    if (missing) {
        cli_warn("the model cannot give some of these values (left empty)");
        ok = 0;
    }
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

static int cmd_validate(struct clv *o, char **paths, int n)
{
    cs_model m;
    cli_load_model(o->model, &m);
    if (o->spend) {
        cs_model gg;
        cli_load_model(o->spend, &gg);
    }
    if (o->unit < 0)
        o->unit = m.unit;
    cs_customers *c = read_customers(o, paths, n);
    check_unit(&m, c, o->model);
    if (!c->has_holdout || !isfinite(c->duration_holdout))
        cli_usage("validate needs a holdout: summarise with --calibration-end (columns "
                  "frequency_holdout and duration_holdout_UNIT)");
    cs_validation v;
    cs_error err = {0};
    if (cs_model_validate(&m, c, &v, &err) != CS_OK)
        cli_die(&err);
    FILE *out = cli_output_open(o->out);
    int ok = cs_validation_write(&v, out, o->format, o->load.output_header != 0, &err) == CS_OK;
    double sa = v.actual[CS_VALIDATE_ALL], sp = v.predicted[CS_VALIDATE_ALL];
    if (!o->quiet && v.customers[CS_VALIDATE_ALL] > 0)
        fprintf(stderr,
                "%s: holdout of %.6g %ss: actual %.0f, predicted %.1f purchases (%+.1f%%); per "
                "customer MAE %.4f, RMSE %.4f\n",
                cli_name(), v.duration, unit_word(m.unit), sa, sp,
                sa > 0 ? 100 * (sp - sa) / sa : 0.0, v.mae, v.rmse);
    if (o->spend && c->has_monetary)
        fprintf(stderr, "%s: Gamma-Gamma: correlation of frequency and monetary value over %.0f "
                        "repeat buyers: %.3f%s\n",
                cli_name(), v.spend_n, v.spend_corr,
                fabs(v.spend_corr) > 0.3 ? " -- large: the model assumes spend independent of "
                                           "frequency, so its spend predictions are suspect"
                                         : " (small, as the model assumes)");
    cs_customers_free(c);
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

int main(int argc, char **argv)
{
    cli_init("custseg-clv");
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        printf("custseg-clv (custseg) %s\n", cs_version());
        return 0;
    }
    if (argc < 2 || argv[1][0] == '-')
        cli_usage("give a command: fit, predict, validate or new");
    struct clv o = {.cmd = argv[1],
                    .format = CS_FORMAT_CSV,
                    .unit = -1,
                    .horizon = 39,
                    .clv_periods = 12,
                    .period_days = 365.25 / 12,
                    .discount = 0.01,
                    .margin = 1,
                    .level = 0.9,
                    .period = -1,
                    .max_k = 10,
                    .seed = 1,
                    .so = {.as_of = CS_DAY_NONE, .calibration_end = CS_DAY_NONE}};
    cli_load_init(&o.load);
    if (strcmp(o.cmd, "fit") && strcmp(o.cmd, "predict") && strcmp(o.cmd, "validate") &&
        strcmp(o.cmd, "new"))
        cli_usage("'%s' is not a command: fit, predict, validate or new", o.cmd);
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
        {"unit", required_argument, NULL, OPT_UNIT},
        {"bootstrap", required_argument, NULL, OPT_BOOTSTRAP},
        {"level", required_argument, NULL, OPT_LEVEL},
        {"seed", required_argument, NULL, OPT_SEED},
        {"period", required_argument, NULL, OPT_PERIOD},
        {"max-k", required_argument, NULL, OPT_MAX_K},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"calibration-end", required_argument, NULL, OPT_CAL_END},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"threads", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    optind = 2;
    int ch;
    while ((ch = getopt_long(argc, argv, ":c:d:a:m:f:o:j:qhV", longopts, NULL)) != -1) {
        if (cli_load_option(&o.load, ch, optarg))
            continue;
        switch (ch) {
        case 'm': o.model = optarg; break;
        case OPT_SPEND: o.spend = optarg; break;
        case OPT_L2: o.l2 = number_arg("l2", optarg, 0, 1e6); break;
        case OPT_PRINT: o.print = 1; break;
        case OPT_HORIZON: o.horizon = number_arg("horizon", optarg, 0, 1e6); break;
        case OPT_CLV_PERIODS: o.clv_periods = (int)number_arg("clv-periods", optarg, 1, 10000); break;
        case OPT_PERIOD_DAYS: o.period_days = number_arg("period-days", optarg, 1e-3, 1e5); break;
        case OPT_DISCOUNT: o.discount = number_arg("discount", optarg, 0, 10); break;
        case OPT_MARGIN: o.margin = number_arg("margin", optarg, -1e6, 1e6); break;
        case OPT_DERT: o.dert = number_arg("dert", optarg, 1e-9, 100); break;
        case OPT_BOOTSTRAP: o.bootstrap = (int)number_arg("bootstrap", optarg, 2, 100000); break;
        case OPT_LEVEL: o.level = number_arg("level", optarg, 0.01, 0.999); break;
        case OPT_MAX_K: o.max_k = (int)number_arg("max-k", optarg, 1, 100000); break;
        case OPT_PERIOD:
            if ((o.period = cs_period_from_name(optarg)) < 0)
                cli_usage("--period: '%s' is not year, quarter or month", optarg);
            break;
        case OPT_SEED: o.seed = (unsigned long)number_arg("seed", optarg, 0, 4294967295.0); break;
        case OPT_UNIT:
            if ((o.unit = cs_unit_from_name(optarg)) < 0)
                cli_usage("--unit: '%s' is not day, week or month", optarg);
            break;
        case OPT_AS_OF: o.so.as_of = cli_date_arg("as-of", optarg); break;
        case OPT_CAL_END: o.so.calibration_end = cli_date_arg("calibration-end", optarg); break;
        case 'f':
            if ((o.format = cs_format_from_name(optarg)) < 0)
                cli_usage("--format: '%s' is not csv, tsv or jsonl", optarg);
            break;
        case 'o': o.out = optarg; break;
        case 'j': o.threads = (int)number_arg("threads", optarg, 1, 64); break;
        case 'q': o.quiet = o.load.quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("custseg-clv (custseg) %s\n", cs_version()); return 0;
        default: cli_bad_option(argv, ch);
        }
    }
    if (!o.model)
        cli_usage("%s needs --model", o.cmd);
    if (o.threads == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        o.threads = cpus > 1 ? (int)cpus : 1;
    }
    if (!strcmp(o.cmd, "fit")) {
        if (o.unit < 0)
            o.unit = CS_UNIT_WEEK;
        int rc = cmd_fit(&o, argv + optind, argc - optind);
        /* --rejects: kept only when the command succeeded */
        return cli_load_finish(&o.load, rc == 0) ? EXIT_DATA : rc;
    }
    if (o.spend && !strcmp(o.cmd, "fit"))
        cli_usage("--spend is for predict and validate");
    if (!strcmp(o.cmd, "new")) {
        if (optind < argc)
            cli_usage("new takes no input file");
        return cmd_new(&o);
    }
    int rc = !strcmp(o.cmd, "predict") ? cmd_predict(&o, argv + optind, argc - optind)
                                       : cmd_validate(&o, argv + optind, argc - optind);
    return cli_load_finish(&o.load, rc == 0) ? EXIT_DATA : rc;
}
