#include "common.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Run state of a command-line tool. These are the only globals: the library
 * has none. Every file a run writes (-o, --rejects and the side outputs) is
 * a slot here. Closing one that went well only makes it ready; the files
 * are renamed into place together when the run exits after everything
 * succeeded. A failure of any output, cli_die, an exit with an output still
 * open, or a signal removes every temporary file: all of a run's outputs
 * appear, or none. */
static const char *prog = "custseg";
#define MAX_OUTPUTS 8
static struct out_slot {
    cs_outfile *f;
    FILE *fp;
    int ready; /* written and flushed: committed at exit */
    char tmp[4096];
    dev_t dev; /* the target, when it exists (ino 0: it does not) */
    ino_t ino;
    char canon[4096]; /* its folder's real path and its name */
} outputs[MAX_OUTPUTS];
/* The regular files a run reads, so that no output overwrites one. */
#define MAX_INPUTS 64
static struct {
    dev_t dev;
    ino_t ino;
} inputs[MAX_INPUTS];
static int ninputs;
static int stdout_failed; /* a write error on stdout was reported already */
static int progress_shown;
static struct timespec started;
static int quiet_level; /* -q: 1 (chatter hidden), -qq or --silent: 2 (warnings too) */

/* path's folder made real, and its name: two spellings of one new file
 * compare equal */
static void canonical(const char *path, char out[4096])
{
    const char *slash = strrchr(path, '/');
    char dir[4096], real[4096];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + 1 : 2, slash ? path : "./");
    if (!realpath(dir, real))
        snprintf(real, sizeof real, "%s", dir);
    snprintf(out, 4096, "%.2000s/%.2000s", real, slash ? slash + 1 : path);
}

/* Opens path atomically into a free slot, or exits 1. An output that is an
 * input of the run, or another output, is a usage error. */
static struct out_slot *slot_open(const char *path)
{
    struct out_slot *s = NULL;
    for (int i = 0; i < MAX_OUTPUTS && !s; i++)
        if (!outputs[i].f)
            s = &outputs[i];
    if (!s)
        cli_fail("too many output files");
    struct stat st;
    dev_t dev = 0;
    ino_t ino = 0;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        dev = st.st_dev, ino = st.st_ino;
        for (int i = 0; i < ninputs; i++)
            if (inputs[i].dev == dev && inputs[i].ino == ino)
                cli_usage("'%s' is an input of this run: writing it would destroy it", path);
    }
    char canon[4096];
    canonical(path, canon);
    for (int i = 0; i < MAX_OUTPUTS; i++)
        if (outputs[i].f && (!strcmp(outputs[i].canon, canon) ||
                             (ino && outputs[i].ino == ino && outputs[i].dev == dev)))
            cli_usage("'%s' is named for two outputs of this run", path);
    cs_error err = {0};
    cs_outfile *f = cs_outfile_open(path, &err);
    if (!f)
        cli_die(&err);
    snprintf(s->tmp, sizeof s->tmp, "%s", cs_outfile_temp_path(f));
    snprintf(s->canon, sizeof s->canon, "%s", canon);
    s->dev = dev, s->ino = ino;
    s->fp = cs_outfile_fp(f);
    s->f = f; /* last: a signal sees a whole slot */
    return s;
}

