/* The per-customer summary: hand-made records, answers derived by hand. */
#include "custseg.h"
#include "helpers.h"
#include "test.h"

static cs_day D(int y, int m, int d)
{
    cs_day v;
    cs_day_from_ymd(y, m, d, &v);
    return v;
}

struct rec {
    const char *id;
    cs_day day;
    double amount;
};

static cs_summary *build(const struct rec *r, size_t n, cs_summary_options o, int threads)
{
    o.threads = threads;
    o.has_amount = 1;
    cs_builder *b = cs_builder_new(&o, NULL);
    for (size_t i = 0; i < n; i++) {
        cs_txn t = {r[i].id, strlen(r[i].id), r[i].day, (int64_t)(r[i].amount * 1e6)};
        cs_builder_add(b, &t, NULL);
    }
    return cs_builder_finish(b, NULL);
}

static const cs_summary_row *row(const cs_summary *s, const char *id)
{
    for (size_t i = 0; s && i < s->n; i++)
        if (s->rows[i].id_len == strlen(id) && !memcmp(s->rows[i].id, id, strlen(id)))
            return &s->rows[i];
    return NULL;
}

static const cs_summary_options plain = {.as_of = CS_DAY_NONE, .calibration_end = CS_DAY_NONE};

static void test_basics(void)
{
    /* A: two records on Jan 5 (one purchase day of 15), Feb 10 (12), Mar 20 (30):
     * 3 purchase days, x = 2, t_x = 75 days, repeat mean (12 + 30) / 2 = 21.
     * B: one record of 0.00: a purchase (a free order counts, as in CDNOW). */
    struct rec r[] = {{"A", D(2024, 1, 5), 10}, {"B", D(2024, 2, 1), 0},
                      {"A", D(2024, 1, 5), 5},  {"A", D(2024, 2, 10), 12},
                      {"A", D(2024, 3, 20), 30}};
    cs_summary *s = build(r, 5, plain, 1);
    const cs_summary_row *a = row(s, "A"), *b = row(s, "B");
    CHECK(s && s->n == 2 && a && b);
    CHECK(s->as_of == D(2024, 3, 20));
    CHECK(a->transactions == 4 && a->purchase_days == 3);
    CHECK(a->last - a->first == 75);
    CHECK(a->total_value == 57000000 && a->repeat_value == 42000000);
    CHECK(b->purchase_days == 1 && b->total_value == 0);
    CHECK(s->rows[0].id[0] == 'A'); /* sorted by id */
    cs_summary_free(s);
}

static void test_returns(void)
{
    /* C buys 20 on day 1; on day 2 buys 10 and returns 10 (net 0, with a return:
     * not a purchase day); on day 3 returns 5 (net -5: not a purchase day). */
    struct rec r[] = {{"C", D(2024, 1, 1), 20}, {"C", D(2024, 1, 2), 10},
                      {"C", D(2024, 1, 2), -10}, {"C", D(2024, 1, 3), -5}};
    cs_summary_options o = plain;
    cs_summary *s = build(r, 4, o, 1);
    const cs_summary_row *c = row(s, "C");
    CHECK(c && c->purchase_days == 1 && c->total_value == 15000000);
    CHECK(s->stats.negative == 2 && s->stats.cancelled_days == 2);
    cs_summary_free(s);
    o.returns = CS_RETURNS_DROP;
    s = build(r, 4, o, 1);
    c = row(s, "C");
    CHECK(c && c->purchase_days == 2 && c->total_value == 30000000);
    CHECK(s->stats.dropped_returns == 2);
    cs_summary_free(s);
    o.returns = CS_RETURNS_KEEP;
    s = build(r, 4, o, 1);
    c = row(s, "C");
    CHECK(c && c->purchase_days == 3 && c->repeat_value == -5000000);
    cs_summary_free(s);
    /* a customer with only returns has no purchase day: left out, counted */
    struct rec only[] = {{"X", D(2024, 1, 1), -3}, {"Y", D(2024, 1, 1), 1}};
    s = build(only, 2, plain, 1);
    CHECK(s && s->n == 1 && s->stats.no_purchase == 1);
    cs_summary_free(s);
}

