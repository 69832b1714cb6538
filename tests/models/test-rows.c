/* cs_customers_check, the one check of customer rows: each rule, the
 * boundary values that must still pass, where an error points (file, line,
 * column and its name), the whole-table check of swapped columns, the
 * model's own rules (from its capabilities and its family's check), and
 * that fitting (cs_customers_dataset) refuses what the check refuses. */
#include "custseg.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads text as a customer table from a temporary file; err gets the error,
 * its file replaced by "F". */
static cs_customers *read_text(const char *text, cs_error *err)
{
    char path[] = "/tmp/custseg-rows-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
        CHECK(0);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    close(fd);
    memset(err, 0, sizeof *err);
    cs_input *in = cs_input_open(path, err);
    cs_customers *c = in ? cs_customers_read(in, err) : NULL;
    cs_input_close(in);
    unlink(path);
    if (strcmp(err->file, path) == 0)
        snprintf(err->file, sizeof err->file, "F");
    return c;
}

/* 1 when err is code at F:line, column (number and name), with message. */
static int is_err(const cs_error *err, int code, long line, int column, const char *field,
                  const char *message)
{
    int ok = err->code == code && err->line == line && err->column == column &&
             !strcmp(err->field, field) && !strcmp(err->message, message) &&
             !strcmp(err->file, "F");
    if (!ok)
        fprintf(stderr, "got %d %s:%ld: column %d '%s': %s\nwant %d F:%ld: column %d '%s': %s\n",
                err->code, err->file, err->line, err->column, err->field, err->message, code,
                line, column, field, message);
    return ok;
}

#define SUMMARY                                                                    \
    "customer_id,frequency,t_x_weeks,T_weeks,frequency_holdout,"                     \
    "duration_holdout_weeks\n"
/* The same under t_x's former name: read, and named so in the messages. */
#define SUMMARY_OLD                                                                \
    "customer_id,frequency,recency_weeks,T_weeks,frequency_holdout,"                 \
    "duration_holdout_weeks\n"

/* A table of a good first row and then row; 1 when it reads. */
static int reads(const char *row, cs_error *err)
{
    char buf[512];
    snprintf(buf, sizeof buf, SUMMARY "a,1,2,3,0,10\n%s\n", row);
    cs_customers *c = read_text(buf, err);
    cs_customers_free(c);
    return c != NULL;
}

static void test_rules(void)
{
    cs_error err;
    /* boundaries that pass: t_x == T, frequency 0 with t_x 0 (and T
     * 0), the largest frequency, an empty holdout count */
    CHECK(reads("b,3,20,20,0,10", &err));
    CHECK(reads("b,0,0,0,0,10", &err));
    CHECK(reads("b,0,0,5,0,10", &err));
    CHECK(reads("b,100000,4,20,0,10", &err));
    CHECK(reads("b,1,4,20,,10", &err));
    CHECK(reads("b,1,4,20,0,", &err));
    /* frequency: whole, >= 0, at most 100000 */
    CHECK(!reads("b,2.5,4,20,0,10", &err) &&
          is_err(&err, CS_EFORMAT, 3, 2, "frequency",
                 "frequency must be a whole number >= 0, found 2.5"));
    CHECK(!reads("b,-1,4,20,0,10", &err) &&
          is_err(&err, CS_EFORMAT, 3, 2, "frequency",
                 "frequency must be a whole number >= 0, found -1"));
    CHECK(!reads("b,100001,4,20,0,10", &err) && err.code == CS_EFORMAT &&
          !strcmp(err.field, "frequency") &&
          strstr(err.message, "frequency 100001 is too large"));
    CHECK(!reads("b,1e18,4,20,0,10", &err) && err.line == 3 &&
          strstr(err.message, "frequency 1e+18 is too large (at most 100000 repeat"));
    /* t_x and T: >= 0, t_x <= T */
    CHECK(!reads("b,1,-2,20,0,10", &err) &&
          is_err(&err, CS_EFORMAT, 3, 3, "t_x_weeks",
                 "t_x_weeks must be a finite number >= 0, found -2"));
    CHECK(!reads("b,1,2,-20,0,10", &err) &&
          is_err(&err, CS_EFORMAT, 3, 4, "T_weeks",
                 "T_weeks must be a finite number >= 0, found -20"));
    CHECK(!reads("b,1,30,20,0,10", &err) &&
          is_err(&err, CS_EFORMAT, 3, 3, "t_x_weeks",
                 "t_x_weeks 30 is greater than T_weeks 20"));
    CHECK(!reads("b,1,20.000001,20,0,10", &err) && err.code == CS_EFORMAT);
    /* not numbers: the table reader's message */
    CHECK(!reads("b,1,2,inf,0,10", &err) &&
          is_err(&err, CS_EFORMAT, 3, 4, "T_weeks", "'inf' is not a number"));
    CHECK(!reads("b,1,nan,3,0,10", &err) && err.code == CS_EFORMAT && err.column == 3);
    /* the holdout: a whole count >= 0, one duration for the table */
    CHECK(!reads("b,1,4,20,-1,10", &err) &&
          is_err(&err, CS_EFORMAT, 3, 5, "frequency_holdout",
                 "frequency_holdout must be a whole number >= 0, found -1"));
    CHECK(!reads("b,1,4,20,0.5,10", &err) && err.column == 5);
    CHECK(!reads("b,1,4,20,0,12", &err) &&
          is_err(&err, CS_EFORMAT, 3, 6, "duration_holdout_weeks",
                 "duration_holdout_weeks is 12 here and 10 on an earlier row: a table has one "
                 "holdout period"));
}

