/* custseg-summary: transactions -> one row per customer. */
#include "common/common.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage: custseg-summary [OPTION]... [FILE]...\n"
    "Summarise a transaction log into one row per customer: first and last\n"
    "purchase, purchase days, the BTYD frequency x, t_x and T, days since the\n"
    "last purchase, total and mean repeat value. Several FILEs are read as one log;\n"
    "no FILE or '-' reads standard input; gzip files are recognised by content.\n"
    "\n"
    "%s"
    "\n"
    "Summary:\n"
    "      --unit day|week|month\n"
    "                         unit of t_x and T (default day; week = 7 days,\n"
    "                         month = 365.25/12 days); it is part of the column names\n"
    "      --as-of DATE       end of observation (default: the last date in the\n"
    "                         data); later records are left out and counted\n"
    "      --calibration-end DATE\n"
    "                         summarise up to DATE and add holdout columns for\n"
    "                         (DATE, as-of]: frequency_holdout, value_holdout,\n"
    "                         duration_holdout_UNIT\n"
    "      --returns net|net-customer|drop|keep\n"
    "                         net (default): negative amounts are netted within the\n"
    "                         day, and a day whose returns bring it to <= 0 is not\n"
    "                         a purchase day (its value stays in total_value, not\n"
    "                         in monetary_value); net-customer: such a day is netted\n"
    "                         against the customer's most recent earlier purchase\n"
    "                         day, so monetary_value carries the cancellations too;\n"
    "                         drop: negative records are left out; keep: netted,\n"
    "                         but every day with a record counts\n"
    "      --partitions N -o DIR\n"
    "                         write the customer-days for a summary by many tasks:\n"
    "                         DIR/part-00000 .. part-(N-1) (N 1..65536; DIR is\n"
    "                         created if missing; every file, even without\n"
    "                         customers, all or none). Customer id goes to\n"
    "                         partition FNV-1a-64(id bytes) mod N (see the man page).\n"
    "                         --merge of one partition's files from every task gives\n"
    "                         exactly its customers' rows of a run over the whole\n"
    "                         log, however the log was split\n"
    "      --partial          write the mergeable per-customer state instead: exact\n"
    "                         only when the log is split by customer or by whole\n"
    "                         days (--partitions has no such limit)\n"
    "      --merge            the FILEs are partition files of one partition, or\n"
    "                         partial summaries: merge them\n"
    "      --stats FILE       write what was read, kept, skipped (by kind), excluded\n"
    "                         and left out, the customers (and those left out, by\n"
    "                         reason: only returns, first purchase in the holdout,\n"
    "                         every record after --as-of), the dates covered and\n"
    "                         the day/month checks of --date-format, the inputs\n"
    "                         and the returns policy, as JSON (atomically, with the\n"
    "                         other outputs)\n"
    "\n"
    "Output:\n"
    CLI_FORMAT_HELP("csv|tsv|jsonl|xlsx")
    "  -o, --output FILE      write FILE atomically (default: standard output);\n"
    "                         an existing FILE keeps its mode and group, a\n"
    "                         symbolic link is written through to its target\n"
    "  -j, --threads N        threads for reading (default: the number of CPUs,\n"
    "                         at most 8); the output does not depend on it\n"
    "  -v, --verbose          report the columns chosen and every skipped record\n"
    "  -q, --quiet            no counts or notes on standard error; warnings that\n"
    "                         change what the numbers mean still print: day and\n"
    "                         month swapped, id twins, customers left out with no\n"
    "                         purchase day (only returns), bad records skipped over\n"
    "                         1%% of the lines (a kind but missing-id). Counts of\n"
    "                         what the options asked for (records after --as-of,\n"
    "                         customers first seen in the holdout, returns netted,\n"
    "                         filters) are notes, hidden\n"
    "  -qq, --silent          no warnings either (errors only)\n"
    "  -h, --help             this help\n"
    "  -V, --version          the version\n"
    "\n"
    "Columns: customer_id, first_purchase, last_purchase, transactions (records),\n"
    "purchase_days, frequency (purchase_days - 1), t_x_UNIT (first to last\n"
    "purchase day), T_UNIT (first purchase to the end of observation, or to the\n"
    "calibration end), days_since_last (RFM's recency), total_value,\n"
    "monetary_value (mean value of the repeat purchase days; 0 when frequency is\n"
    "0). Rows are sorted by customer_id (byte order). t_x_UNIT was formerly\n"
    "called recency_UNIT; custseg-clv and custseg-churn still read that name.\n"
    "\n"
    "Examples:\n"
    "  custseg-summary orders.csv\n"
    "  custseg-summary --unit week --calibration-end 1997-09-30 \\\n"
    "      --no-header --delimiter whitespace --customer 2 --date 3 --amount 5 \\\n"
    "      CDNOW_sample.txt\n"
    "  zcat 2024-*.csv.gz | custseg-summary -c CustomerID -d InvoiceDate \\\n"
    "      --quantity Quantity --price UnitPrice --skip missing-id --rejects bad.csv \\\n"
    "      --exclude 'StockCode=POST,M,DOT,BANK CHARGES' --stats run.json\n"
    "  custseg-summary --partial jan.csv > jan.part; custseg-summary --partial feb.csv > feb.part\n"
    "  custseg-summary --merge jan.part feb.part -o customers.csv\n"
    "  custseg-summary --partitions 4 -o map1/ jan.csv; custseg-summary --partitions 4 -o map2/ feb.csv\n"
    "  custseg-summary --merge map1/part-00002 map2/part-00002 -o rows-2.csv\n"
    "\n"
    "Exit status: 0 success, 1 bad data or I/O error, 2 usage error.\n";