static void test_periods(void)
{
    /* as-of 2024-03-31 leaves out the April record; calibration to Feb 29:
     * A has 2 calibration purchase days and 1 in the holdout; N starts in the
     * holdout and is left out. */
    struct rec r[] = {{"A", D(2024, 1, 5), 10}, {"A", D(2024, 2, 10), 12},
                      {"A", D(2024, 3, 20), 30}, {"N", D(2024, 3, 1), 9},
                      {"A", D(2024, 4, 2), 7}};
    cs_summary_options o = {.as_of = D(2024, 3, 31), .calibration_end = D(2024, 2, 29)};
    cs_summary *s = build(r, 5, o, 1);
    const cs_summary_row *a = row(s, "A");
    CHECK(s && s->n == 1 && a);
    CHECK(a->purchase_days == 2 && a->holdout_days == 1 && a->holdout_value == 30000000);
    CHECK(s->stats.after_as_of == 1 && s->stats.holdout_only == 1);
    cs_summary_free(s);
}

static int same_rows(const cs_summary *x, const cs_summary *y)
{
    if (!x || !y || x->n != y->n || x->as_of != y->as_of)
        return 0;
    for (size_t i = 0; i < x->n; i++) {
        const cs_summary_row *a = &x->rows[i], *b = &y->rows[i];
        if (a->id_len != b->id_len || memcmp(a->id, b->id, a->id_len) || a->first != b->first ||
            a->last != b->last || a->transactions != b->transactions ||
            a->purchase_days != b->purchase_days || a->total_value != b->total_value ||
            a->repeat_value != b->repeat_value || a->holdout_days != b->holdout_days ||
            a->holdout_value != b->holdout_value)
            return 0;
    }
    return 1;
}

enum { NR = 3000 };

static void make_log(struct rec *r, char ids[][8])
{
    /* 300 customers, 10 records each, in date order, one same-day pair, some
     * returns */
    for (int i = 0; i < NR; i++) {
        int c = (i * 7919) % 300;
        snprintf(ids[i], 8, "K%03d", c);
        r[i].id = ids[i];
        r[i].day = D(2024, 1, 1) + i / 10;
        r[i].amount = (i % 17 == 0) ? -4.5 : 1 + (i % 13);
    }
}

static void test_order_threads_partials(void)
{
    static struct rec r[NR], rev[NR];
    static char ids[NR][8];
    make_log(r, ids);
    cs_summary_options o = {.as_of = CS_DAY_NONE, .calibration_end = D(2024, 6, 1)};
    cs_summary *ref = build(r, NR, o, 1);
    cs_summary *th = build(r, NR, o, 4);
    CHECK(same_rows(ref, th)); /* shards change nothing */
    cs_summary_free(th);

    /* out of order: the builder says which customers need a second reading,
     * and the replay gives the sorted result exactly */
    for (int i = 0; i < NR; i++)
        rev[i] = r[NR - 1 - i];
    cs_summary_options oo = o;
    oo.has_amount = 1;
    cs_builder *b = cs_builder_new(&oo, NULL);
    for (int i = 0; i < NR; i++) {
        cs_txn t = {rev[i].id, strlen(rev[i].id), rev[i].day, (int64_t)(rev[i].amount * 1e6)};
        cs_builder_add(b, &t, NULL);
    }
    CHECK(cs_builder_unsorted(b) > 0);
    CHECK(cs_builder_replay_begin(b, NULL) == CS_OK);
    for (int i = 0; i < NR; i++) {
        cs_txn t = {rev[i].id, strlen(rev[i].id), rev[i].day, (int64_t)(rev[i].amount * 1e6)};
        cs_builder_add(b, &t, NULL);
    }
    cs_summary *re = cs_builder_finish(b, NULL);
    CHECK(same_rows(ref, re));
    cs_summary_free(re);

    /* partials: split by customer and by whole days, written, merged */
    for (int split = 0; split < 2; split++) {
        char path[2][64];
        for (int part = 0; part < 2; part++) {
            cs_builder *pb = cs_builder_new(&oo, NULL);
            for (int i = 0; i < NR; i++) {
                int mine = split == 0 ? (r[i].id[3] % 2 == part) : ((r[i].day % 2) == part);
                if (!mine)
                    continue;
                cs_txn t = {r[i].id, strlen(r[i].id), r[i].day, (int64_t)(r[i].amount * 1e6)};
                cs_builder_add(pb, &t, NULL);
            }
            snprintf(path[part], 64, "/tmp/custseg-part-XXXXXX");
            int fd = mkstemp(path[part]);
            FILE *fp = fdopen(fd, "w");
            CHECK(cs_builder_write_partial(pb, fp, NULL) == CS_OK);
            fclose(fp);
            cs_builder_free(pb);
        }
        cs_summary_options fresh = plain;
        cs_builder *mb = cs_builder_new(&fresh, NULL);
        for (int part = 1; part >= 0; part--) {
            cs_input *in = cs_input_open(path[part], NULL);
            CHECK(cs_builder_merge_partial(mb, in, NULL) == CS_OK);
            cs_input_close(in);
        }
        cs_summary *m = cs_builder_finish(mb, NULL);
        CHECK(same_rows(ref, m));
        cs_summary_free(m);
        if (split == 1) {
            /* the same part twice: the same customer-days in two parts */
            cs_builder *dup = cs_builder_new(&fresh, NULL);
            cs_error err = {0};
            for (int k = 0; k < 2; k++) {
                cs_input *in = cs_input_open(path[0], NULL);
                int rc = cs_builder_merge_partial(dup, in, &err);
                CHECK(k == 0 ? rc == CS_OK : rc == CS_EPARTIAL);
                cs_input_close(in);
            }
            CHECK(strstr(err.message, "two partial summaries") != NULL);
            cs_builder_free(dup);
        }
        unlink(path[0]);
        unlink(path[1]);
    }
    cs_summary_free(ref);
}