static void test_swapped(void)
{
    cs_error err;
    /* one row of three with t_x > T: that row is named (a table with the
     * former name recency_weeks: the messages use it) */
    cs_customers *c = read_text(SUMMARY_OLD "a,1,2,3,0,10\nb,1,9,4,0,10\nc,1,1,8,0,10\n", &err);
    CHECK(!c && is_err(&err, CS_EFORMAT, 3, 3, "recency_weeks",
                       "recency_weeks 9 is greater than T_weeks 4"));
    /* two of three: the columns look swapped (the first such row is shown) */
    c = read_text(SUMMARY_OLD "a,1,2,3,0,10\nb,1,9,4,0,10\nc,1,10,8,0,10\n", &err);
    CHECK(!c && is_err(&err, CS_EFORMAT, 3, 3, "recency_weeks",
                       "recency_weeks is greater than T_weeks on 2 of 3 rows (here 9 > 4): the "
                       "columns look swapped, or in different units (recency_weeks must be <= "
                       "T_weeks)"));
    /* a table of one bad row is that row, not a table */
    c = read_text(SUMMARY_OLD "b,1,9,4,0,10\n", &err);
    CHECK(!c && !strcmp(err.message, "recency_weeks 9 is greater than T_weeks 4"));
    /* half is not most: two of four name the first row */
    c = read_text(SUMMARY_OLD "a,1,2,3,0,10\nb,1,9,4,0,10\nc,1,10,8,0,10\nd,0,0,1,0,10\n", &err);
    CHECK(!c && !strcmp(err.message, "recency_weeks 9 is greater than T_weeks 4"));
}

