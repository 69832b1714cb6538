/* custseg-stages: customer relationship stages, their funnel and their
 * migration between two dates. */
#include "common/common.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "Usage: custseg-stages [OPTION]... [FILE]...\n"
    "Type every customer by the relationship with the firm: prospect,\n"
    "potential_buyer, purchaser, loyal, advocate or lapsed. Input: a\n"
    "transaction log (several FILEs are one log; see the loader options below)\n"
    "or a custseg-summary table, and the side tables below.\n"
    "\n"
    "Types, the first that holds (every customer is in exactly one); active: a\n"
    "purchase day within --active-within before --as-of (or with --model,\n"
    "P(alive) >= --alive-threshold):\n"
    "  advocate         has bought, active, and at least --advocate-min-referrals\n"
    "                   successful referrals\n"
    "  loyal            active, and at least --loyal-min-days purchase days\n"
    "  purchaser        active, with fewer purchase days\n"
    "  lapsed           has bought, not active\n"
    "  potential_buyer  no purchase, at least one contact\n"
    "  prospect         no purchase, no contact: in --prospects, or in a referral\n"
    "                   (referred or referrer: a referral is a lead)\n"
    "A successful referral: the referred customer (not the referrer) has a purchase\n"
    "day on or after the referral's date (any, undated); a pair counts once.\n"
    "\n"
    "Side tables (a header line; ids read as the log's, --id-normalize included;\n"
    "a date column is optional: rows without a date count at every date, rows\n"
    "dated after --as-of are left out and counted; duplicates are left out and\n"
    "counted; ids the log never names are customers too, counted in a note):\n"
    "      --prospects FILE     customer id [, date]: leads, sign-ups, mailing list\n"
    "      --contacts FILE      customer id [, date]: visits, enquiries, calls,\n"
    "                           carts (a duplicate: the same id and date)\n"
    "      --referrals FILE     referrer_id, referred_id [, date] (a self-referral\n"
    "                           is left out and counted)\n"
    "      --referral-flag COLUMN\n"
    "                           --referrals is a customer table instead, whose\n"
    "                           COLUMN is the number of successful referrals (or\n"
    "                           0/1, yes/no, true/false)\n"
    "      --side-id COLUMN     the id column of the side tables (default: the\n"
    "                           names of the log's: customer_id, customer, id, ...;\n"
    "                           referrals: the referred, referred_id or referred)\n"
    "      --referrer-column COLUMN\n"
    "                           referrals: the referrer (default referrer_id or\n"
    "                           referrer)\n"
    "      --side-date COLUMN   the date column of the side tables (default date;\n"
    "                           YYYY-MM-DD or YYYYMMDD, or --date-format)\n"
    "\n"
    "Rules:\n"
    "      --loyal-min-days N   purchase days of a loyal follower (default 3)\n"
    "      --advocate-min-referrals M\n"
    "                           successful referrals of an advocate (default 1)\n"
    "      --active-within D    days, or Nw, Nm (months of 365.25/12 days), Ny\n"
    "                           (default 12m)\n"
    "      --model FILE         a purchase model of custseg-clv fit (with drop-out,\n"
    "                           in a time unit): active when P(alive) >= the\n"
    "                           threshold, instead of --active-within\n"
    "      --alive-threshold P  (default 0.5)\n"
    "      --as-of DATE         end of observation (default: the last date in the\n"
    "                           log)\n"
    "      --returns net|net-customer|drop|keep\n"
    "                           as custseg-summary (default net)\n"
    "\n"
    "Output per customer: customer_id, type, purchase_days, last_purchase,\n"
    "total_value, referrals (successful), sorted by id.\n"
    "      --report             per type instead (prospect, potential_buyer, lapsed,\n"
    "                           purchaser, loyal, advocate, then total): customers,\n"
    "                           share, value (total_value, net), value_share,\n"
    "                           mean_value, side_only (customers only in the side\n"
    "                           tables)\n"
    "      --funnel FILE        the funnel ('-': standard output): the stages\n"
    "                           reached in history, prospect (in --prospects; its\n"
    "                           date), potential_buyer (a contact or a purchase: the\n"
    "                           earlier), purchaser (the first purchase day), loyal\n"
    "                           (the N-th purchase day) and advocate (the M-th\n"
    "                           successful referral: the referred customer's first\n"
    "                           known purchase day on or after it); per step\n"
    "                           from_stage, to_stage, base (reached the first),\n"
    "                           converted (and the next), rate, timed (both dates\n"
    "                           known, in order) and median_days. From a summary\n"
    "                           table the loyal dates are unknown (no times)\n"
    "      --compare-as-of DATE the migration from the types at DATE (the log up to\n"
    "                           DATE, side rows dated up to DATE or undated) to the\n"
    "                           types at --as-of instead: from_type (new: unknown at\n"
    "                           DATE), to_type, customers, share_of_from; up, down\n"
    "                           and stay rates (in the order prospect <\n"
    "                           potential_buyer < lapsed < purchaser < loyal <\n"
    "                           advocate) go to standard error. Needs a log in files\n"
    "  -o, --output FILE, -j, --threads N, -h, --help, -V, --version\n"
    "  -q, --quiet          no counts or notes on standard error; -qq or --silent:\n"
    "                       no warnings either\n"
    CLI_FORMAT_HELP("csv|tsv|jsonl|xlsx")
    "\n"
    "%s"
    "\n"
    "Examples:\n"
    "  custseg-stages --prospects leads.csv --contacts visits.csv --report orders.csv\n"
    "  custseg-stages --referrals referrals.csv --funnel funnel.csv orders.csv > types.csv\n"
    "  custseg-stages --compare-as-of 2024-01-01 --as-of 2025-01-01 orders.csv\n";