/* Partition files: the sink writes each to a temporary file. */
struct sink_files {
    char path[8][64];
};

static FILE *sink_open(void *ctx, uint32_t index, cs_error *err)
{
    (void)err;
    struct sink_files *f = ctx;
    snprintf(f->path[index], 64, "/tmp/custseg-pmap-XXXXXX");
    int fd = mkstemp(f->path[index]);
    return fd < 0 ? NULL : fdopen(fd, "w");
}

static int sink_close(void *ctx, uint32_t index, FILE *fp, cs_error *err)
{
    (void)ctx, (void)index, (void)err;
    return fclose(fp) == 0 ? CS_OK : CS_EIO;
}

static int same_row(const cs_summary_row *a, const cs_summary_row *b)
{
    return a && b && a->id_len == b->id_len && !memcmp(a->id, b->id, a->id_len) &&
           a->first == b->first && a->last == b->last && a->transactions == b->transactions &&
           a->purchase_days == b->purchase_days && a->total_value == b->total_value &&
           a->repeat_value == b->repeat_value && a->holdout_days == b->holdout_days &&
           a->holdout_transactions == b->holdout_transactions &&
           a->holdout_value == b->holdout_value;
}

/* Three map tasks (record i to task i mod 3, so one customer-day is in
 * several of them, and in reverse date order), five partitions, each
 * merged over the three tasks: the rows of one run over the whole log. */
static void test_partitions(void)
{
    /* FNV-1a 64's published test vectors */
    CHECK(cs_partition_hash("", 0) == 0xcbf29ce484222325ULL);
    CHECK(cs_partition_hash("a", 1) == 0xaf63dc4c8601ec8cULL);
    CHECK(cs_partition_hash("foobar", 6) == 0x85944171f73967e8ULL);
    CHECK(cs_partition_of("foobar", 6, 7) == 0x85944171f73967e8ULL % 7);
    CHECK(cs_partition_of("foobar", 6, 1) == 0);

    static struct rec r[NR];
    static char ids[NR][8];
    make_log(r, ids);
    const int returns[] = {CS_RETURNS_NET, CS_RETURNS_NET_CUSTOMER, CS_RETURNS_DROP};
    for (int ri = 0; ri < 3; ri++) {
        cs_summary_options o = {.as_of = D(2024, 10, 1), .calibration_end = D(2024, 6, 1),
                                .returns = returns[ri], .has_amount = 1};
        cs_summary *ref = build(r, NR, o, 1);
        struct sink_files files[3];
        for (int m = 0; m < 3; m++) {
            o.threads = m + 1;
            cs_builder *b = cs_builder_new(&o, NULL);
            CHECK(cs_builder_partition(b, 5, NULL) == CS_OK);
            for (int i = NR - 1; i >= 0; i--) {
                if (i % 3 != m)
                    continue;
                cs_txn t = {r[i].id, strlen(r[i].id), r[i].day, (int64_t)(r[i].amount * 1e6)};
                CHECK(cs_builder_add(b, &t, NULL) == CS_OK);
            }
            CHECK(cs_builder_unsorted(b) == 0); /* a map needs no second reading */
            cs_partition_sink sink = {sink_open, sink_close, &files[m]};
            CHECK(cs_builder_write_partitions(b, &sink, NULL, NULL) == CS_OK);
            cs_builder_free(b);
        }
        size_t rows = 0;
        for (int p = 0; p < 5; p++) {
            cs_summary_options fresh = plain;
            fresh.threads = 2;
            cs_builder *mb = cs_builder_new(&fresh, NULL);
            for (int m = 0; m < 3; m++) {
                cs_input *in = cs_input_open(files[m].path[p], NULL);
                CHECK(cs_builder_merge_partial(mb, in, NULL) == CS_OK);
                cs_input_close(in);
            }
            cs_summary *s = cs_builder_finish(mb, NULL);
            CHECK(s && s->as_of == ref->as_of);
            for (size_t i = 0; s && i < s->n; i++) {
                char id[16];
                snprintf(id, sizeof id, "%.*s", (int)s->rows[i].id_len, s->rows[i].id);
                CHECK(cs_partition_of(id, strlen(id), 5) == (uint32_t)p);
                CHECK(same_row(&s->rows[i], row(ref, id)));
            }
            rows += s ? s->n : 0;
            cs_summary_free(s);
        }
        CHECK_EQ_INT(rows, ref->n);
        /* partitions 0 and 1 do not merge */
        cs_builder *mb = cs_builder_new(&plain, NULL);
        cs_error err = {0};
        for (int p = 0; p < 2; p++) {
            cs_input *in = cs_input_open(files[0].path[p], NULL);
            CHECK(cs_builder_merge_partial(mb, in, &err) == (p == 0 ? CS_OK : CS_EPARTIAL));
            cs_input_close(in);
        }
        CHECK(strstr(err.message, "merge the files of one partition") != NULL);
        cs_builder_free(mb);
        for (int m = 0; m < 3; m++)
            for (int p = 0; p < 5; p++)
                unlink(files[m].path[p]);
        cs_summary_free(ref);
    }
    /* a map is written, not finished */
    cs_builder *b = cs_builder_new(&plain, NULL);
    CHECK(cs_builder_partition(b, 0, NULL) == CS_EINVAL);
    CHECK(cs_builder_partition(b, 3, NULL) == CS_OK);
    cs_txn t = {"A", 1, D(2024, 1, 1), 1000000};
    cs_builder_add(b, &t, NULL);
    CHECK(cs_builder_finish(b, NULL) == NULL);
}

