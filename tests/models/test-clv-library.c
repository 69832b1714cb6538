/* What custseg-clv asks of the library beyond the models: the customers of a
 * builder, the unit check, fitting customers, predictions with intervals,
 * and the fit and holdout reports as text. */
#include "custseg.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cs_day day(int y, int m, int d)
{
    cs_day v;
    cs_day_from_ymd(y, m, d, &v);
    return v;
}

static void add(cs_builder *b, const char *id, cs_day d, double amount)
{
    cs_txn t = {id, strlen(id), d, (int64_t)(amount * 1e6)};
    CHECK(cs_builder_add(b, &t, NULL) == CS_OK);
}

/* Text written by fn into memory; the caller frees it. */
#define CAPTURE(text, call)                                   \
    do {                                                      \
        size_t len_ = 0;                                      \
        FILE *fp = open_memstream(&(text), &len_);            \
        CHECK(fp != NULL);                                    \
        if (fp) {                                             \
            CHECK((call) == CS_OK);                           \
            fclose(fp);                                       \
        }                                                     \
    } while (0)

static void test_builder_customers(void)
{
    cs_error err = {0};
    /* a summary in weeks: a buys on days 0 and 14, b on day 7; as of day 28 */
    cs_day d0 = day(2024, 1, 1);
    cs_summary_options so = {.as_of = d0 + 28, .calibration_end = CS_DAY_NONE, .has_amount = 1,
                             .threads = 1};
    cs_builder *b = cs_builder_new(&so, &err);
    add(b, "a", d0, 10);
    add(b, "b", d0 + 7, 5);
    add(b, "a", d0 + 14, 20);
    size_t recent = 99;
    cs_customers *c = cs_builder_customers(b, 0, CS_UNIT_WEEK, &recent, &err);
    CHECK(c && c->n == 2 && recent == 0);
    if (c) {
        CHECK(c->kind == CS_TABLE_SUMMARY && c->unit == CS_UNIT_WEEK);
        CHECK(c->obs[0].x == 1 && c->obs[0].tx == 2 && c->obs[0].T == 4);
        CHECK(c->obs[1].x == 0 && c->obs[1].tx == 0 && c->obs[1].T == 3);
        CHECK(c->has_monetary && c->monetary[0] == 20);
    }
    cs_customers_free(c);

    /* BG/BB patterns by year: a acquired in 2020, buys in 2021 and 2023; the
     * end (2024-06-30) cuts 2024 short, so 3 opportunities; b is too recent */
    so.as_of = day(2024, 6, 30);
    b = cs_builder_new(&so, &err);
    CHECK(b && cs_builder_track_periods(b, CS_PERIOD_YEAR, &err) == CS_OK);
    add(b, "a", day(2020, 1, 15), 1);
    add(b, "a", day(2021, 3, 1), 1);
    add(b, "a", day(2023, 5, 1), 1);
    add(b, "b", day(2024, 2, 1), 1);
    c = cs_builder_customers(b, 1, CS_UNIT_WEEK, &recent, &err);
    CHECK(c && c->n == 1 && recent == 1);
    if (c) {
        CHECK(c->kind == CS_TABLE_PATTERNS && c->unit < 0);
        CHECK(c->obs[0].x == 2 && c->obs[0].tx == 3 && c->obs[0].T == 3);
    }
    cs_customers_free(c);

    /* an error comes back with the builder freed (no records) */
    b = cs_builder_new(&so, &err);
    CHECK(cs_builder_customers(b, 0, CS_UNIT_DAY, NULL, &err) == NULL && err.code < 0);
}

static void test_unit_matches(void)
{
    cs_customers c = {.kind = CS_TABLE_SUMMARY, .unit = CS_UNIT_WEEK};
    cs_model m = {.kind = CS_MODEL_BGNBD, .np = 4, .unit = CS_UNIT_WEEK};
    CHECK(cs_model_unit_matches(&m, &c) == 1);
    m.unit = CS_UNIT_DAY;
    CHECK(cs_model_unit_matches(&m, &c) == 0);
    c.kind = CS_TABLE_PATTERNS;
    c.unit = -1;
    CHECK(cs_model_unit_matches(&m, &c) == 0);
    /* BG/BB counts opportunities, not a time unit; Gamma-Gamma none either */
    m.kind = CS_MODEL_BGBB;
    CHECK(cs_model_unit_matches(&m, &c) == 1);
    m.kind = CS_MODEL_GG;
    c.kind = CS_TABLE_SUMMARY;
    c.unit = CS_UNIT_MONTH;
    CHECK(cs_model_unit_matches(&m, &c) == 1);
}

