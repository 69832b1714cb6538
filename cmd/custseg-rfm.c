/* custseg-rfm: RFM scores, cells and named segments, with a segment report. */
#include "common/common.h"

#include <math.h>
#include <string.h>

static const char usage_text[] =
    "Usage: custseg-rfm [OPTION]... [FILE]...\n"
    "       custseg-rfm --save-breaks FILE [OPTION]... SUMMARY...\n"
    "Score customers on recency, frequency and monetary value, 1 to N (N best), and\n"
    "name their segments. Input: a custseg-summary table (recognised by its\n"
    "header), any customer table with the columns named below, or transactions\n"
    "(summarised first; see custseg-summary --help for the input options: -c -d -a\n"
    "--quantity --price --no-amount --delimiter --date-format --header/--no-header\n"
    "--on-error --as-of).\n"
    "\n"
    "  recency    days since the last purchase (fewer is better): the column\n"
    "             days_since_last\n"
    "  frequency  purchase days, the first included\n"
    "  monetary   total value (--monetary mean: the mean per purchase day)\n"
    "\n"
    "Without amounts (transactions read with --no-amount, a summary table without\n"
    "total_value) recency and frequency are scored alone: cells like R3F2.\n"
    "      --variables rfm|rf scores of all three (needs amounts), or of recency\n"
    "                         and frequency alone (default: rf without amounts)\n"
    "\n"
    "Table columns (giving one reads the input as a table): --customer-column NAME\n"
    "(default customer_id), --recency-column NAME (days_since_last),\n"
    "--frequency-column NAME (purchase_days), --monetary-column NAME (total_value).\n"
    "A column named recency is read only when named; --recency-column recency on a\n"
    "table without it but with days_since_last (this tool's output) reads that.\n"
    "\n"
    "Scores:\n"
    "      --bins N           scores 1..N (default 5, at most 10)\n"
    "                         Cut points are the type-7 quantiles (R's default) of\n"
    "                         the customers' values at k/N; equal values always get\n"
    "                         equal scores, and a value equal to a cut point goes to\n"
    "                         the worse bin. Ties that leave fewer bins are reported.\n"
    "      --breaks-out FILE  save the cut points (JSON; '-': standard output) with\n"
    "                         what they were computed on: variables, monetary kind,\n"
    "                         bins, time unit (days), as-of day, scores per variable\n"
    "      --breaks FILE      score with saved cut points (this month like last);\n"
    "                         --bins, --monetary or --variables other than the\n"
    "                         file's are an error (exit 1), and what is not given\n"
    "                         is taken from the file\n"
    "      --save-breaks FILE the global step over partitions: the cut points of\n"
    "                         every customer of the summary tables given (one per\n"
    "                         partition, read one at a time into counts of their\n"
    "                         distinct values, never all customers at once) saved\n"
    "                         as --breaks-out saves them, and no scores; equal to\n"
    "                         the cut points of the tables as one (R, F and M\n"
    "                         exactly). Then score each partition with --breaks\n"
    "      --breaks-r LIST, --breaks-f LIST, --breaks-m LIST\n"
    "                         fixed cut points, e.g. --breaks-r 30,60,90,180\n"
    "      --monetary total|mean\n"
    "Segments:\n"
    "      --segments NAME|FILE\n"
    "                         rfm (default: the ten segments of the R rfm package),\n"
    "                         simple (five tiers: Best, Loyal, New, Slipping, Lost),\n"
    "                         rf (ten segments on recency and frequency; the default\n"
    "                         without monetary), or a rule file: a JSON array of\n"
    "                         {\"name\": ..., \"r\": [min, max], \"f\": [min, max],\n"
    "                         \"m\": [min, max]}; the first rule that holds wins; no\n"
    "                         rule: \"Others\". Without monetary, rules on m are refused\n"
    "      --report           per segment: customers, shares of customers and\n"
    "                         revenue, orders (records), their share, average order\n"
    "                         value (revenue / orders), mean and median of\n"
    "                         days_since_last, frequency, monetary (sorted by\n"
    "                         revenue; without monetary: no revenue, sorted by\n"
    "                         orders)\n"
    "Output: -o, --output FILE; -j, --threads N (at most 64); -h, --help;\n"
    "        -V, --version\n"
    "  -q, --quiet            no counts or notes on standard error (the loader's\n"
    "                         counts, overlapping segments of a rule file); warnings\n"
    "                         that change what the scores mean still print: ties\n"
    "                         that leave fewer bins, a version 1 breaks file, the\n"
    "                         loader's (swapped dates, customers left out);\n"
    "                         -qq or --silent: no warnings either\n"
    CLI_FORMAT_HELP("csv|tsv|jsonl|xlsx")
    "\n"
    "Columns: customer_id, days_since_last, frequency, monetary, r_score, f_score,\n"
    "m_score, rfm_cell (e.g. 545), rfm_score (R+F+M), segment; without monetary:\n"
    "customer_id, days_since_last, frequency, r_score, f_score, rf_cell (e.g.\n"
    "R5F4), rf_score (R+F), segment. days_since_last was formerly called recency\n"
    "(and the report's days_since_last_mean/_median recency_mean/_median); saved\n"
    "breaks keep \"variables\": [\"recency\", ...], the name of the variable.\n"
    "\n"
    "Examples:\n"
    "  custseg-rfm orders.csv > rfm.csv\n"
    "  custseg-summary orders.csv | custseg-rfm --report\n"
    "  custseg-rfm --breaks-out march.json march.csv > march-rfm.csv\n"
    "  custseg-rfm --breaks march.json april.csv > april-rfm.csv\n"
    "  custseg-rfm --save-breaks all.json part-0.csv part-1.csv part-2.csv\n"
    "  custseg-rfm --breaks all.json part-1.csv > part-1-rfm.csv\n"
    "  custseg-rfm --segments simple --breaks-r 30,60,90,180 orders.csv\n"
    "  custseg-rfm --no-amount visits.csv > rf.csv\n";