int cli_input(const char *path)
{
    struct stat st;
    if (!path || !strcmp(path, "-") || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    for (int i = 0; i < MAX_OUTPUTS; i++)
        if (outputs[i].f && outputs[i].ino == st.st_ino && outputs[i].dev == st.st_dev)
            cli_usage("'%s' is an input of this run: writing it would destroy it", path);
    for (int i = 0; i < ninputs; i++)
        if (inputs[i].dev == st.st_dev && inputs[i].ino == st.st_ino)
            return 1;
    if (ninputs < MAX_INPUTS)
        inputs[ninputs].dev = st.st_dev, inputs[ninputs++].ino = st.st_ino;
    return 0;
}

static struct out_slot *slot_of(FILE *fp)
{
    for (int i = 0; i < MAX_OUTPUTS; i++)
        if (outputs[i].f && outputs[i].fp == fp)
            return &outputs[i];
    return NULL;
}

/* Commits (ok) or discards the slot's file; returns 1 on failure. */
static int slot_close(struct out_slot *s, int ok)
{
    cs_outfile *f = s->f;
    s->f = NULL;
    s->fp = NULL;
    s->ready = 0;
    s->tmp[0] = '\0';
    if (!ok) {
        cs_outfile_abort(f);
        return 1;
    }
    cs_error err = {0};
    if (cs_outfile_commit(f, &err) != CS_OK) {
        cli_error(&err);
        return 1;
    }
    return 0;
}

static void abort_all(void)
{
    for (int i = 0; i < MAX_OUTPUTS; i++)
        if (outputs[i].f)
            slot_close(&outputs[i], 0);
}

/* At exit, after close_stdout: the ready outputs are renamed into place,
 * unless one is still open (the run did not finish it). */
static void commit_at_exit(void)
{
    for (int i = 0; i < MAX_OUTPUTS; i++)
        if (outputs[i].f && !outputs[i].ready) {
            abort_all();
            return;
        }
    for (int i = 0; i < MAX_OUTPUTS; i++)
        if (outputs[i].f && slot_close(&outputs[i], 1)) {
            abort_all();
            _exit(EXIT_DATA);
        }
}

static void close_stdout(void)
{
    /* A closed pipe kills the process with SIGPIPE before this runs, which
     * is the quiet ending a pipeline wants; a full disk gets here. */
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        abort_all(); /* the files of a run whose output failed are not kept */
        if (stdout_failed)
            _exit(EXIT_DATA);
        fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno ? errno : EIO));
        _exit(EXIT_DATA);
    }
}

