/* What every custseg tool repeats: messages, exit codes, output files, and
 * the loader's command-line options. */
#ifndef CS_CLI_COMMON_H
#define CS_CLI_COMMON_H

#include "custseg.h"

#include <getopt.h>
#include <stdio.h>

#define EXIT_DATA 1
#define EXIT_USAGE 2

/* Sets the program name for messages, turns GSL's abort-on-error off, and
 * arranges for stdout to be checked at exit (a full disk fails the run). */
void cli_init(const char *name);
const char *cli_name(void);

/* Messages on stderr, "tool: message", in two levels. cli_info: chatter
 * (counts, summaries, notes that do not change what the numbers mean),
 * hidden by -q. cli_warn: a warning that changes what the numbers mean (a
 * model at its boundary, a blind spot, records skipped over a threshold),
 * hidden only by -qq or --silent. cli_note_error: the words of a failure
 * (the run exits non-zero), never hidden. */
void cli_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_note_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The level cli_info and cli_warn obey: 0 all, 1 (-q) warnings only, 2
 * (-qq, --silent) nothing but errors. cli_opts_option sets it. */
void cli_set_quiet(int level);
int cli_quiet(void);
/* Progress of a long computation (a cs_progress_fn; ctx: a static string
 * naming what is counted, e.g. "bootstrap"): on a terminal only (isatty(2),
 * never in pipes or tests) and not under -q, once the computation is past
 * CLI_PROGRESS_AFTER seconds, "tool: bootstrap 120/500" rewritten with \r
 * at most every 0.5 s, and erased when done reaches total. */
#define CLI_PROGRESS_AFTER 2.0
void cli_progress(void *ctx, long done, long total);
/* A usage error: one line, the --help hint, exit 2. */
_Noreturn void cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints err as "tool: file:line: column 'x': message". */
void cli_error(const cs_error *err);
/* cli_error, then exit 1. */
_Noreturn void cli_die(const cs_error *err);

/* After getopt_long returned '?' (an unknown option) or ':' (an option
 * missing its value; the short-option string starts with ':'): names the
 * option and the problem, exits 2. */
_Noreturn void cli_bad_option(char **argv, int c);
/* one or many, by n. */
const char *cli_plural(unsigned long long n, const char *one, const char *many);

/* A data error without a file position: "tool: message", exit 1. */
_Noreturn void cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses YYYY-MM-DD or YYYYMMDD for an option, or exits 2. */
cs_day cli_date_arg(const char *opt, const char *arg);
/* A number from lo to hi for --opt (a plain decimal: no trailing text, no
 * NaN), or a usage error naming the option, the value and the range. */
double cli_number(const char *opt, const char *arg, double lo, double hi);
/* A whole number from lo to hi for --opt, or a usage error. */
long cli_integer(const char *opt, const char *arg, long lo, long hi);

/* ---- The options every tool parses one way ---- */

/* Default threads: the CPUs online, at most 8. The output never depends
 * on the number. */
int cli_default_threads(void);

struct cli_opts {
    int threads;             /* -j; 0 until cli_opts_finish: the default */
    int format;              /* -f: enum cs_format, or CLI_FORMAT_JSON; after
                                cli_opts_finish, a table format also carries
                                --precision and --decimal-comma
                                (CS_FORMAT_DIGITS, CS_FORMAT_DECIMAL_COMMA):
                                its kind is format & CS_FORMAT_KIND_MASK */
    int precision;           /* --precision: 1..15 significant digits; 0: the
                                writer's defaults */
    int decimal_comma;       /* --decimal-comma */
    const char *out;         /* -o; NULL: standard output */
    int quiet;               /* -q: 1, -qq or --silent: 2 (cli_quiet) */
    int verbose;             /* -v */
    cs_day as_of;            /* --as-of; CS_DAY_NONE */
    cs_day calibration_end;  /* --calibration-end; CS_DAY_NONE */
    int unit;                /* --unit: enum cs_unit, -1 when not given */
    int allow_json;          /* 1: -f json is accepted (one JSON document) */
};

#define CLI_FORMAT_JSON 100

