/* custseg-pyramid: value tiers and the concentration of value. */
#include "common/common.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage: custseg-pyramid [OPTION]... [FILE]...\n"
    "Tier customers by value into a customer pyramid and measure how concentrated\n"
    "the value is. Input: a custseg-summary table (value: total_value), any table\n"
    "with customer_id and the column named by --value-column (e.g. clv from\n"
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
    "      --concentration FILE JSON: gini over all customers (values <= 0\n"
    "                           included; with x ascending, G = 2 sum(i x_i) /\n"
    "                           (n sum x) - (n + 1) / n), top_1pct_share,\n"
    "                           top_5pct_share, top_20pct_share, lorenz (100 points:\n"
    "                           the share held by the lowest 1%, 2%, .. 100%)\n"
    "  -f, --format csv|tsv|jsonl, -o, --output FILE, -q, --quiet, -j, --threads N,\n"
    "  -h, --help, -V, --version\n"
    "\n"
    "Examples:\n"
    "  custseg-pyramid --report orders.csv\n"
    "  custseg-pyramid --concentration conc.json customers.csv > tiers.csv\n"
    "  custseg-clv predict --model bgnbd.json --spend gg.json cal.csv |\n"
    "      custseg-pyramid --value-column clv --scheme custom --value-shares 0.5,0.8\n";

enum { OPT_SCHEME = OPT_LOAD_LAST + 1, OPT_CUTS, OPT_VSHARES, OPT_INACTIVE, OPT_VCOL,
       OPT_REPORT, OPT_CONC, OPT_AS_OF, OPT_WINDOW, OPT_COMPARE, OPT_BEFORE, OPT_MARGIN,
       OPT_COST };

static int list_arg(const char *opt, const char *s, double *v)
{
    int n = 0;
    while (*s) {
        char *end;
        double x = strtod(s, &end);
        if (end == s || (*end && *end != ',') || n == CS_PYR_MAX_TIERS - 1)
            cli_usage("--%s: expected up to %d shares separated by commas", opt,
                      CS_PYR_MAX_TIERS - 1);
        v[n++] = x;
        s = *end ? end + 1 : end;
    }
    return n;
}

static double days_arg(const char *opt, const char *s)
{
    char *end;
    double v = strtod(s, &end);
    double unit = !strcmp(end, "") || !strcmp(end, "d") ? 1
                  : !strcmp(end, "w")                   ? 7
                  : !strcmp(end, "m")                   ? 365.25 / 12
                  : !strcmp(end, "y")                   ? 365.25
                                                        : -1;
    if (end == s || unit < 0 || !(v > 0))
        cli_usage("--%s: '%s' is not a duration like 365, 52w, 12m or 1y", opt, s);
    return v * unit;
}