/* Customers with some repeat buying, in weeks. */
static cs_obs obs[] = {{.x = 0, .tx = 0, .T = 30},  {.x = 1, .tx = 10, .T = 30},
                       {.x = 2, .tx = 20, .T = 25}, {.x = 0, .tx = 0, .T = 20},
                       {.x = 5, .tx = 18, .T = 30}, {.x = 3, .tx = 28, .T = 30},
                       {.x = 0, .tx = 0, .T = 12},  {.x = 1, .tx = 2, .T = 28},
                       {.x = 4, .tx = 10, .T = 29}, {.x = 2, .tx = 26, .T = 27}};
static double mon[] = {NAN, 12, 30, NAN, 18, 25, NAN, 9, 40, 22};
static double wts[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};


/* what a progress callback heard */
struct prog_log {
    int calls, ordered;
    long last_done, total;
};

static void log_progress(void *ctx, long done, long total)
{
    struct prog_log *p = ctx;
    p->ordered = p->calls == 0 ? done == 1 : p->ordered && done == p->last_done + 1;
    p->calls++;
    p->last_done = done;
    p->total = total;
}

static void test_fit_and_predict(void)
{
    char ids[] = "abcdefghij";
    size_t off[10];
    uint32_t idl[10];
    for (int i = 0; i < 10; i++)
        off[i] = (size_t)i, idl[i] = 1;
    cs_customers c = {.n = 10, .kind = CS_TABLE_SUMMARY, .unit = CS_UNIT_WEEK,
                      .ids = {.n = 10, .bytes = ids, .off = off, .len = idl}, .obs = obs,
                      .monetary = mon, .weight = wts, .has_monetary = 1, .duration_holdout = NAN};
    cs_error err = {0};
    cs_fit_options fo = {.threads = 1};
    cs_model m, direct;
    CHECK(cs_customers_fit(&c, CS_MODEL_BGNBD, &fo, &m, &err) == CS_OK);
    CHECK(m.unit == CS_UNIT_WEEK && m.calibration_end == CS_DAY_NONE);
    cs_dataset *d = cs_customers_dataset(&c, CS_MODEL_BGNBD, &err);
    CHECK(d && cs_model_fit(CS_MODEL_BGNBD, d, &fo, &direct, &err) == CS_OK);
    cs_dataset_free(d);
    for (int j = 0; j < 4; j++)
        CHECK(m.param[j] == direct.param[j]);
    /* a spend model without monetary values: an error, and no fit */
    c.has_monetary = 0;
    cs_model g;
    CHECK(cs_customers_fit(&c, CS_MODEL_GG, &fo, &g, &err) == CS_EINVAL && err.message[0]);
    c.has_monetary = 1;

    /* the table equals cs_model_predict + cs_predictions_write */
    cs_predict_options po = {.horizon = 10, .clv_periods = 3, .period_len = 4, .discount = 0.01,
                             .margin = 1, .threads = 1};
    cs_prediction pr[11];
    size_t nan_direct = cs_model_predict(&m, c.obs, c.monetary, c.n, &po, pr);
    char *want = NULL, *got = NULL;
    CAPTURE(want, cs_predictions_write(&m, &c, &po, pr, NULL, NULL, fp, CS_FORMAT_CSV, 1, &err));
    size_t nan_rows = 99;
    int failed = 99;
    CAPTURE(got, cs_customers_predict_write(&m, &c, &po, NULL, fp, CS_FORMAT_CSV, 1, &nan_rows,
                                            &failed, &err));
    CHECK(want && got && !strcmp(want, got));
    CHECK(nan_rows == nan_direct && failed == 0);
    free(want);
    free(got);
    want = got = NULL;

    /* a bootstrap that fails (BG/NBD refits on 10 customers) writes nothing */
    cs_boot_options bo = {.replicates = 5, .seed = 3, .level = 0.8};
    CAPTURE(got, cs_customers_predict_write(&m, &c, &po, &bo, fp, CS_FORMAT_CSV, 1, &nan_rows,
                                            &failed, &err) == CS_ENOCONV ? CS_OK : -1);
    CHECK(got && !strcmp(got, "") && failed > 0);
    free(got);
    got = NULL;

    /* with intervals: those of cs_model_bootstrap, same seed (NBD refits) */
    CHECK(cs_customers_fit(&c, CS_MODEL_NBD, &fo, &m, &err) == CS_OK);
    nan_direct = cs_model_predict(&m, c.obs, c.monetary, c.n, &po, pr);
    double lo[31], hi[31];
    int fd = 0;
    int brc = cs_model_bootstrap(&m, c.obs, c.monetary, c.n, &po, 5, 3, 0.8, lo, hi, &fd, &err);
    if (brc != CS_OK)
        fprintf(stderr, "bootstrap: %s\n", err.message);
    CHECK(brc == CS_OK);
    CAPTURE(want, cs_predictions_write(&m, &c, &po, pr, lo, hi, fp, CS_FORMAT_CSV, 1, &err));
    CAPTURE(got, cs_customers_predict_write(&m, &c, &po, &bo, fp, CS_FORMAT_CSV, 1, &nan_rows,
                                            &failed, &err));
    CHECK(want && got && !strcmp(want, got) && failed == fd && nan_rows == nan_direct);
    CHECK(got && strstr(got, "expected_purchases_lo"));
    free(want);
    free(got);

    /* progress: the callback hears every replicate, in order, ending with
     * (replicates, replicates), and the intervals are those without it */
    struct prog_log pl = {0};
    cs_boot_options bp = {.replicates = 5, .seed = 3, .level = 0.8, .progress = log_progress,
                          .progress_ctx = &pl};
    double lo2[31], hi2[31];
    int fd2 = 0;
    CHECK(cs_model_bootstrap_run(&m, c.obs, c.monetary, c.n, &po, &bp, lo2, hi2, &fd2, &err) ==
          CS_OK);
    CHECK(pl.calls == 5);
    CHECK(pl.ordered && pl.last_done == 5 && pl.total == 5);
    CHECK(fd2 == fd); /* the filled part: 3 values per customer (NAN CLV alike) */
    CHECK(!memcmp(lo, lo2, 3 * c.n * sizeof *lo) && !memcmp(hi, hi2, 3 * c.n * sizeof *hi));
}

