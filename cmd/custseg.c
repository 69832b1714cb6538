/* custseg: runs custseg-NAME for `custseg NAME ARGS...`, like git. */
#include "custseg.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *name, *what;
} tools[] = {
    {"summary", "transactions -> one row per customer (frequency, t_x, T, value)"},
    {"clv", "fit / predict / validate BG/NBD, Pareto/NBD, MBG/NBD, BG/BB, Gamma-Gamma; CLV"},
    {"simulate", "synthetic transaction logs from model parameters (seeded)"},
    {"rfm", "RFM scores, cells and named segments, with a segment report"},
    {"pyramid", "value tiers (curry, zeithaml, custom) and the concentration of value"},
    {"churn", "churn scores and their evaluation, observed churn rates, sBG retention"},
    {"stages", "relationship stages (prospect .. advocate, lapsed), funnel, migration"},
    {"report", "one self-contained HTML report with charts from a transaction log"},
};

static void help(FILE *fp)
{
    fprintf(fp, "Usage: custseg COMMAND [ARGS]...\n"
                "Customer analytics and segmentation for the shell.\n\nCommands:\n");
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
        fprintf(fp, "  %-10s %s\n", tools[i].name, tools[i].what);
    fprintf(fp, "\n'custseg COMMAND --help' (or custseg-COMMAND --help) tells more.\n"
                "\nExamples:\n"
                "  custseg summary --unit week orders.csv\n"
                "  custseg summary --help\n");
}

/* 0, or 1 after saying why standard output could not be written (a full
 * disk: custseg --help > /dev/full) */
static int stdout_done(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    fprintf(stderr, "custseg: write error: %s\n", strerror(errno ? errno : EIO));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "custseg: no command given\nTry 'custseg --help' for more information.\n");
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        help(stdout);
        return stdout_done();
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("custseg %s\n", cs_version());
        return stdout_done();
    }
    int known = 0;
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
        known |= !strcmp(argv[1], tools[i].name);
    if (!known) {
        fprintf(stderr, "custseg: '%s' is not a custseg command\n"
                        "Try 'custseg --help' for more information.\n", argv[1]);
        return 2;
    }
    char tool[256];
    snprintf(tool, sizeof tool, "custseg-%s", argv[1]);
    argv[1] = tool;
    /* the tool beside this program first, then PATH */
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash && (size_t)(slash - self) + 1 + strlen(tool) < sizeof self) {
            strcpy(slash + 1, tool);
            execv(self, argv + 1);
        }
    }
    execvp(tool, argv + 1);
    fprintf(stderr, "custseg: cannot run %s: %s\n", tool, strerror(errno));
    return 1;
}