enum {
    OPT_RETURNS = OPT_LOAD_LAST + 1,
    OPT_PARTIAL,
    OPT_MERGE,
    OPT_STATS,
    OPT_PARTITIONS,
};

/* The partition files' sink: DIR/part-00000 ... in the run's folder of
 * outputs (cli_stage_*). */
static FILE *part_open(void *ctx, uint32_t index, cs_error *err)
{
    (void)ctx;
    char name[32];
    snprintf(name, sizeof name, "part-%05u", (unsigned)index);
    FILE *fp = cli_stage_file(name);
    if (!fp) {
        err->code = CS_EIO;
        snprintf(err->message, sizeof err->message, "%s: %s", name, strerror(errno));
    }
    return fp;
}

static int part_close(void *ctx, uint32_t index, FILE *fp, cs_error *err)
{
    (void)ctx;
    if (cli_stage_file_close(fp) == 0)
        return CS_OK;
    if (err) {
        err->code = CS_EIO;
        snprintf(err->message, sizeof err->message, "part-%05u: write error: %s",
                 (unsigned)index, strerror(errno));
    }
    return CS_EIO;
}

/* A part file in dir of another run with more partitions would be taken
 * for one of this run's: refused. */
static void check_stale_parts(const char *dir, long n)
{
    DIR *d = opendir(dir);
    if (!d)
        return; /* missing: created later */
    struct dirent *e;
    long top = -1;
    char name[300] = "";
    while ((e = readdir(d)) != NULL) {
        const char *p = e->d_name;
        if (strncmp(p, "part-", 5) != 0 || strspn(p + 5, "0123456789") != strlen(p + 5) ||
            strlen(p + 5) < 5 || strlen(p + 5) > 9)
            continue;
        long k = strtol(p + 5, NULL, 10);
        if (k >= n && k > top) {
            top = k;
            snprintf(name, sizeof name, "%s", p);
        }
    }
    closedir(d);
    if (top >= 0)
        cli_fail("%s holds %s, of a run with more partitions than %ld: remove the old "
                 "part files or write to another folder",
                 dir, name, n);
}

/* The counts on standard error. Chatter (cli_info, hidden by -q): what the
 * options asked for: records and customers beyond a date given (after
 * --as-of, first purchase after --calibration-end), the returns policy at
 * work. Warnings (cli_warn, shown under -q, hidden by -qq): customers the
 * summary leaves out by a rule of its own (no purchase day). late_customers:
 * customers with records after as-of only. */
