/* Splitting input into records: delimiters, quoting (libcsv), line ends,
 * limits, and gzip. */
#include "custseg.h"
#include "helpers.h"
#include "test.h"

#include <zlib.h>

struct got {
    int n;
    char fields[16][8][64];
    int nf[16];
    long line[16];
    int errors;
    long err_line[4];
};

static void read_all(const char *path, int delim, struct got *g)
{
    memset(g, 0, sizeof *g);
    cs_input *in = cs_input_open(path, NULL);
    cs_records *r = cs_records_new(in, delim, NULL);
    cs_record rec;
    cs_error err;
    int rc;
    while ((rc = cs_records_next(r, &rec, &err)) != 0 && g->n < 16) {
        if (rc < 0) {
            if (g->errors < 4)
                g->err_line[g->errors] = err.line;
            g->errors++;
            if (rc != CS_EFORMAT)
                break;
            continue;
        }
        g->nf[g->n] = (int)rec.nfields;
        g->line[g->n] = rec.line;
        for (size_t i = 0; i < rec.nfields && i < 8; i++)
            snprintf(g->fields[g->n][i], 64, "%.*s", (int)(rec.len[i] < 63 ? rec.len[i] : 63),
                     rec.field[i]);
        g->n++;
    }
    cs_records_free(r);
    cs_input_close(in);
    unlink(path);
}

static void test_delimiters(void)
{
    struct got g;
    read_all(tmpfile_str("a,b,c\n1,2,3\n"), CS_DELIM_AUTO, &g);
    CHECK(g.n == 2 && g.nf[1] == 3 && !strcmp(g.fields[1][2], "3"));
    read_all(tmpfile_str("a\tb,x\tc\n"), CS_DELIM_AUTO, &g); /* tab wins over comma */
    CHECK(g.n == 1 && g.nf[0] == 3 && !strcmp(g.fields[0][1], "b,x"));
    read_all(tmpfile_str("a;b;c\n"), CS_DELIM_AUTO, &g);
    CHECK(g.nf[0] == 3);
    read_all(tmpfile_str(" 00004 0001   19970101  2   29.33\r\n   00005 0002 19970102 1 1\n"),
             CS_DELIM_AUTO, &g);
    CHECK(g.n == 2 && g.nf[0] == 5 && !strcmp(g.fields[0][0], "00004") &&
          !strcmp(g.fields[0][4], "29.33") && g.nf[1] == 5);
    read_all(tmpfile_str("a|b\n"), '|', &g);
    CHECK(g.nf[0] == 2);
}

static void test_lines(void)
{
    struct got g;
    read_all(tmpfile_str("\xEF\xBB\xBFid,x\r\n\r\n1,2\r\n\n3,4"), CS_DELIM_AUTO, &g);
    CHECK(g.n == 3 && !strcmp(g.fields[0][0], "id") && !strcmp(g.fields[2][1], "4"));
    CHECK(g.line[1] == 3 && g.line[2] == 5); /* blank lines skipped, still counted */
}

static void test_quotes(void)
{
    struct got g;
    read_all(tmpfile_str("id,text,n\n\"a,b\",\"say \"\"hi\"\"\",1\n\"multi\nline\",x,2\nlast,y,3\n"),
             CS_DELIM_AUTO, &g);
    CHECK(g.n == 4);
    CHECK(!strcmp(g.fields[1][0], "a,b") && !strcmp(g.fields[1][1], "say \"hi\""));
    CHECK(!strcmp(g.fields[2][0], "multi\nline") && g.line[2] == 3);
    CHECK(g.line[3] == 5 && !strcmp(g.fields[3][0], "last"));
    read_all(tmpfile_str("a,b\n1,\"open\n2,3\n"), CS_DELIM_AUTO, &g);
    CHECK(g.errors == 1 && g.err_line[0] == 2 && g.n == 1); /* unterminated quote */
    read_all(tmpfile_str("a,b\nx,y\"z\n1,2\n"), CS_DELIM_AUTO, &g);
    CHECK(g.errors == 1 && g.err_line[0] == 2 && g.n == 2 && !strcmp(g.fields[1][0], "1"));
    read_all(tmpfile_str("a b\n\"x y\" z\n"), CS_DELIM_WHITESPACE, &g); /* no quoting */
    CHECK(g.n == 2 && g.nf[1] == 3 && !strcmp(g.fields[1][0], "\"x"));
}

static void test_limits(void)
{
    struct got g;
    static char big[70000 + 64];
    memset(big, 'x', sizeof big);
    memcpy(big, "a,b\n", 4);
    memcpy(big + 4 + 65536, ",1\n", 3); /* a field of exactly 65536 bytes */
    read_all(tmpfile_with(big, 4 + 65536 + 3), CS_DELIM_AUTO, &g);
    CHECK(g.n == 2 && g.errors == 0);
    memcpy(big + 4 + 65537, ",1\n", 3);
    big[4 + 65536] = 'x';
    read_all(tmpfile_with(big, 4 + 65537 + 3), CS_DELIM_AUTO, &g);
    CHECK(g.n == 1 && g.errors == 1);
    read_all(tmpfile_with("a,b\nx\0y,1\n2,3\n", 14), CS_DELIM_AUTO, &g);
    CHECK(g.errors == 1 && g.err_line[0] == 2 && g.n == 2); /* NUL: reported, then go on */
}