/* Repeat purchase days per day (the report's tracking chart), by hand:
 * A buys on Jan 5 (first), Jan 5 again (same day), Jan 9 (a return nets it
 * to -2: not a purchase day), Jan 12 and, in the holdout, Feb 3; B buys
 * once on Jan 9; N first buys in the holdout (Feb 3 and Feb 4: left out of
 * the summary, so none of its days count). */
static void test_repeat_days(void)
{
    struct rec r[] = {{"A", D(2024, 1, 5), 10}, {"A", D(2024, 1, 5), 5}, {"B", D(2024, 1, 9), 4},
                      {"A", D(2024, 1, 9), 3},  {"A", D(2024, 1, 9), -5}, {"A", D(2024, 1, 12), 8},
                      {"A", D(2024, 2, 3), 6},  {"N", D(2024, 2, 3), 6},  {"N", D(2024, 2, 4), 6}};
    size_t nr = sizeof r / sizeof r[0];
    for (int threads = 1; threads <= 2; threads++) {
        cs_summary_options o = {.as_of = D(2024, 2, 29), .calibration_end = D(2024, 1, 31),
                                .has_amount = 1, .threads = threads};
        cs_builder *b = cs_builder_new(&o, NULL);
        CHECK(cs_builder_track_days(b, NULL) == CS_OK);
        for (size_t i = 0; i < nr; i++) {
            cs_txn t = {r[i].id, strlen(r[i].id), r[i].day, (int64_t)(r[i].amount * 1e6)};
            cs_builder_add(b, &t, NULL);
        }
        cs_day first;
        size_t n;
        uint32_t *v;
        CHECK(cs_builder_repeat_days(b, &first, &n, &v, NULL) == CS_OK);
        CHECK(first == D(2024, 1, 12) && n == (size_t)(D(2024, 2, 3) - D(2024, 1, 12)) + 1);
        uint32_t sum = 0;
        for (size_t i = 0; v && i < n; i++)
            sum += v[i];
        CHECK(sum == 2 && v && v[0] == 1 && v[n - 1] == 1);
        free(v);
        cs_summary *s = cs_builder_finish(b, NULL);
        const cs_summary_row *a = row(s, "A");
        /* the counts agree with the summary: repeat days + holdout days */
        CHECK(a && a->purchase_days - 1 + a->holdout_days == 2);
        cs_summary_free(s);
    }
    /* a customer out of date order: the counts would not be exact */
    cs_summary_options o = plain;
    o.has_amount = 1;
    cs_builder *b = cs_builder_new(&o, NULL);
    CHECK(cs_builder_track_days(b, NULL) == CS_OK);
    struct rec u[] = {{"A", D(2024, 1, 5), 1}, {"A", D(2024, 1, 9), 1}, {"A", D(2024, 1, 7), 1}};
    for (size_t i = 0; i < 3; i++) {
        cs_txn t = {u[i].id, 1, u[i].day, 1000000};
        cs_builder_add(b, &t, NULL);
    }
    cs_day first;
    size_t n;
    uint32_t *v;
    cs_error err = {0};
    CHECK(cs_builder_repeat_days(b, &first, &n, &v, &err) == CS_EORDER && v == NULL);
    CHECK(strstr(err.message, "out of date order") != NULL);
    cs_builder_free(b);
    /* days are tracked before records only, and must be tracked to ask */
    b = cs_builder_new(&o, NULL);
    CHECK(cs_builder_repeat_days(b, &first, &n, &v, NULL) == CS_EINVAL);
    cs_txn t = {"A", 1, D(2024, 1, 5), 1000000};
    cs_builder_add(b, &t, NULL);
    CHECK(cs_builder_track_days(b, NULL) == CS_EINVAL);
    cs_builder_free(b);
}