static void report(const cs_summary_stats *st, cs_day as_of, int finished, int verbose,
                   uint64_t late_customers)
{
    char a[32], b[32], d[32];
#define N(x, one, many) cli_count(x, a), cli_plural(x, one, many)
    if (st->after_as_of && finished) {
        char late[96] = "";
        cs_day_format(as_of, d);
        if (late_customers)
            snprintf(late, sizeof late, " (%s %s no record before it)",
                     cli_count(late_customers, b),
                     cli_plural(late_customers, "customer has", "customers have"));
        cli_info("left out %s %s dated after the end of observation %s%s",
                 N(st->after_as_of, "record", "records"), d, late);
    }
    if (st->dropped_returns)
        cli_info("left out %s %s with a negative amount (--returns drop)",
                 N(st->dropped_returns, "record", "records"));
    else if (st->negative && (st->cancelled_days || st->netted_days)) {
        char v[40], w[40];
        char cancelled[256] = "", netted[256] = "";
        if (st->cancelled_days)
            snprintf(cancelled, sizeof cancelled,
                     "; %s customer-%s brought to <= 0 by %s (value %s) %s not %s: in "
                     "total_value, not in monetary_value",
                     cli_count(st->cancelled_days, b), cli_plural(st->cancelled_days, "day", "days"),
                     st->negative == 1 ? "it" : "them", cli_money(st->cancelled_value, v), st->cancelled_days == 1 ? "is" : "are",
                     cli_plural(st->cancelled_days, "a purchase day", "purchase days"));
        if (st->netted_days)
            snprintf(netted, sizeof netted,
                     "; %s customer-%s brought to <= 0 (value %s) netted against an earlier "
                     "purchase day",
                     cli_count(st->netted_days, d), cli_plural(st->netted_days, "day", "days"),
                     cli_money(st->netted_value, w));
        cli_info("%s %s with a negative amount netted within %s day%s%s",
                 N(st->negative, "record", "records"), st->negative == 1 ? "its" : "their",
                 cancelled, netted);
    } else if (st->negative)
        cli_info("%s %s with a negative amount netted within %s day",
                 N(st->negative, "record", "records"), st->negative == 1 ? "its" : "their");
    if (finished && st->holdout_only)
        cli_info("left out %s %s whose first purchase is in the holdout period",
                 N(st->holdout_only, "customer", "customers"));
    if (finished && st->no_purchase)
        cli_warn("left out %s %s with no purchase day (only returns)",
                 N(st->no_purchase, "customer", "customers"));
#undef N
    if (verbose && finished && st->max_day != CS_DAY_NONE) {
        char f[11], t[11];
        cs_day_format(st->min_day, f);
        cs_day_format(st->max_day, t);
        cli_info("%s records, %s customers, %s to %s", cli_count(st->records, a),
                 cli_count(st->customers_seen - st->holdout_only - st->no_purchase, b), f, t);
    }
}