static void test_patterns(void)
{
    cs_error err;
    const char *h = "frequency,recency,periods,weights\n";
    char buf[256];
    /* whole periods, recency <= periods, frequency <= periods */
    snprintf(buf, sizeof buf, "%s0,0,6,10\n6,6,6,2\n2,1.5,6,1\n", h);
    cs_customers *c = read_text(buf, &err);
    CHECK(!c && is_err(&err, CS_EFORMAT, 4, 2, "recency",
                       "recency must be a whole number of periods >= 0, found 1.5"));
    snprintf(buf, sizeof buf, "%s0,0,6,10\n2,7,6,1\n", h);
    c = read_text(buf, &err);
    CHECK(!c && is_err(&err, CS_EFORMAT, 3, 2, "recency", "recency 7 is greater than periods 6"));
    snprintf(buf, sizeof buf, "%s0,0,6,10\n7,6,6,1\n", h);
    c = read_text(buf, &err);
    CHECK(!c && is_err(&err, CS_EFORMAT, 3, 1, "frequency",
                       "frequency 7 is greater than periods 6"));
    /* x > t_x is a table; BG/BB's own check refuses it (its family's hook,
     * not a test of the kind), with the row's line */
    snprintf(buf, sizeof buf, "%s0,0,6,10\n3,2,6,1\n", h);
    c = read_text(buf, &err);
    CHECK(c != NULL);
    if (c) {
        CHECK(cs_customers_check(c, -1, 0, &err) == CS_OK);
        CHECK(cs_customers_check(c, CS_MODEL_BGBB, 0, &err) == CS_EFORMAT && err.line == 3 &&
              strstr(err.message, "x <= t_x <= n") && !strcmp(err.file, c->file));
        CHECK(!cs_customers_dataset(c, CS_MODEL_BGBB, &err) && err.line == 3);
        /* a model in a time unit does not take a pattern table */
        CHECK(cs_customers_check(c, CS_MODEL_BGNBD, 0, &err) == CS_EINVAL &&
              strstr(err.message, "not a pattern table"));
    }
    cs_customers_free(c);
}

/* The model's rules, on hand-made customers (no file: no location). */
static void test_models(void)
{
    cs_obs obs[] = {{.x = 0, .tx = 0, .T = 10}, {.x = 2, .tx = 5, .T = 10},
                    {.x = 1, .tx = 10, .T = 10}, {.x = 3, .tx = 6, .T = 9}};
    double mon[] = {NAN, 8, 3, 8}, w[] = {1, 1, 1, 1}, hold[] = {0, 1, NAN, 2};
    cs_customers c = {.n = 4, .kind = CS_TABLE_SUMMARY, .unit = CS_UNIT_WEEK, .obs = obs,
                      .monetary = mon, .weight = w, .x_holdout = hold, .has_monetary = 1,
                      .has_holdout = 1, .duration_holdout = 4};
    cs_error err = {0};
    for (int k = 0; k < CS_MODEL_COUNT; k++)
        if (cs_model_kind_has(k, CS_CAP_TIME_UNIT) || k == CS_MODEL_GG)
            CHECK(cs_customers_check(&c, k, 0, &err) == CS_OK);
    CHECK(cs_customers_check(&c, -1, 0, &err) == CS_OK);
    /* CS_CHECK_HOLDOUT: every row with a count */
    CHECK(cs_customers_check(&c, CS_MODEL_PNBD, CS_CHECK_HOLDOUT, &err) == CS_EFORMAT &&
          !strcmp(err.field, "frequency_holdout") && err.line == 0 && err.file[0] == '\0');
    /* a location left in err by an earlier error is not this one's */
    snprintf(err.file, sizeof err.file, "stale");
    err.line = 9;
    CHECK(cs_customers_check(&c, CS_MODEL_PNBD, CS_CHECK_HOLDOUT, &err) == CS_EFORMAT &&
          err.file[0] == '\0' && err.line == 0 && err.column == 0);
    snprintf(err.field, sizeof err.field, "stale");
    CHECK(cs_customers_check(&c, CS_MODEL_BGBB, 0, &err) == CS_EINVAL && err.field[0] == '\0');
    hold[2] = 0;
    CHECK(cs_customers_check(&c, CS_MODEL_PNBD, CS_CHECK_HOLDOUT, &err) == CS_OK);
    c.has_holdout = 0;
    CHECK(cs_customers_check(&c, CS_MODEL_PNBD, CS_CHECK_HOLDOUT, &err) == CS_EINVAL);
    c.has_holdout = 1;
    /* BG/BB (discrete: CS_CAP_PATTERNS) does not take a summary in weeks */
    CHECK(cs_customers_check(&c, CS_MODEL_BGBB, 0, &err) == CS_EINVAL &&
          strstr(err.message, "not a summary in weeks"));
    CHECK(cs_customers_check(&c, 99, 0, &err) == CS_EINVAL);
    /* Gamma-Gamma: a repeat buyer's mean value, > 0; the others need none */
    mon[2] = 0;
    CHECK(cs_customers_check(&c, CS_MODEL_GG, 0, &err) == CS_EFORMAT &&
          !strcmp(err.field, "monetary_value") && strstr(err.message, "mean value 0"));
    CHECK(!cs_customers_dataset(&c, CS_MODEL_GG, &err) && !strcmp(err.field, "monetary_value"));
    CHECK(cs_customers_check(&c, CS_MODEL_BGNBD, 0, &err) == CS_OK);
    mon[2] = NAN;
    CHECK(cs_customers_check(&c, CS_MODEL_GG, 0, &err) == CS_EFORMAT &&
          strstr(err.message, "monetary_value is empty for a repeat buyer"));
    mon[2] = 3;
    /* a fit refuses what the check refuses: the same message */
    obs[3].tx = 9.5;
    CHECK(cs_customers_check(&c, -1, 0, &err) == CS_EFORMAT &&
          !strcmp(err.message, "t_x_weeks 9.5 is greater than T_weeks 9"));
    cs_error e2 = {0};
    CHECK(!cs_customers_dataset(&c, CS_MODEL_BGNBD, &e2) && !strcmp(e2.message, err.message));
    CHECK(!cs_customers_dataset(&c, CS_MODEL_GG, &e2) && !strcmp(e2.message, err.message));
    obs[3].tx = 6;
    /* non-finite values (hand-made: no table reader to catch them) */
    obs[1].T = INFINITY;
    CHECK(cs_customers_check(&c, -1, 0, &err) == CS_EFORMAT && !strcmp(err.field, "T_weeks"));
    obs[1].T = 10;
    obs[1].x = NAN;
    CHECK(cs_customers_check(&c, -1, 0, &err) == CS_EFORMAT && !strcmp(err.field, "frequency"));
    obs[1].x = CS_FREQUENCY_MAX;
    CHECK(cs_customers_check(&c, CS_MODEL_BGNBD, 0, &err) == CS_OK);
}