enum {
    OPT_COMMON_FIRST = 900,
    OPTC_UNIT = OPT_COMMON_FIRST,
    OPTC_AS_OF,
    OPTC_CAL_END,
    OPTC_SILENT,
    OPTC_PRECISION,
    OPTC_DECIMAL_COMMA,
};

/* Long options of the group; a tool lists the ones it takes. The short
 * forms are -j N, -f F, -o FILE, -q (twice: -qq, as --silent), -v.
 * CLI_OPT_QUIET brings --silent with it; CLI_OPT_FORMAT brings the
 * number options of tables, --precision and --decimal-comma
 * (CLI_OPT_NUMBERS), with it. */
#define CLI_OPT_THREADS {"threads", required_argument, NULL, 'j'}
#define CLI_OPT_NUMBERS                                                     \
    {"precision", required_argument, NULL, OPTC_PRECISION},                 \
    {"decimal-comma", no_argument, NULL, OPTC_DECIMAL_COMMA}
#define CLI_OPT_FORMAT {"format", required_argument, NULL, 'f'}, CLI_OPT_NUMBERS
#define CLI_OPT_OUTPUT {"output", required_argument, NULL, 'o'}
#define CLI_OPT_QUIET {"quiet", no_argument, NULL, 'q'}, {"silent", no_argument, NULL, OPTC_SILENT}
#define CLI_OPT_VERBOSE {"verbose", no_argument, NULL, 'v'}
#define CLI_OPT_AS_OF {"as-of", required_argument, NULL, OPTC_AS_OF}
#define CLI_OPT_CAL_END {"calibration-end", required_argument, NULL, OPTC_CAL_END}
#define CLI_OPT_UNIT {"unit", required_argument, NULL, OPTC_UNIT}
#define CLI_OPT_HELP {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}

void cli_opts_init(struct cli_opts *o);
/* Handles one option of the group (returns 1), or returns 0. */
int cli_opts_option(struct cli_opts *o, int opt, const char *arg);
/* After parsing: the default thread count; --calibration-end before
 * --as-of; --precision and --decimal-comma folded into format
 * (--decimal-comma is for csv and tsv: with jsonl, json or xlsx a usage
 * error); --format xlsx needs -o FILE, and FILE neither a terminal nor a
 * pipe (usage errors). */
void cli_opts_finish(struct cli_opts *o);

/* The help lines of -f/--format, --precision and --decimal-comma, for
 * --help: "  -f, --format csv|tsv|jsonl|xlsx ..." (FORMATS: what the tool
 * takes, e.g. "csv|tsv|jsonl|xlsx"). */
#define CLI_FORMAT_HELP(FORMATS)                                                          \
    "  -f, --format " FORMATS "   (default csv)\n"                                      \
    "                         xlsx: an Excel workbook of one sheet (numbers and\n"      \
    "                         dates as such, money as #,##0.00, customer ids as\n"     \
    "                         text); needs -o FILE; at most 1,048,575 rows\n"          \
    "      --precision N      significant digits (1-15) of the numbers that are\n"     \
    "                         not whole (default: 12, and the exact decimals of\n"     \
    "                         times); whole numbers and money amounts stay exact\n"    \
    "      --decimal-comma    ',' as the decimal mark; csv then has ';' between\n"     \
    "                         fields (European spreadsheets); not with jsonl,\n"       \
    "                         json or xlsx\n"

/* ---- Subcommands (custseg-clv fit, custseg-churn score, ...) ---- */

/* argv[1] is a command of cmds (NULL-terminated): returns its index, and
 * leaves optind at 2. --help / -h prints help and --version / -V the
 * version (exit 0); anything else is a usage error naming the commands. */
int cli_subcommand(int argc, char **argv, const char *const cmds[], const char *help);

/* Output: stdout, or FILE written atomically (temporary file beside it,
 * renamed at the end; removed on failure or on SIGINT/SIGTERM/SIGHUP). */
FILE *cli_output_open(const char *path);
/* Flushes and commits; on failure prints the error and returns 1. */
int cli_output_close(FILE *fp, int ok);