static void on_signal(int sig)
{
    for (int i = 0; i < MAX_OUTPUTS; i++)
        if (outputs[i].f && outputs[i].tmp[0])
            unlink(outputs[i].tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_init(const char *name)
{
    prog = name;
    opterr = 0; /* cli_bad_option words the message */
    /* The user's locale is taken as it is: the library writes and reads
     * numbers with a dot whatever it says (and tests check that under
     * de_DE.UTF-8), so a tool never needs LC_NUMERIC=C to be right. */
    setlocale(LC_ALL, "");
    gsl_set_error_handler_off();
    atexit(commit_at_exit); /* runs after close_stdout */
    atexit(close_stdout);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* a reader that stops early (| head) ends the run by SIGPIPE, quietly
     * as before, but without leaving the temporary files behind */
    struct sigaction old;
    if (sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
        sigaction(SIGPIPE, &sa, NULL); /* an ignored SIGPIPE stays ignored */
}

const char *cli_name(void)
{
    return prog;
}

static void vsay(const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_set_quiet(int level)
{
    quiet_level = level;
}

int cli_quiet(void)
{
    return quiet_level;
}

void cli_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (quiet_level < 1)
        vsay(fmt, ap);
    va_end(ap);
}

void cli_note_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(fmt, ap);
    va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    if (quiet_level >= 2)
        return;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) * 1e-9;
}

void cli_progress(void *ctx, long done, long total)
{
    static struct timespec start, last;
    static const char *label;
    static int shown;
    if (quiet_level > 0 || !isatty(STDERR_FILENO))
        return;
    if (label != ctx) { /* a new computation */
        label = ctx;
        shown = 0;
        clock_gettime(CLOCK_MONOTONIC, &start);
        last = start;
    }
    if (done >= total) {
        if (shown)
            fprintf(stderr, "\r%*s\r", 60, "");
        label = NULL;
        return;
    }
    if (seconds_since(&start) < CLI_PROGRESS_AFTER || (shown && seconds_since(&last) < 0.5))
        return;
    fprintf(stderr, "\r%s: %s %ld/%ld", prog, label ? label : "", done, total);
    shown = 1;
    clock_gettime(CLOCK_MONOTONIC, &last);
}

void cli_usage(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
    exit(EXIT_USAGE);
}

void cli_fail(const char *fmt, ...)
{
    cs_error e = {.code = CS_EINVAL};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    cli_die(&e);
}

/* The tools' wording of the library's hints (enum cs_hint): the library
 * names no flags. */
static const char *hint_text(int hint)
{
    switch (hint) {
    case CS_HINT_COLUMNS_BY_NUMBER: return ": --customer N --date N --amount N";
    case CS_HINT_NAME_CUSTOMER: return "; name it with --customer";
    case CS_HINT_NAME_DATE: return "; name it with --date";
    case CS_HINT_NAME_AMOUNT:
        return "; name it with --amount, or --quantity and --price, or read purchases only "
               "with --no-amount";
    case CS_HINT_END_OF_OBSERVATION:
        return " (the last date in the data, unless --as-of says otherwise)";
    case CS_HINT_PARTIAL_OPTIONS:
        return " (--as-of, --calibration-end, --returns or the amount column) than the ones "
               "before it";
    case CS_HINT_AS_OF: return " (--as-of): a date in the future";
    default: return "";
    }
}

void cli_error(const cs_error *e)
{
    fprintf(stderr, "%s: ", prog);
    if (e->file[0]) {
        fputs(e->file, stderr);
        if (e->line > 0)
            fprintf(stderr, ":%ld", e->line);
        fputs(": ", stderr);
    }
    if (e->field[0])
        fprintf(stderr, "column '%s': ", e->field);
    else if (e->column > 0)
        fprintf(stderr, "column %d: ", e->column);
    if (e->setting[0]) { /* the library's setting is the tool's option of that name */
        fputs("--", stderr);
        for (const char *c = e->setting; *c; c++)
            fputc(*c == '_' ? '-' : *c, stderr);
        fprintf(stderr, " %s: ", e->value);
    }
    fprintf(stderr, "%s%s\n", e->message[0] ? e->message : cs_strerror(e->code),
            hint_text(e->hint));
}

void cli_die(const cs_error *err)
{
    cli_error(err);
    abort_all();
    exit(EXIT_DATA);
}

void cli_bad_option(char **argv, int c)
{
    /* getopt_long leaves optind after the offending word (or on it, inside
     * a cluster of short options like -qx, where only optopt matters) */
    const char *arg = argv[optind - 1];
    if (arg[0] == '-' && arg[1] == '-') {
        const char *eq = strchr(arg, '=');
        int len = eq ? (int)(eq - arg) : (int)strlen(arg);
        if (c == ':')
            cli_usage("option '%.*s' needs a value", len, arg);
        if (optopt && eq)
            cli_usage("option '%.*s' takes no value", len, arg);
        cli_usage("unknown option '%.*s'", len, arg);
    }
    if (c == ':')
        cli_usage("option '-%c' needs a value", optopt);
    cli_usage("unknown option '-%c'", optopt);
}

const char *cli_plural(unsigned long long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

cs_day cli_date_arg(const char *opt, const char *arg)
{
    cs_datefmt any = {0};
    cs_day d;
    if (cs_date_parse(&any, arg, strlen(arg), &d, NULL) != CS_OK)
        cli_usage("--%s: '%s' is not a date (expected YYYY-MM-DD, from 1900 to 2200)", opt, arg);
    return d;
}

double cli_number(const char *opt, const char *arg, double lo, double hi)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end || errno == ERANGE || !(v >= lo && v <= hi))
        cli_usage("--%s: '%s' is not a number from %g to %g", opt, arg, lo, hi);
    return v;
}

long cli_integer(const char *opt, const char *arg, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (end == arg || *end || errno == ERANGE || v < lo || v > hi)
        cli_usage("--%s: '%s' is not a whole number from %ld to %ld", opt, arg, lo, hi);
    return v;
}

int cli_default_threads(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
}

void cli_opts_init(struct cli_opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = CS_FORMAT_CSV;
    o->as_of = CS_DAY_NONE;
    o->calibration_end = CS_DAY_NONE;
    o->unit = -1;
}