/* The bound is one the models handle: at CS_FREQUENCY_MAX, BG/NBD,
 * Pareto/NBD and MBG/NBD (CDNOW's published parameters) give finite
 * predictions for ages from 0 to 10000 weeks. */
static void test_bound(void)
{
    const struct {
        int kind;
        double p[4];
    } m[] = {{CS_MODEL_BGNBD, {0.243, 4.414, 0.793, 2.426}},
             {CS_MODEL_PNBD, {0.553, 10.58, 0.606, 11.67}},
             {CS_MODEL_MBGNBD, {0.525, 6.183, 0.891, 1.614}}};
    const double T[] = {0, 0.01, 1, 20, 1000, 10000};
    for (size_t k = 0; k < sizeof m / sizeof m[0]; k++) {
        cs_model mod = {.kind = m[k].kind, .np = 4, .unit = CS_UNIT_WEEK};
        for (int j = 0; j < 4; j++)
            mod.param[j] = m[k].p[j];
        for (size_t i = 0; i < sizeof T / sizeof T[0]; i++)
            for (int half = 0; half < 2; half++) {
                cs_obs o = {.x = CS_FREQUENCY_MAX, .tx = half ? T[i] / 2 : T[i], .T = T[i]};
                double pa = cs_model_p_alive(&mod, &o), e = cs_model_expected(&mod, &o, 39);
                if (!isfinite(pa) || !isfinite(e))
                    fprintf(stderr, "%s at T = %g, t_x = %g: P(alive) %g, E %g\n",
                            cs_model_name(m[k].kind), o.T, o.tx, pa, e);
                CHECK(isfinite(pa) && isfinite(e));
            }
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    test_rules();
    test_swapped();
    test_patterns();
    test_models();
    test_bound();
    return check_exit(1); /* no real data needed */
}