/* Side outputs, every extra file a tool writes (--roc, --concentration,
 * --breaks-out, --customers, --rejects): NULL or "-" is standard output,
 * anything else a file written atomically like -o (removed on failure, on
 * cli_die and on SIGINT/SIGTERM/SIGHUP). Exits 1 when it cannot open. */
FILE *cli_side_open(const char *path);
/* Notes a file the run reads (NULL, "-" and non-regular files are
 * ignored): an output that would overwrite it is a usage error. Returns 1
 * when the same file was noted before. */
int cli_input(const char *path);
/* Flushes and commits (ok) or discards (!ok) a side output; on failure
 * prints the error and returns 1. */
int cli_side_close(FILE *fp, int ok);

/* A folder of files written together (custseg-summary --partitions: one
 * file per partition, up to 65536, more than the slots above hold open):
 * the files are written one after the other into a temporary folder inside
 * dir and renamed into dir when the run exits after everything succeeded,
 * with the other outputs; a failure, cli_die or a signal removes them all.
 * cli_stage_open creates dir when it is missing (not its parents) and the
 * temporary folder; it exits 1 on failure. One folder per run. */
void cli_stage_open(const char *dir);
/* Creates the file name (no '/') in the temporary folder, mode 0666 less
 * the umask; NULL with errno set on failure. */
FILE *cli_stage_file(const char *name);
/* Flushes and closes a file of the folder (the folder is synced once, at
 * the commit): 0, or -1 with errno. */
int cli_stage_file_close(FILE *fp);
/* ok: the files are renamed into dir at exit, with the other outputs;
 * !ok: they are removed now. */
void cli_stage_close(int ok);

/* ---- The transaction loader's options, shared by the tools ---- */

#define CLI_MAX_FILTERS 16

struct cli_load {
    cs_txn_options txn;
    int skip_bad;
    unsigned skip_kinds;      /* --skip: 1u << enum cs_reject_kind; 0: every kind */
    cs_reject_budget budget;  /* --max-rejects, --max-reject-rate */
    int budget_set[CS_REJECT_NKINDS]; /* 1: a rate was given for the kind */
    int budget_given;         /* a limit was given at all */
    cs_txn_filter filters[CLI_MAX_FILTERS]; /* --exclude, --include */
    char filter_col[CLI_MAX_FILTERS][256]; /* their COL parts */
    const char *rejects_path;
    FILE *rejects;
    cs_load_stats st;         /* what the last cli_load_run read */
    size_t id_twins;          /* customers whose id differs from another's by
                                 a .0 tail or leading zeros */
    char id_twin_example[96];
    char **paths;             /* the inputs of the last cli_load_run */
    int npaths;
    int verbose;
    int quiet;
    int output_header; /* -1: not set */
    int ready;         /* cli_load_ready has run */
};

enum {
    OPT_LOAD_FIRST = 1000,
    OPT_CUSTOMER = OPT_LOAD_FIRST,
    OPT_DATE,
    OPT_AMOUNT,
    OPT_QUANTITY,
    OPT_PRICE,
    OPT_NO_AMOUNT,
    OPT_DELIMITER,
    OPT_DATE_FORMAT,
    OPT_HEADER,
    OPT_NO_HEADER,
    OPT_INPUT_HEADER,
    OPT_OUTPUT_HEADER,
    OPT_ON_ERROR,
    OPT_REJECTS,
    OPT_MAX_LINE_BYTES,
    OPT_SKIP,
    OPT_MAX_REJECTS,
    OPT_MAX_REJECT_RATE,
    OPT_ID_NORMALIZE,
    OPT_EXCLUDE,
    OPT_INCLUDE,
    OPT_LOAD_LAST,
};

