/* custseg-pyramid: value tiers and the concentration of value. */
#include "common/common.h"

#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "Usage: custseg-pyramid [OPTION]... [FILE]...\n"
    "Tier customers by value into a customer pyramid and measure how concentrated\n"
    "the value is. Input: a custseg-summary table (value: total_value), any table\n"
    "with customer ids and the column named by --value-column (e.g. clv from\n"
    "custseg-clv predict: a predicted pyramid), or transactions (summarised\n"
    "first; see custseg-summary --help for the input options).\n"
    "\n"
    "      --scheme curry|zeithaml|custom\n"
    "                 curry (default): Top 1%, Big 4%, Medium 15%, Small 80% of the\n"
    "                 active customers by value, and Inactive: no purchase within\n"
    "                 --inactive-after; zeithaml: Platinum (top 5%), Gold (next\n"
    "                 15%), Iron (the rest with value > 0) and Lead (value <= 0:\n"
    "                 customers who cost money); custom: --cuts or --value-shares\n"
    "      --cuts LIST          cumulative shares of customers, e.g. 0.01,0.05,0.2\n"
    "                           (also sets the curry and zeithaml cut points)\n"
    "      --value-shares LIST  cumulative shares of value, e.g. 0.5,0.8\n"
    "      --inactive-after D   curry: D days, or Nw, Nm (months of 365.25/12\n"
    "                           days), Ny (default 12m)\n"
    "      --value-column NAME  tier by this column of the input table\n"
    "      --customer-column NAME\n"
    "                           the table's customer ids (default customer_id)\n"
    "      --cost-column NAME   subtract this column of the table (value - cost =\n"
    "                           profit; zeithaml's Lead are those with profit <= 0)\n"
    "      --margin M           multiply the values by M (revenue to profit)\n"
    "      --as-of DATE         end of observation for transactions\n"
    "      --window D           transactions: the value of the last D (e.g. 12m)\n"
    "                           before --as-of (default: all history)\n"
    "      --compare-as-of DATE transactions: tier the customers at DATE too, and\n"
    "                           write the migration from the tiers at DATE to the\n"
    "                           tiers now: from_tier, to_tier, customers, value at\n"
    "                           DATE, value now (New: no purchase by DATE); the\n"
    "                           up, down and stay rates go to standard error\n"
    "      --before FILE        the same migration from the tiers in FILE, an\n"
    "                           earlier custseg-pyramid output (customer_id, tier);\n"
    "                           customers missing now are Lost\n"
    "\n"
    "Ties: a tier's threshold is the value of the customer at position\n"
    "ceil(share x m) of the m eligible customers sorted by value, highest first\n"
    "(for --value-shares: the customer at which the cumulative value first reaches\n"
    "the share); every customer whose value reaches a threshold is in that tier,\n"
    "so customers with equal values are always in the same, higher tier. On\n"
    "n = 100 distinct values curry gives 1, 4, 15 and 80 customers.\n"
    "\n"
    "Output per customer: customer_id, value, rank (1 + the number of eligible\n"
    "customers with a higher value), percentile (share of eligible customers at\n"
    "or below), tier.\n"
    "      --report             per tier instead: customers, share of customers,\n"
    "                           value, share of value, mean, median, min, max\n"
    "      --concentration FILE JSON ('-': standard output): gini over all\n"
    "                           customers (values <= 0 included; with x ascending,\n"
    "                           G = 2 sum(i x_i) / (n sum x) - (n + 1) / n),\n"
    "                           top_1pct_share, top_5pct_share, top_20pct_share,\n"
    "                           lorenz (100 points: the share held by the lowest\n"
    "                           1%, 2%, .. 100%)\n"
    "  -o, --output FILE, -j, --threads N (at most 64), -h, --help, -V, --version\n"
    "  -q, --quiet          no counts or notes on standard error (the migration\n"
    "                       rates); warnings that change what the tiers mean still\n"
    "                       print: a value tier left empty, no days_since_last\n"
    "                       (every customer active), the loader's (swapped dates,\n"
    "                       customers left out); -qq or --silent: no warnings either\n"
    CLI_FORMAT_HELP("csv|tsv|jsonl|xlsx")
    "\n"
    "Examples:\n"
    "  custseg-pyramid --report orders.csv\n"
    "  custseg-pyramid --concentration conc.json customers.csv > tiers.csv\n"
    "  custseg-clv predict --model bgnbd.json --spend gg.json cal.csv |\n"
    "      custseg-pyramid --value-column clv --scheme custom --value-shares 0.5,0.8\n";