static void test_reports(void)

{
    cs_model m = {.kind = CS_MODEL_NBD, .np = 2, .param = {0.5, 2}, .se = {0.25, NAN},
                  .log_likelihood = -123.45678, .n_customers = 100, .n_patterns = 7,
                  .unit = CS_UNIT_WEEK, .method = "bfgs2", .iterations = 12, .starts = 3,
                  .grad_norm = 1e-7, .converged = 1, .evaluations = 0};
    char *text = NULL;
    CAPTURE(text, cs_model_report_write(&m, "tool", fp));
    CHECK(text && !strcmp(text, "tool: nbd fit on 100 customers (7 distinct patterns)\n"
                                "  param          estimate     std. error\n"
                                "  r                   0.5           0.25\n"
                                "  alpha                 2            nan\n"
                                "  log-likelihood -123.4568 (time unit: week)\n"
                                "  bfgs2, 12 iterations from 3 starts, gradient norm 1e-07, "
                                "converged\n"
                                "  0 likelihood evaluations in 0.000 s (0 ms each)\n"));
    if (text && check_failures)
        fputs(text, stderr);
    free(text);
    text = NULL;
    strcpy(m.note, "on the boundary");
    m.converged = 0;
    m.kind = CS_MODEL_BGBB; /* no time unit */
    m.np = 0;
    CAPTURE(text, cs_model_report_write(&m, NULL, fp));
    CHECK(text && !strncmp(text, "bgbb fit on", 11) && !strstr(text, "time unit") &&
          strstr(text, "NOT converged") && strstr(text, "  note: on the boundary\n"));
    free(text);
    text = NULL;

    cs_validation v = {.duration = 39, .mae = 0.5, .rmse = 0.75, .spend_n = 40,
                       .spend_corr = 0.1};
    v.customers[CS_VALIDATE_ALL] = 100;
    v.actual[CS_VALIDATE_ALL] = 200;
    v.predicted[CS_VALIDATE_ALL] = 210;
    CAPTURE(text, cs_validation_report_write(&v, CS_UNIT_WEEK,
                                             CS_REPORT_HOLDOUT | CS_REPORT_SPEND, "t", fp));
    CHECK(text && !strcmp(text, "t: holdout of 39 weeks: actual 200, predicted 210.0 purchases "
                                "(+5.0%); per customer MAE 0.5000, RMSE 0.7500\n"
                                "t: Gamma-Gamma: correlation of frequency and monetary value "
                                "over 40 repeat buyers: 0.100 (small, as the model assumes)\n"));
    free(text);
    text = NULL;
    /* only what is asked; no holdout line without customers */
    v.spend_corr = -0.5;
    CAPTURE(text, cs_validation_report_write(&v, CS_UNIT_DAY, CS_REPORT_SPEND, NULL, fp));
    CHECK(text && !strncmp(text, "Gamma-Gamma: correlation", 24) && strstr(text, "-0.500 -- large"));
    free(text);
    text = NULL;
    v.customers[CS_VALIDATE_ALL] = 0;
    CAPTURE(text, cs_validation_report_write(&v, CS_UNIT_DAY, CS_REPORT_HOLDOUT, NULL, fp));
    CHECK(text && !strcmp(text, ""));
    free(text);
}