static void test_buffer_boundaries(void)
{
    /* 3 MB of records: they cross the 1 MiB buffer boundaries; all read, in order */
    size_t n = 100000;
    char *s = malloc(n * 40);
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(s + o, "C%07zu,2024-01-%02zu,%zu.25\n", i, i % 28 + 1, i);
    const char *p = tmpfile_with(s, o);
    cs_input *in = cs_input_open(p, NULL);
    cs_records *r = cs_records_new(in, ',', NULL);
    cs_record rec;
    size_t k = 0, bad = 0;
    while (cs_records_next(r, &rec, NULL) == 1) {
        char want[16];
        snprintf(want, sizeof want, "C%07zu", k);
        bad += rec.nfields != 3 || rec.len[0] != 8 || memcmp(rec.field[0], want, 8) != 0 ||
               rec.line != (long)k + 1;
        k++;
    }
    CHECK(k == n && bad == 0);
    cs_records_free(r);
    cs_input_close(in);

    /* the same bytes gzipped, in two members, read identically */
    char gz[64];
    snprintf(gz, sizeof gz, "%s.gz", p);
    for (int member = 0; member < 2; member++) {
        gzFile z = gzopen(gz, member ? "ab" : "wb");
        gzwrite(z, s + (member ? o / 2 : 0), (unsigned)(member ? o - o / 2 : o / 2));
        gzclose(z);
    }
    in = cs_input_open(gz, NULL);
    CHECK(cs_input_is_gzip(in));
    size_t total = 0;
    char buf[65536];
    ssize_t got;
    int same = 1;
    while ((got = cs_input_read(in, buf, sizeof buf, NULL)) > 0) {
        same &= memcmp(buf, s + total, (size_t)got) == 0;
        total += (size_t)got;
    }
    CHECK(got == 0 && total == o && same);
    cs_input_close(in);

    /* truncated: an error, not a short read */
    FILE *fp = fopen(gz, "rb");
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    rewind(fp);
    char *zb = malloc((size_t)len);
    fread(zb, 1, (size_t)len, fp);
    fclose(fp);
    const char *tp = tmpfile_with(zb, (size_t)len / 3);
    in = cs_input_open(tp, NULL);
    cs_error err = {0};
    while ((got = cs_input_read(in, buf, sizeof buf, &err)) > 0)
        ;
    CHECK(got == CS_EGZIP && strstr(err.message, "truncated"));
    cs_input_close(in);
    unlink(tp);
    /* garbage after a member */
    memcpy(zb + len - 1, "", 0);
    char *zg = malloc((size_t)len + 5);
    memcpy(zg, zb, (size_t)len);
    memcpy(zg + len, "junk!", 5);
    tp = tmpfile_with(zg, (size_t)len + 5);
    in = cs_input_open(tp, NULL);
    while ((got = cs_input_read(in, buf, sizeof buf, &err)) > 0)
        ;
    CHECK(got == CS_EGZIP && strstr(err.message, "trailing garbage"));
    cs_input_close(in);
    unlink(tp);
    unlink(gz);
    unlink(p);
    free(zb);
    free(zg);
    free(s);
}

static void test_unread(void)
{
    const char *p = tmpfile_str("customer_id,frequency\nx,1\n");
    cs_input *in = cs_input_open(p, NULL);
    char buf[8];
    CHECK(cs_input_read(in, buf, 8, NULL) == 8);
    CHECK(cs_input_unread(in, buf, 8, NULL) == CS_OK);
    cs_records *r = cs_records_new(in, CS_DELIM_AUTO, NULL);
    cs_record rec;
    CHECK(cs_records_next(r, &rec, NULL) == 1 && rec.nfields == 2 &&
          rec.len[0] == 11 && !memcmp(rec.field[0], "customer_id", 11));
    cs_records_free(r);
    cs_input_close(in);
    unlink(p);
}

/* Quoted records whose fields are all empty: libcsv hands over no bytes, so
 * there is no field store yet (UBSan once saw arithmetic on NULL here). */
static void test_empty_quoted(void)
{
    static const char *const inputs[] = {"\"\",\"\"\n\"\"\n\"\",x\n", "\"\"\n", "\"\",\"\"",
                                         "\"\"\r\n\"\",\"\",\"\"\r\n"};
    static const int nrec[] = {3, 1, 1, 2};
    static const int nf[][3] = {{2, 1, 2}, {1}, {2}, {1, 3}};
    for (size_t k = 0; k < sizeof inputs / sizeof *inputs; k++) {
        const char *p = tmpfile_str(inputs[k]);
        cs_input *in = cs_input_open(p, NULL);
        cs_records *r = cs_records_new(in, ',', NULL);
        cs_record rec;
        int n = 0;
        while (cs_records_next(r, &rec, NULL) == 1 && n < 3) {
            CHECK_EQ_INT(rec.nfields, nf[k][n]);
            for (size_t i = 0; i < rec.nfields; i++) {
                int last = k == 0 && n == 2 && i == 1; /* the "x" */
                CHECK(rec.field[i] != NULL);
                CHECK_EQ_INT(rec.len[i], last ? 1 : 0);
                if (last)
                    CHECK(rec.field[i][0] == 'x');
            }
            n++;
        }
        CHECK_EQ_INT(n, nrec[k]);
        cs_records_free(r);
        cs_input_close(in);
        unlink(p);
    }
}

int main(void)
{
    test_delimiters();
    test_lines();
    test_quotes();
    test_limits();
    test_buffer_boundaries();
    test_unread();
    test_empty_quoted();
    return test_result("records");
}
