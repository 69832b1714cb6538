/* custseg-report: one self-contained HTML report from a transaction log. */
#include "common/common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage: custseg-report [OPTION]... [FILE]... -o REPORT.html\n"
    "Analyse a transaction log in one pass (or a custseg-summary table) and write\n"
    "one HTML page a manager can open: the overview (customers, transactions,\n"
    "revenue, period, what was skipped and why), concentration (Lorenz curve,\n"
    "Gini, top shares) and the customer pyramid, RFM cells and segments, observed\n"
    "churn by period and cohort retention (and contractual retention with --sbg),\n"
    "and, with a holdout period or --fit, the purchase model's fit, its check on\n"
    "the holdout, P(alive) and CLV. Charts are inline SVG: the page needs\n"
    "no network, no script and no fonts, and prints on A4. A section whose data\n"
    "are missing is left out and the page says why.\n"
    "Several FILEs are read as one log; no FILE or '-' reads standard input. A\n"
    "summary table of custseg-summary (told by its header) gives every section but\n"
    "the churn rates, cohorts and tracking chart, which need the log; its period\n"
    "and holdout are its own. --model and --spend draw saved models instead of\n"
    "fitting new ones.\n"
    "\n"
    "%s"
    "\n"
    "Analysis:\n"
    "      --as-of DATE       end of observation (default: the last date in the data)\n"
    "      --calibration-end DATE\n"
    "                         fit the model up to DATE and check it on the days after\n"
    "                         (the holdout); RFM, pyramid and concentration describe\n"
    "                         the calibration period then\n"
    "      --returns net|net-customer|drop|keep   as custseg-summary (default net)\n"
    "      --unit day|week|month  time unit of the model (default week)\n"
    "      --fit bgnbd|pnbd|mbgnbd  the purchase model (default: bgnbd when there is a\n"
    "                         holdout, none without)\n"
    "      --model FILE       use a saved purchase model instead of fitting one\n"
    "      --spend FILE       use a saved Gamma-Gamma model instead of fitting one\n"
    "      --bins N           RFM scores 1..N (2..10, default 5)\n"
    "      --period month|quarter|year  churn rates and cohorts (default month)\n"
    "      --alert RATE       mark churn above RATE (0..1)\n"
    "      --inactive-after DAYS  pyramid: no purchase for longer is Inactive (default 365)\n"
    "      --margin M         CLV: share of revenue that is profit (default 1)\n"
    "      --discount D       CLV: discount rate per month (default 0.01)\n"
    "      --title TEXT       the page's title (default \"Customer report\")\n"
    "      --sbg FILE         contractual retention: the JSON of custseg-churn sbg\n"
    "                         (survival curves by cohort, observed and projected,\n"
    "                         and the fits) in the churn section\n"
    "      --xlsx FILE        also the report's tables as a workbook, one sheet per\n"
    "                         table (Overview, Pyramid, Concentration, Segments, RFM\n"
    "                         cells, Model parameters, Validation, CLV top customers,\n"
    "                         Churn rates, Cohorts, sBG fits, sBG survival), written\n"
    "                         with the page or not at all\n"
    "\n"
    "Output:\n"
    "  -o, --output FILE      write FILE atomically; without it the page goes to\n"
    "                         standard output, which must not be a terminal\n"
    "  -j, --threads N        threads (default: the number of CPUs, at most 8)\n"
    "  -v, --verbose          report the columns chosen and every skipped record\n"
    "  -q, --quiet            no counts on standard error (warnings still print)\n"
    "  -h, --help             this help\n"
    "  -V, --version          the version\n"
    "\n"
    "Examples:\n"
    "  custseg-report --no-header --delimiter whitespace --customer 1 --date 2 \\\n"
    "      --amount 4 --date-format %%Y%%m%%d --calibration-end 1997-09-30 \\\n"
    "      CDNOW_master.txt -o cdnow.html\n"
    "  custseg-report --skip missing-id online_retail.csv.gz -o retail.html\n"
    "\n"
    "Exit status: 0 success, 1 bad data or I/O error, 2 usage error.\n";

enum {
    OPT_RETURNS = OPT_LOAD_LAST + 1,
    OPT_FIT,
    OPT_MODEL,
    OPT_SPEND,
    OPT_BINS,
    OPT_PERIOD,
    OPT_ALERT,
    OPT_INACTIVE,
    OPT_MARGIN,
    OPT_DISCOUNT,
    OPT_TITLE,
    OPT_XLSX,
    OPT_SBG,
};

