#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <cjson/cJSON.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
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
/* The folder of cli_stage_open: its temporary folder and the files in it. */
static struct {
    char dir[4096], tmp[4200];
    char **paths; /* the temporary files, in tmp */
    char **names;
    size_t n, cap;
    int open, ready;
} stage;
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

/* Removes the staged files and their temporary folder (signal-safe: only
 * unlink and rmdir). */
static void stage_remove(void)
{
    if (!stage.open)
        return;
    for (size_t i = 0; i < stage.n; i++)
        unlink(stage.paths[i]);
    rmdir(stage.tmp);
}

static void stage_free(void)
{
    for (size_t i = 0; i < stage.n; i++) {
        free(stage.paths[i]);
        free(stage.names[i]);
    }
    free(stage.paths);
    free(stage.names);
    stage.paths = stage.names = NULL;
    stage.n = stage.cap = 0;
    stage.open = stage.ready = 0;
}

/* Renames the staged files into their folder; returns 1 on failure. */
static int stage_commit(void)
{
    char to[8192];
    /* one sync of the file system for all the files: a sync per file costs
     * a disk flush each, for up to 65536 files */
    int fd = open(stage.tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || syncfs(fd) != 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, stage.dir, strerror(errno));
        if (fd >= 0)
            close(fd);
        return 1;
    }
    close(fd);
    for (size_t i = 0; i < stage.n; i++) {
        snprintf(to, sizeof to, "%s/%s", stage.dir, stage.names[i]);
        if (rename(stage.paths[i], to) != 0) {
            fprintf(stderr, "%s: %s: %s\n", prog, to, strerror(errno));
            return 1;
        }
    }
    rmdir(stage.tmp);
    stage_free();
    return 0;
}