enum { OPT_BINS = OPT_LOAD_LAST + 1, OPT_BREAKS, OPT_BREAKS_OUT, OPT_BR, OPT_BF, OPT_BM,
       OPT_MONETARY, OPT_SEGMENTS, OPT_REPORT, OPT_CCOL, OPT_RCOL, OPT_FCOL, OPT_MCOL,
       OPT_VARIABLES, OPT_SAVE_BREAKS };

/* --breaks-r/-f/-m (var 0..2): up to CS_RFM_MAX_BINS - 1 increasing numbers, by commas */
static int fixed_cuts(int var, const char *list, double *cut)
{
    const char *arg = list;
    for (int n = 0;; n++) {
        const char *e = strchr(arg, ',');
        size_t len = e ? (size_t)(e - arg) : strlen(arg);
        if (n == CS_RFM_MAX_BINS - 1 || !cs_parse_double(arg, len, &cut[n]) ||
            (n && cut[n] <= cut[n - 1]))
            cli_usage("--breaks-%c: '%s' is not a list of at most %d increasing numbers "
                      "separated by commas", "rfm"[var], list, CS_RFM_MAX_BINS - 1);
        if (!e)
            return n + 1;
        arg = e + 1;
    }
}

/* Overlapping rules named on stderr before the rest are only counted. */
#define MAX_OVERLAPS_NAMED 10

/* Overlaps are notes on the rule file (-q hides them): the first rule that
 * holds wins, as documented, so the scores are what the file says. */
static void on_overlap(void *ctx, const char *a, const char *b)
{
    (void)ctx;
    cli_info("segments '%s' and '%s' overlap: '%s' comes first and takes the shared scores",
             a, b, a);
}

static const char *const vname[3] = {"recency", "frequency", "monetary"};

/* --save-breaks: the cut points over every summary table, each read in
 * turn into the histogram and dropped. */