int cli_opts_option(struct cli_opts *o, int opt, const char *arg)
{
    switch (opt) {
    case 'j': o->threads = (int)cli_integer("threads", arg, 1, 64); return 1;
    case 'f':
        if (o->allow_json && !strcmp(arg, "json"))
            o->format = CLI_FORMAT_JSON;
        else if ((o->format = cs_format_from_name(arg)) < 0)
            cli_usage("--format: '%s' is not csv, tsv%s", arg,
                      o->allow_json ? ", jsonl or json" : " or jsonl");
        return 1;
    case 'o': o->out = arg; return 1;
    case 'q': /* -q: chatter hidden; -qq: warnings too */
        o->quiet += o->quiet < 2;
        cli_set_quiet(o->quiet);
        return 1;
    case OPTC_SILENT: o->quiet = 2; cli_set_quiet(2); return 1;
    case 'v': o->verbose = 1; return 1;
    case OPTC_AS_OF: o->as_of = cli_date_arg("as-of", arg); return 1;
    case OPTC_CAL_END: o->calibration_end = cli_date_arg("calibration-end", arg); return 1;
    case OPTC_UNIT:
        if ((o->unit = cs_unit_from_name(arg)) < 0)
            cli_usage("--unit: '%s' is not day, week or month", arg);
        return 1;
    default: return 0;
    }
}

void cli_opts_finish(struct cli_opts *o)
{
    if (o->threads == 0)
        o->threads = cli_default_threads();
    if (o->as_of != CS_DAY_NONE && o->calibration_end != CS_DAY_NONE &&
        o->calibration_end >= o->as_of)
        cli_usage("--calibration-end must be before --as-of");
}

int cli_subcommand(int argc, char **argv, const char *const cmds[], const char *help)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(help, stdout);
        exit(0);
    }
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        printf("%s (custseg) %s\n", prog, cs_version());
        exit(0);
    }
    char list[256] = "";
    size_t n = 0, o = 0;
    while (cmds[n])
        n++;
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(list + o, o < sizeof list ? sizeof list - o : 0, "%s%s",
                              i == 0 ? "" : i + 1 == n ? " or " : ", ", cmds[i]);
    if (argc < 2 || argv[1][0] == '-')
        cli_usage("give a command: %s", list);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(argv[1], cmds[i])) {
            optind = 2;
            return (int)i;
        }
    cli_usage("'%s' is not a command: %s", argv[1], list);
}

FILE *cli_output_open(const char *path)
{
    if (!path || !strcmp(path, "-"))
        return stdout;
    return slot_open(path)->fp;
}

FILE *cli_side_open(const char *path)
{
    return cli_output_open(path);
}

int cli_side_close(FILE *fp, int ok)
{
    return cli_output_close(fp, ok);
}

int cli_output_close(FILE *fp, int ok)
{
    if (fp == stdout) {
        if (!ok) {
            stdout_failed = 1; /* the caller reported it */
            return 1;
        }
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_warn("write error: %s", strerror(errno ? errno : EIO));
            stdout_failed = 1;
            return 1;
        }
        return 0;
    }
    struct out_slot *s = slot_of(fp);
    if (!s)
        return 1;
    if (ok && fflush(fp) == 0 && !ferror(fp)) {
        s->ready = 1; /* renamed at exit, with the others */
        return 0;
    }
    if (ok)
        slot_close(s, 1); /* reports the write error as a commit does */
    else
        slot_close(s, 0);
    abort_all(); /* one output failed: none is kept */
    return 1;
}

const char *cli_count(unsigned long long n, char buf[32])
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%llu", n);
    int o = 0;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
    return buf;
}

/* ---- loader options ---- */

const char cli_load_help[] =
    "Input (transactions: CSV, TSV or whitespace-separated; gzip is read as is):\n"
    "  -c, --customer COL     customer id column, by header name or 1-based number\n"
    "  -d, --date COL         date column\n"
    "  -a, --amount COL       amount column (a dot for decimals, negative = return)\n"
    "      --quantity COL --price COL\n"
    "                         amount = quantity x price\n"
    "      --no-amount        the log has no amounts: count purchases only\n"
    "                         Without these, common header names are recognised\n"
    "                         (customer_id, CustomerID, date, InvoiceDate, amount,\n"
    "                         revenue, sales, value, Quantity + UnitPrice, ...).\n"
    "      --delimiter D      comma, tab, semicolon, pipe, whitespace (runs of\n"
    "                         spaces), a single character, or auto (default: from\n"
    "                         the first line)\n"
    "      --date-format FMT  strptime-style pattern, e.g. '%m/%d/%Y %H:%M'\n"
    "                         (default: YYYY-MM-DD with an optional time, or YYYYMMDD;\n"
    "                         day/month order is never guessed)\n"
    "      --header           the input starts with a header line\n"
    "      --no-header        no header line, in the input or the output\n"
    "      --input-header auto|yes|no, --output-header yes|no\n"
    "                         set the two sides apart (default: auto, yes)\n"
    "      --on-error stop|skip\n"
    "                         stop at the first bad record (default), or skip bad\n"
    "                         records and report how many of each kind\n"
    "      --rejects FILE     with --on-error skip: write skipped records there\n"
    "      --max-line-bytes N the longest record, in bytes (default 67108864,\n"
    "                         64 MiB); a longer one is a bad record, dropped up to\n"
    "                         the end of the line where it passes the limit\n";