enum { OPT_PROSPECTS = OPT_LOAD_LAST + 1, OPT_CONTACTS, OPT_REFERRALS, OPT_FLAG, OPT_SIDE_ID,
       OPT_REFERRER, OPT_SIDE_DATE, OPT_LOYAL, OPT_ADVOCATE, OPT_ACTIVE, OPT_MODEL, OPT_ALIVE,
       OPT_RETURNS, OPT_REPORT, OPT_FUNNEL, OPT_COMPARE };

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

static cs_writer *writer(FILE *out, int format, int header, const char *const *names, size_t n,
                         const char *sheet)
{
    cs_error err = {0};
    cs_writer *w = cs_writer_new(out, format, header, names, n, &err);
    if (!w)
        cli_die(&err);
    cs_writer_set_sheet(w, sheet);
    return w;
}

static int finish(cs_writer *w)
{
    cs_error err = {0};
    int ok = cs_writer_finish(w, &err) == CS_OK;
    cs_writer_free(w);
    if (!ok)
        cli_error(&err);
    return ok;
}

static void name(cs_writer *w, const char *s)
{
    cs_writer_str(w, s, strlen(s));
}

static int write_rows(FILE *out, const cs_stages_result *r, int format, int header, int amount)
{
    static const char *const names[] = {"customer_id",  "type",        "purchase_days",
                                        "last_purchase", "total_value", "referrals"};
    cs_writer *w = writer(out, format, header, names, 6, "Stages");
    cs_writer_money_column(w, 4);
    for (size_t i = 0; i < r->n; i++) {
        const cs_stage_row *o = &r->rows[i];
        cs_writer_str(w, o->id, o->id_len);
        name(w, cs_stage_name(o->stage));
        cs_writer_int(w, o->purchase_days);
        if (o->last != CS_DAY_NONE)
            cs_writer_date(w, o->last);
        else
            cs_writer_null(w);
        if (amount)
            cs_writer_money(w, o->value);
        else
            cs_writer_null(w);
        cs_writer_int(w, o->referrals);
        cs_writer_end_row(w);
    }
    return finish(w);
}

static void ratio(cs_writer *w, double num, double den)
{
    if (den > 0)
        cs_writer_real(w, num / den);
    else
        cs_writer_null(w);
}