/* The inputs as the page names them: "a.csv, b.csv" ("standard input"). */
static char *source_text(char **paths, int n)
{
    size_t len = 32;
    for (int i = 0; i < n; i++)
        len += strlen(paths[i]) + 2;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    if (n == 0)
        strcpy(s, "standard input");
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(s, ", ");
        strcat(s, strcmp(paths[i], "-") ? paths[i] : "standard input");
    }
    return s;
}

int main(int argc, char **argv)
{
    cli_init("custseg-report");
    struct cli_load load;
    cli_load_init(&load);
    struct cli_opts o;
    cli_opts_init(&o);
    cs_summary_options so = {0};
    cs_report_options ro;
    cs_report_options_init(&ro);
    const char *model_path = NULL, *spend_path = NULL, *xlsx_path = NULL;
    const char *sbg_path = NULL;

    static const struct option longopts[] = {
        CLI_LOAD_LONGOPTS,
        CLI_OPT_UNIT,
        CLI_OPT_AS_OF,
        CLI_OPT_CAL_END,
        {"returns", required_argument, NULL, OPT_RETURNS},
        {"fit", required_argument, NULL, OPT_FIT},
        {"model", required_argument, NULL, OPT_MODEL},
        {"spend", required_argument, NULL, OPT_SPEND},
        {"bins", required_argument, NULL, OPT_BINS},
        {"period", required_argument, NULL, OPT_PERIOD},
        {"alert", required_argument, NULL, OPT_ALERT},
        {"inactive-after", required_argument, NULL, OPT_INACTIVE},
        {"margin", required_argument, NULL, OPT_MARGIN},
        {"discount", required_argument, NULL, OPT_DISCOUNT},
        {"title", required_argument, NULL, OPT_TITLE},
        {"xlsx", required_argument, NULL, OPT_XLSX},
        {"sbg", required_argument, NULL, OPT_SBG},
        CLI_OPT_OUTPUT,
        CLI_OPT_THREADS,
        CLI_OPT_VERBOSE,
        CLI_OPT_QUIET,
        CLI_OPT_HELP,
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, ":c:d:a:o:j:vqhV", longopts, NULL)) != -1) {
        if (cli_load_option(&load, c, optarg) || cli_opts_option(&o, c, optarg))
            continue;
        switch (c) {
        case OPT_RETURNS: so.returns = cli_returns(optarg); break;
        case OPT_FIT: {
            int k = cs_model_from_name(optarg);
            if (k != CS_MODEL_BGNBD && k != CS_MODEL_PNBD && k != CS_MODEL_MBGNBD)
                cli_usage("--fit: '%s' is not bgnbd, pnbd or mbgnbd", optarg);
            ro.fit = k;
            break;
        }
        case OPT_MODEL: model_path = optarg; break;
        case OPT_SPEND: spend_path = optarg; break;
        case OPT_BINS: ro.rfm_bins = (int)cli_integer("bins", optarg, 2, CS_RFM_MAX_BINS); break;
        case OPT_PERIOD:
            if ((ro.churn_period = cs_period_from_name(optarg)) < 0)
                cli_usage("--period: '%s' is not month, quarter or year", optarg);
            break;
        case OPT_ALERT: ro.churn_alert = cli_number("alert", optarg, 0, 1); break;
        case OPT_INACTIVE: ro.inactive_after = cli_number("inactive-after", optarg, 1, 36525); break;
        case OPT_MARGIN: ro.margin = cli_number("margin", optarg, 0, 1e6); break;
        case OPT_DISCOUNT: ro.discount = cli_number("discount", optarg, 0, 10); break;
        case OPT_TITLE: ro.title = optarg; break;
        case OPT_XLSX: xlsx_path = optarg; break;
        case OPT_SBG: sbg_path = optarg; break;
        case 'h': printf(usage_text, cli_load_help); return 0;
        case 'V': printf("custseg-report (custseg) %s\n", cs_version()); return 0;
        default: cli_bad_option(argv, c);
        }
    }
    cli_opts_finish(&o);
    if (model_path && ro.fit >= 0)
        cli_usage("--model and --fit: give one (a saved model, or the model to fit)");
    if (!o.out && isatty(STDOUT_FILENO))
        cli_usage("the report is an HTML page: give -o FILE (standard output is a terminal)");
    if (xlsx_path && !strcmp(xlsx_path, "-"))
        cli_usage("--xlsx: a workbook is written to a file, not to standard output");
    load.verbose = o.verbose;
    load.quiet = o.quiet;
    so.as_of = o.as_of;
    so.calibration_end = o.calibration_end;
    so.threads = o.threads;
    ro.threads = o.threads;
    ro.unit = o.unit < 0 ? CS_UNIT_WEEK : o.unit;

    cs_model model, spend;
    if (model_path) {
        cli_load_model(model_path, &model);
        if (cs_model_role(model.kind) != CS_ROLE_PURCHASE || !cs_model_has(&model, CS_CAP_TIME_UNIT))
            cli_fail("%s: a %s model; the report takes a purchase model in a time unit "
                     "(bgnbd, pnbd, mbgnbd)", model_path, cs_model_name(model.kind));
        if (o.unit >= 0 && o.unit != model.unit)
            cli_usage("--unit %s: the model %s is in %s", cs_unit_suffix(o.unit), model_path,
                      cs_unit_suffix(model.unit));
        ro.model = &model;
    }
    if (spend_path) {
        cli_load_model(spend_path, &spend);
        if (cs_model_role(spend.kind) != CS_ROLE_SPEND)
            cli_fail("%s: a %s model; --spend takes a Gamma-Gamma model", spend_path,
                     cs_model_name(spend.kind));
        ro.spend = &spend;
    }
    char **paths = argv + optind;
    int npaths = argc - optind;
    char *source = source_text(paths, npaths);
    struct cs_model_source cmd;
    memset(&cmd, 0, sizeof cmd);
    cs_model_source_command(&cmd, argc, argv);
    ro.source = source;
    ro.command = cmd.command;

    cs_error err = {0};
    int kind;
    cs_input *first = cli_open_peek(npaths ? paths[0] : "-", &kind);
    cs_report *r;
    if (kind != CS_TABLE_OTHER && kind != CS_TABLE_SUMMARY)
        cli_fail("%s: a pattern table (counts of customers, for fitting): the report needs "
                 "the transaction log or a summary table",
                 npaths ? paths[0] : "standard input");
    if (kind == CS_TABLE_SUMMARY) {
        /* a summary table: its period and split are its own */
        if (npaths > 1)
            cli_usage("give one summary table (or transaction logs)");
        if (so.as_of != CS_DAY_NONE || so.calibration_end != CS_DAY_NONE || so.returns)
            cli_usage("%s is a summary table: --as-of, --calibration-end and --returns apply "
                      "to transactions (the table was summarised with its own)",
                      npaths ? paths[0] : "standard input");
        cs_summary *s = cs_summary_read(first, &err);
        cs_input_close(first);
        if (!s) {
            free(source);
            cli_die(&err);
        }
        r = cs_report_build_summary(s, &ro, &err);
        free(source);
        if (!r)
            cli_die(&err);
    } else {
        cs_builder *b = cli_builder_new(&load, &so);
        if (cs_report_prepare(b, &ro, &err) != CS_OK)
            cli_die(&err);
        cli_load_run(&load, b, paths, npaths, first);
        r = cs_report_build(b, &load.st, &ro, &err);
        free(source);
        if (!r) {
            cli_load_finish(&load, 0);
            cli_die(&err);
        }
    }
    if (sbg_path) {
        cli_input(sbg_path);
        cs_input *in = cs_input_open(sbg_path, &err);
        int rc = in ? cs_report_add_sbg(r, in, &err) : err.code;
        cs_input_close(in);
        if (rc != CS_OK) {
            cs_report_free(r);
            cli_load_finish(&load, 0);
            cli_die(&err);
        }
    }
    const char *const *notes;
    size_t nn = cs_report_notes(r, &notes);
    for (size_t i = 0; i < nn; i++)
        cli_warn("left out of the report: %s", notes[i]);
    FILE *out = cli_output_open(o.out);
    FILE *xl = xlsx_path ? cli_side_open(xlsx_path) : NULL;
    int ok = cs_report_write_html(r, out, &err) == CS_OK;
    if (ok && xl)
        ok = cs_report_write_xlsx(r, xl, &err) == CS_OK;
    if (!ok)
        cli_error(&err);
    cs_report_figures f;
    cs_report_get_figures(r, &f);
    cs_report_free(r);
    int fail = cli_output_close(out, ok);
    if (xl)
        fail |= cli_side_close(xl, ok && !fail);
    fail |= cli_load_finish(&load, ok && !fail);
    if (ok && !fail && o.out) {
        char n[32];
        cli_info("wrote %s: %d sections, %s customers", o.out, f.sections,
                 cli_count(f.customers, n));
    }
    return ok && !fail ? 0 : EXIT_DATA;
}