/* cs_builder_track_nth: the day of the 3rd purchase day. A: Jan 5, Feb 1
 * (a return nets the day to -5: not a purchase day), Feb 3, Feb 10, Mar 1:
 * the 3rd is Feb 10. B out of date order (Mar 3, Jan 2, Feb 2): replayed,
 * its 3rd is Mar 3. C: two days, none. With a calibration end of Feb 5 A
 * has two calibration days: none. */
static void test_nth(void)
{
    struct rec r[] = {{"A", D(2024, 1, 5), 10}, {"B", D(2024, 3, 3), 1},  {"A", D(2024, 2, 1), 5},
                      {"A", D(2024, 2, 1), -10}, {"B", D(2024, 1, 2), 1}, {"A", D(2024, 2, 3), 4},
                      {"C", D(2024, 1, 1), 1},   {"A", D(2024, 2, 10), 3}, {"B", D(2024, 2, 2), 1},
                      {"C", D(2024, 1, 9), 1},   {"A", D(2024, 3, 1), 3}};
    size_t nr = sizeof r / sizeof r[0];
    for (int threads = 1; threads <= 2; threads++)
        for (int cal = 0; cal <= 1; cal++) {
            cs_summary_options o = {.as_of = D(2024, 3, 31),
                                    .calibration_end = cal ? D(2024, 2, 5) : CS_DAY_NONE,
                                    .has_amount = 1, .threads = threads};
            cs_builder *b = cs_builder_new(&o, NULL);
            CHECK(cs_builder_track_nth(b, 3, NULL) == CS_OK);
            for (int pass = 0; pass < 2; pass++) {
                for (size_t i = 0; i < nr; i++) {
                    cs_txn t = {r[i].id, strlen(r[i].id), r[i].day, (int64_t)(r[i].amount * 1e6)};
                    cs_builder_add(b, &t, NULL);
                }
                if (pass == 0) {
                    CHECK(cs_builder_unsorted(b) == 1);
                    CHECK(cs_builder_replay_begin(b, NULL) == CS_OK);
                }
            }
            cs_summary *s = cs_builder_finish(b, NULL);
            const cs_summary_row *a = row(s, "A"), *bb = row(s, "B"), *c = row(s, "C");
            CHECK(a && bb && c);
            if (!a || !bb || !c)
                continue;
            CHECK(a->nth_day == (cal ? CS_DAY_NONE : D(2024, 2, 10)));
            CHECK(bb->nth_day == (cal ? CS_DAY_NONE : D(2024, 3, 3)));
            CHECK(c->nth_day == CS_DAY_NONE);
            cs_summary_free(s);
        }
    /* without tracking, and after the first record: refused */
    cs_summary *s = build(r, 1, plain, 1);
    CHECK(s && s->rows[0].nth_day == CS_DAY_NONE);
    cs_summary_free(s);
    cs_builder *b = cs_builder_new(&plain, NULL);
    CHECK(cs_builder_track_nth(b, 0, NULL) == CS_EINVAL);
    cs_txn t = {"A", 1, D(2024, 1, 5), 1000000};
    cs_builder_add(b, &t, NULL);
    CHECK(cs_builder_track_nth(b, 2, NULL) == CS_EINVAL);
    cs_builder_free(b);
}

int main(void)
{
    test_nth();
    test_basics();
    test_returns();
    test_periods();
    test_order_threads_partials();
    test_repeat_days();
    test_partitions();
    return test_result("builder");
}