#define CLI_LOAD_LONGOPTS                                                   \
    {"customer", required_argument, NULL, OPT_CUSTOMER},                    \
    {"date", required_argument, NULL, OPT_DATE},                            \
    {"amount", required_argument, NULL, OPT_AMOUNT},                        \
    {"quantity", required_argument, NULL, OPT_QUANTITY},                    \
    {"price", required_argument, NULL, OPT_PRICE},                          \
    {"no-amount", no_argument, NULL, OPT_NO_AMOUNT},                        \
    {"delimiter", required_argument, NULL, OPT_DELIMITER},                  \
    {"date-format", required_argument, NULL, OPT_DATE_FORMAT},              \
    {"header", no_argument, NULL, OPT_HEADER},                              \
    {"no-header", no_argument, NULL, OPT_NO_HEADER},                        \
    {"input-header", required_argument, NULL, OPT_INPUT_HEADER},            \
    {"output-header", required_argument, NULL, OPT_OUTPUT_HEADER},          \
    {"on-error", required_argument, NULL, OPT_ON_ERROR},                    \
    {"rejects", required_argument, NULL, OPT_REJECTS},                      \
    {"max-line-bytes", required_argument, NULL, OPT_MAX_LINE_BYTES},       \
    {"skip", required_argument, NULL, OPT_SKIP},                            \
    {"max-rejects", required_argument, NULL, OPT_MAX_REJECTS},              \
    {"max-reject-rate", required_argument, NULL, OPT_MAX_REJECT_RATE},      \
    {"id-normalize", required_argument, NULL, OPT_ID_NORMALIZE},            \
    {"exclude", required_argument, NULL, OPT_EXCLUDE},                      \
    {"include", required_argument, NULL, OPT_INCLUDE}

/* The loader options' help text, for --help. */
extern const char cli_load_help[];

void cli_load_init(struct cli_load *l);
/* Handles one of the options above (returns 1), or returns 0. */
int cli_load_option(struct cli_load *l, int opt, const char *arg);
/* Opens --rejects; call after option parsing. */
void cli_load_ready(struct cli_load *l);
/* Loads the inputs (paths, or stdin when npaths is 0; first: paths[0]
 * already opened by cli_open_peek, or NULL) into b, printing skipped-record
 * counts; exits 1 on error. */
void cli_load_run(struct cli_load *l, cs_builder *b, char **paths, int npaths, cs_input *first);
/* A new builder with the loader options and so (has_amount set from them,
 * --rejects opened), not loaded yet; exits 1 on error. */
cs_builder *cli_builder_new(struct cli_load *l, cs_summary_options *so);
/* A new builder with the loader options and so, loaded as cli_load_run
 * does; period >= 0: the builder tracks periods (enum cs_period). */
cs_builder *cli_load_builder(struct cli_load *l, cs_summary_options *so, char **paths, int npaths,
                             cs_input *first, int period);
/* Writes what the last cli_load_run read and what the summary left out,
 * as one JSON document (custseg-summary --stats): ss and as_of as
 * cs_builder_write_summary gives them, returns the policy's name. Returns
 * 0, or 1 on a write error. */
int cli_load_write_stats(const struct cli_load *l, FILE *fp, const cs_summary_stats *ss,
                         cs_day as_of, cs_day calibration_end, const char *returns);
/* A value in micro-units as text for messages: "-140,512.34". */
const char *cli_money(int64_t micro, char buf[40]);
/* Closes --rejects (atomically committed); returns 1 on failure. */
int cli_load_finish(struct cli_load *l, int ok);

/* Summarises transaction logs (paths, or stdin when npaths is 0; first:
 * paths[0] already opened by cli_open_peek) with the loader options, or
 * exits 1 with the error. The caller frees the summary. */
cs_summary *cli_summarise(struct cli_load *l, cs_summary_options *so, char **paths, int npaths,
                          cs_input *first);

/* Reads a model file, or exits 1 with the error. */
void cli_load_model(const char *path, cs_model *m);

/* Opens path ("-": stdin) and looks at its first line without consuming
 * it: returns the input and sets *kind (enum cs_table_kind). Exits 1 on
 * error. */
cs_input *cli_open_peek(const char *path, int *kind);

/* --returns: net, net-customer, drop or keep (enum cs_returns), else a
 * usage error; cli_returns_name is the reverse. */
int cli_returns(const char *arg);
const char *cli_returns_name(int returns);

/* Formats n with thousands separators for messages ("23,570"). */
const char *cli_count(unsigned long long n, char buf[32]);

#endif