/* Reads text as a customer table from a temporary file; err gets the error
 * (its file is the path, which is replaced by "F" for the checks). */
static cs_customers *read_text(const char *text, cs_error *err)
{
    char path[] = "/tmp/custseg-clv-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
        CHECK(0);
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

static void check_err(const cs_error *err, int code, long line, int column, const char *field,
                      const char *message)
{
    int ok = err->code == code && err->line == line && err->column == column &&
             strcmp(err->field, field) == 0 && strcmp(err->message, message) == 0 &&
             strcmp(err->file, "F") == 0;
    if (!ok)
        printf("got %d %s:%ld: column %d '%s': %s\nwant %d F:%ld: column %d '%s': %s\n", err->code,
               err->file, err->line, err->column, err->field, err->message, code, line, column,
               field, message);
    CHECK(ok);
}

/* cs_customers_read: summaries and pattern tables through the table
 * reader, and where its errors point (file, line, column and its name). */
static void test_read_tables(void)
{
    cs_error err;
    cs_customers *c = read_text("customer_id,frequency,t_x_weeks,T_weeks,monetary_value,"
                                "frequency_holdout,duration_holdout_weeks\n"
                                "a,2,10.5,30,12.5,1,39\n"
                                "b\xc3\xa9,0,0,20,,0,39\n",
                                &err);
    CHECK(c && c->n == 2 && c->kind == CS_TABLE_SUMMARY && c->unit == CS_UNIT_WEEK &&
          !c->tx_old_name);
    if (c) {
        size_t len;
        const char *id = cs_ids_get(&c->ids, 1, &len);
        CHECK(len == 3 && !memcmp(id, "b\xc3\xa9", 3));
        CHECK(c->obs[0].x == 2 && c->obs[0].tx == 10.5 && c->obs[0].T == 30);
        CHECK(c->monetary[0] == 12.5 && isnan(c->monetary[1])); /* empty: none */
        CHECK(c->has_monetary && c->has_holdout && c->x_holdout[0] == 1 &&
              c->duration_holdout == 39 && c->weight[1] == 1);
    }
    cs_customers_free(c);
    /* a pattern table: no ids (rows numbered), weights */
    c = read_text("frequency\tt_x\tperiods\tweights\n3\t5\t6\t10\n0\t0\t6\t2.5\n", &err);
    CHECK(c && c->n == 2 && c->kind == CS_TABLE_PATTERNS && c->unit == -1);
    if (c) {
        size_t len;
        const char *id = cs_ids_get(&c->ids, 1, &len);
        CHECK(len == 1 && id[0] == '2' && c->weight[0] == 10 && c->weight[1] == 2.5);
    }
    cs_customers_free(c);
    /* bad numbers: the column by number and name, and what it expects (a
     * number: the table reader; the rules of a row: cs_customers_check) */
    const char *h = "customer_id,frequency,t_x_weeks,T_weeks\n";
    char buf[256];
    snprintf(buf, sizeof buf, "%sa,1,2,3\nb,abc,2,3\n", h);
    CHECK(read_text(buf, &err) == NULL);
    check_err(&err, CS_EFORMAT, 3, 2, "frequency", "'abc' is not a number");
    snprintf(buf, sizeof buf, "%sa,1.5,2,3\n", h);
    CHECK(read_text(buf, &err) == NULL);
    check_err(&err, CS_EFORMAT, 2, 2, "frequency",
              "frequency must be a whole number >= 0, found 1.5");
    snprintf(buf, sizeof buf, "%sa,1,-2,3\n", h);
    CHECK(read_text(buf, &err) == NULL);
    check_err(&err, CS_EFORMAT, 2, 3, "t_x_weeks",
              "t_x_weeks must be a finite number >= 0, found -2");
    snprintf(buf, sizeof buf, "%sa,1,2,x\n", h);
    CHECK(read_text(buf, &err) == NULL);
    check_err(&err, CS_EFORMAT, 2, 4, "T_weeks", "'x' is not a number");
    CHECK(read_text("customer_id,frequency,t_x_weeks,T_weeks,monetary_value\na,1,2,3,n/a\n",
                    &err) == NULL);
    check_err(&err, CS_EFORMAT, 2, 5, "monetary_value", "'n/a' is not a number (or empty)");
    CHECK(read_text("frequency,t_x,periods,weights\n1,1,6,-3\n", &err) == NULL);
    check_err(&err, CS_EFORMAT, 2, 4, "weights", "'-3' is not a number >= 0");
    CHECK(read_text("frequency,t_x,periods\n1,0.5,6\n", &err) == NULL);
    check_err(&err, CS_EFORMAT, 2, 2, "t_x",
              "t_x must be a whole number of periods >= 0, found 0.5");
    /* ids: empty, not UTF-8 */
    snprintf(buf, sizeof buf, "%s,1,2,3\n", h);
    CHECK(read_text(buf, &err) == NULL);
    check_err(&err, CS_EID, 2, 1, "customer_id", "empty customer id");
    snprintf(buf, sizeof buf, "%s\xff,1,2,3\n", h);
    CHECK(read_text(buf, &err) == NULL);
    CHECK(err.code == CS_EID && err.column == 1);
    /* the row's fields against the header's */
    snprintf(buf, sizeof buf, "%sa,1,2,3\nb,1,2\n", h);
    CHECK(read_text(buf, &err) == NULL);
    check_err(&err, CS_EFORMAT, 3, 0, "", "expected 4 fields as in the header, found 3");
    /* the header: not a summary, units that differ, nothing after it */
    CHECK(read_text("customer_id,date\na,2024-01-01\n", &err) == NULL);
    CHECK(err.code == CS_ECOLUMN && err.line == 1 && strstr(err.message, "not a customer summary"));
    CHECK(read_text("customer_id,frequency,t_x_weeks,T_days\na,1,2,3\n", &err) == NULL);
    CHECK(err.code == CS_ECOLUMN && err.line == 1 && strstr(err.message, "same unit"));
    CHECK(read_text(h, &err) == NULL);
    check_err(&err, CS_EEMPTY, 0, 0, "", "no customers after the header line");
    CHECK(read_text("", &err) == NULL);
    check_err(&err, CS_EEMPTY, 0, 0, "", "the input is empty: expected a header line");
}

/* t_x under its former names (recency_UNIT; patterns: recency): read as
 * t_x, and named so in messages; with both names, t_x wins and the old
 * column is ignored, whatever it holds (even another unit). */
static void test_read_old_names(void)
{
    cs_error err;
    const char *rows = "a,2,10.5,30\nb,0,0,20\n";
    const char *heads[] = {"customer_id,frequency,t_x_weeks,T_weeks\n",
                           "customer_id,frequency,recency_weeks,T_weeks\n",
                           "customer_id,frequency,T_weeks,recency_weeks\n"};
    for (int k = 0; k < 3; k++) {
        char buf[256];
        /* the third header puts the columns in another order: swap the values */
        snprintf(buf, sizeof buf, "%s%s", heads[k], k == 2 ? "a,2,30,10.5\nb,0,20,0\n" : rows);
        CHECK(cs_table_kind(heads[k], strlen(heads[k])) == CS_TABLE_SUMMARY);
        cs_customers *c = read_text(buf, &err);
        CHECK(c && c->kind == CS_TABLE_SUMMARY && c->unit == CS_UNIT_WEEK && c->n == 2 &&
              c->tx_old_name == (k > 0));
        if (c)
            CHECK(c->obs[0].x == 2 && c->obs[0].tx == 10.5 && c->obs[0].T == 30 &&
                  c->obs[1].tx == 0 && c->obs[1].T == 20 &&
                  c->column[CS_COLUMN_RECENCY] == (k == 2 ? 4 : 3));
        cs_customers_free(c);
    }
    /* both names: t_x, before or after the old column; the old one may
     * hold anything, in any unit */
    const char *both[] = {"customer_id,frequency,recency_weeks,t_x_weeks,T_weeks\na,2,99,10.5,30\n",
                          "customer_id,frequency,t_x_weeks,recency_days,T_weeks\na,2,10.5,x,30\n"};
    for (int k = 0; k < 2; k++) {
        cs_customers *c = read_text(both[k], &err);
        CHECK(c && c->unit == CS_UNIT_WEEK && !c->tx_old_name && c->obs[0].tx == 10.5 &&
              c->column[CS_COLUMN_RECENCY] == 4 - k);
        cs_customers_free(c);
    }
    /* an error names the column as the header does */
    CHECK(!read_text("customer_id,frequency,recency_weeks,T_weeks\na,1,-2,3\n", &err));
    check_err(&err, CS_EFORMAT, 2, 3, "recency_weeks",
              "recency_weeks must be a finite number >= 0, found -2");
    CHECK(!read_text("customer_id,frequency,recency_weeks,t_x_weeks,T_weeks\na,1,2,-2,3\n", &err));
    check_err(&err, CS_EFORMAT, 2, 4, "t_x_weeks",
              "t_x_weeks must be a finite number >= 0, found -2");
    /* the old unit must agree with T's when it is the one read */
    CHECK(!read_text("customer_id,frequency,recency_days,T_weeks\na,1,2,3\n", &err));
    CHECK(err.code == CS_ECOLUMN && strstr(err.message, "same unit"));
    /* pattern tables: recency is t_x; with both, t_x */
    cs_customers *c = read_text("frequency,recency,periods,weights\n3,5,6,10\n0,0,6,2\n", &err);
    CHECK(c && c->kind == CS_TABLE_PATTERNS && c->tx_old_name && c->obs[0].tx == 5);
    cs_customers_free(c);
    c = read_text("recency,frequency,t_x,periods\n9,3,5,6\n", &err);
    CHECK(c && c->kind == CS_TABLE_PATTERNS && !c->tx_old_name && c->obs[0].tx == 5 &&
          c->column[CS_COLUMN_RECENCY] == 3);
    cs_customers_free(c);
    CHECK(!read_text("frequency,recency,periods\n2,7,6\n", &err));
    check_err(&err, CS_EFORMAT, 2, 2, "recency", "recency 7 is greater than periods 6");
    /* a plain recency without periods is no table of ours (lifetimes'
     * summaries have frequency, recency, T) */
    const char *lt = "ID,frequency,recency,T\n";
    CHECK(cs_table_kind(lt, strlen(lt)) == CS_TABLE_OTHER);
}

/* A temporary file holding n bytes of text; the caller unlinks path. */
static void write_tmp(char *path, const char *text, size_t n)
{
    strcpy(path, "/tmp/custseg-src-XXXXXX");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    CHECK(write(fd, text, n) == (ssize_t)n);
    close(fd);
}

/* What a model was fitted on: the SHA-256 of the inputs (FIPS 180-4's
 * examples, and a million 'a's across many blocks), the quoted command
 * line, and a model file's round trip; a file without them reads. */
static void test_model_source(void)
{
    static const struct {
        const char *text, *sha;
    } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    struct cs_model_source s;
    cs_error err = {0};
    char path[64], path2[64];
    for (size_t k = 0; k < sizeof v / sizeof *v; k++) {
        write_tmp(path, v[k].text, strlen(v[k].text));
        const char *paths[1] = {path};
        memset(&s, 0, sizeof s);
        CHECK(cs_model_source_inputs(&s, paths, 1, &err) == CS_OK);
        CHECK(!strcmp(s.sha256, v[k].sha));
        CHECK(s.bytes == (long long)strlen(v[k].text) && s.files == 1 && !strcmp(s.input, path));
        unlink(path);
    }
    /* a million 'a's, and the same split over two files: one hash of both */
    char *big = malloc(1000000);
    CHECK(big != NULL);
    if (big) {
        memset(big, 'a', 1000000);
        write_tmp(path, big, 1000000);
        write_tmp(path2, big, 999999 - 65);
        const char *one[1] = {path};
        CHECK(cs_model_source_inputs(&s, one, 1, &err) == CS_OK);
        CHECK(!strcmp(s.sha256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
        unlink(path);
        write_tmp(path, big, 66);
        const char *two[2] = {path2, path};
        CHECK(cs_model_source_inputs(&s, two, 2, &err) == CS_OK);
        CHECK(!strcmp(s.sha256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
        CHECK(s.files == 2 && s.bytes == 1000000 && !strcmp(s.input, path2));
        unlink(path);
        unlink(path2);
        free(big);
    }
    /* standard input: no checksum; a missing file: an error naming it */
    CHECK(cs_model_source_inputs(&s, NULL, 0, &err) == CS_OK);
    CHECK(!strcmp(s.input, "-") && s.sha256[0] == '\0' && s.bytes == -1);
    const char *missing[1] = {"/nonexistent/x.csv"};
    CHECK(cs_model_source_inputs(&s, missing, 1, &err) == CS_EIO);
    CHECK(!strcmp(err.file, "/nonexistent/x.csv"));
    /* the command line, quoted for a shell */
    char *argv[] = {"custseg-clv", "fit", "--model=bgnbd", "a b.csv", "it's", ""};
    cs_model_source_command(&s, 6, argv);
    CHECK(!strcmp(s.command, "custseg-clv fit --model=bgnbd 'a b.csv' 'it'\\''s' ''"));
    CHECK(!strncmp(s.tool, "custseg ", 8));
    char longarg[3000];
    memset(longarg, 'x', sizeof longarg - 1);
    longarg[sizeof longarg - 1] = '\0';
    char *argv2[] = {"custseg-clv", longarg};
    cs_model_source_command(&s, 2, argv2);
    CHECK(strlen(s.command) == 1003 && !strcmp(s.command + 1000, "..."));
    /* a round trip through a model file, and a file without any of it */
    cs_model m = {.kind = cs_model_from_name("bgnbd"), .np = 4, .param = {0.24, 4.4, 0.79, 2.4},
                  .calibration_end = CS_DAY_NONE, .as_of = day(1998, 6, 30)};
    cs_model_source_command(&m.source, 6, argv);
    snprintf(m.source.input, sizeof m.source.input, "orders.csv");
    m.source.files = 1;
    m.source.bytes = 1234;
    snprintf(m.source.sha256, sizeof m.source.sha256, "%s", v[1].sha);
    char *text = NULL;
    CAPTURE(text, cs_model_save(&m, fp, &err));
    if (text) {
        write_tmp(path, text, strlen(text));
        free(text);
        cs_input *in = cs_input_open(path, &err);
        cs_model r;
        CHECK(in && cs_model_load(&r, in, &err) == CS_OK);
        cs_input_close(in);
        unlink(path);
        CHECK(!strcmp(r.source.command, m.source.command) && !strcmp(r.source.input, "orders.csv"));
        CHECK(r.source.files == 1 && r.source.bytes == 1234 && !strcmp(r.source.sha256, v[1].sha));
        CHECK(r.as_of == m.as_of && r.calibration_end == CS_DAY_NONE);
    }
    static const char old[] = "{\"format\": \"custseg-model\", \"version\": 1, \"model\": "
                              "\"bgnbd\", \"time_unit\": \"week\", \"params\": {\"r\": 0.24, "
                              "\"alpha\": 4.4, \"a\": 0.79, \"b\": 2.4}, \"input\": 7}";
    write_tmp(path, old, strlen(old));
    cs_input *in = cs_input_open(path, &err);
    cs_model r;
    CHECK(in && cs_model_load(&r, in, &err) == CS_OK);
    cs_input_close(in);
    unlink(path);
    CHECK(r.source.files == 0 && r.source.bytes == -1 && r.source.command[0] == '\0');
}

int main(void)
{
    gsl_set_error_handler_off();
    test_model_source();
    test_builder_customers();
    test_unit_matches();
    test_fit_and_predict();
    test_reports();
    test_read_tables();
    test_read_old_names();
    return check_exit(1); /* no real data needed */
}
