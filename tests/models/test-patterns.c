/* Pattern tables (cs_patterns): a fit on the combined pattern tables of
 * disjoint parts of the customers is the fit on all of them, bit for bit
 * (parameters, standard errors, covariance, log-likelihood, counts,
 * fingerprint, iterations), for BG/NBD, MBG/NBD, Pareto/NBD and
 * Gamma-Gamma; the table is the distinct observations with their counts,
 * sorted, and reads back exactly; pattern tables are refused where rows
 * must be customers. Customers drawn by cs_simulate, in whole days as a
 * summary has them. */
#include "custseg.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N 2400
#define PARTS 4

static cs_obs obs[N];
static double mon[N];
static size_t got;

static int take(void *ctx, long customer, double x, double tx, double T, double mean_value)
{
    (void)ctx, (void)customer;
    if (got == N)
        return 0;
    /* whole days in weeks, as custseg-summary computes them; values in cents */
    double txd = round(tx * 7), Td = round(T * 7);
    if (txd > Td)
        txd = Td;
    obs[got] = (cs_obs){.x = x, .tx = txd / 7, .T = Td / 7};
    mon[got] = x > 0 ? fmax(round(mean_value * 100), 1) / 100 : 0;
    got++;
    return 0;
}

/* Customers i of the whole with i % PARTS == part (part < 0: all), in an
 * order of their own (from the end), as a summary table. */
static cs_customers *customers(int part)
{
    cs_customers *c = calloc(1, sizeof *c);
    c->obs = malloc(N * sizeof *c->obs);
    c->monetary = malloc(N * sizeof *c->monetary);
    c->x_holdout = malloc(N * sizeof *c->x_holdout);
    c->weight = malloc(N * sizeof *c->weight);
    c->kind = CS_TABLE_SUMMARY;
    c->unit = CS_UNIT_WEEK;
    c->has_monetary = 1;
    c->duration_holdout = NAN;
    for (size_t k = 0; k < N; k++) {
        size_t i = part < 0 ? k : N - 1 - k;
        if (part >= 0 && (int)(i % PARTS) != part)
            continue;
        char id[16];
        int len = snprintf(id, sizeof id, "C%zu", i);
        cs_ids_push(&c->ids, id, (size_t)len);
        c->obs[c->n] = obs[i];
        c->monetary[c->n] = mon[i];
        c->x_holdout[c->n] = NAN;
        c->weight[c->n] = 1;
        c->n++;
    }
    return c;
}

static char dir[] = "/tmp/custseg-patterns-XXXXXX";

/* p written to a file and read back as a customer table. */
static cs_customers *round_trip(const cs_patterns *p, const char *name)
{
    char path[96];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    cs_error err = {0};
    CHECK(fp && cs_patterns_write(p, fp, 1, &err) == CS_OK);
    if (fp)
        fclose(fp);
    cs_input *in = cs_input_open(path, &err);
    cs_customers *c = in ? cs_customers_read(in, &err) : NULL;
    cs_input_close(in);
    if (!c)
        fprintf(stderr, "%s: %s\n", path, err.message);
    CHECK(c != NULL);
    unlink(path);
    return c;
}

static int same_fit(const cs_model *a, const cs_model *b)
{
    return a->kind == b->kind && a->np == b->np &&
           !memcmp(a->param, b->param, sizeof a->param) && !memcmp(a->se, b->se, sizeof a->se) &&
           !memcmp(a->cov, b->cov, sizeof a->cov) &&
           !memcmp(&a->log_likelihood, &b->log_likelihood, sizeof(double)) &&
           a->n_customers == b->n_customers && a->n_patterns == b->n_patterns &&
           a->iterations == b->iterations && a->converged == b->converged &&
           !strcmp(a->fingerprint, b->fingerprint) && !strcmp(a->note, b->note);
}