static int write_report(FILE *out, const cs_stages_result *r, int format, int header, int amount)
{
    static const char *const names[] = {"type",        "customers",  "share",    "value",
                                        "value_share", "mean_value", "side_only"};
    cs_writer *w = writer(out, format, header, names, 7, "Stages");
    cs_writer_money_column(w, 3);
    cs_writer_money_column(w, 5);
    int64_t total = 0;
    size_t side = 0;
    for (int s = 0; s < CS_STAGE_COUNT; s++)
        total += r->value[s], side += r->side_only[s];
    for (int s = 0; s <= CS_STAGE_COUNT; s++) {
        size_t n = s < CS_STAGE_COUNT ? r->count[s] : r->n;
        int64_t v = s < CS_STAGE_COUNT ? r->value[s] : total;
        name(w, s < CS_STAGE_COUNT ? cs_stage_name(s) : "total");
        cs_writer_int(w, (long long)n);
        ratio(w, (double)n, (double)r->n);
        if (amount) {
            cs_writer_money(w, v);
            ratio(w, (double)v, (double)total);
            if (n)
                cs_writer_real(w, (double)v / CS_MICRO / (double)n);
            else
                cs_writer_null(w);
        } else {
            cs_writer_null(w), cs_writer_null(w), cs_writer_null(w);
        }
        cs_writer_int(w, (long long)(s < CS_STAGE_COUNT ? r->side_only[s] : side));
        cs_writer_end_row(w);
    }
    return finish(w);
}

static int write_funnel(FILE *out, const cs_stages_result *r, int format, int header)
{
    static const char *const names[] = {"from_stage", "to_stage", "base",       "converted",
                                        "rate",       "timed",    "median_days"};
    cs_writer *w = writer(out, format, header, names, 7, "Funnel");
    for (int s = 0; s < CS_FUNNEL_COUNT - 1; s++) {
        const cs_funnel_step *f = &r->step[s];
        name(w, cs_funnel_stage_name(s));
        name(w, cs_funnel_stage_name(s + 1));
        cs_writer_int(w, (long long)f->base);
        cs_writer_int(w, (long long)f->converted);
        ratio(w, (double)f->converted, (double)f->base);
        cs_writer_int(w, (long long)f->timed);
        cs_writer_real(w, f->median_days);
        cs_writer_end_row(w);
    }
    return finish(w);
}

static int write_migration(FILE *out, const cs_stages_result *r, int format, int header)
{
    static const char *const names[] = {"from_type", "to_type", "customers", "share_of_from"};
    cs_writer *w = writer(out, format, header, names, 4, "Migration");
    for (int f = 0; f <= CS_STAGE_COUNT; f++) {
        size_t row = 0;
        for (int t = 0; t < CS_STAGE_COUNT; t++)
            row += r->migration[f][t];
        for (int t = 0; t < CS_STAGE_COUNT; t++) {
            name(w, f < CS_STAGE_COUNT ? cs_stage_name(f) : "new");
            name(w, cs_stage_name(t));
            cs_writer_int(w, (long long)r->migration[f][t]);
            ratio(w, (double)r->migration[f][t], (double)row);
            cs_writer_end_row(w);
        }
    }
    return finish(w);
}

/* The notes of the side tables (chatter: -q hides them). */
static void side_notes(const cs_stages_result *r, const char *const path[CS_SIDE_NKINDS])
{
    char a[32], b[32];
    for (int k = 0; k < CS_SIDE_NKINDS; k++) {
        const cs_side_stats *s = &r->side[k];
        if (!path[k])
            continue;
        char more[256] = "";
        size_t m = 0;
        if (s->duplicates)
            m += (size_t)snprintf(more + m, sizeof more - m, ", %s duplicate %s left out",
                                  cli_count(s->duplicates, a), cli_plural(s->duplicates, "row", "rows"));
        if (s->after_as_of && m < sizeof more)
            m += (size_t)snprintf(more + m, sizeof more - m,
                                  ", %s dated after the end of observation left out",
                                  cli_count(s->after_as_of, a));
        if (s->self_referrals && m < sizeof more)
            m += (size_t)snprintf(more + m, sizeof more - m, ", %s %s left out",
                                  cli_count(s->self_referrals, a),
                                  cli_plural(s->self_referrals, "self-referral", "self-referrals"));
        cli_info("%s: %s %s%s; %s %s not in the log", path[k], cli_count(s->rows, b),
                 cli_plural(s->rows, "row", "rows"), more, cli_count(s->new_ids, a),
                 cli_plural(s->new_ids, "id", "ids"));
    }
}