enum { OPT_SCHEME = OPT_LOAD_LAST + 1, OPT_CUTS, OPT_VSHARES, OPT_INACTIVE, OPT_VCOL,
       OPT_REPORT, OPT_CONC, OPT_WINDOW, OPT_COMPARE, OPT_BEFORE, OPT_MARGIN, OPT_COST,
       OPT_CCOL };

/* Up to CS_PYR_MAX_TIERS - 1 plain numbers separated by commas. */
static int list_arg(const char *opt, const char *list, double *v)
{
    const char *arg = list;
    for (int n = 0;; n++) {
        const char *e = strchr(arg, ',');
        size_t len = e ? (size_t)(e - arg) : strlen(arg);
        if (n == CS_PYR_MAX_TIERS - 1 || !cs_parse_double(arg, len, &v[n]))
            cli_usage("--%s: '%s' is not a list of up to %d shares separated by commas", opt,
                      list, CS_PYR_MAX_TIERS - 1);
        if (!e)
            return n + 1;
        arg = e + 1;
    }
}

/* A number of days, weeks (w), months (m) or years (y) > 0. */
static double days_arg(const char *opt, const char *s)
{
    size_t len = strlen(s);
    static const char units[] = "dwmy";
    static const double unit[] = {1, 7, 365.25 / 12, 365.25};
    const char *u = len ? strchr(units, s[len - 1]) : NULL;
    double v;
    if (!cs_parse_double(s, len - (u != NULL), &v) || !(v > 0 && v < 1e7))
        cli_usage("--%s: '%s' is not a duration like 365, 52w, 12m or 1y", opt, s);
    return v * (u ? unit[u - units] : 1);
}

/* The migration matrix: from-tiers and New, to-tiers (and Lost when asked:
 * customers missing now). */
