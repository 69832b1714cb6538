/* custseg-simulate: synthetic transaction logs from model parameters. */
#include "common/common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage: custseg-simulate (--model FILE | --params MODEL:V1,V2,...) [OPTION]...\n"
    "Draw customers from a purchase model's generative story (BG/NBD, Pareto/NBD,\n"
    "MBG/NBD, NBD), with values from a Gamma-Gamma model, and write a transaction\n"
    "log (customer_id,date,amount) or the exact per-customer data. Seeded: the\n"
    "same options give the same bytes.\n"
    "\n"
    "  -m, --model FILE       a purchase model file (custseg-clv fit)\n"
    "      --params MODEL:V,..  parameters in the literature's order, e.g.\n"
    "                         bgnbd:0.243,4.414,0.793,2.426 (r, alpha, a, b) or\n"
    "                         pnbd:0.553,10.578,0.606,11.669 (r, alpha, s, beta)\n"
    "      --unit day|week|month  time unit of --params (default week)\n"
    "      --spend FILE       a Gamma-Gamma model file for the amounts\n"
    "      --spend-params P,Q,GAMMA\n"
    "  -n, --customers N      customers to draw (default 1000)\n"
    "      --start DATE       first acquisition day (default 2024-01-01)\n"
    "      --acquisition-end DATE\n"
    "                         acquisitions are uniform over [start, this]\n"
    "                         (default: a third of the way to --end)\n"
    "      --end DATE         end of observation (default: start + 3 years)\n"
    "      --seed S           random seed (default 1)\n"
    "      --returns SHARE    with a spend model: this share of purchases is partly\n"
    "                         or wholly returned within 30 days (a negative record)\n"
    "      --same-day SHARE   this share of purchases has a second record that day\n"
    "      --format transactions|summary\n"
    "                         transactions (default): one row per purchase, the\n"
    "                         first being the acquisition; summary: the exact\n"
    "                         continuous-time x, t_x, T (and mean value) per\n"
    "                         customer, as a custseg-summary table in the unit\n"
    "      --precision N      significant digits of the summary's t_x, T and mean\n"
    "                         value (1-15, default 12); amounts stay exact\n"
    "  -o, --output FILE      write FILE atomically\n"
    "  -q, --quiet            no progress: a run past 2 s otherwise shows the\n"
    "                         customers drawn on standard error when it is a\n"
    "                         terminal (and the log does not go to that terminal);\n"
    "                         -qq or --silent: the same (the tool has no warnings)\n"
    "  -h, --help, -V, --version\n"
    "\n"
    "Without a spend model the log has no amount column (summarise it with\n"
    "custseg-summary --no-amount). Parameters under which a customer expects more\n"
    "than 100000 purchases from --start to --end, a customer who draws more than\n"
    "1000000, or an amount beyond 9e12 are refused (exit 1).\n"
    "\n"
    "Examples:\n"
    "  custseg-simulate --params bgnbd:0.243,4.414,0.793,2.426 \\\n"
    "      --spend-params 6.25,3.74,15.44 -n 5000 --seed 7 > log.csv\n"
    "  custseg-simulate --model bgnbd.json -n 200000 --format summary > sim.csv\n";

enum { OPT_PARAMS = 2000, OPT_SPEND, OPT_SPEND_PARAMS, OPT_START, OPT_ACQ_END,
       OPT_END, OPT_SEED, OPT_FORMAT, OPT_RETURNS, OPT_SAME_DAY };

struct out {
    cs_writer *w;
    int has_value;
    long bad_customer; /* > 0: this customer drew an amount beyond MAX_CENTS */
    double bad_value;
};

/* Amounts are written as whole cents in 1/10000 units of an int64 */
#define MAX_CENTS 9e14

static int put_txn(void *ctx, long customer, cs_day day, double value)
{
    struct out *o = ctx;
    char id[32];
    int n = snprintf(id, sizeof id, "S%08ld", customer + 1);
    cs_writer_str(o->w, id, (size_t)n);
    cs_writer_date(o->w, day);
    if (o->has_value) {
        /* amounts in cents, exact, as a shop records them */
        double cents = round(value * 100);
        if (!(fabs(cents) <= MAX_CENTS)) {
            o->bad_customer = customer + 1;
            o->bad_value = value;
            return CS_EAMOUNT;
        }
        cs_writer_money(o->w, (int64_t)cents * 10000);
    }
    return cs_writer_end_row(o->w);
}