/* Tiers at two dates and the matrix of moves between them. */
static int migrate(cs_pyramid *pyr, cs_values2 *v, double inactive, int format, int header,
                   const char *out_path, int quiet)
{
    size_t n = v->n;
    int *tier[2], *act = malloc((n + 1) * sizeof *act);
    size_t *rank = malloc((n + 1) * sizeof *rank);
    double *pct = malloc((n + 1) * sizeof *pct);
    cs_error err = {0};
    int T = pyr->ntiers;
    for (int k = 0; k < 2; k++) {
        tier[k] = malloc((n + 1) * sizeof *tier[k]);
        /* the customers present at date k; the others are not tiered there */
        size_t m = 0;
        double *val = malloc((n + 1) * sizeof *val);
        size_t *idx = malloc((n + 1) * sizeof *idx);
        int *tt = malloc((n + 1) * sizeof *tt);
        for (size_t i = 0; i < n; i++) {
            tier[k][i] = -1;
            if (isnan(v->days_since_last[k][i]))
                continue;
            val[m] = v->value[k][i];
            act[m] = v->days_since_last[k][i] <= inactive;
            idx[m++] = i;
        }
        if (cs_pyramid_tier(pyr, val, act, m, tt, rank, pct, &err) != CS_OK)
            cli_die(&err);
        for (size_t j = 0; j < m; j++)
            tier[k][idx[j]] = tt[j];
        free(val), free(idx), free(tt);
    }
    /* from: T tiers + New (index T); to: T tiers */
    size_t *cnt = calloc((size_t)(T + 1) * (size_t)T, sizeof *cnt);
    double *vb = calloc((size_t)(T + 1) * (size_t)T, sizeof *vb);
    double *va = calloc((size_t)(T + 1) * (size_t)T, sizeof *va);
    size_t up = 0, down = 0, stay = 0;
    for (size_t i = 0; i < n; i++) {
        int f = tier[0][i] < 0 ? T : tier[0][i], t = tier[1][i];
        size_t c = (size_t)f * (size_t)T + (size_t)t;
        cnt[c]++;
        vb[c] += f == T ? 0 : v->value[0][i];
        va[c] += v->value[1][i];
        if (f < T) {
            up += t < f;
            down += t > f;
            stay += t == f;
        }
    }
    const char *names[] = {"from_tier", "to_tier", "customers", "value_before", "value_after"};
    FILE *out = cli_output_open(out_path);
    cs_writer *w = cs_writer_new(out, format, header, names, 5, &err);
    if (!w)
        cli_die(&err);
    for (int f = 0; f <= T; f++)
        for (int t = 0; t < T; t++) {
            size_t c = (size_t)f * (size_t)T + (size_t)t;
            const char *fn = f == T ? "New" : pyr->names[f];
            cs_writer_str(w, fn, strlen(fn));
            cs_writer_str(w, pyr->names[t], strlen(pyr->names[t]));
            cs_writer_int(w, (long long)cnt[c]);
            cs_writer_real(w, vb[c]);
            cs_writer_real(w, va[c]);
            cs_writer_end_row(w);
        }
    int ok = cs_writer_finish(w, &err) == CS_OK;
    cs_writer_free(w);
    if (!ok)
        cli_error(&err);
    size_t before = up + down + stay;
    if (!quiet && before)
        fprintf(stderr, "%s: of %zu customers tiered at the earlier date: up %.1f%%, down %.1f%%, "
                        "stay %.1f%%; %zu new %s since\n",
                cli_name(), before, 100.0 * (double)up / (double)before,
                100.0 * (double)down / (double)before, 100.0 * (double)stay / (double)before,
                n - before, n - before == 1 ? "customer" : "customers");
    free(cnt), free(vb), free(va), free(act), free(rank), free(pct);
    free(tier[0]), free(tier[1]);
    cs_values2_free(v);
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

static size_t id_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return (size_t)(h ^ (h >> 29));
}