static int write_migration(const cs_pyramid *pyr, const cs_pyramid_migration *m, int format,
                           int header, const char *out_path, int lost)
{
    const char *names[] = {"from_tier", "to_tier", "customers", "value_before", "value_after"};
    cs_error err = {0};
    FILE *out = cli_output_open(out_path);
    cs_writer *w = cs_writer_new(out, format, header, names, m->value_before ? 5 : 3, &err);
    if (!w)
        cli_die(&err);
    cs_writer_set_sheet(w, "Migration"); /* --format xlsx: the sheet, money columns */
    cs_writer_money_column(w, 3);
    cs_writer_money_column(w, 4);
    int T = m->ntiers;
    for (int f = 0; f <= T; f++)
        for (int t = 0; t <= T; t++) {
            if (t == T && (!lost || f == T))
                continue;
            size_t c = (size_t)f * (size_t)(T + 1) + (size_t)t;
            const char *fn = f == T ? "New" : pyr->names[f];
            const char *tn = t == T ? "Lost" : pyr->names[t];
            cs_writer_str(w, fn, strlen(fn));
            cs_writer_str(w, tn, strlen(tn));
            cs_writer_int(w, (long long)m->customers[c]);
            if (m->value_before) {
                cs_writer_real(w, m->value_before[c]);
                cs_writer_real(w, m->value_after[c]);
            }
            cs_writer_end_row(w);
        }
    int ok = cs_writer_finish(w, &err) == CS_OK;
    cs_writer_free(w);
    if (!ok)
        cli_error(&err);
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

/* Writes the matrix and the rates (information: hidden by -q); frees m.
 * before: the file of the earlier tiers, or NULL (the earlier date of the
 * log). */
static int migration_out(const cs_pyramid *pyr, cs_pyramid_migration *m, const char *before,
                         int format, int header, const char *out_path)
{
    int rc = write_migration(pyr, m, format, header, out_path, before || m->lost);
    size_t b = m->up + m->down + m->stay + m->lost;
    double d = b ? (double)b : 1, up = 100.0 * (double)m->up / d,
           down = 100.0 * (double)m->down / d, stay = 100.0 * (double)m->stay / d;
    if (b && !before)
        cli_info("of %zu customers tiered at the earlier date: up %.1f%%, down %.1f%%, "
                 "stay %.1f%%; %zu new %s since",
                 b, up, down, stay, m->new_customers,
                 m->new_customers == 1 ? "customer" : "customers");
    else if (b)
        cli_info("of %zu customers in %s: up %.1f%%, down %.1f%%, stay %.1f%%, lost %.1f%%", b,
                 before, up, down, stay, 100.0 * (double)m->lost / d);
    cs_pyramid_migration_free(m);
    return rc;
}

int main(int argc, char **argv)
{
    cli_init("custseg-pyramid");
    struct cli_load load;
    cli_load_init(&load);
    struct cli_opts o;
    cli_opts_init(&o);
    int scheme = CS_PYR_CURRY, report = 0, ncuts = 0;
    double cuts[CS_PYR_MAX_TIERS], inactive = 365.25;
    const char *vcol = NULL, *conc = NULL, *ccol = NULL;
    int value_shares = 0;
    double window = 0;
    cs_day compare = CS_DAY_NONE;
    const char *before = NULL, *cost_col = NULL;
    double margin = 1;
    static const struct option longopts[] = {
        CLI_LOAD_LONGOPTS,
        {"scheme", required_argument, NULL, OPT_SCHEME},
        {"cuts", required_argument, NULL, OPT_CUTS},
        {"value-shares", required_argument, NULL, OPT_VSHARES},
        {"inactive-after", required_argument, NULL, OPT_INACTIVE},
        {"value-column", required_argument, NULL, OPT_VCOL},
        {"report", no_argument, NULL, OPT_REPORT},
        {"concentration", required_argument, NULL, OPT_CONC},
        {"customer-column", required_argument, NULL, OPT_CCOL},
        {"window", required_argument, NULL, OPT_WINDOW},
        {"compare-as-of", required_argument, NULL, OPT_COMPARE},
        {"before", required_argument, NULL, OPT_BEFORE},
        {"margin", required_argument, NULL, OPT_MARGIN},
        {"cost-column", required_argument, NULL, OPT_COST},
        CLI_OPT_AS_OF,
        CLI_OPT_FORMAT,
        CLI_OPT_OUTPUT,
        CLI_OPT_THREADS,
        CLI_OPT_QUIET,
        CLI_OPT_HELP,
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, ":c:d:a:f:o:j:qhV", longopts, NULL)) != -1) {
        if (cli_load_option(&load, c, optarg) || cli_opts_option(&o, c, optarg))
            continue;
        switch (c) {
        case OPT_SCHEME:
            if (!strcmp(optarg, "curry"))
                scheme = CS_PYR_CURRY;
            else if (!strcmp(optarg, "zeithaml"))
                scheme = CS_PYR_ZEITHAML;
            else if (!strcmp(optarg, "custom"))
                scheme = CS_PYR_CUTS;
            else
                cli_usage("--scheme: '%s' is not curry, zeithaml or custom", optarg);
            break;
        case OPT_CUTS: ncuts = list_arg("cuts", optarg, cuts); break;
        case OPT_VSHARES:
            ncuts = list_arg("value-shares", optarg, cuts);
            value_shares = 1;
            break;
        case OPT_INACTIVE: inactive = days_arg("inactive-after", optarg); break;
        case OPT_VCOL: vcol = optarg; break;
        case OPT_REPORT: report = 1; break;
        case OPT_CONC: conc = optarg; break;
        case OPT_CCOL: ccol = optarg; break;
        case OPT_WINDOW: window = days_arg("window", optarg); break;
        case OPT_COMPARE: compare = cli_date_arg("compare-as-of", optarg); break;
        case OPT_BEFORE: before = optarg; break;
        case OPT_MARGIN: margin = cli_number("margin", optarg, -1e6, 1e6); break;
        case OPT_COST: cost_col = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("custseg-pyramid (custseg) %s\n", cs_version()); return 0;
        default: cli_bad_option(argv, c);
        }
    }
    cli_opts_finish(&o);
    load.quiet = o.quiet;
    cs_summary_options so = {.as_of = o.as_of, .calibration_end = CS_DAY_NONE,
                             .threads = o.threads};
    int format = o.format, table = vcol || ccol;
    const char *out_path = o.out;
    if (scheme == CS_PYR_CUTS && value_shares)
        scheme = CS_PYR_VALUE;
    if (value_shares && scheme != CS_PYR_VALUE)
        cli_usage("--value-shares goes with --scheme custom");
    if (scheme == CS_PYR_CUTS && ncuts == 0)
        cli_usage("--scheme custom needs --cuts or --value-shares");
    cs_error err = {0};
    cs_pyramid pyr;
    if (cs_pyramid_init(&pyr, scheme, cuts, ncuts, &err) != CS_OK)
        cli_usage("%s", err.message);

    /* the values: a table's column, or the total value of transactions */
    int n = argc - optind, kind;
    cs_input *first = cli_open_peek(n ? argv[optind] : "-", &kind);
    cs_values *vals = NULL;
    if ((kind == CS_TABLE_SUMMARY || table) && (window > 0 || compare != CS_DAY_NONE))
        cli_usage("--window and --compare-as-of read transactions, not a table");
    if (kind == CS_TABLE_SUMMARY || table) {
        if (n > 1)
            cli_usage("give one table (or transaction logs)");
        vals = cs_values_read_columns(first, ccol, vcol ? vcol : "total_value", cost_col, &err);
        cs_input_close(first);
        if (!vals)
            cli_die(&err);
    } else if (window > 0 || compare != CS_DAY_NONE) {
        cli_load_ready(&load);
        if (load.txn.no_amount)
            cli_usage("the pyramid needs amounts: --no-amount leaves no value");
        if (window > 0 && so.as_of == CS_DAY_NONE)
            cli_usage("--window needs --as-of: the window ends there");
        if (compare != CS_DAY_NONE && so.as_of != CS_DAY_NONE && compare >= so.as_of)
            cli_usage("--compare-as-of must be before --as-of");
        cs_load_options lo = {.skip_bad = load.skip_bad, .first_input = first};
        char *stdin_path[] = {"-"};
        int nd = compare != CS_DAY_NONE ? 2 : 1;
        int32_t dates[2] = {nd == 2 ? compare : so.as_of, so.as_of};
        cs_values2 *v2 = cs_values_at_dates((const char *const *)(n ? argv + optind : stdin_path),
                                            n ? (size_t)n : 1, &load.txn, &lo, &so, dates,
                                            nd, window, &err);
        if (!v2)
            cli_die(&err);
        if (nd == 2) {
            cs_pyramid_migration m;
            if (cs_pyramid_migrate_dates(&m, &pyr, v2, inactive, &err) != CS_OK)
                cli_die(&err);
            cs_values2_free(v2);
            return migration_out(&pyr, &m, NULL, format, load.output_header != 0, out_path);
        }
        if (!(vals = cs_values2_take(v2, 0, &err)))
            cli_die(&err);
    } else {
        if (load.txn.no_amount)
            cli_usage("the pyramid needs amounts: --no-amount leaves no value");
        cs_summary *s = cli_summarise(&load, &so, argv + optind, n, first);
        /* through the summary writer and back would be slower: copy */
        vals = cs_values_from_summary(s, CS_SUMMARY_IDS, &err);
        cs_summary_free(s);
        if (!vals)
            cli_die(&err);
    }
    if (cost_col && kind != CS_TABLE_SUMMARY && !table)
        cli_usage("--cost-column reads a table (with --value-column or a summary)");
    size_t nn = vals->n;
    if (margin != 1)
        cs_values_scale(vals, margin);
    if (cs_values_check(vals, &err) != CS_OK)
        cli_die(&err);
    int *active = malloc((nn + 1) * sizeof *active), *tier = malloc((nn + 1) * sizeof *tier);
    size_t *rank = malloc((nn + 1) * sizeof *rank);
    double *pct = malloc((nn + 1) * sizeof *pct);
    size_t unknown = cs_values_active(vals, inactive, active);
    if (scheme == CS_PYR_CURRY && unknown)
        cli_warn("the input has no days_since_last: every customer counts as active");
    if (cs_pyramid_tier(&pyr, vals->value, active, nn, tier, rank, pct, &err) != CS_OK)
        cli_die(&err);
    /* a value tier (one the cuts make) left empty: ties at a threshold put
     * its customers in the tier above, or there are too few customers for
     * its share; the tiers are then not what the scheme says */
    size_t per[CS_PYR_MAX_TIERS + 1] = {0}, eligible = 0;
    for (size_t i = 0; i < nn; i++)
        per[tier[i]]++;
    for (int t = 0; t <= pyr.ncuts; t++)
        eligible += per[t];
    char empty[256] = "";
    size_t nempty = 0, eo = 0;
    for (int t = 0; t <= pyr.ncuts && eligible; t++)
        if (per[t] == 0 && eo < sizeof empty)
            eo += (size_t)snprintf(empty + eo, sizeof empty - eo, "%s'%s'", nempty++ ? ", " : "",
                                   pyr.names[t]);
    if (nempty)
        cli_warn("%s %s %s empty: of %zu %s customers, ties at a threshold put them in a higher "
                 "tier or there are too few for the %s", nempty == 1 ? "tier" : "tiers", empty,
                 nempty == 1 ? "is" : "are", eligible,
                 scheme == CS_PYR_CURRY ? "active" : "eligible",
                 nempty == 1 ? "tier's share" : "tiers' shares");
    if (before) {
        if (compare != CS_DAY_NONE)
            cli_usage("--before and --compare-as-of do not go together");
        cs_input *in = cs_input_open(before, &err);
        cs_pyramid_tiers *then = in ? cs_pyramid_tiers_read(in, &pyr, &err) : NULL;
        cs_input_close(in);
        cs_pyramid_migration m;
        if (!then || cs_pyramid_migrate_before(&m, &pyr, then, vals, tier, &err) != CS_OK)
            cli_die(&err);
        cs_pyramid_tiers_free(then), cs_values_free(vals);
        free(active), free(tier), free(rank), free(pct);
        return migration_out(&pyr, &m, before, format, load.output_header != 0, out_path);
    }
    FILE *side = NULL; /* '-': standard output; a file is committed with the output */
    if (conc) {
        cs_concentration cc;
        if (cs_concentration_compute(vals->value, nn, &cc, &err) != CS_OK ||
            cs_concentration_save(&cc, nn, side = cli_side_open(conc), &err) != CS_OK)
            cli_die(&err);
    }
    FILE *out = cli_output_open(out_path);
    cs_writer *w;
    if (!report) {
        const char *names[] = {"customer_id", "value", "rank", "percentile", "tier"};
        w = cs_writer_new(out, format, load.output_header != 0, names, 5, &err);
        if (!w)
            cli_die(&err);
        cs_writer_set_sheet(w, "Pyramid");
        cs_writer_money_column(w, 1);
        for (size_t i = 0; i < nn; i++) {
            size_t len;
            const char *id = cs_ids_get(&vals->ids, i, &len);
            cs_writer_str(w, id, len);
            cs_writer_real(w, vals->value[i]);
            if (rank[i])
                cs_writer_int(w, (long long)rank[i]);
            else
                cs_writer_null(w);
            cs_writer_real(w, pct[i]);
            cs_writer_str(w, pyr.names[tier[i]], strlen(pyr.names[tier[i]]));
            if (cs_writer_end_row(w) != CS_OK)
                break;
        }
    } else {
        const char *names[] = {"tier", "customers", "customer_share", "value", "value_share",
                               "mean", "median", "min", "max"};
        w = cs_writer_new(out, format, load.output_header != 0, names, 9, &err);
        if (!w)
            cli_die(&err);
        cs_writer_set_sheet(w, "Pyramid tiers");
        for (size_t k = 5; k < 9; k++) /* mean, median, min, max; value is column 3 */
            cs_writer_money_column(w, k);
        cs_writer_money_column(w, 3);
        cs_pyramid_report_row row[CS_PYR_MAX_TIERS + 1];
        if (cs_pyramid_report(&pyr, vals->value, tier, nn, row, &err) != CS_OK)
            cli_die(&err);
        for (int t = 0; t < pyr.ntiers; t++) {
            cs_writer_str(w, row[t].tier, strlen(row[t].tier));
            cs_writer_int(w, (long long)row[t].customers);
            cs_writer_real(w, row[t].customer_share);
            cs_writer_real(w, row[t].value);
            cs_writer_real(w, row[t].value_share);
            const double st[4] = {row[t].mean, row[t].median, row[t].min, row[t].max};
            for (int k = 0; k < 4; k++)
                if (row[t].customers)
                    cs_writer_real(w, st[k]);
                else
                    cs_writer_null(w);
            cs_writer_end_row(w);
        }
    }
    int ok = cs_writer_finish(w, &err) == CS_OK;
    cs_writer_free(w);
    if (!ok)
        cli_error(&err);
    free(active), free(tier), free(rank), free(pct);
    cs_values_free(vals);
    int fail = cli_output_close(out, ok);
    fail |= side ? cli_side_close(side, ok && !fail) : 0;
    fail |= cli_load_finish(&load, ok);
    return ok && !fail ? 0 : EXIT_DATA;
}