int main(int argc, char **argv)
{
    cli_init("custseg-summary");
    struct cli_load load;
    cli_load_init(&load);
    struct cli_opts o;
    cli_opts_init(&o);
    cs_summary_options so = {0};
    int partial = 0, merge = 0;
    long partitions = 0;
    const char *stats_path = NULL;
    int merge_conflict = 0;

    static const struct option longopts[] = {
        CLI_LOAD_LONGOPTS,
        CLI_OPT_UNIT,
        CLI_OPT_AS_OF,
        CLI_OPT_CAL_END,
        {"returns", required_argument, NULL, OPT_RETURNS},
        {"partial", no_argument, NULL, OPT_PARTIAL},
        {"merge", no_argument, NULL, OPT_MERGE},
        {"stats", required_argument, NULL, OPT_STATS},
        {"partitions", required_argument, NULL, OPT_PARTITIONS},
        CLI_OPT_FORMAT,
        CLI_OPT_OUTPUT,
        CLI_OPT_THREADS,
        CLI_OPT_VERBOSE,
        CLI_OPT_QUIET,
        CLI_OPT_HELP,
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, ":c:d:a:f:o:j:vqhV", longopts, NULL)) != -1) {
        if (cli_load_option(&load, c, optarg)) {
            if (c != OPT_NO_HEADER && c != OPT_OUTPUT_HEADER)
                merge_conflict = 1;
            continue;
        }
        if (cli_opts_option(&o, c, optarg)) {
            if (c == OPTC_AS_OF || c == OPTC_CAL_END)
                merge_conflict = 1;
            continue;
        }
        switch (c) {
        case OPT_RETURNS:
            so.returns = cli_returns(optarg);
            merge_conflict = 1;
            break;
        case OPT_PARTIAL: partial = 1; break;
        case OPT_MERGE: merge = 1; break;
        case OPT_STATS: stats_path = optarg; break;
        case OPT_PARTITIONS:
            partitions = cli_integer("partitions", optarg, 1, CS_PARTITIONS_MAX);
            break;
        case 'h': printf(usage_text, cli_load_help); return 0;
        case 'V': printf("custseg-summary (custseg) %s\n", cs_version()); return 0;
        default: cli_bad_option(argv, c);
        }
    }
    cli_opts_finish(&o);
    load.verbose = o.verbose;
    load.quiet = o.quiet;
    so.as_of = o.as_of;
    so.calibration_end = o.calibration_end;
    so.threads = o.threads;
    int unit = o.unit < 0 ? CS_UNIT_DAY : o.unit;
    if (merge && merge_conflict)
        cli_usage("--merge takes its options from the partial summaries: give only --unit, "
                  "--format, --output and header options");
    if (merge && optind >= argc)
        cli_usage("--merge needs the partial summary files");
    if (stats_path && (merge || partial))
        cli_usage("--stats describes a run over transactions: not with --merge or --partial");
    if (partial && so.returns == CS_RETURNS_NET_CUSTOMER)
        cli_usage("--returns net-customer has no partial form (a cancellation may belong to a "
                  "purchase day in another part)");
    if (partial && (o.format & CS_FORMAT_KIND_MASK) != CS_FORMAT_CSV)
        cli_usage("--partial writes its own format: --format does not apply");
    if (partial && (o.precision || o.decimal_comma))
        cli_usage("--partial writes its own format: --%s does not apply",
                  o.precision ? "precision" : "decimal-comma");
    if (partitions) {
        if (partial || merge)
            cli_usage("--partitions writes partition files: not with --%s",
                      partial ? "partial" : "merge");
        if (!o.out || !strcmp(o.out, "-"))
            cli_usage("--partitions writes one file per partition: give -o DIR");
        if ((o.format & CS_FORMAT_KIND_MASK) != CS_FORMAT_CSV || o.precision ||
            o.decimal_comma || o.unit >= 0)
            cli_usage("--partitions writes its own format: --%s applies at --merge",
                      o.unit >= 0 ? "unit" : o.precision ? "precision"
                                           : o.decimal_comma ? "decimal-comma" : "format");
        if (stats_path)
            cli_usage("--stats describes a summary: not with --partitions (each part file's "
                      "header has the counts of the records read and skipped)");
        struct stat sb;
        if (stat(o.out, &sb) == 0 && !S_ISDIR(sb.st_mode))
            cli_usage("--partitions writes a folder of files: '%s' is not a folder", o.out);
        check_stale_parts(o.out, partitions);
    }
    so.has_amount = !load.txn.no_amount;
    int header = load.output_header != 0;
    if (!merge)
        cli_load_ready(&load);

    cs_error err = {0};
    cs_builder *b = cs_builder_new(&so, &err);
    if (!b)
        cli_die(&err);
    if (partitions && cs_builder_partition(b, (uint32_t)partitions, &err) != CS_OK) {
        cs_builder_free(b);
        cli_die(&err);
    }
    if (merge) {
        for (int i = optind; i < argc; i++)
            if (cli_input(argv[i]))
                cli_usage("--merge: '%s' is given twice (its customers would count twice)",
                          argv[i]);
        for (int i = optind; i < argc; i++) {
            cs_input *in = cs_input_open(argv[i], &err);
            if (!in || cs_builder_merge_partial(b, in, &err) != CS_OK) {
                cs_input_close(in);
                cs_builder_free(b);
                cli_die(&err);
            }
            cs_input_close(in);
        }
    } else {
        cli_load_run(&load, b, argv + optind, argc - optind, NULL);
    }

    if (partitions) {
        cli_stage_open(o.out);
        report(cs_builder_stats(b), CS_DAY_NONE, 0, 0, 0);
        cs_partition_sink sink = {.open = part_open, .close = part_close, .ctx = NULL};
        int ok = cs_builder_write_partitions(b, &sink, &load.st, &err) == CS_OK;
        cs_builder_free(b);
        if (!ok) {
            cli_stage_close(0);
            cli_load_finish(&load, 0);
            cli_die(&err);
        }
        cli_stage_close(1);
        return cli_load_finish(&load, 1) ? EXIT_DATA : 0;
    }
    FILE *out = cli_output_open(o.out);
    FILE *stats = stats_path ? cli_side_open(stats_path) : NULL;
    int ok = 1;
    if (partial) {
        report(cs_builder_stats(b), CS_DAY_NONE, 0, 0, 0);
        ok = cs_builder_write_partial(b, out, &err) == CS_OK;
        cs_builder_free(b);
    } else {
        /* straight from the builder: no table of rows in memory */
        cs_summary_stats st;
        cs_day as_of;
        int rc = cs_builder_write_summary(b, out, o.format, header, unit, &st, &as_of, &err);
        ok = rc == CS_OK;
        if (!ok && err.code != CS_EIO) {
            cli_output_close(out, 0);
            cli_load_finish(&load, 0);
            cli_die(&err);
        }
        report(&st, as_of, 1, load.verbose, load.st.customers_after_as_of);
        if (ok && stats &&
            cli_load_write_stats(&load, stats, &st, as_of, so.calibration_end,
                                 cli_returns_name(so.returns)) != 0) {
            cli_side_close(stats, 0);
            cli_output_close(out, 0);
            cli_load_finish(&load, 0);
            cli_fail("%s: write error", stats_path);
        }
    }
    if (!ok)
        cli_error(&err);
    int fail = cli_output_close(out, ok);
    if (stats)
        fail |= cli_side_close(stats, ok && !fail);
    fail |= cli_load_finish(&load, ok);
    return ok && !fail ? 0 : EXIT_DATA;
}