static void abort_all(void)
{
    stage_remove();
    stage_free();
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
    if (stage.open && !stage.ready) {
        abort_all();
        return;
    }
    for (int i = 0; i < MAX_OUTPUTS; i++)
        if (outputs[i].f && slot_close(&outputs[i], 1)) {
            abort_all();
            _exit(EXIT_DATA);
        }
    if (stage.open && stage_commit()) {
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
    stage_remove();
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
    /* ... except for numbers: messages on stderr print them with printf
     * (%g, %.1f), and "23,1429 weeks" next to "135,080 records" (our own
     * thousands separator) reads as nonsense; the library never depends
     * on LC_NUMERIC either way */
    setlocale(LC_NUMERIC, "C");
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
            cli_usage("--format: '%s' is not csv, tsv, jsonl%s", arg,
                      o->allow_json ? ", xlsx or json" : " or xlsx");
        return 1;
    case OPTC_PRECISION: o->precision = (int)cli_integer("precision", arg, 1, 15); return 1;
    case OPTC_DECIMAL_COMMA: o->decimal_comma = 1; return 1;
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
    int kind = o->format == CLI_FORMAT_JSON ? CLI_FORMAT_JSON : o->format & CS_FORMAT_KIND_MASK;
    if (o->decimal_comma && kind != CS_FORMAT_CSV && kind != CS_FORMAT_TSV)
        cli_usage("--decimal-comma is for csv and tsv, not --format %s (%s)",
                  kind == CS_FORMAT_XLSX ? "xlsx" : kind == CS_FORMAT_JSONL ? "jsonl" : "json",
                  kind == CS_FORMAT_XLSX ? "a workbook's numbers are numbers, shown as the "
                                           "spreadsheet's locale says"
                                         : "a JSON number has a dot");
    if (kind == CS_FORMAT_XLSX) {
        if (!o->out || !strcmp(o->out, "-"))
            cli_usage("--format xlsx writes a workbook to a file: give -o FILE, not "
                      "standard output");
        struct stat st;
        if (stat(o->out, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
            cli_usage("--format xlsx: '%s' is a pipe; a workbook is written to a file", o->out);
        if (stat(o->out, &st) == 0 && S_ISCHR(st.st_mode)) {
            int fd = open(o->out, O_WRONLY | O_NOCTTY | O_NONBLOCK);
            int tty = fd >= 0 && isatty(fd);
            if (fd >= 0)
                close(fd);
            if (tty)
                cli_usage("--format xlsx: '%s' is a terminal; a workbook is written to a file",
                          o->out);
        }
    }
    if (kind != CLI_FORMAT_JSON)
        o->format = kind | CS_FORMAT_DIGITS(o->precision) |
                    (o->decimal_comma ? CS_FORMAT_DECIMAL_COMMA : 0);
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

void cli_stage_open(const char *dir)
{
    struct stat st;
    if (stage.open)
        cli_fail("one folder of outputs per run");
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT || mkdir(dir, 0777) != 0)
            cli_fail("%s: %s", dir, strerror(errno));
    } else if (!S_ISDIR(st.st_mode)) {
        cli_fail("%s: not a folder", dir);
    }
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    snprintf(stage.dir, sizeof stage.dir, "%.*s", (int)n, dir);
    snprintf(stage.tmp, sizeof stage.tmp, "%.4000s/.%.100s-XXXXXX", stage.dir, prog);
    if (!mkdtemp(stage.tmp))
        cli_fail("%s: cannot create a temporary folder: %s", stage.dir, strerror(errno));
    stage.open = 1;
}

FILE *cli_stage_file(const char *name)
{
    if (!stage.open || strchr(name, '/')) {
        errno = EINVAL;
        return NULL;
    }
    if (stage.n == stage.cap) {
        size_t ncap = stage.cap ? stage.cap * 2 : 64;
        char **np = realloc(stage.paths, ncap * sizeof *np);
        if (!np)
            return NULL;
        stage.paths = np;
        char **nn = realloc(stage.names, ncap * sizeof *nn);
        if (!nn)
            return NULL;
        stage.names = nn;
        stage.cap = ncap;
    }
    size_t len = strlen(stage.tmp) + strlen(name) + 2;
    char *path = malloc(len);
    char *nm = strdup(name);
    if (!path || !nm) {
        free(path);
        free(nm);
        errno = ENOMEM;
        return NULL;
    }
    snprintf(path, len, "%s/%s", stage.tmp, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        int e = errno;
        free(path);
        free(nm);
        errno = e;
        return NULL;
    }
    stage.names[stage.n] = nm;
    stage.paths[stage.n] = path;
    stage.n++; /* last: a signal sees whole entries */
    FILE *fp = fdopen(fd, "w");
    if (!fp) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return fp;
}

int cli_stage_file_close(FILE *fp)
{
    int bad = fflush(fp) != 0 || ferror(fp); /* synced all at once at the commit */
    int e = errno;
    if (fclose(fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    errno = bad ? (e ? e : EIO) : 0;
    return bad ? -1 : 0;
}

void cli_stage_close(int ok)
{
    if (!stage.open)
        return;
    if (ok) {
        stage.ready = 1;
        return;
    }
    stage_remove();
    stage_free();
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
    return cs_format_count(buf, n);
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
    "                         records of every kind and report how many of each\n"
    "      --skip KIND,...    skip bad records of these kinds only (a bad record of\n"
    "                         another kind stops the run): missing-id (empty\n"
    "                         customer id), bad-id (not UTF-8, or not a number\n"
    "                         under --id-normalize numeric), bad-date, bad-amount,\n"
    "                         ragged (another number of fields than line 1),\n"
    "                         bad-quote, long-line (over --max-line-bytes, or a\n"
    "                         field over 64 KiB), nul (a NUL byte); or all\n"
    "      --max-reject-rate [KIND=]P\n"
    "      --max-rejects [KIND=]N\n"
    "                         when skipping: fail (exit 1) when the lines lost to\n"
    "                         one kind pass P of the lines read (0.05 or 5%%) or\n"
    "                         N lines, naming the kind, its count, the rate and\n"
    "                         its first line; without KIND, every kind but\n"
    "                         missing-id. Default: 1%% (once over 10 lines) for\n"
    "                         every kind but missing-id (a wrong --date-format\n"
    "                         trips it), no limit for missing-id; 'none' lifts\n"
    "                         a limit\n"
    "      --rejects FILE     when skipping: write the skipped records there, as\n"
    "                         CSV: kind,file,line,column,message,record (the\n"
    "                         record as read, CSV-quoted)\n"
    "      --max-line-bytes N the longest record, in bytes (default 67108864,\n"
    "                         64 MiB); a longer one is a bad record, dropped up to\n"
    "                         the end of the line where it passes the limit\n"
    "      --id-normalize numeric|none\n"
    "                         numeric: customer ids are whole numbers; leading\n"
    "                         zeros and a .0 tail are dropped (17850.0 is 17850),\n"
    "                         and any other id is a bad-id record (default none:\n"
    "                         ids are opaque; ids that differ only so are warned of)\n"
    "      --exclude COL=VALUE[,VALUE...]\n"
    "      --include COL=VALUE[,VALUE...]\n"
    "                         leave out the records whose field COL (header name\n"
    "                         or number) is one of the VALUEs, or is none of them;\n"
    "                         exact match; repeatable (a record must pass all);\n"
    "                         counted as excluded by filter\n";

void cli_load_init(struct cli_load *l)
{
    memset(l, 0, sizeof *l);
    l->txn.delimiter = CS_DELIM_AUTO;
    l->txn.filters = l->filters;
    l->output_header = -1;
    for (int k = 0; k < CS_REJECT_NKINDS; k++) {
        l->budget.max_lines[k] = -1;
        l->budget.max_rate[k] = -1;
    }
}

/* "KIND=X" or "X": the kind (-1: every kind but missing-id) and X. */
static const char *budget_kind(const char *opt, const char *arg, int *kind)
{
    const char *eq = strchr(arg, '=');
    *kind = -1;
    if (!eq)
        return arg;
    *kind = cs_reject_kind_from_name(arg, (size_t)(eq - arg));
    if (*kind < 0)
        cli_usage("--%s: '%.*s' is not a kind of bad record (see --skip in --help)", opt,
                  (int)(eq - arg), arg);
    return eq + 1;
}

static void budget_set(struct cli_load *l, int kind, int64_t lines, double rate, int is_rate)
{
    l->budget_given = 1;
    for (int k = 0; k < CS_REJECT_NKINDS; k++) {
        if (kind >= 0 ? k != kind : k == CS_REJECT_MISSING_ID)
            continue;
        if (is_rate) {
            l->budget.max_rate[k] = rate;
            l->budget_set[k] = 1; /* the default rate no longer applies */
        } else {
            l->budget.max_lines[k] = lines;
        }
    }
}

static void add_filter(struct cli_load *l, const char *opt, const char *arg, int include)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        cli_usage("--%s: '%s' is not COLUMN=VALUE[,VALUE...]", opt, arg);
    if (l->txn.nfilters == CLI_MAX_FILTERS)
        cli_usage("--%s: at most %d filters", opt, CLI_MAX_FILTERS);
    char *col = l->filter_col[l->txn.nfilters];
    if ((size_t)(eq - arg) >= sizeof l->filter_col[0])
        cli_usage("--%s: the column name is too long", opt);
    snprintf(col, sizeof l->filter_col[0], "%.*s", (int)(eq - arg), arg);
    l->filters[l->txn.nfilters++] =
        (cs_txn_filter){.column = col, .values = eq + 1, .include = include};
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
    case OPT_SKIP: {
        l->skip_bad = 1;
        for (const char *p = arg;;) {
            const char *c = strchr(p, ',');
            size_t n = c ? (size_t)(c - p) : strlen(p);
            int k = cs_reject_kind_from_name(p, n);
            if (n == 3 && !memcmp(p, "all", 3))
                l->skip_kinds = (1u << CS_REJECT_NKINDS) - 1;
            else if (k < 0)
                cli_usage("--skip: '%.*s' is not a kind of bad record: missing-id, bad-id, "
                          "bad-date, bad-amount, ragged, bad-quote, long-line, nul or all",
                          (int)n, p);
            else
                l->skip_kinds |= 1u << k;
            if (!c)
                break;
            p = c + 1;
        }
        return 1;
    }
    case OPT_MAX_REJECTS: {
        int k;
        const char *v = budget_kind("max-rejects", arg, &k);
        budget_set(l, k, strcmp(v, "none") ? cli_integer("max-rejects", v, 0, LONG_MAX) : -1, 0,
                   0);
        return 1;
    }
    case OPT_MAX_REJECT_RATE: {
        int k;
        const char *v = budget_kind("max-reject-rate", arg, &k);
        double rate = -1;
        if (strcmp(v, "none")) {
            size_t n = strlen(v);
            if (n > 1 && v[n - 1] == '%') {
                char num[64];
                snprintf(num, sizeof num, "%.*s", (int)(n - 1), v);
                rate = cli_number("max-reject-rate", num, 0, 100) / 100;
            } else {
                rate = cli_number("max-reject-rate", v, 0, 1);
            }
        }
        budget_set(l, k, 0, rate, 1);
        return 1;
    }
    case OPT_ID_NORMALIZE:
        if (!strcmp(arg, "numeric"))
            l->txn.id_mode = CS_ID_NUMERIC;
        else if (!strcmp(arg, "none"))
            l->txn.id_mode = CS_ID_AS_IS;
        else
            cli_usage("--id-normalize: '%s' is not numeric or none", arg);
        return 1;
    case OPT_EXCLUDE: add_filter(l, "exclude", arg, 0); return 1;
    case OPT_INCLUDE: add_filter(l, "include", arg, 1); return 1;
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
        cli_usage("--rejects needs --on-error skip or --skip");
    if (l->budget_given && !l->skip_bad)
        cli_usage("--max-rejects and --max-reject-rate apply when skipping: give --on-error "
                  "skip or --skip");
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
    /* the default budget: a rate a date-format change trips; none for
     * missing ids (guest checkouts are common, and named by --skip) */
    for (int k = 0; k < CS_REJECT_NKINDS; k++)
        if (!l->budget_set[k] && k != CS_REJECT_MISSING_ID) {
            l->budget.max_rate[k] = 0.01;
            l->budget.rate_min_lines[k] = 10;
        }
    if (l->rejects_path) {
        l->rejects = cli_side_open(l->rejects_path);
        fputs("kind,file,line,column,message,record\n", l->rejects);
    }
}

/* A CSV field, quoted when it needs to be. */
static void csv_field(FILE *fp, const char *s, size_t n)
{
    int q = 0;
    for (size_t i = 0; i < n && !q; i++)
        q = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!q) {
        fwrite(s, 1, n, fp);
        return;
    }
    fputc('"', fp);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            fputc('"', fp);
        fputc(s[i], fp);
    }
    fputc('"', fp);
}

static void on_reject(void *ctx, const cs_error *e, const char *raw, size_t len, long first,
                      long last, int kind)
{
    struct cli_load *l = ctx;
    if (l->verbose) {
        cli_error(e);
        if (last > first)
            fprintf(stderr, "%s: %s: lines %ld-%ld skipped (one record)\n", prog, e->file, first,
                    last);
    }
    if (l->rejects) {
        FILE *fp = l->rejects;
        const char *kn = cs_reject_kind_name(kind);
        fprintf(fp, "%s,", kn ? kn : "other");
        csv_field(fp, e->file, strlen(e->file));
        fprintf(fp, ",%ld,", first);
        if (e->column > 0)
            fprintf(fp, "%d", e->column);
        fputc(',', fp);
        csv_field(fp, e->message, strlen(e->message));
        fputc(',', fp);
        csv_field(fp, raw, len);
        fputc('\n', fp);
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

/* The pattern has a numeric day and a numeric month: the two can be
 * swapped without a single date failing to parse. */
static int day_month_pattern(const cs_datefmt *f, char *swapped, size_t cap)
{
    if (f->kind != CS_DATE_PATTERN)
        return 0;
    const char *d = strstr(f->pattern, "%d"), *m = strstr(f->pattern, "%m");
    if (!d)
        d = strstr(f->pattern, "%e");
    if (!d || !m)
        return 0;
    snprintf(swapped, cap, "%s", f->pattern);
    swapped[d - f->pattern + 1] = 'm';
    swapped[m - f->pattern + 1] = 'd';
    return 1;
}

/* After a bad date under a day/month pattern: does the date parse with
 * the two swapped? The message quotes it: "cannot parse 'X' as a date".
 * Returns 1 when it said so. */
static int date_swap_hint(const struct cli_load *l, const char *message)
{
    char sw[64];
    const char *q = strchr(message, '\''), *e = q ? strchr(q + 1, '\'') : NULL;
    cs_datefmt f;
    cs_day d;
    cs_error err = {0};
    if (!e || !day_month_pattern(&l->txn.datefmt, sw, sizeof sw) ||
        cs_datefmt_set_pattern(&f, sw, &err) != CS_OK ||
        cs_date_parse(&f, q + 1, (size_t)(e - q - 1), &d, NULL) != CS_OK)
        return 0;
    cli_warn("'%.*s' parses with --date-format '%s': are the day and month swapped?",
             (int)(e - q - 1), q + 1, sw);
    return 1;
}

/* Dates that all parse, but every one on day 12 or before of its month,
 * over more than a month: the day and month are most likely swapped. */
static void date_swap_check(const struct cli_load *l, cs_builder *b)
{
    char sw[64], n[32];
    const cs_load_stats *st = &l->st;
    if (!day_month_pattern(&l->txn.datefmt, sw, sizeof sw))
        return;
    /* bad dates skipped that parse the other way round: the records of
     * that order whose day is 12 or less were read, misdated */
    if (st->kind_records[CS_REJECT_BAD_DATE] &&
        date_swap_hint(l, st->kind_first[CS_REJECT_BAD_DATE].message))
        cli_warn("%s bad %s skipped under --date-format '%s'; if some records have the day "
                 "and month the other way round, those with a day of 12 or less were read "
                 "misdated",
                 cli_count(st->kind_records[CS_REJECT_BAD_DATE], n),
                 cli_plural(st->kind_records[CS_REJECT_BAD_DATE], "date", "dates"),
                 l->txn.datefmt.pattern);
    if (st->dates_swap_suspect) {
        char f[11], t[11], n2[32];
        cs_day_format(st->dated_late_first, f);
        cs_day_format(st->dated_late_last, t);
        cli_warn("--date-format '%s': %s of the %s dates on day 1-12 of their month lie over "
                 "a month outside %s to %s, the span of the dates on day 13-31, and would "
                 "fall inside it with the day and month the other way round: some of the "
                 "input looks day/month swapped (try '%s' on that part)",
                 l->txn.datefmt.pattern, cli_count(st->dated_early_swap_inside, n),
                 cli_count(st->dated - st->dated_after_12th, n2), f, t, sw);
    }
    if (st->dated == 0 || st->dated_after_12th != 0)
        return;
    const cs_summary_stats *ss = cs_builder_stats(b);
    int span = ss->max_day != CS_DAY_NONE && ss->max_day - ss->min_day > 31;
    if (!span && st->kind_records[CS_REJECT_BAD_DATE] == 0)
        return;
    cli_warn("--date-format '%s': all %s dates read fall on day 1-12 of their month%s: the day "
             "and month look swapped (try '%s')",
             l->txn.datefmt.pattern, cli_count(st->dated, n),
             st->kind_records[CS_REJECT_BAD_DATE] ? ", and others do not parse" : "", sw);
}

const char *cli_money(int64_t micro, char buf[40])
{
    char c[32];
    uint64_t m = micro < 0 ? (uint64_t)0 - (uint64_t)micro : (uint64_t)micro;
    uint64_t cents = (m + 5000) / 10000;
    snprintf(buf, 40, "%s%s.%02llu", micro < 0 ? "-" : "", cli_count(cents / 100, c),
             (unsigned long long)(cents % 100));
    return buf;
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
                          .skip_kinds = l->skip_kinds,
                          .budget = &l->budget,
                          .on_reject = on_reject,
                          .on_open = on_open,
                          .on_progress = on_progress,
                          .ctx = l,
                          .first_input = first};
    clock_gettime(CLOCK_MONOTONIC, &started);
    cs_load_stats *st = &l->st;
    cs_error err = {0};
    static char *stdin_path[] = {"-"};
    l->paths = npaths ? paths : stdin_path;
    l->npaths = npaths ? npaths : 1;
    int rc = cs_load_transactions(b, (const char *const *)l->paths, (size_t)l->npaths, &l->txn,
                                  &lo, st, &err);
    if (progress_shown)
        fputs("\r\033[K", stderr);
    if (rc != CS_OK) {
        cli_error(&err);
        if (err.code == CS_EDATE && l->txn.datefmt.kind == CS_DATE_PATTERN)
            date_swap_hint(l, err.message);
        abort_all();
        exit(EXIT_DATA);
    }
    char n1[32], n2[32], m1[40];
    /* skipped records are a warning (shown under -q) when a kind other than
     * missing-id is over the default budget's rate, which a limit given on
     * the command line let pass; else the count the user consented to */
    int over = 0;
    for (int k = 0; k < CS_REJECT_NKINDS; k++)
        if (k != CS_REJECT_MISSING_ID && st->kind_lines[k] > 10 &&
            (double)st->kind_lines[k] > 0.01 * (double)st->lines_read)
            over = 1;
    if (st->skipped) {
        /* only the kinds that occurred, e.g. "(2 bad-date, 1 ragged)" */
        char kinds[256] = "";
        size_t o = 0;
        for (int k = 0; k < CS_REJECT_NKINDS; k++)
            if (st->kind_records[k] && o < sizeof kinds)
                o += (size_t)snprintf(kinds + o, sizeof kinds - o, "%s%s %s", o ? ", " : "",
                                      cli_count(st->kind_records[k], n1),
                                      cs_reject_kind_name(k));
        /* a record with a stray quote can swallow many lines: say how many
         * lines were lost when that is more than one a record */
        char lines[64] = "";
        if (st->skipped_lines > st->skipped)
            snprintf(lines, sizeof lines, " spanning %s lines", cli_count(st->skipped_lines, n2));
        (over ? cli_warn : cli_info)("skipped %s bad %s%s (%s)%s%s", cli_count(st->skipped, n1),
                 cli_plural(st->skipped, "record", "records"), lines, kinds,
                 l->rejects_path ? "; written to " : "", l->rejects_path ? l->rejects_path : "");
    }
    if (st->filtered)
        cli_info("excluded by filter: %s %s%s%s%s", cli_count(st->filtered, n1),
                 cli_plural(st->filtered, "record", "records"),
                 l->txn.no_amount ? "" : " (value ",
                 l->txn.no_amount ? "" : cli_money(st->filtered_value, m1),
                 l->txn.no_amount ? "" : ")");
    /* these change what the numbers mean: said even under -q */
    date_swap_check(l, b);
    l->id_twins = cs_builder_id_twins(b, l->id_twin_example, sizeof l->id_twin_example);
    if (l->id_twins && l->txn.id_mode != CS_ID_NUMERIC)
        cli_warn("%s customer %s another customer's id with a .0 tail or leading zeros "
                 "(%s): counted as two customers; --id-normalize numeric reads them as one",
                 cli_count(l->id_twins, n1), cli_plural(l->id_twins, "id is", "ids are"),
                 l->id_twin_example);
    if (st->read_twice && l->verbose)
        cli_warn("%s customers have records out of date order: the input was read twice",
                 cli_count(cs_builder_unsorted(b), n1));
}

static double money(int64_t micro)
{
    return (double)micro / 1e6;
}

static cJSON *day_json(cs_day d)
{
    char t[11];
    if (d == CS_DAY_NONE)
        return cJSON_CreateNull();
    cs_day_format(d, t);
    return cJSON_CreateString(t);
}

int cli_load_write_stats(const struct cli_load *l, FILE *fp, const cs_summary_stats *ss,
                         cs_day as_of, cs_day calibration_end, const char *returns)
{
    const cs_load_stats *st = &l->st;
    cJSON *root = cJSON_CreateObject();
    cJSON *in = cJSON_AddArrayToObject(root, "inputs");
    for (int i = 0; i < l->npaths; i++)
        cJSON_AddItemToArray(in, cJSON_CreateString(strcmp(l->paths[i], "-") ? l->paths[i]
                                                                             : "<stdin>"));
    cJSON_AddNumberToObject(root, "records_read", (double)st->records_read);
    cJSON_AddNumberToObject(root, "lines_read", (double)st->lines_read);
    uint64_t kept = ss->records - ss->after_as_of - ss->dropped_returns;
    cJSON_AddNumberToObject(root, "records_kept", (double)kept);
    cJSON *sk = cJSON_AddObjectToObject(root, "skipped");
    cJSON_AddNumberToObject(sk, "records", (double)st->skipped);
    cJSON_AddNumberToObject(sk, "lines", (double)st->skipped_lines);
    cJSON *by = cJSON_AddObjectToObject(sk, "by_kind");
    for (int k = 0; k < CS_REJECT_NKINDS; k++) {
        if (!st->kind_records[k])
            continue;
        cJSON *o = cJSON_AddObjectToObject(by, cs_reject_kind_name(k));
        cJSON_AddNumberToObject(o, "records", (double)st->kind_records[k]);
        cJSON_AddNumberToObject(o, "lines", (double)st->kind_lines[k]);
        cJSON_AddStringToObject(o, "first_file", st->kind_first[k].file);
        cJSON_AddNumberToObject(o, "first_line", (double)st->kind_first[k].line);
        cJSON_AddStringToObject(o, "first_message", st->kind_first[k].message);
    }
    cJSON *ex = cJSON_AddObjectToObject(root, "excluded_by_filter");
    cJSON_AddNumberToObject(ex, "records", (double)st->filtered);
    cJSON_AddNumberToObject(ex, "value", money(st->filtered_value));
    cJSON *lo = cJSON_AddObjectToObject(root, "records_left_out");
    cJSON_AddNumberToObject(lo, "after_as_of", (double)ss->after_as_of);
    cJSON_AddNumberToObject(lo, "negative_dropped", (double)ss->dropped_returns);
    cJSON *rt = cJSON_AddObjectToObject(root, "returns");
    cJSON_AddStringToObject(rt, "policy", returns);
    cJSON_AddNumberToObject(rt, "negative_records", (double)ss->negative);
    cJSON_AddNumberToObject(rt, "cancelled_customer_days", (double)ss->cancelled_days);
    cJSON_AddNumberToObject(rt, "cancelled_value", money(ss->cancelled_value));
    cJSON_AddNumberToObject(rt, "netted_customer_days", (double)ss->netted_days);
    cJSON_AddNumberToObject(rt, "netted_value", money(ss->netted_value));
    cJSON *cu = cJSON_AddObjectToObject(root, "customers");
    cJSON_AddNumberToObject(cu, "seen", (double)ss->customers_seen);
    cJSON_AddNumberToObject(cu, "kept",
                            (double)(ss->customers_seen - ss->holdout_only - ss->no_purchase));
    cJSON *why = cJSON_AddObjectToObject(cu, "left_out");
    cJSON_AddNumberToObject(why, "only_returns", (double)ss->no_purchase);
    cJSON_AddNumberToObject(why, "first_purchase_in_holdout", (double)ss->holdout_only);
    cJSON_AddNumberToObject(why, "all_records_after_as_of", (double)st->customers_after_as_of);
    cJSON_AddNumberToObject(cu, "id_twins", (double)l->id_twins);
    cJSON_AddStringToObject(cu, "id_normalize",
                            l->txn.id_mode == CS_ID_NUMERIC ? "numeric" : "none");
    cJSON *dt = cJSON_AddObjectToObject(root, "dates");
    cJSON_AddItemToObject(dt, "first", day_json(ss->min_day));
    cJSON_AddItemToObject(dt, "last", day_json(ss->max_day));
    cJSON_AddItemToObject(dt, "as_of", day_json(as_of));
    cJSON_AddItemToObject(dt, "calibration_end", day_json(calibration_end));
    /* the day/month checks of a date pattern with a day and a month */
    char sw[64];
    if (day_month_pattern(&l->txn.datefmt, sw, sizeof sw)) {
        cJSON *dc = cJSON_AddObjectToObject(dt, "day_month_check");
        cJSON_AddStringToObject(dc, "date_format", l->txn.datefmt.pattern);
        cJSON_AddNumberToObject(dc, "dated", (double)st->dated);
        cJSON_AddNumberToObject(dc, "on_day_13_31", (double)st->dated_after_12th);
        cJSON_AddItemToObject(dc, "day_13_31_first", day_json(st->dated_late_first));
        cJSON_AddItemToObject(dc, "day_13_31_last", day_json(st->dated_late_last));
        cJSON_AddNumberToObject(dc, "day_1_12_outside", (double)st->dated_early_outside);
        cJSON_AddNumberToObject(dc, "day_1_12_outside_fit_swapped",
                                (double)st->dated_early_swap_inside);
        cJSON_AddNumberToObject(dc, "day_1_12_outside_gap", st->dated_early_gap);
        cJSON_AddBoolToObject(dc, "swap_outside_range", st->dates_swap_suspect);
        const cs_summary_stats *bs = ss;
        int all_early = st->dated && !st->dated_after_12th &&
                        ((bs->max_day != CS_DAY_NONE && bs->max_day - bs->min_day > 31) ||
                         st->kind_records[CS_REJECT_BAD_DATE]);
        cJSON_AddBoolToObject(dc, "swap_all_day_1_12", all_early);
    } else {
        cJSON_AddNullToObject(dt, "day_month_check");
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return 1;
    int bad = fputs(text, fp) < 0 || fputc('\n', fp) == EOF;
    cJSON_free(text);
    return bad;
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

cs_builder *cli_builder_new(struct cli_load *l, cs_summary_options *so)
{
    cs_error err = {0};
    cli_load_ready(l);
    so->has_amount = !l->txn.no_amount;
    cs_builder *b = cs_builder_new(so, &err);
    if (!b)
        cli_die(&err);
    return b;
}

cs_builder *cli_load_builder(struct cli_load *l, cs_summary_options *so, char **paths, int npaths,
                             cs_input *first, int period)
{
    cs_error err = {0};
    cs_builder *b = cli_builder_new(l, so);
    if (period >= 0 && cs_builder_track_periods(b, period, &err) != CS_OK)
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

int cli_returns(const char *arg)
{
    if (!strcmp(arg, "net"))
        return CS_RETURNS_NET;
    if (!strcmp(arg, "drop"))
        return CS_RETURNS_DROP;
    if (!strcmp(arg, "keep"))
        return CS_RETURNS_KEEP;
    if (!strcmp(arg, "net-customer"))
        return CS_RETURNS_NET_CUSTOMER;
    cli_usage("--returns: '%s' is not net, net-customer, drop or keep", arg);
}

const char *cli_returns_name(int r)
{
    return r == CS_RETURNS_DROP           ? "drop"
           : r == CS_RETURNS_KEEP         ? "keep"
           : r == CS_RETURNS_NET_CUSTOMER ? "net-customer"
                                          : "net";
}