static void test_model(int kind)
{
    cs_error err = {0};
    cs_fit_options fo = {.threads = 2};
    cs_customers *all = customers(-1);
    cs_model whole, parts;
    CHECK(cs_customers_fit(all, kind, &fo, &whole, &err) == CS_OK);

    /* each part's table written and read back, combined in a tree:
     * (0 + 1) + (2 + 3), the second pair in the other order */
    cs_customers *t[PARTS];
    for (int k = 0; k < PARTS; k++) {
        cs_customers *c = customers(k);
        cs_patterns p;
        CHECK(cs_patterns_init(&p, kind, &err) == CS_OK);
        CHECK(cs_patterns_add(&p, c, &err) == CS_OK);
        CHECK(p.inputs == 1 && p.customers <= c->n);
        char name[16];
        snprintf(name, sizeof name, "p%d.csv", k);
        t[k] = round_trip(&p, name);
        cs_patterns_free(&p);
        cs_customers_free(c);
    }
    cs_patterns a, b, top;
    cs_patterns_init(&a, kind, &err);
    cs_patterns_init(&b, kind, &err);
    cs_patterns_init(&top, kind, &err);
    CHECK(cs_patterns_add(&a, t[0], &err) == CS_OK && cs_patterns_add(&a, t[1], &err) == CS_OK);
    CHECK(cs_patterns_add(&b, t[3], &err) == CS_OK && cs_patterns_add(&b, t[2], &err) == CS_OK);
    cs_customers *ta = round_trip(&a, "a.csv"), *tb = round_trip(&b, "b.csv");
    CHECK(cs_patterns_add(&top, ta, &err) == CS_OK && cs_patterns_add(&top, tb, &err) == CS_OK);
    cs_customers *table = round_trip(&top, "top.csv");

    /* the table: the distinct observations of the fit's data, counted, sorted */
    cs_dataset *d = cs_customers_dataset(all, kind, &err);
    CHECK(d && table && table->n == d->n && top.n == d->n && top.customers == d->total);
    int kind_ok = table && table->kind == cs_patterns_table_kind(kind);
    CHECK(kind_ok);
    for (size_t i = 0; d && table && kind_ok && i < d->n && i < table->n; i++) {
        cs_obs o = table->obs[i];
        if (kind == CS_MODEL_GG) /* x, and the mean value in its own column */
            o = (cs_obs){.x = o.x, .tx = table->monetary[i], .T = 0};
        CHECK(!memcmp(&o, &d->obs[i], sizeof o) && table->weight[i] == d->w[i]);
    }
    cs_dataset_free(d);

    CHECK(table && cs_customers_fit(table, kind, &fo, &parts, &err) == CS_OK);
    CHECK(same_fit(&whole, &parts));
    if (!same_fit(&whole, &parts))
        fprintf(stderr, "%s: LL %.17g on the customers, %.17g on the table\n",
                cs_model_name(kind), whole.log_likelihood, parts.log_likelihood);

    /* rows that are counts, not customers: no predictions, no validation */
    if (table && kind != CS_MODEL_GG) {
        CHECK(cs_customers_check(table, kind, CS_CHECK_CUSTOMERS, &err) == CS_EINVAL);
        CHECK(strstr(err.message, "pattern table") != NULL);
        CHECK(cs_customers_check(table, kind, 0, &err) == CS_OK);
        CHECK(cs_customers_check(all, kind, CS_CHECK_CUSTOMERS, &err) == CS_OK);
    }
    for (int k = 0; k < PARTS; k++)
        cs_customers_free(t[k]);
    cs_customers_free(ta), cs_customers_free(tb), cs_customers_free(table);
    cs_patterns_free(&a), cs_patterns_free(&b), cs_patterns_free(&top);
    cs_customers_free(all);
}

/* Values that need 16 or 17 digits read back as themselves; another
 * unit is refused, not converted; a kind without a table is refused. */
static void test_table_rules(void)
{
    cs_error err = {0};
    cs_patterns p;
    CHECK(cs_patterns_init(&p, CS_MODEL_SBG, &err) == CS_EINVAL);
    CHECK(cs_patterns_init(&p, CS_MODEL_NBD, &err) == CS_EINVAL);
    CHECK(cs_patterns_table_kind(CS_MODEL_PNBD) == CS_TABLE_COUNTS);
    CHECK(cs_patterns_table_kind(CS_MODEL_GG) == CS_TABLE_SPEND_COUNTS);
    CHECK(cs_patterns_table_kind(CS_MODEL_BGBB) == CS_TABLE_PATTERNS);

    cs_obs o[3] = {{.x = 1, .tx = 1.0 / 7, .T = 0.1 + 0.2}, {.x = 2, .tx = 1e-7 / 3, .T = 2.0 / 3},
                   {.x = 0, .tx = 0, .T = 1e6 / 7}};
    double w[3] = {1, 1, 1}, m[3] = {NAN, NAN, NAN}, h[3] = {NAN, NAN, NAN};
    cs_customers c = {.n = 3, .kind = CS_TABLE_SUMMARY, .unit = CS_UNIT_MONTH, .obs = o,
                      .monetary = m, .x_holdout = h, .weight = w, .duration_holdout = NAN};
    CHECK(cs_patterns_init(&p, CS_MODEL_BGNBD, &err) == CS_OK);
    CHECK(cs_patterns_add(&p, &c, &err) == CS_OK && p.unit == CS_UNIT_MONTH);
    cs_customers *back = round_trip(&p, "exact.csv");
    CHECK(back && back->n == 3 && back->unit == CS_UNIT_MONTH && back->kind == CS_TABLE_COUNTS);
    /* sorted by x: 0, 1, 2 */
    for (size_t i = 0; back && i < 3; i++)
        CHECK(!memcmp(&back->obs[i], &o[(i + 2) % 3], sizeof *o) && back->weight[i] == 1);
    cs_customers_free(back);
    c.unit = CS_UNIT_WEEK;
    CHECK(cs_patterns_add(&p, &c, &err) == CS_EINVAL && strstr(err.message, "weeks") &&
          p.customers == 3);
    cs_patterns_free(&p);
}

int main(void)
{
    gsl_set_error_handler_off();
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    cs_sim_options so = {.kind = CS_MODEL_BGNBD, .param = {0.243, 4.414, 0.793, 2.426},
                         .spend = 1, .spend_param = {6.25, 3.74, 15.44}, .customers = N,
                         .unit = CS_UNIT_WEEK, .seed = 13, .start = 0, .acquisition_end = 84,
                         .end = 546};
    cs_error err = {0};
    CHECK(cs_simulate(&so, NULL, take, NULL, &err) == CS_OK && got == N);
    test_table_rules();
    const int kinds[] = {CS_MODEL_BGNBD, CS_MODEL_MBGNBD, CS_MODEL_PNBD, CS_MODEL_GG};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        test_model(kinds[k]);
    rmdir(dir);
    if (check_failures)
        fprintf(stderr, "%d checks failed\n", check_failures);
    return check_failures != 0;
}