/* Migration from the tiers of an earlier run (customer_id, tier columns). */
static int migrate_before(cs_pyramid *pyr, const char *path, const cs_values *now,
                          const int *tier_now, int format, int header, const char *out_path,
                          int quiet)
{
    cs_error err = {0};
    cs_input *in = cs_input_open(path, &err);
    if (!in)
        cli_die(&err);
    cs_records *r = cs_records_new(in, CS_DELIM_AUTO, &err);
    cs_record rec;
    if (!r || cs_records_next(r, &rec, &err) != 1)
        cli_die(&err);
    int cid = -1, ct = -1;
    for (size_t i = 0; i < rec.nfields; i++) {
        if (rec.len[i] == 11 && !memcmp(rec.field[i], "customer_id", 11))
            cid = (int)i;
        if (rec.len[i] == 4 && !memcmp(rec.field[i], "tier", 4))
            ct = (int)i;
    }
    if (cid < 0 || ct < 0)
        cli_fail("%s: an earlier pyramid needs customer_id and tier columns", path);
    int T = pyr->ntiers;
    /* the earlier tier of each current customer, joined on the id through
     * an open-addressing table of the current ids */
    size_t n = now->n;
    int *was = malloc((n + 1) * sizeof *was);
    for (size_t i = 0; i < n; i++)
        was[i] = -1; /* New */
    size_t *lost = calloc((size_t)T, sizeof *lost);
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    size_t *tab = calloc(cap, sizeof *tab);
    for (size_t i = 0; i < n; i++) {
        size_t j = id_hash(now->ids + now->id_off[i], now->id_len[i]) & (cap - 1);
        while (tab[j])
            j = (j + 1) & (cap - 1);
        tab[j] = i + 1;
    }
    int rc;
    long line = 1;
    while ((rc = cs_records_next(r, &rec, &err)) == 1) {
        line++;
        int t = -1;
        for (int k = 0; k < T; k++)
            if (rec.len[ct] == strlen(pyr->names[k]) &&
                !memcmp(rec.field[ct], pyr->names[k], rec.len[ct]))
                t = k;
        if (t < 0)
            cli_fail("%s:%ld: tier '%.*s' is not a tier of this scheme", path, line,
                     (int)(rec.len[ct] < 40 ? rec.len[ct] : 40), rec.field[ct]);
        size_t found = n;
        for (size_t j = id_hash(rec.field[cid], rec.len[cid]) & (cap - 1); tab[j];
             j = (j + 1) & (cap - 1)) {
            size_t i = tab[j] - 1;
            if (now->id_len[i] == rec.len[cid] &&
                !memcmp(now->ids + now->id_off[i], rec.field[cid], rec.len[cid])) {
                found = i;
                break;
            }
        }
        if (found == n)
            lost[t]++;
        else
            was[found] = t;
    }
    if (rc < 0)
        cli_die(&err);
    cs_records_free(r);
    cs_input_close(in);
    free(tab);
    size_t *cnt = calloc((size_t)(T + 1) * (size_t)(T + 1), sizeof *cnt);
    size_t up = 0, down = 0, stay = 0, lost_n = 0;
    for (size_t i = 0; i < n; i++) {
        int f = was[i] < 0 ? T : was[i], t = tier_now[i];
        cnt[(size_t)f * (size_t)(T + 1) + (size_t)t]++;
        if (f < T) {
            up += t < f;
            down += t > f;
            stay += t == f;
        }
    }
    for (int f = 0; f < T; f++) {
        cnt[(size_t)f * (size_t)(T + 1) + (size_t)T] = lost[f];
        lost_n += lost[f];
    }
    const char *names[] = {"from_tier", "to_tier", "customers"};
    FILE *out = cli_output_open(out_path);
    cs_writer *w = cs_writer_new(out, format, header, names, 3, &err);
    if (!w)
        cli_die(&err);
    for (int f = 0; f <= T; f++)
        for (int t = 0; t <= T; t++) {
            if (f == T && t == T)
                continue;
            const char *fn = f == T ? "New" : pyr->names[f];
            const char *tn = t == T ? "Lost" : pyr->names[t];
            cs_writer_str(w, fn, strlen(fn));
            cs_writer_str(w, tn, strlen(tn));
            cs_writer_int(w, (long long)cnt[(size_t)f * (size_t)(T + 1) + (size_t)t]);
            cs_writer_end_row(w);
        }
    int ok = cs_writer_finish(w, &err) == CS_OK;
    cs_writer_free(w);
    if (!ok)
        cli_error(&err);
    size_t b = up + down + stay + lost_n;
    if (!quiet && b)
        fprintf(stderr, "%s: of %zu customers in %s: up %.1f%%, down %.1f%%, stay %.1f%%, lost "
                        "%.1f%%\n",
                cli_name(), b, path, 100.0 * (double)up / (double)b, 100.0 * (double)down / (double)b,
                100.0 * (double)stay / (double)b, 100.0 * (double)lost_n / (double)b);
    free(was), free(lost), free(cnt);
    return cli_output_close(out, ok) || !ok ? EXIT_DATA : 0;
}