/* The side tables, read on a thread of their own while the log loads
 * (the library joins them when the log comes). */
struct side_job {
    cs_stages *st;
    const char *const *path;
    cs_side_spec spec; /* all but the kind */
    int flag;
    cs_error err;
    int rc;
};

static void read_sides(struct side_job *j)
{
    for (int k = 0; k < CS_SIDE_NKINDS && j->rc == CS_OK; k++) {
        if (!j->path[k])
            continue;
        cs_side_spec spec = j->spec;
        spec.kind = k == CS_SIDE_REFERRALS && j->flag ? CS_SIDE_REFERRAL_COUNTS : k;
        cs_input *in = cs_input_open(j->path[k], &j->err);
        j->rc = in ? cs_stages_read(j->st, in, &spec, &j->err) : j->err.code;
        cs_input_close(in);
    }
}

static void *side_thread(void *arg)
{
    read_sides(arg);
    return NULL;
}

int main(int argc, char **argv)
{
    cli_init("custseg-stages");
    struct cli_load load;
    cli_load_init(&load);
    struct cli_opts o;
    cli_opts_init(&o);
    cs_stages_options so_st = {.loyal_min_days = 3, .advocate_min_referrals = 1,
                               .active_within = 365.25, .alive_threshold = 0.5};
    const char *side_path[CS_SIDE_NKINDS] = {NULL};
    const char *flag = NULL, *side_id = NULL, *referrer = NULL, *side_date = NULL;
    const char *model_path = NULL, *funnel = NULL;
    int report = 0, returns = CS_RETURNS_NET, active_given = 0;
    cs_day compare = CS_DAY_NONE;
    static const struct option longopts[] = {
        CLI_LOAD_LONGOPTS,
        {"prospects", required_argument, NULL, OPT_PROSPECTS},
        {"contacts", required_argument, NULL, OPT_CONTACTS},
        {"referrals", required_argument, NULL, OPT_REFERRALS},
        {"referral-flag", required_argument, NULL, OPT_FLAG},
        {"side-id", required_argument, NULL, OPT_SIDE_ID},
        {"referrer-column", required_argument, NULL, OPT_REFERRER},
        {"side-date", required_argument, NULL, OPT_SIDE_DATE},
        {"loyal-min-days", required_argument, NULL, OPT_LOYAL},
        {"advocate-min-referrals", required_argument, NULL, OPT_ADVOCATE},
        {"active-within", required_argument, NULL, OPT_ACTIVE},
        {"model", required_argument, NULL, OPT_MODEL},
        {"alive-threshold", required_argument, NULL, OPT_ALIVE},
        {"returns", required_argument, NULL, OPT_RETURNS},
        {"report", no_argument, NULL, OPT_REPORT},
        {"funnel", required_argument, NULL, OPT_FUNNEL},
        {"compare-as-of", required_argument, NULL, OPT_COMPARE},
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
        case OPT_PROSPECTS: side_path[CS_SIDE_PROSPECTS] = optarg; break;
        case OPT_CONTACTS: side_path[CS_SIDE_CONTACTS] = optarg; break;
        case OPT_REFERRALS: side_path[CS_SIDE_REFERRALS] = optarg; break;
        case OPT_FLAG: flag = optarg; break;
        case OPT_SIDE_ID: side_id = optarg; break;
        case OPT_REFERRER: referrer = optarg; break;
        case OPT_SIDE_DATE: side_date = optarg; break;
        case OPT_LOYAL:
            so_st.loyal_min_days = (int)cli_integer("loyal-min-days", optarg, 2, 100000);
            break;
        case OPT_ADVOCATE:
            so_st.advocate_min_referrals =
                (int)cli_integer("advocate-min-referrals", optarg, 1, 100000);
            break;
        case OPT_ACTIVE:
            so_st.active_within = days_arg("active-within", optarg);
            active_given = 1;
            break;
        case OPT_MODEL: model_path = optarg; break;
        case OPT_ALIVE: so_st.alive_threshold = cli_number("alive-threshold", optarg, 0, 1); break;
        case OPT_RETURNS: returns = cli_returns(optarg); break;
        case OPT_REPORT: report = 1; break;
        case OPT_FUNNEL: funnel = optarg; break;
        case OPT_COMPARE: compare = cli_date_arg("compare-as-of", optarg); break;
        case 'h': printf(usage_text, cli_load_help); return 0;
        case 'V': printf("custseg-stages (custseg) %s\n", cs_version()); return 0;
        default: cli_bad_option(argv, c);
        }
    }
    cli_opts_finish(&o);
    if (funnel && !strcmp(funnel, "-") && (o.format & CS_FORMAT_KIND_MASK) == CS_FORMAT_XLSX)
        cli_usage("--funnel -: a workbook is written to a file, not to standard output");
    load.quiet = o.quiet;
    if (flag && !side_path[CS_SIDE_REFERRALS])
        cli_usage("--referral-flag names a column of --referrals FILE");
    if (model_path && active_given)
        cli_usage("--model and --active-within do not go together");
    if (report && compare != CS_DAY_NONE)
        cli_usage("--report and --compare-as-of do not go together (each is the output)");
    if (compare != CS_DAY_NONE && o.as_of != CS_DAY_NONE && compare >= o.as_of)
        cli_usage("--compare-as-of must be before --as-of");
    for (int k = 0; k < CS_SIDE_NKINDS; k++)
        cli_input(side_path[k]);
    so_st.no_rows = report || compare != CS_DAY_NONE; /* aggregates are the output */
    cs_model model;
    if (model_path) {
        cli_load_model(model_path, &model);
        if (!cs_model_has(&model, CS_CAP_DROPOUT) || !cs_model_has(&model, CS_CAP_TIME_UNIT))
            cli_fail("%s: --model needs a purchase model with drop-out in a time unit "
                     "(bgnbd, pnbd or mbgnbd)", model_path);
        so_st.model = &model;
    }
    cs_error err = {0};
    cs_stages *st = cs_stages_new(&so_st, &err);
    if (!st)
        cli_die(&err);
    /* the side tables on a thread while the log loads (they and the log
     * share nothing until the join); sequentially with -j 1 or a side
     * table on standard input */
    struct side_job job = {
        .st = st,
        .path = side_path,
        .spec = {.id_column = side_id,
                 .referrer_column = referrer,
                 .date_column = side_date,
                 .flag_column = flag,
                 .datefmt = load.txn.datefmt.kind != CS_DATE_AUTO ? &load.txn.datefmt : NULL,
                 .id_mode = load.txn.id_mode},
        .flag = flag != NULL,
    };
    int sides = 0, on_stdin = 0, threaded = 0;
    pthread_t tid;
    for (int k = 0; k < CS_SIDE_NKINDS; k++) {
        sides |= side_path[k] != NULL;
        on_stdin |= side_path[k] && !strcmp(side_path[k], "-");
    }
    if (sides && !on_stdin && o.threads > 1 &&
        pthread_create(&tid, NULL, side_thread, &job) == 0)
        threaded = 1;
    int n = argc - optind, kind;
    cs_input *first = cli_open_peek(n ? argv[optind] : "-", &kind);
    cs_summary *now = NULL, *bef = NULL;
    cs_summary_options so = {.as_of = o.as_of, .calibration_end = CS_DAY_NONE,
                             .threads = o.threads, .returns = returns};
    if (kind == CS_TABLE_SUMMARY) {
        if (n > 1)
            cli_usage("give one summary table (or transaction logs)");
        if (compare != CS_DAY_NONE)
            cli_usage("--compare-as-of reads the log, not a summary table");
        if (o.as_of != CS_DAY_NONE)
            cli_usage("--as-of goes with a log: a summary table has its own end");
        now = cs_summary_read(first, &err);
        cs_input_close(first);
        if (!now)
            cli_die(&err);
        cli_info("from a summary table the loyal step of the funnel has no dates (the N-th "
                 "purchase day is in the log only)");
    } else {
        if (compare != CS_DAY_NONE) {
            if (n == 0)
                cli_usage("--compare-as-of reads the log twice: give it as a file, not on "
                          "standard input");
            for (int i = 0; i < n; i++)
                if (!strcmp(argv[optind + i], "-"))
                    cli_usage("--compare-as-of reads the log twice: give it as a file, not on "
                              "standard input");
        }
        cs_builder *b = cli_builder_new(&load, &so);
        if (cs_builder_track_nth(b, so_st.loyal_min_days, &err) != CS_OK)
            cli_die(&err);
        cli_load_run(&load, b, argv + optind, n, first);
        if (!(now = cs_builder_finish(b, &err)))
            cli_die(&err);
        if (compare != CS_DAY_NONE) {
            if (compare >= now->as_of)
                cli_usage("--compare-as-of must be before the end of observation");
            /* the log again, up to the earlier date (its notes were given) */
            cs_summary_options sb = so;
            sb.as_of = compare;
            sb.has_amount = !load.txn.no_amount;
            cs_load_options lo = {.skip_bad = load.skip_bad, .skip_kinds = load.skip_kinds,
                                  .budget = load.budget_given ? &load.budget : NULL};
            cs_error e = {0};
            if (!(b = cs_builder_new(&sb, &e)) ||
                cs_load_transactions(b, (const char *const *)(argv + optind), (size_t)n,
                                     &load.txn, &lo, NULL, &e) != CS_OK) {
                cs_builder_free(b);
                cli_die(&e);
            }
            bef = cs_builder_finish(b, &e);
            if (!bef && e.code != CS_EEMPTY) /* nobody had bought by then: all new */
                cli_die(&e);
        }
    }
    if (threaded) {
        pthread_join(tid, NULL);
        if (job.rc != CS_OK)
            cli_die(&job.err);
    }
    if (cs_stages_set_log(st, now, bef, compare, &err) != CS_OK)
        cli_die(&err);
    if (!threaded && sides) {
        read_sides(&job);
        if (job.rc != CS_OK)
            cli_die(&job.err);
    }
    cs_stages_result res;
    if (cs_stages_compute(st, &res, &err) != CS_OK)
        cli_die(&err);
    if (flag) /* the counts table is --referrals */
        res.side[CS_SIDE_REFERRALS] = res.side[CS_SIDE_REFERRAL_COUNTS];
    side_notes(&res, side_path);
    size_t side_only = 0;
    for (int s = 0; s < CS_STAGE_COUNT; s++)
        side_only += res.side_only[s];
    char a[32], b2[32];
    cli_info("%s customers, %s of them only in the side tables", cli_count(res.n, a),
             cli_count(side_only, b2));
    int header = load.output_header != 0, amount = now->has_amount, ok;
    FILE *fside = funnel ? cli_side_open(funnel) : NULL;
    FILE *out = cli_output_open(o.out);
    if (compare != CS_DAY_NONE) {
        ok = write_migration(out, &res, o.format, header);
        size_t base = res.up + res.down + res.stay;
        double d = base ? (double)base : 1;
        if (ok && base)
            cli_info("of %zu customers typed at the earlier date: up %.1f%%, down %.1f%%, "
                     "stay %.1f%%; %zu new %s since",
                     base, 100.0 * (double)res.up / d, 100.0 * (double)res.down / d,
                     100.0 * (double)res.stay / d, res.new_customers,
                     res.new_customers == 1 ? "customer" : "customers");
    } else if (report) {
        ok = write_report(out, &res, o.format, header, amount);
    } else {
        ok = write_rows(out, &res, o.format, header, amount);
    }
    if (ok && fside)
        ok = write_funnel(fside, &res, o.format, header);
    int fail = fside ? cli_side_close(fside, ok) : 0;
    fail |= cli_output_close(out, ok && !fail);
    fail |= cli_load_finish(&load, ok && !fail);
    cs_stages_result_free(&res);
    cs_stages_free(st);
    cs_summary_free(now);
    cs_summary_free(bef);
    return ok && !fail ? 0 : EXIT_DATA;
}
