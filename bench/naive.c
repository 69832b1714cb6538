/* The bare baseline: libcsv callbacks and a hash table, aggregating per
 * customer the record count, first and last date (as text) and the sum of
 * amounts. No validation, no threads: what a quick C program would do. With
 * -m it splits lines with memchr instead of libcsv. Prints the number of
 * customers and the total, so that outputs can be cross-checked. */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cust {
    char id[16];
    char first[11], last[11];
    long n;
    double sum;
};

static struct cust *tab;
static size_t cap = 1u << 22, count;

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

static void add(const char *id, size_t idn, const char *date, size_t dn, double amount)
{
    if (idn > 15 || dn != 10)
        return;
    size_t j = hash(id, idn) & (cap - 1);
    while (tab[j].id[0] && (strncmp(tab[j].id, id, idn) || tab[j].id[idn]))
        j = (j + 1) & (cap - 1);
    struct cust *c = &tab[j];
    if (!c->id[0]) {
        memcpy(c->id, id, idn);
        memcpy(c->first, date, 10);
        memcpy(c->last, date, 10);
        count++;
    }
    if (memcmp(date, c->first, 10) < 0)
        memcpy(c->first, date, 10);
    if (memcmp(date, c->last, 10) > 0)
        memcpy(c->last, date, 10);
    c->n++;
    c->sum += amount;
}

/* libcsv state for one record */
static char f_id[64], f_date[64], f_amt[64];
static size_t n_id, n_date, field;
static long records;

static void cb_field(void *s, size_t n, void *ctx)
{
    (void)ctx;
    char *dst = field == 0 ? f_id : field == 2 ? f_date : field == 3 ? f_amt : NULL;
    if (dst && n < 63) {
        memcpy(dst, s, n);
        dst[n] = '\0';
        if (field == 0)
            n_id = n;
        if (field == 2)
            n_date = n;
    }
    field++;
}

static void cb_record(int c, void *ctx)
{
    (void)c;
    (void)ctx;
    if (records++ > 0) /* the header */
        add(f_id, n_id, f_date, n_date, atof(f_amt));
    field = 0;
}

int main(int argc, char **argv)
{
    int use_memchr = argc > 2 && !strcmp(argv[1], "-m");
    const char *path = argv[argc - 1];
    FILE *fp = fopen(path, "rb");
    if (argc < 2 || !fp) {
        fprintf(stderr, "usage: naive [-m] FILE\n");
        return 2;
    }
    tab = calloc(cap, sizeof *tab);
    static char buf[1 << 20];
    size_t n, keep = 0;
    if (!use_memchr) {
        struct csv_parser p;
        csv_init(&p, 0);
        while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
            csv_parse(&p, buf, n, cb_field, cb_record, NULL);
        csv_fini(&p, cb_field, cb_record, NULL);
        csv_free(&p);
    } else {
        while ((n = fread(buf + keep, 1, sizeof buf - keep, fp)) > 0) {
            char *s = buf, *e = buf + keep + n, *nl;
            while ((nl = memchr(s, '\n', (size_t)(e - s)))) {
                const char *c1 = memchr(s, ',', (size_t)(nl - s));
                const char *c2 = c1 ? memchr(c1 + 1, ',', (size_t)(nl - c1 - 1)) : NULL;
                const char *c3 = c2 ? memchr(c2 + 1, ',', (size_t)(nl - c2 - 1)) : NULL;
                if (c3 && records++ > 0)
                    add(s, (size_t)(c1 - s), c2 + 1, (size_t)(c3 - c2 - 1), atof(c3 + 1));
                else if (!c3)
                    records++;
                s = nl + 1;
            }
            keep = (size_t)(e - s);
            memmove(buf, s, keep);
        }
    }
    fclose(fp);
    double total = 0;
    for (size_t i = 0; i < cap; i++)
        total += tab[i].sum;
    printf("customers %zu records %ld total %.2f\n", count, records - 1, total);
    return 0;
}