static int save_breaks_run(const char *path, char **paths, int n, const cs_rfm_columns *cols,
                           int bins, int monetary_mean, int rf_only,
                           const double fixed[][CS_RFM_MAX_BINS], const int *nfixed)
{
    cs_error err = {0};
    cs_rfm_hist *h = cs_rfm_hist_new(&err);
    if (!h)
        cli_die(&err);
    int named = cols->customer || cols->recency || cols->frequency || cols->monetary;
    unsigned long long customers = 0;
    for (int i = 0; i < (n > 0 ? n : 1); i++) {
        const char *name = n > 0 ? paths[i] : "-";
        int kind;
        cs_input *in = cli_open_peek(name, &kind);
        if (kind != CS_TABLE_SUMMARY && !named)
            cli_usage("--save-breaks reads summary tables (custseg-summary's, one per "
                      "partition), and %s is not one", n > 0 ? name : "<stdin>");
        cs_rfm_data *d = cs_rfm_data_read_columns(in, cols, monetary_mean, &err);
        cs_input_close(in);
        if (!d)
            cli_die(&err);
        if (d->rf_only && rf_only == 0)
            cli_fail("%s has no amounts (no column %s): RFM needs them; score recency and "
                     "frequency alone with --variables rf",
                     n > 0 ? name : "<stdin>", cols->monetary ? cols->monetary : "total_value");
        if (rf_only == 1 && !d->rf_only) {
            d->rf_only = 1;
            d->monetary = CS_RFM_MONETARY_NONE;
        }
        if (d->rf_only && (nfixed[2] >= 0))
            cli_usage("the input has no amounts: no --breaks-m or --monetary");
        if (cs_rfm_hist_add(h, d, &err) != CS_OK) {
            if (!err.file[0])
                snprintf(err.file, sizeof err.file, "%s", n > 0 ? name : "<stdin>");
            cli_die(&err);
        }
        customers += d->n;
        cs_rfm_data_free(d);
    }
    cs_rfm_breaks br;
    if (cs_rfm_hist_breaks(h, &br, bins, fixed, nfixed, &err) != CS_OK)
        cli_die(&err);
    char k[32], m[48] = "";
    if (!br.rf_only)
        snprintf(m, sizeof m, ", monetary %zu", cs_rfm_hist_values(h, CS_RFM_M));
    cli_info("%s customers from %d tables; distinct values: recency %zu, frequency %zu%s",
             cli_count(customers, k), n > 0 ? n : 1, cs_rfm_hist_values(h, CS_RFM_R),
             cs_rfm_hist_values(h, CS_RFM_F), m);
    for (int v = 0; v < (br.rf_only ? 2 : 3); v++)
        if (nfixed[v] < 0 && br.ncut[v] < bins - 1)
            cli_warn("%s: ties leave %d %s instead of %d (scores 1..%d)", vname[v],
                     br.ncut[v] + 1, br.ncut[v] ? "bins" : "bin", bins, br.ncut[v] + 1);
    cs_rfm_hist_free(h);
    FILE *out = cli_output_open(path);
    int ok = cs_rfm_breaks_save(&br, out, &err) == CS_OK;
    if (!ok)
        cli_error(&err);
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

int main(int argc, char **argv)
{
    cli_init("custseg-rfm");
    struct cli_load load;
    cli_load_init(&load);
    struct cli_opts o;
    cli_opts_init(&o);
    int bins = 5, bins_given = 0, monetary_mean = 0, monetary_given = 0, report = 0;
    int rf_only = -1; /* --variables: -1 not given (RF when there are no amounts) */
    const char *breaks_in = NULL, *breaks_out = NULL, *segments = NULL, *save_breaks = NULL;
    double fixed[3][CS_RFM_MAX_BINS];
    int nfixed[3] = {-1, -1, -1};
    const char *col[4] = {NULL, NULL, NULL, NULL};
    static const struct option longopts[] = {
        CLI_LOAD_LONGOPTS,
        {"bins", required_argument, NULL, OPT_BINS},
        {"breaks", required_argument, NULL, OPT_BREAKS},
        {"breaks-out", required_argument, NULL, OPT_BREAKS_OUT},
        {"breaks-r", required_argument, NULL, OPT_BR},
        {"breaks-f", required_argument, NULL, OPT_BF},
        {"breaks-m", required_argument, NULL, OPT_BM},
        {"monetary", required_argument, NULL, OPT_MONETARY},
        {"segments", required_argument, NULL, OPT_SEGMENTS},
        {"report", no_argument, NULL, OPT_REPORT},
        {"customer-column", required_argument, NULL, OPT_CCOL},
        {"recency-column", required_argument, NULL, OPT_RCOL},
        {"frequency-column", required_argument, NULL, OPT_FCOL},
        {"monetary-column", required_argument, NULL, OPT_MCOL},
        {"variables", required_argument, NULL, OPT_VARIABLES},
        {"save-breaks", required_argument, NULL, OPT_SAVE_BREAKS},
        CLI_OPT_AS_OF, CLI_OPT_FORMAT, CLI_OPT_OUTPUT, CLI_OPT_THREADS, CLI_OPT_QUIET,
        CLI_OPT_HELP,
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, ":c:d:a:f:o:j:qhV", longopts, NULL)) != -1) {
        if (cli_load_option(&load, c, optarg) || cli_opts_option(&o, c, optarg))
            continue;
        switch (c) {
        case OPT_BINS:
            bins = (int)cli_integer("bins", optarg, 2, CS_RFM_MAX_BINS);
            bins_given = 1;
            break;
        case OPT_BREAKS: breaks_in = optarg; break;
        case OPT_BREAKS_OUT: breaks_out = optarg; break;
        case OPT_SAVE_BREAKS: save_breaks = optarg; break;
        case OPT_BR: case OPT_BF: case OPT_BM:
            nfixed[c - OPT_BR] = fixed_cuts(c - OPT_BR, optarg, fixed[c - OPT_BR]);
            break;
        case OPT_MONETARY:
            if (!(monetary_mean = !strcmp(optarg, "mean")) && strcmp(optarg, "total"))
                cli_usage("--monetary: '%s' is not total or mean", optarg);
            monetary_given = 1;
            break;
        case OPT_VARIABLES:
            if ((rf_only = !strcmp(optarg, "rf")) == 0 && strcmp(optarg, "rfm"))
                cli_usage("--variables: '%s' is not rfm or rf", optarg);
            break;
        case OPT_SEGMENTS: segments = optarg; break;
        case OPT_REPORT: report = 1; break;
        case OPT_CCOL: case OPT_RCOL: case OPT_FCOL: case OPT_MCOL:
            col[c - OPT_CCOL] = optarg;
            break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("custseg-rfm (custseg) %s\n", cs_version()); return 0;
        default: cli_bad_option(argv, c);
        }
    }
    cli_opts_finish(&o);
    load.quiet = o.quiet;
    cs_summary_options so = {.as_of = o.as_of, .calibration_end = CS_DAY_NONE,
                             .threads = o.threads};
    if (breaks_in && (nfixed[0] >= 0 || nfixed[1] >= 0 || nfixed[2] >= 0))
        cli_usage("--breaks and --breaks-r/-f/-m do not go together");
    if (rf_only == 1 && (nfixed[2] >= 0 || monetary_given))
        cli_usage("--variables rf scores no monetary value: no --breaks-m or --monetary");
    if (load.txn.no_amount && rf_only != 0 && (nfixed[2] >= 0 || monetary_given))
        cli_usage("--no-amount leaves no monetary value: no --breaks-m or --monetary");
    if (save_breaks) {
        if (breaks_in || breaks_out || segments || report || o.out)
            cli_usage("--save-breaks computes cut points only: no --breaks, --breaks-out, "
                      "--segments, --report or --output");
        cs_rfm_columns cols = {col[0], col[1], col[2], col[3]};
        return save_breaks_run(save_breaks, argv + optind, argc - optind, &cols, bins,
                               monetary_mean, rf_only, fixed, nfixed);
    }
    cs_error err = {0};
    /* the rules first: a bad rule file should not wait for a long load (the
     * default, rfm or rf, waits for the data: RF when they have no amounts) */
    cs_rfm_rules rules = {0};
    if (segments && cs_rfm_rules_is_builtin(segments) && bins != 5)
        cli_usage("the built-in segments are defined on scores 1..5: use --bins 5 or a "
                  "rule file");
    if (segments && cs_rfm_rules_open(&rules, segments, bins, &err) != CS_OK)
        cli_die(&err);
    if (segments && !cs_rfm_rules_is_builtin(segments) && cli_quiet() < 1) {
        /* a few pairs by name, then a count: 5,000 rules are 12 million pairs */
        size_t pairs = cs_rfm_rules_overlaps(&rules, MAX_OVERLAPS_NAMED, on_overlap, NULL);
        if (pairs > MAX_OVERLAPS_NAMED)
            cli_info("... and %zu more overlapping pairs of segments (%zu in all)",
                     pairs - MAX_OVERLAPS_NAMED, pairs);
    }
    /* saved breaks: what they were computed on against what this run asks
     * for; what it does not ask for, it takes from the file */
    cs_rfm_breaks br = {.bins = bins};
    cs_rfm_breaks_want want = {.bins = bins_given ? bins : 0,
                               .monetary = !monetary_given ? CS_RFM_MONETARY_NONE
                                           : monetary_mean ? CS_RFM_MEAN : CS_RFM_TOTAL,
                               .rf_only = rf_only};
    if (breaks_in) {
        if (cs_rfm_breaks_read(&br, breaks_in, &err) != CS_OK)
            cli_die(&err);
        if (rf_only < 0 && monetary_given) /* --monetary asks for monetary scores */
            want.rf_only = 0;
        if (cs_rfm_breaks_check(&br, &want, &err) != CS_OK) {
            if (rf_only < 0 && !strcmp(err.setting, "variables"))
                snprintf(err.setting, sizeof err.setting, "monetary");
            if (rf_only < 0 && !strcmp(err.setting, "monetary"))
                snprintf(err.value, sizeof err.value, "%s", monetary_mean ? "mean" : "total");
            cli_die(&err);
        }
        want.rf_only = rf_only;
        if (br.version < 2)
            cli_warn("%s: a breaks file of version 1, which does not record the variables, "
                     "time unit and as-of day it was computed on: taken as recency in days, "
                     "frequency and monetary (save it again with --breaks-out)",
                     breaks_in);
        bins = br.bins;
        if (segments && cs_rfm_rules_is_builtin(segments) && bins != 5)
            cli_fail("%s was made for %d bins, and the built-in segments are defined on "
                     "scores 1..5: give a rule file with --segments", breaks_in, bins);
        if (!monetary_given && br.monetary)
            monetary_mean = br.monetary == CS_RFM_MEAN;
        if (rf_only < 0 && br.rf_only)
            rf_only = 1;
    }
    /* the customers: a summary table as it is, or transactions summarised */
    int n = argc - optind, kind;
    cs_input *first = cli_open_peek(n ? argv[optind] : "-", &kind);
    cs_rfm_data *d = NULL;
    if (kind == CS_TABLE_SUMMARY || col[0] || col[1] || col[2] || col[3]) { /* a table */
        if (n > 1)
            cli_usage("give one summary table (or transaction logs)");
        cs_rfm_columns cols = {col[0], col[1], col[2], col[3]};
        d = cs_rfm_data_read_columns(first, &cols, monetary_mean, &err);
        cs_input_close(first);
    } else {
        if (load.txn.no_amount && rf_only == 0)
            cli_usage("RFM needs amounts: --no-amount leaves no monetary value (score recency "
                      "and frequency alone with --variables rf)");
        cs_summary *s = cli_summarise(&load, &so, argv + optind, n, first);
        d = cs_rfm_data_from_summary(s, monetary_mean, CS_SUMMARY_IDS, &err);
        cs_summary_free(s);
    }
    if (!d)
        cli_die(&err);
    if (d->rf_only && rf_only == 0)
        cli_fail("%s has no amounts (no column %s): RFM needs them; score recency and "
                 "frequency alone with --variables rf",
                 n ? argv[optind] : "<stdin>", col[3] ? col[3] : "total_value");
    if (rf_only == 1 && !d->rf_only) {
        d->rf_only = 1;
        d->monetary = CS_RFM_MONETARY_NONE;
    }
    if (d->rf_only && (nfixed[2] >= 0 || monetary_given))
        cli_usage("the input has no amounts: no --breaks-m or --monetary");
    if (breaks_in) {
        want.rf_only = d->rf_only;
        if (cs_rfm_breaks_check(&br, &want, &err) != CS_OK) {
            if (rf_only < 0) { /* not asked for: the input has (no) amounts */
                err.setting[0] = '\0';
                strncat(err.message, d->rf_only ? " (the input has no amounts)" : "",
                        sizeof err.message - strlen(err.message) - 1);
            }
            cli_die(&err);
        }
    }
    if (!segments) {
        segments = d->rf_only ? "rf" : "rfm";
        if (bins != 5 && breaks_in)
            cli_fail("%s was made for %d bins, and the built-in segments are defined on "
                     "scores 1..5: give a rule file with --segments", breaks_in, bins);
        if (bins != 5)
            cli_usage("the built-in segments are defined on scores 1..5: use --bins 5 or a "
                      "rule file");
        if (cs_rfm_rules_open(&rules, segments, bins, &err) != CS_OK)
            cli_die(&err);
    }
    if (d->rf_only && cs_rfm_rules_check_rf(&rules, &err) != CS_OK) {
        if (cs_rfm_rules_is_builtin(segments))
            cli_usage("--segments %s: %s; without monetary use --segments rf or a rule file "
                      "on r and f", segments, err.message);
        snprintf(err.file, sizeof err.file, "%s", segments);
        cli_die(&err);
    }

    if (!breaks_in) {
        if (cs_rfm_breaks_compute(&br, d, bins, fixed, nfixed, &err) != CS_OK)
            cli_die(&err);
        for (int v = 0; v < (d->rf_only ? 2 : 3); v++)
            if (nfixed[v] < 0 && br.ncut[v] < bins - 1)
                cli_warn("%s: ties leave %d %s instead of %d (scores 1..%d)", vname[v],
                         br.ncut[v] + 1, br.ncut[v] ? "bins" : "bin", bins, br.ncut[v] + 1);
    }
    if (cs_rfm_data_check(d, &err) != CS_OK)
        cli_die(&err);
    /* '-': standard output; a file is committed with the output, or removed */
    FILE *side = breaks_out ? cli_side_open(breaks_out) : NULL;
    if (side && cs_rfm_breaks_save(&br, side, &err) != CS_OK)
        cli_die(&err);
    static const char *const score_names[] = {"customer_id", "days_since_last", "frequency",
        "monetary", "r_score", "f_score", "m_score", "rfm_cell", "rfm_score", "segment"};
    static const char *const rf_names[] = {"customer_id", "days_since_last", "frequency",
        "r_score", "f_score", "rf_cell", "rf_score", "segment"};
    static const char *const report_names[] = {
        "segment", "customers", "customer_share", "revenue", "revenue_share", "orders",
        "order_share", "aov", "days_since_last_mean", "days_since_last_median",
        "frequency_mean", "frequency_median", "monetary_mean", "monetary_median"};
    static const char *const rf_report_names[] = {
        "segment", "customers", "customer_share", "orders", "order_share",
        "days_since_last_mean", "days_since_last_median", "frequency_mean",
        "frequency_median"};
    int rf = d->rf_only;
    const char *const *names = report ? (rf ? rf_report_names : report_names)
                                      : (rf ? rf_names : score_names);
    size_t ncol = report ? (rf ? 9 : 14) : (rf ? 8 : 10);
    FILE *out = cli_output_open(o.out);
    cs_writer *w = cs_writer_new(out, o.format, load.output_header != 0, names, ncol, &err);
    if (!w)
        cli_die(&err);
    cs_writer_set_sheet(w, report ? "Segments" : "RFM"); /* --format xlsx */
    for (size_t k = 0; k < ncol; k++)
        if (!strcmp(names[k], "revenue") || !strcmp(names[k], "aov") ||
            !strncmp(names[k], "monetary", 8))
            cs_writer_money_column(w, k);
    cs_rfm_report rep = {0};
    if (report && cs_rfm_report_compute(&rep, d, &br, &rules, &err) != CS_OK)
        cli_die(&err);
    for (size_t i = 0; !report && i < d->n; i++) {
        cs_rfm_scored sc;
        cs_rfm_score_customer(&br, &rules, d, i, &sc);
        cs_writer_str(w, d->ids.bytes + d->ids.off[i], d->ids.len[i]);
        for (int v = 0; v < 3 - rf; v++)
            cs_writer_real(w, d->v[v][i]);
        for (int v = 0; v < 3 - rf; v++)
            cs_writer_int(w, sc.score[v]);
        if (rf)
            cs_writer_str(w, sc.cell, strlen(sc.cell));
        else
            cs_writer_num(w, sc.cell, strlen(sc.cell));
        cs_writer_int(w, sc.sum);
        cs_writer_str(w, sc.segment, strlen(sc.segment));
        if (cs_writer_end_row(w) != CS_OK)
            break;
    }
    double all_orders = 0;
    for (size_t k = 0; k < rep.n; k++)
        all_orders += rep.row[k].orders;
    for (size_t k = 0; k < rep.n; k++) {
        const cs_rfm_report_row *row = &rep.row[k];
        cs_writer_str(w, row->segment, strlen(row->segment));
        cs_writer_int(w, (long long)row->customers);
        cs_writer_real(w, row->customer_share);
        if (!rf) {
            cs_writer_real(w, row->revenue);
            cs_writer_real(w, row->revenue_share);
        }
        cs_writer_real(w, row->orders);
        cs_writer_real(w, all_orders > 0 ? row->orders / all_orders : NAN);
        if (!rf)
            cs_writer_real(w, row->aov);
        for (int v = 0; v < (rf ? 4 : 6); v++)
            cs_writer_real(w, v % 2 ? row->median[v / 2] : row->mean[v / 2]);
        cs_writer_end_row(w);
    }
    int ok = cs_writer_finish(w, &err) == CS_OK;
    cs_writer_free(w);
    if (!ok)
        cli_error(&err);
    cs_rfm_report_free(&rep), cs_rfm_data_free(d), cs_rfm_rules_free(&rules);
    int fail = cli_output_close(out, ok);
    fail |= side ? cli_side_close(side, ok && !fail) : 0;
    return fail | cli_load_finish(&load, ok) || !ok ? EXIT_DATA : 0;
}