static int put_customer(void *ctx, long customer, double x, double tx, double T, double m)
{
    struct out *o = ctx;
    char id[32];
    int n = snprintf(id, sizeof id, "S%08ld", customer + 1);
    cs_writer_str(o->w, id, (size_t)n);
    cs_writer_real(o->w, x);
    cs_writer_real(o->w, tx);
    cs_writer_real(o->w, T);
    if (o->has_value)
        cs_writer_real(o->w, m);
    return cs_writer_end_row(o->w);
}

static void parse_list(const char *opt, const char *s, double *v, int n)
{
    for (int i = 0; i < n; i++) {
        char *end;
        v[i] = strtod(s, &end);
        if (end == s || !(v[i] > 0) || (i < n - 1 ? *end != ',' : *end != '\0'))
            cli_usage("--%s: expected %d positive numbers separated by commas", opt, n);
        s = end + 1;
    }
}

int main(int argc, char **argv)
{
    cli_init("custseg-simulate");
    cs_sim_options so = {.kind = -1, .customers = 1000, .unit = CS_UNIT_WEEK, .seed = 1,
                         .start = CS_DAY_NONE, .acquisition_end = CS_DAY_NONE,
                         .end = CS_DAY_NONE};
    struct cli_opts co; /* -o, -q and --unit */
    cli_opts_init(&co);
    int summary = 0;
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'},
        {"params", required_argument, NULL, OPT_PARAMS},
        CLI_OPT_UNIT,
        {"spend", required_argument, NULL, OPT_SPEND},
        {"spend-params", required_argument, NULL, OPT_SPEND_PARAMS},
        {"customers", required_argument, NULL, 'n'},
        {"start", required_argument, NULL, OPT_START},
        {"acquisition-end", required_argument, NULL, OPT_ACQ_END},
        {"end", required_argument, NULL, OPT_END},
        {"seed", required_argument, NULL, OPT_SEED},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"returns", required_argument, NULL, OPT_RETURNS},
        {"same-day", required_argument, NULL, OPT_SAME_DAY},
        {"precision", required_argument, NULL, OPTC_PRECISION},
        CLI_OPT_OUTPUT,
        CLI_OPT_QUIET,
        CLI_OPT_HELP,
        {NULL, 0, NULL, 0},
    };
    int c;
    cs_model m;
    while ((c = getopt_long(argc, argv, ":m:n:o:qhV", longopts, NULL)) != -1) {
        if (cli_opts_option(&co, c, optarg)) {
            if (c == OPTC_UNIT) /* the last of --unit and --model counts */
                so.unit = co.unit;
            continue;
        }
        switch (c) {
        case 'm':
            cli_load_model(optarg, &m);
            if (!cs_model_kind_has(m.kind, CS_CAP_SIMULATE)) {
                char names[128];
                cs_model_list(~0u, CS_CAP_SIMULATE, 0, ", ", names, sizeof names);
                cli_fail("%s is a %s model: simulation needs a purchase model (%s)", optarg,
                         cs_model_name(m.kind), names);
            }
            so.kind = m.kind;
            memcpy(so.param, m.param, sizeof so.param);
            so.unit = m.unit;
            break;
        case OPT_PARAMS: {
            const char *colon = strchr(optarg, ':');
            char name[16];
            if (!colon || (size_t)(colon - optarg) >= sizeof name)
                cli_usage("--params: expected MODEL:V1,V2,... e.g. bgnbd:0.243,4.414,0.793,2.426");
            memcpy(name, optarg, (size_t)(colon - optarg));
            name[colon - optarg] = '\0';
            so.kind = cs_model_from_name(name);
            if (!cs_model_kind_has(so.kind, CS_CAP_SIMULATE)) {
                char names[128];
                cs_model_list(~0u, CS_CAP_SIMULATE, 0, " or ", names, sizeof names);
                cli_usage("--params: '%s' is not %s", name, names);
            }
            parse_list("params", colon + 1, so.param, cs_model_nparams(so.kind));
            break;
        }
        case OPT_SPEND:
            cli_load_model(optarg, &m);
            if (cs_model_role(m.kind) != CS_ROLE_SPEND)
                cli_fail("%s is a %s model, and --spend takes a Gamma-Gamma (gg) model",
                         optarg, cs_model_name(m.kind));
            so.spend = 1;
            memcpy(so.spend_param, m.param, sizeof so.spend_param);
            break;
        case OPT_SPEND_PARAMS:
            parse_list("spend-params", optarg, so.spend_param, 3);
            so.spend = 1;
            break;
        case 'n': so.customers = cli_integer("customers", optarg, 1, 1000000000); break;
        case OPT_START: so.start = cli_date_arg("start", optarg); break;
        case OPT_ACQ_END: so.acquisition_end = cli_date_arg("acquisition-end", optarg); break;
        case OPT_END: so.end = cli_date_arg("end", optarg); break;
        case OPT_SEED: so.seed = (unsigned long)cli_integer("seed", optarg, 0, 4294967295L); break;
        case OPT_FORMAT:
            if (!strcmp(optarg, "summary"))
                summary = 1;
            else if (strcmp(optarg, "transactions"))
                cli_usage("--format: '%s' is not transactions or summary", optarg);
            break;
        case OPT_RETURNS: so.returns = cli_number("returns", optarg, 0, 1); break;
        case OPT_SAME_DAY: so.same_day = cli_number("same-day", optarg, 0, 1); break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("custseg-simulate (custseg) %s\n", cs_version()); return 0;
        default: cli_bad_option(argv, c);
        }
    }
    cli_opts_finish(&co);
    if (optind < argc)
        cli_usage("unexpected argument '%s'", argv[optind]);
    if (so.kind < 0)
        cli_usage("give --model FILE or --params MODEL:V1,V2,...");
    if (so.start == CS_DAY_NONE)
        cs_day_from_ymd(2024, 1, 1, &so.start);
    if (so.end == CS_DAY_NONE)
        so.end = so.start + 3 * 365;
    if (so.acquisition_end == CS_DAY_NONE)
        so.acquisition_end = so.start + (so.end - so.start) / 3;
    if ((so.returns > 0 || so.same_day > 0) && summary)
        cli_usage("--returns and --same-day shape the transaction log: not with --format "
                  "summary");
    if (so.returns > 0 && !so.spend)
        cli_usage("--returns needs amounts: give --spend or --spend-params");
    if (so.end <= so.start)
        cli_usage("--end must be after --start");
    if (so.acquisition_end < so.start || so.acquisition_end > so.end)
        cli_usage("--acquisition-end must lie between --start and --end");

    FILE *fp = cli_output_open(co.out);
    const char *u = cs_unit_suffix(so.unit);
    char rec[32], tc[32];
    snprintf(rec, sizeof rec, "t_x_%s", u);
    snprintf(tc, sizeof tc, "T_%s", u);
    const char *tnames[] = {"customer_id", "date", "amount"};
    const char *snames[] = {"customer_id", "frequency", rec, tc, "monetary_value"};
    cs_error err = {0};
    struct out o = {.has_value = so.spend};
    /* co.format: CSV with --precision (amounts are money: exact) */
    o.w = summary ? cs_writer_new(fp, co.format, 1, snames, so.spend ? 5 : 4, &err)
                  : cs_writer_new(fp, co.format, 1, tnames, so.spend ? 3 : 2, &err);
    if (!o.w)
        cli_die(&err);
    /* progress on a terminal (cli_progress: past 2 s, not under -q), but
     * not over the log itself when it goes to the same terminal */
    static const char label[] = "customers";
    if (co.out || !isatty(STDOUT_FILENO)) {
        so.progress = cli_progress;
        so.progress_ctx = (void *)label;
    }
    int rc = cs_simulate(&so, summary ? NULL : put_txn, summary ? put_customer : NULL, &o, &err);
    if (so.progress) /* erase the line, also after a run stopped early */
        cli_progress((void *)label, so.customers, so.customers);
    if (rc != CS_OK && rc != CS_EIO) {
        cs_writer_free(o.w);
        cli_output_close(fp, 0);
        if (o.bad_customer)
            cli_fail("customer S%08ld drew an amount of %.3g: the spend parameters are too "
                     "extreme to simulate (amounts up to %.0f)",
                     o.bad_customer, o.bad_value, MAX_CENTS / 100);
        cli_die(&err);
    }
    int ok = cs_writer_finish(o.w, &err) == CS_OK;
    cs_writer_free(o.w);
    if (!ok)
        cli_error(&err);
    return cli_output_close(fp, ok) || !ok ? EXIT_DATA : 0;
}