void cli_load_init(struct cli_load *l)
{
    memset(l, 0, sizeof *l);
    l->txn.delimiter = CS_DELIM_AUTO;
    l->output_header = -1;
}

int cli_load_option(struct cli_load *l, int opt, const char *arg)
{
    cs_error err = {0};
    switch (opt) {
    case 'c':
    case OPT_CUSTOMER: l->txn.customer = arg; return 1;
    case 'd':
    case OPT_DATE: l->txn.date = arg; return 1;
    case 'a':
    case OPT_AMOUNT: l->txn.amount = arg; return 1;
    case OPT_QUANTITY: l->txn.quantity = arg; return 1;
    case OPT_PRICE: l->txn.price = arg; return 1;
    case OPT_NO_AMOUNT: l->txn.no_amount = 1; return 1;
    case OPT_DELIMITER:
        if (!strcmp(arg, "comma") || !strcmp(arg, ","))
            l->txn.delimiter = ',';
        else if (!strcmp(arg, "tab") || !strcmp(arg, "\\t") || !strcmp(arg, "\t"))
            l->txn.delimiter = '\t';
        else if (!strcmp(arg, "semicolon"))
            l->txn.delimiter = ';';
        else if (!strcmp(arg, "pipe"))
            l->txn.delimiter = '|';
        else if (!strcmp(arg, "whitespace") || !strcmp(arg, "space"))
            l->txn.delimiter = CS_DELIM_WHITESPACE;
        else if (!strcmp(arg, "auto"))
            l->txn.delimiter = CS_DELIM_AUTO;
        else if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n' && arg[0] != '\r')
            l->txn.delimiter = (unsigned char)arg[0];
        else
            cli_usage("--delimiter: '%s' is not comma, tab, semicolon, pipe, whitespace, auto "
                      "or a single character",
                      arg);
        return 1;
    case OPT_DATE_FORMAT:
        if (cs_datefmt_set_pattern(&l->txn.datefmt, arg, &err) != CS_OK)
            cli_usage("--date-format: %s", err.message);
        return 1;
    case OPT_HEADER: l->txn.header = CS_HEADER_YES; return 1;
    case OPT_NO_HEADER:
        l->txn.header = CS_HEADER_NO;
        l->output_header = 0;
        return 1;
    case OPT_INPUT_HEADER:
        if (!strcmp(arg, "auto"))
            l->txn.header = CS_HEADER_AUTO;
        else if (!strcmp(arg, "yes"))
            l->txn.header = CS_HEADER_YES;
        else if (!strcmp(arg, "no"))
            l->txn.header = CS_HEADER_NO;
        else
            cli_usage("--input-header: '%s' is not auto, yes or no", arg);
        return 1;
    case OPT_OUTPUT_HEADER:
        if (!strcmp(arg, "yes"))
            l->output_header = 1;
        else if (!strcmp(arg, "no"))
            l->output_header = 0;
        else
            cli_usage("--output-header: '%s' is not yes or no", arg);
        return 1;
    case OPT_ON_ERROR:
        if (!strcmp(arg, "stop"))
            l->skip_bad = 0;
        else if (!strcmp(arg, "skip"))
            l->skip_bad = 1;
        else
            cli_usage("--on-error: '%s' is not stop or skip", arg);
        return 1;
    case OPT_REJECTS: l->rejects_path = arg; return 1;
    case OPT_MAX_LINE_BYTES:
        l->txn.max_line = (size_t)cli_integer("max-line-bytes", arg, 256, 1L << 40);
        return 1;
    default: return 0;
    }
}

