/* A program of someone else's, built against the installed custseg through
 * pkg-config (tests/build/test-install.sh): the headers compile on their
 * own, and the shared library links and gives answers. */
#include <custseg.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    int bad = 0;
    if (argc < 2 || strcmp(cs_version(), argv[1]) != 0) {
        fprintf(stderr, "cs_version() is '%s', the build's is '%s'\n", cs_version(),
                argc > 1 ? argv[1] : "?");
        bad = 1;
    }
    /* 1997-01-01 is day 9862 after 1970-01-01 */
    cs_day d;
    cs_datefmt any = {0};
    char buf[11];
    if (cs_date_parse(&any, "1997-01-01", 10, &d, NULL) != CS_OK || d != 9862) {
        fprintf(stderr, "cs_date_parse gave %ld\n", (long)d);
        bad = 1;
    }
    cs_day_format(d, buf);
    if (strcmp(buf, "1997-01-01") != 0) {
        fprintf(stderr, "cs_day_format gave %s\n", buf);
        bad = 1;
    }
    /* a new BG/NBD customer with CDNOW's parameters (Fader, Hardie & Lee
     * 2005): E[X(t)] grows with t and stays below the no-drop-out bound
     * r t / alpha */
    int kind = cs_model_from_name("bgnbd");
    cs_model m = {.kind = kind, .np = 4, .param = {0.243, 4.414, 0.793, 2.426}};
    double e39 = cs_model_expected_new(&m, 39), e78 = cs_model_expected_new(&m, 78);
    if (kind < 0 || strcmp(cs_model_name(kind), "bgnbd") != 0 || !(e39 > 0) || !(e78 > e39) ||
        !(e39 < 0.243 * 39 / 4.414)) {
        fprintf(stderr, "BG/NBD E[X(t)]: %g at 39, %g at 78\n", e39, e78);
        bad = 1;
    }
    printf("%s: version %s, E[X(39)] = %.4f\n", bad ? "FAILED" : "ok", cs_version(), e39);
    return bad;
}
