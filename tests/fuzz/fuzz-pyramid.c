/* Fuzz target for saved pyramids (cs_pyramid_tiers_read: custseg-pyramid
 * --before, an earlier custseg-pyramid output), read with the tier names
 * of the curry and the zeithaml schemes.
 *
 * Checks: no crash, leak or undefined behaviour; a refusal has a message;
 * every row accepted has a non-empty UTF-8 id and a tier of the scheme;
 * the tiers written as a CSV table (cs_writer) and read back are the same
 * rows; a migration from the saved tiers to the same customers in the same
 * tiers loses nobody, counts every customer once and, when the ids are
 * distinct (nobody is New), moves nobody up or down. */
#include "fuzz.h"

static cs_pyramid_tiers *read_tiers(const void *data, size_t size, const cs_pyramid *p,
                                    cs_error *err)
{
    int fd;
    cs_input *in = fuzz_input(data, size, &fd, err);
    if (!in)
        return NULL;
    cs_pyramid_tiers *t = cs_pyramid_tiers_read(in, p, err);
    fuzz_close(in, fd);
    return t;
}

static void check(const cs_pyramid *p, const cs_pyramid_tiers *t)
{
    if (t->ids.n != t->n)
        abort();
    for (size_t i = 0; i < t->n; i++) {
        size_t len;
        cs_ids_get(&t->ids, i, &len);
        if (len == 0 || t->tier[i] < 0 || t->tier[i] >= p->ntiers)
            abort();
    }
}

static void round_trip(const cs_pyramid *p, const cs_pyramid_tiers *t)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    const char *names[] = {"customer_id", "tier"};
    cs_error err = {0};
    cs_writer *w = fp ? cs_writer_new(fp, CS_FORMAT_CSV, 1, names, 2, &err) : NULL;
    if (!w)
        abort();
    for (size_t i = 0; i < t->n; i++) {
        size_t n;
        const char *id = cs_ids_get(&t->ids, i, &n);
        cs_writer_str(w, id, n);
        cs_writer_str(w, p->names[t->tier[i]], strlen(p->names[t->tier[i]]));
        cs_writer_end_row(w);
    }
    if (cs_writer_finish(w, &err) != CS_OK)
        abort();
    cs_writer_free(w);
    fclose(fp);
    cs_pyramid_tiers *u = read_tiers(text, len, p, &err);
    if (!u)
        abort(); /* what we wrote must read back */
    if (u->n != t->n)
        abort();
    for (size_t i = 0; i < t->n; i++) {
        size_t l1, l2;
        const char *a = cs_ids_get(&t->ids, i, &l1), *b = cs_ids_get(&u->ids, i, &l2);
        if (l1 != l2 || memcmp(a, b, l1) != 0 || t->tier[i] != u->tier[i])
            abort();
    }
    cs_pyramid_tiers_free(u);
    free(text);
}

static void migrate_to_self(const cs_pyramid *p, const cs_pyramid_tiers *t)
{
    cs_values now = {.n = t->n, .ids = t->ids};
    cs_pyramid_migration m;
    cs_error err = {0};
    if (cs_pyramid_migrate_before(&m, p, t, &now, t->tier, &err) != CS_OK)
        abort();
    size_t total = 0;
    for (int i = 0; i < (m.ntiers + 1) * (m.ntiers + 1); i++)
        total += m.customers[i];
    if (m.lost != 0 || total != t->n)
        abort();
    /* nobody new: the ids are distinct, so each stays in its tier */
    if (m.new_customers == 0 && (m.up != 0 || m.down != 0 || m.stay != t->n))
        abort();
    cs_pyramid_migration_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const int schemes[] = {CS_PYR_CURRY, CS_PYR_ZEITHAML};
    for (int k = 0; k < 2; k++) {
        cs_pyramid p;
        cs_error err = {0};
        if (cs_pyramid_init(&p, schemes[k], NULL, 0, &err) != CS_OK)
            abort();
        cs_pyramid_tiers *t = read_tiers(data, size, &p, &err);
        if (!t) {
            fuzz_failed(err.code ? err.code : -1, &err);
            continue;
        }
        check(&p, t);
        round_trip(&p, t);
        migrate_to_self(&p, t);
        cs_pyramid_tiers_free(t);
    }
    return 0;
}