void cli_load_ready(struct cli_load *l)
{
    if (l->ready)
        return;
    l->ready = 1;
    if (l->rejects_path && !l->skip_bad)
        cli_usage("--rejects needs --on-error skip");
    if ((l->txn.quantity != NULL) != (l->txn.price != NULL))
        cli_fail("--quantity and --price go together");
    if (l->txn.amount && l->txn.quantity)
        cli_fail("give --amount, or --quantity with --price, not both");
    if (l->txn.header == CS_HEADER_NO) {
        const char *cols[] = {l->txn.customer, l->txn.date, l->txn.amount, l->txn.quantity,
                              l->txn.price};
        for (size_t i = 0; i < 5; i++)
            if (!cols[i] && !(i >= 2 && (l->txn.no_amount || (i == 2 && l->txn.quantity) ||
                                          (i > 2 && !l->txn.quantity))))
                cli_usage("without a header line, give every column by number: --customer N "
                          "--date N --amount N (or --no-amount)");
    }
    if (l->rejects_path)
        l->rejects = cli_side_open(l->rejects_path);
}

static void on_reject(void *ctx, const cs_error *e, const char *raw, size_t len, long first,
                      long last)
{
    struct cli_load *l = ctx;
    if (l->verbose) {
        cli_error(e);
        if (last > first)
            fprintf(stderr, "%s: %s: lines %ld-%ld skipped (one record)\n", prog, e->file, first,
                    last);
    }
    if (l->rejects) {
        fwrite(raw, 1, len, l->rejects);
        fputc('\n', l->rejects);
    }
}

static void on_open(void *ctx, const cs_txn_reader *rd, const char *name)
{
    struct cli_load *l = ctx;
    if (!l->verbose)
        return;
    int d = cs_txn_delimiter(rd);
    const char *dn = d == CS_DELIM_WHITESPACE ? "whitespace"
                     : d == ','               ? "comma"
                     : d == '\t'              ? "tab"
                     : d == ';'               ? "semicolon"
                                              : "other";
    fprintf(stderr, "%s: %s: %s-separated, %s header line, dates %s\n", prog, name, dn,
            cs_txn_has_header(rd) ? "with a" : "no", cs_txn_date_format(rd));
    if (cs_txn_has_header(rd) && l->txn.header == CS_HEADER_AUTO)
        fprintf(stderr, "%s: %s: line 1 taken as the header: %s\n", prog, name,
                cs_txn_header_text(rd));
    const char *roles[] = {"customer", "date", "amount", "quantity", "price"};
    for (size_t i = 0; i < 5; i++) {
        const char *nm;
        int col = cs_txn_column(rd, roles[i], &nm);
        if (col > 0)
            fprintf(stderr, "%s: %s: %-8s = column %d%s%s%s\n", prog, name, roles[i], col,
                    nm ? " '" : "", nm ? nm : "", nm ? "'" : "");
    }
}

/* Progress only for people: stderr a terminal, and the run past a second. */
static void on_progress(void *ctx, uint64_t bytes, uint64_t records)
{
    struct cli_load *l = ctx;
    if (l->quiet || !isatty(STDERR_FILENO))
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - started.tv_sec < 1)
        return;
    char n[32];
    fprintf(stderr, "\r%s: %s records, %llu MB read", prog, cli_count(records, n),
            (unsigned long long)(bytes >> 20));
    progress_shown = 1;
}