int main(int argc, char **argv)
{
    cli_init("custseg-pyramid");
    struct cli_load load;
    cli_load_init(&load);
    int scheme = CS_PYR_CURRY, report = 0, format = CS_FORMAT_CSV, ncuts = 0;
    double cuts[CS_PYR_MAX_TIERS], inactive = 365.25;
    const char *vcol = NULL, *conc = NULL, *out_path = NULL;
    int value_shares = 0;
    double window = 0;
    cs_day compare = CS_DAY_NONE;
    const char *before = NULL, *cost_col = NULL;
    double margin = 1;
    cs_summary_options so = {.as_of = CS_DAY_NONE, .calibration_end = CS_DAY_NONE};
    static const struct option longopts[] = {
        CLI_LOAD_LONGOPTS,
        {"scheme", required_argument, NULL, OPT_SCHEME},
        {"cuts", required_argument, NULL, OPT_CUTS},
        {"value-shares", required_argument, NULL, OPT_VSHARES},
        {"inactive-after", required_argument, NULL, OPT_INACTIVE},
        {"value-column", required_argument, NULL, OPT_VCOL},
        {"report", no_argument, NULL, OPT_REPORT},
        {"concentration", required_argument, NULL, OPT_CONC},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"window", required_argument, NULL, OPT_WINDOW},
        {"compare-as-of", required_argument, NULL, OPT_COMPARE},
        {"before", required_argument, NULL, OPT_BEFORE},
        {"margin", required_argument, NULL, OPT_MARGIN},
        {"cost-column", required_argument, NULL, OPT_COST},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"threads", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int c, scheme_given = 0;
    while ((c = getopt_long(argc, argv, "c:d:a:f:o:j:qhV", longopts, NULL)) != -1) {
        if (cli_load_option(&load, c, optarg))
            continue;
        switch (c) {
        case OPT_SCHEME:
            scheme_given = 1;
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
        case OPT_AS_OF: so.as_of = cli_date_arg("as-of", optarg); break;
        case OPT_WINDOW: window = days_arg("window", optarg); break;
        case OPT_COMPARE: compare = cli_date_arg("compare-as-of", optarg); break;
        case OPT_BEFORE: before = optarg; break;
        case OPT_MARGIN: {
            char *end;
            margin = strtod(optarg, &end);
            if (*end || !(margin > -1e6 && margin < 1e6) || end == optarg)
                cli_usage("--margin: '%s' is not a number", optarg);
            break;
        }
        case OPT_COST: cost_col = optarg; break;
        case 'f':
            if ((format = cs_format_from_name(optarg)) < 0)
                cli_usage("--format: '%s' is not csv, tsv or jsonl", optarg);
            break;
        case 'o': out_path = optarg; break;
        case 'j': so.threads = atoi(optarg) > 0 ? atoi(optarg) : 1; break;
        case 'q': load.quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("custseg-pyramid (custseg) %s\n", cs_version()); return 0;
        default: cli_bad_option(argv);
        }
    }
    if (scheme == CS_PYR_CUTS && value_shares)
        scheme = CS_PYR_VALUE;
    if (value_shares && scheme != CS_PYR_VALUE)
        cli_usage("--value-shares goes with --scheme custom");
    if (scheme == CS_PYR_CUTS && ncuts == 0)
        cli_usage("--scheme custom needs --cuts or --value-shares");
    (void)scheme_given;
    cs_error err = {0};
    cs_pyramid pyr;
    if (cs_pyramid_init(&pyr, scheme, cuts, ncuts, &err) != CS_OK)
        cli_usage("%s", err.message);
    if (so.threads == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        so.threads = cpus > 1 ? (int)cpus : 1;
    }

    /* the values: a table's column, or the total value of transactions */
    int n = argc - optind, kind;
    cs_input *first = cli_open_peek(n ? argv[optind] : "-", &kind);
    cs_values *vals = NULL;
    if ((kind == CS_TABLE_SUMMARY || vcol) && (window > 0 || compare != CS_DAY_NONE))
        cli_usage("--window and --compare-as-of read transactions, not a table");
    if (kind == CS_TABLE_SUMMARY || vcol) {
        if (n > 1)
            cli_usage("give one table (or transaction logs)");
        vals = cs_values_read_minus(first, vcol ? vcol : "total_value", cost_col, &err);
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
        int32_t dates[2] = {compare, so.as_of};
        int nd = compare != CS_DAY_NONE ? 2 : 1;
        if (nd == 1)
            dates[0] = so.as_of;
        cs_values2 *v2 = cs_values_at_dates((const char *const *)(n ? argv + optind : stdin_path),
                                            n ? (size_t)n : 1, &load.txn, &lo, dates, nd,
                                            window, &err);
        if (!v2)
            cli_die(&err);
        if (nd == 2)
            return migrate(&pyr, v2, inactive, format, load.output_header != 0, out_path,
                           load.quiet);
        vals = calloc(1, sizeof *vals);
        vals->n = v2->n;
        vals->ids = v2->ids, vals->id_off = v2->id_off, vals->id_len = v2->id_len;
        vals->value = v2->value[0], vals->days_since_last = v2->days_since_last[0];
        free(v2->value[1]), free(v2->days_since_last[1]), free(v2);
    } else {
        if (load.txn.no_amount)
            cli_usage("the pyramid needs amounts: --no-amount leaves no value");
        cs_summary *s = cli_summarise(&load, &so, argv + optind, n, first);
        /* through the summary writer and back would be slower: copy */
        vals = calloc(1, sizeof *vals);
        size_t idb = 0;
        for (size_t i = 0; i < s->n; i++)
            idb += s->rows[i].id_len;
        vals->ids = malloc(idb + 1);
        vals->id_off = malloc((s->n + 1) * sizeof *vals->id_off);
        vals->id_len = malloc((s->n + 1) * sizeof *vals->id_len);
        vals->value = malloc((s->n + 1) * sizeof *vals->value);
        vals->days_since_last = malloc((s->n + 1) * sizeof *vals->days_since_last);
        size_t off = 0;
        for (size_t i = 0; i < s->n; i++) {
            memcpy(vals->ids + off, s->rows[i].id, s->rows[i].id_len);
            vals->id_off[i] = off;
            vals->id_len[i] = s->rows[i].id_len;
            off += s->rows[i].id_len;
            vals->value[i] = (double)s->rows[i].total_value / CS_MICRO;
            vals->days_since_last[i] = s->as_of - s->rows[i].last;
        }
        vals->n = s->n;
        cs_summary_free(s);
    }
    if (cost_col && kind != CS_TABLE_SUMMARY && !vcol)
        cli_usage("--cost-column reads a table (with --value-column or a summary)");
    size_t nn = vals->n;
    if (margin != 1)
        for (size_t i = 0; i < nn; i++)
            vals->value[i] *= margin;
    int all_zero = 1;
    for (size_t i = 0; i < nn && all_zero; i++)
        all_zero = vals->value[i] == 0;
    if (all_zero)
        cli_fail("every customer's value is 0: there is no pyramid to build");
    int *active = malloc((nn + 1) * sizeof *active), *tier = malloc((nn + 1) * sizeof *tier);
    size_t *rank = malloc((nn + 1) * sizeof *rank);
    double *pct = malloc((nn + 1) * sizeof *pct);
    size_t unknown = 0;
    for (size_t i = 0; i < nn; i++) {
        double d = vals->days_since_last[i];
        unknown += isnan(d);
        active[i] = isnan(d) || d <= inactive;
    }
    if (scheme == CS_PYR_CURRY && unknown && !load.quiet)
        cli_warn("the input has no days_since_last: every customer counts as active");
    if (cs_pyramid_tier(&pyr, vals->value, active, nn, tier, rank, pct, &err) != CS_OK)
        cli_die(&err);
    if (before) {
        if (compare != CS_DAY_NONE)
            cli_usage("--before and --compare-as-of do not go together");
        return migrate_before(&pyr, before, vals, tier, format, load.output_header != 0,
                              out_path, load.quiet);
    }
    if (conc) {
        cs_concentration cc;
        if (cs_concentration_compute(vals->value, nn, &cc, &err) != CS_OK)
            cli_die(&err);
        cJSON *root = cJSON_CreateObject();
        cJSON_AddNumberToObject(root, "customers", (double)nn);
        cJSON_AddNumberToObject(root, "gini", cc.gini);
        cJSON_AddNumberToObject(root, "top_1pct_share", cc.top_share[0]);
        cJSON_AddNumberToObject(root, "top_5pct_share", cc.top_share[1]);
        cJSON_AddNumberToObject(root, "top_20pct_share", cc.top_share[2]);
        cJSON_AddItemToObject(root, "lorenz", cJSON_CreateDoubleArray(cc.lorenz, 100));
        char *text = cJSON_Print(root);
        cJSON_Delete(root);
        FILE *fp = fopen(conc, "w");
        if (!fp || fputs(text, fp) < 0 || fputc('\n', fp) == EOF || fclose(fp) != 0)
            cli_fail("cannot write %s", conc);
        cJSON_free(text);
    }
    FILE *out = cli_output_open(out_path);
    cs_writer *w;
    if (!report) {
        const char *names[] = {"customer_id", "value", "rank", "percentile", "tier"};
        w = cs_writer_new(out, format, load.output_header != 0, names, 5, &err);
        if (!w)
            cli_die(&err);
        for (size_t i = 0; i < nn; i++) {
            cs_writer_str(w, vals->ids + vals->id_off[i], vals->id_len[i]);
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
        double total = 0;
        for (size_t i = 0; i < nn; i++)
            total += vals->value[i];
        double *buf = malloc((nn + 1) * sizeof *buf);
        for (int t = 0; t < pyr.ntiers; t++) {
            size_t m = 0;
            double sum = 0;
            for (size_t i = 0; i < nn; i++)
                if (tier[i] == t) {
                    buf[m++] = vals->value[i];
                    sum += vals->value[i];
                }
            cs_writer_str(w, pyr.names[t], strlen(pyr.names[t]));
            cs_writer_int(w, (long long)m);
            cs_writer_real(w, (double)m / (double)nn);
            cs_writer_real(w, sum);
            cs_writer_real(w, total != 0 ? sum / total : 0);
            if (m) {
                cs_stats_sort(buf, m);
                cs_writer_real(w, sum / (double)m);
                cs_writer_real(w, cs_stats_median_sorted(buf, m));
                cs_writer_real(w, buf[0]);
                cs_writer_real(w, buf[m - 1]);
            } else {
                for (int k = 0; k < 4; k++)
                    cs_writer_null(w);
            }
            cs_writer_end_row(w);
        }
        free(buf);
    }
    int ok = cs_writer_finish(w, &err) == CS_OK;
    cs_writer_free(w);
    if (!ok)
        cli_error(&err);
    free(active), free(tier), free(rank), free(pct);
    cs_values_free(vals);
    int fail = cli_output_close(out, ok);
    fail |= cli_load_finish(&load, ok);
    return ok && !fail ? 0 : EXIT_DATA;
}