void cli_load_run(struct cli_load *l, cs_builder *b, char **paths, int npaths, cs_input *first)
{
    /* the same log named twice would count its records twice (paths[0]
     * was noted already when first is given) */
    for (int i = 0; i < npaths; i++)
        if (cli_input(paths[i]) && (i > 0 || !first))
            cli_usage("'%s' is given twice (under this name or another): its records would "
                      "count twice", paths[i]);
    cs_load_options lo = {.skip_bad = l->skip_bad,
                          .on_reject = on_reject,
                          .on_open = on_open,
                          .on_progress = on_progress,
                          .ctx = l,
                          .first_input = first};
    clock_gettime(CLOCK_MONOTONIC, &started);
    cs_load_stats st;
    cs_error err = {0};
    char *stdin_path[] = {"-"};
    int rc = cs_load_transactions(b, (const char *const *)(npaths ? paths : stdin_path),
                                  npaths ? (size_t)npaths : 1, &l->txn, &lo, &st, &err);
    if (progress_shown)
        fputs("\r\033[K", stderr);
    if (rc != CS_OK)
        cli_die(&err);
    char n1[32];
    if (st.skipped && !l->quiet) {
        /* only the kinds that occurred, e.g. "(2 bad dates, 1 bad amount)" */
        char kinds[256] = "";
        size_t o = 0;
        const struct {
            uint64_t n;
            const char *one, *many;
        } k[] = {{st.bad_format, "malformed record", "malformed records"},
                 {st.bad_date, "bad date", "bad dates"},
                 {st.bad_amount, "bad amount", "bad amounts"},
                 {st.bad_id, "bad customer id", "bad customer ids"}};
        for (size_t i = 0; i < 4; i++)
            if (k[i].n)
                o += (size_t)snprintf(kinds + o, sizeof kinds - o, "%s%s %s", o ? ", " : "",
                                      cli_count(k[i].n, n1), cli_plural(k[i].n, k[i].one,
                                                                        k[i].many));
        /* a record with a stray quote can swallow many lines: say how many
         * lines were lost when that is more than one a record */
        char lines[64] = "";
        if (st.skipped_lines > st.skipped) {
            char n2[32];
            snprintf(lines, sizeof lines, " spanning %s lines", cli_count(st.skipped_lines, n2));
        }
        cli_warn("skipped %s bad %s%s (%s)%s%s", cli_count(st.skipped, n1),
                 cli_plural(st.skipped, "record", "records"), lines, kinds,
                 l->rejects_path ? "; written to " : "", l->rejects_path ? l->rejects_path : "");
    }
    if (st.read_twice && l->verbose)
        cli_warn("%s customers have records out of date order: the input was read twice",
                 cli_count(cs_builder_unsorted(b), n1));
}

int cli_load_finish(struct cli_load *l, int ok)
{
    if (!l->rejects)
        return 0;
    FILE *fp = l->rejects;
    l->rejects = NULL;
    return cli_side_close(fp, ok);
}

cs_input *cli_open_peek(const char *path, int *kind)
{
    cli_input(path);
    cs_error err = {0};
    cs_input *in = cs_input_open(path, &err);
    if (!in)
        cli_die(&err);
    char buf[65536];
    size_t len = 0;
    while (len < sizeof buf) {
        ssize_t n = cs_input_read(in, buf + len, sizeof buf - len, &err);
        if (n < 0) {
            cs_input_close(in);
            cli_die(&err);
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (memchr(buf, '\n', len))
            break;
    }
    const char *nl = memchr(buf, '\n', len);
    *kind = cs_table_kind(buf, nl ? (size_t)(nl - buf) : len);
    if (len && cs_input_unread(in, buf, len, &err) != CS_OK) {
        cs_input_close(in);
        cli_die(&err);
    }
    return in;
}

void cli_load_model(const char *path, cs_model *m)
{
    cli_input(path);
    cs_error err = {0};
    cs_input *in = cs_input_open(path, &err);
    if (!in || cs_model_load(m, in, &err) != CS_OK) {
        cs_input_close(in);
        cli_die(&err);
    }
    cs_input_close(in);
}

cs_builder *cli_load_builder(struct cli_load *l, cs_summary_options *so, char **paths, int npaths,
                             cs_input *first, int period)
{
    cs_error err = {0};
    cli_load_ready(l);
    so->has_amount = !l->txn.no_amount;
    cs_builder *b = cs_builder_new(so, &err);
    if (!b || (period >= 0 && cs_builder_track_periods(b, period, &err) != CS_OK))
        cli_die(&err);
    cli_load_run(l, b, paths, npaths, first);
    return b;
}

cs_summary *cli_summarise(struct cli_load *l, cs_summary_options *so, char **paths, int npaths,
                          cs_input *first)
{
    cs_error err = {0};
    cs_builder *b = cli_load_builder(l, so, paths, npaths, first, -1);
    cs_summary *s = cs_builder_finish(b, &err);
    if (!s)
        cli_die(&err);
    return s;
}
