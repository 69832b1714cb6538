/* Table output: quoting and escaping, and numbers that ignore the locale. */
#include "custseg.h"
#include "helpers.h"
#include "test.h"

#include <dirent.h>
#include <locale.h>
#include <sys/stat.h>
#include <zlib.h>

static void render(int format, char *out, size_t cap)
{
    FILE *fp = fmemopen(out, cap, "w");
    const char *names[] = {"id", "x", "when"};
    cs_writer *w = cs_writer_new(fp, format, 1, names, 3, NULL);
    cs_writer_str(w, "a,\"b\"\n", 6);
    cs_writer_real(w, 0.1);
    cs_writer_date(w, 0);
    cs_writer_end_row(w);
    cs_writer_str(w, " lead\tx\\", 8);
    cs_writer_real(w, 1.0 / 3);
    cs_writer_null(w);
    cs_writer_end_row(w);
    cs_writer_finish(w, NULL);
    cs_writer_free(w);
    fclose(fp);
}

static void test_formats(void)
{
    char b[512];
    render(CS_FORMAT_CSV, b, sizeof b);
    CHECK_EQ_STR(b, "id,x,when\n\"a,\"\"b\"\"\n\",0.1,1970-01-01\n\" lead\tx\\\",0.333333333333,\n");
    render(CS_FORMAT_TSV, b, sizeof b);
    CHECK_EQ_STR(b, "id\tx\twhen\na,\"b\"\\n\t0.1\t1970-01-01\n lead\\tx\\\\\t0.333333333333\t\n");
    render(CS_FORMAT_JSONL, b, sizeof b);
    CHECK_EQ_STR(b, "{\"id\":\"a,\\\"b\\\"\\n\",\"x\":0.1,\"when\":\"1970-01-01\"}\n"
                    "{\"id\":\" lead\\tx\\\\\",\"x\":0.333333333333,\"when\":null}\n");
}

static void test_locale(void)
{
    char c[512], de[512];
    render(CS_FORMAT_CSV, c, sizeof c);
    if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
        printf("no de_DE.UTF-8 locale: locale check skipped\n");
        return;
    }
    render(CS_FORMAT_CSV, de, sizeof de);
    setlocale(LC_ALL, "C");
    CHECK_EQ_STR(de, c);
}

static int count_entries(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)))
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    if (d)
        closedir(d);
    return n;
}

static void test_outfile(void)
{
    char dir[] = "/tmp/custseg-out-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/result.csv", dir);
    /* what a killed run left (a process id no process has) goes, a running
     * one's (ours) stays */
    char stale[160], live[160];
    snprintf(stale, sizeof stale, "%s/result.csv.custseg-tmp-999999999-abcdef", dir);
    snprintf(live, sizeof live, "%s/result.csv.custseg-tmp-%ld-ghijkl", dir, (long)getpid());
    fclose(fopen(stale, "w"));
    fclose(fopen(live, "w"));
    cs_outfile *f = cs_outfile_open(path, NULL);
    fputs("hello\n", cs_outfile_fp(f));
    CHECK(access(stale, F_OK) != 0 && access(live, F_OK) == 0);
    unlink(live);
    /* not there until committed; the temporary is visible and named */
    CHECK(count_entries(dir, "result.csv.custseg-tmp-") == 1);
    CHECK(count_entries(dir, "result.csv") == 1);
    CHECK(cs_outfile_commit(f, NULL) == CS_OK);
    CHECK(count_entries(dir, "result.csv") == 1 && count_entries(dir, "result.csv.") == 0 &&
          count_entries(dir, ".") == 2);
    f = cs_outfile_open(path, NULL);
    fputs("half", cs_outfile_fp(f));
    cs_outfile_abort(f);
    FILE *fp = fopen(path, "r");
    char buf[16] = "";
    fgets(buf, sizeof buf, fp);
    fclose(fp);
    CHECK_EQ_STR(buf, "hello\n"); /* the old file is untouched */
    CHECK(count_entries(dir, "result.csv.") == 0); /* and no temporary file is left */
    unlink(path);
    rmdir(dir);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (st.st_mode & 07777) : (mode_t)-1;
}

static int write_through(const char *path, const char *text)
{
    cs_outfile *f = cs_outfile_open(path, NULL);
    if (!f)
        return -1;
    fputs(text, cs_outfile_fp(f));
    return cs_outfile_commit(f, NULL);
}

static void test_outfile_links_modes(void)
{
    char dir[] = "/tmp/custseg-mode-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char real[128], link[128], sub[128], rel[128], made[128], dang[128], l1[128], l2[128];
    snprintf(real, sizeof real, "%s/real.csv", dir);
    snprintf(link, sizeof link, "%s/link.csv", dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(rel, sizeof rel, "%s/sub/rel.csv", dir);
    snprintf(made, sizeof made, "%s/made.csv", dir);
    snprintf(dang, sizeof dang, "%s/dangling.csv", dir);
    snprintf(l1, sizeof l1, "%s/loop1", dir);
    snprintf(l2, sizeof l2, "%s/loop2", dir);
    mode_t um = umask(022);

    /* an existing 0640 file keeps its mode (customer data must not become
     * world-readable because it was rewritten) */
    fclose(fopen(real, "w"));
    CHECK(chmod(real, 0640) == 0);
    CHECK(write_through(real, "a\n") == CS_OK);
    CHECK(mode_of(real) == 0640);

    /* while it is written the temporary file is 0600 */
    cs_outfile *f = cs_outfile_open(real, NULL);
    CHECK(f && mode_of(cs_outfile_temp_path(f)) == 0600);
    cs_outfile_abort(f);

    /* a symbolic link is written through: the link stays a link, its target
     * gets the text and keeps its mode; a relative link is taken from the
     * link's own folder */
    CHECK(symlink("real.csv", link) == 0);
    CHECK(write_through(link, "b\n") == CS_OK);
    struct stat st;
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(mode_of(real) == 0640);
    char buf[16] = "";
    FILE *fp = fopen(real, "r");
    CHECK(fp && fgets(buf, sizeof buf, fp));
    if (fp)
        fclose(fp);
    CHECK_EQ_STR(buf, "b\n");
    CHECK(mkdir(sub, 0755) == 0 && symlink("../real.csv", rel) == 0);
    CHECK(write_through(rel, "c\n") == CS_OK);
    CHECK(lstat(rel, &st) == 0 && S_ISLNK(st.st_mode) && mode_of(real) == 0640);
    CHECK(count_entries(sub, "rel.csv.") == 0);

    /* a link to a file that does not exist yet creates it, 0666 & ~umask */
    CHECK(symlink("made.csv", dang) == 0);
    CHECK(write_through(dang, "d\n") == CS_OK);
    CHECK(lstat(dang, &st) == 0 && S_ISLNK(st.st_mode) && mode_of(made) == 0644);
    umask(077);
    unlink(made);
    CHECK(write_through(made, "e\n") == CS_OK);
    CHECK(mode_of(made) == 0600);

    /* a loop of links is an error, and nothing is created */
    CHECK(symlink("loop2", l1) == 0 && symlink("loop1", l2) == 0);
    cs_error err = {0};
    CHECK(cs_outfile_open(l1, &err) == NULL);
    CHECK(strstr(err.message, "symbolic links") != NULL);
    CHECK(count_entries(dir, "loop") == 2);

    umask(um);
    unlink(l1);
    unlink(l2);
    unlink(dang);
    unlink(made);
    unlink(rel);
    rmdir(sub);
    unlink(link);
    unlink(real);
    rmdir(dir);
}

/* A table of every kind of cell under a format word, into out. */
static void render_numbers(int format, char *out, size_t cap)
{
    FILE *fp = fmemopen(out, cap, "w");
    const char *names[] = {"id", "real", "text", "int", "money", "day", "semi;colon"};
    cs_writer *w = cs_writer_new(fp, format, 1, names, 7, NULL);
    CHECK(w != NULL);
    if (!w) {
        fclose(fp);
        out[0] = '\0';
        return;
    }
    cs_writer_str(w, "a,b", 3);
    cs_writer_real(w, 1.0 / 3);
    cs_writer_num(w, "38.857142857143", 15);
    cs_writer_int(w, -123456789);
    cs_writer_money(w, 1234567891); /* 1234.567891 */
    cs_writer_date(w, 19000);
    cs_writer_real(w, 1.5e-7);
    cs_writer_end_row(w);
    cs_writer_str(w, "x;y", 3);
    cs_writer_real(w, -2.5);
    cs_writer_num(w, "12", 2);
    cs_writer_int(w, 0);
    cs_writer_money(w, -500000);
    cs_writer_null(w);
    cs_writer_str(w, "q\"uote\nline", 11);
    cs_writer_end_row(w);
    CHECK_EQ_INT(cs_writer_finish(w, NULL), CS_OK);
    cs_writer_free(w);
    fclose(fp);
}

/* --precision: reals and the decimals of cs_writer_num to N significant
 * digits; whole numbers and money exact; the default unchanged. */
static void test_precision(void)
{
    char b[1024];
    render_numbers(CS_FORMAT_CSV, b, sizeof b);
    CHECK_EQ_STR(b, "id,real,text,int,money,day,semi;colon\n"
                    "\"a,b\",0.333333333333,38.857142857143,-123456789,1234.567891,2022-01-08,1.5e-07\n"
                    "x;y,-2.5,12,0,-0.5,,\"q\"\"uote\nline\"\n");
    render_numbers(CS_FORMAT_CSV | CS_FORMAT_DIGITS(3), b, sizeof b);
    CHECK_EQ_STR(b, "id,real,text,int,money,day,semi;colon\n"
                    "\"a,b\",0.333,38.9,-123456789,1234.567891,2022-01-08,1.5e-07\n"
                    "x;y,-2.5,12,0,-0.5,,\"q\"\"uote\nline\"\n");
    render_numbers(CS_FORMAT_TSV | CS_FORMAT_DIGITS(1), b, sizeof b);
    CHECK_EQ_STR(b, "id\treal\ttext\tint\tmoney\tday\tsemi;colon\n"
                    "a,b\t0.3\t40\t-123456789\t1234.567891\t2022-01-08\t2e-07\n"
                    "x;y\t-3\t12\t0\t-0.5\t\tq\"uote\\nline\n");
    render_numbers(CS_FORMAT_JSONL | CS_FORMAT_DIGITS(15), b, sizeof b);
    CHECK(strstr(b, "\"real\":0.333333333333333,") != NULL);
    CHECK(strstr(b, "\"text\":38.857142857143,") != NULL); /* no digits invented */
}

/* --decimal-comma: CSV with ';' between fields, quoted when a field holds
 * ; " or a line break (a comma needs no quotes); TSV keeps its tabs. */
static void test_decimal_comma(void)
{
    char b[1024];
    render_numbers(CS_FORMAT_CSV | CS_FORMAT_DECIMAL_COMMA, b, sizeof b);
    CHECK_EQ_STR(b, "id;real;text;int;money;day;\"semi;colon\"\n"
                    "a,b;0,333333333333;38,857142857143;-123456789;1234,567891;2022-01-08;1,5e-07\n"
                    "\"x;y\";-2,5;12;0;-0,5;;\"q\"\"uote\nline\"\n");
    render_numbers(CS_FORMAT_CSV | CS_FORMAT_DECIMAL_COMMA | CS_FORMAT_DIGITS(4), b, sizeof b);
    CHECK_EQ_STR(b, "id;real;text;int;money;day;\"semi;colon\"\n"
                    "a,b;0,3333;38,86;-123456789;1234,567891;2022-01-08;1,5e-07\n"
                    "\"x;y\";-2,5;12;0;-0,5;;\"q\"\"uote\nline\"\n");
    render_numbers(CS_FORMAT_TSV | CS_FORMAT_DECIMAL_COMMA, b, sizeof b);
    CHECK_EQ_STR(b, "id\treal\ttext\tint\tmoney\tday\tsemi;colon\n"
                    "a,b\t0,333333333333\t38,857142857143\t-123456789\t1234,567891\t2022-01-08\t1,5e-07\n"
                    "x;y\t-2,5\t12\t0\t-0,5\t\tq\"uote\\nline\n");
    /* refused: JSON numbers have a dot, a workbook's numbers are numbers;
     * digits past 15, an unknown format */
    const char *names[] = {"x"};
    const int bad[] = {CS_FORMAT_JSONL | CS_FORMAT_DECIMAL_COMMA,
                       CS_FORMAT_XLSX | CS_FORMAT_DECIMAL_COMMA, CS_FORMAT_CSV | CS_FORMAT_DIGITS(16),
                       7, CS_FORMAT_CSV | (1 << 20)};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cs_error err = {0};
        CHECK(cs_writer_new(stdout, bad[i], 1, names, 1, &err) == NULL);
        CHECK_EQ_INT(err.code, CS_EINVAL);
    }
}

/* A workbook goes to a regular file only (reopened by name): a memory
 * stream or a pipe is refused; a small sheet is a zip (PK); a row past
 * Excel's last and a text over 32767 characters fail at finish, saying
 * why. */
static void test_xlsx(void)
{
    const char *names[] = {"id", "v"};
    char mem[64];
    cs_error err = {0};
    FILE *m = fmemopen(mem, sizeof mem, "w");
    CHECK(cs_writer_new(m, CS_FORMAT_XLSX, 1, names, 2, &err) == NULL);
    CHECK_EQ_INT(err.code, CS_EINVAL);
    CHECK(strstr(err.message, "not to a pipe or a stream") != NULL);
    fclose(m);
    int pfd[2];
    CHECK(pipe(pfd) == 0);
    FILE *p = fdopen(pfd[1], "w");
    memset(&err, 0, sizeof err);
    CHECK(cs_writer_new(p, CS_FORMAT_XLSX, 1, names, 2, &err) == NULL);
    CHECK_EQ_INT(err.code, CS_EINVAL);
    fclose(p);
    close(pfd[0]);

    FILE *fp = tmpfile();
    cs_writer *w = cs_writer_new(fp, CS_FORMAT_XLSX | CS_FORMAT_DIGITS(6), 1, names, 2, &err);
    CHECK(w != NULL);
    cs_writer_set_sheet(w, "a/b:c*d?e[f]g\\h and a name longer than thirty-one");
    cs_writer_money_column(w, 1);
    cs_writer_str(w, "007", 3);
    cs_writer_real(w, 2.5);
    CHECK_EQ_INT(cs_writer_end_row(w), CS_OK);
    CHECK_EQ_INT(cs_writer_finish(w, &err), CS_OK);
    cs_writer_free(w);
    char head[2] = {0};
    rewind(fp);
    CHECK_EQ_INT(fread(head, 1, 2, fp), 2);
    CHECK(head[0] == 'P' && head[1] == 'K');
    fseek(fp, 0, SEEK_END);
    CHECK(ftell(fp) > 1000);
    fclose(fp);

    /* 1,048,575 rows under the header fill the sheet; one more is refused */
    for (int extra = 0; extra < 2; extra++) {
        fp = tmpfile();
        memset(&err, 0, sizeof err);
        w = cs_writer_new(fp, CS_FORMAT_XLSX, 1, names, 2, &err);
        int rc = CS_OK;
        for (long r = 0; r < 1048575L + extra && rc == CS_OK; r++) {
            if (r % 100000 == 0 || r >= 1048574L)
                cs_writer_int(w, r);
            else
                cs_writer_null(w); /* an empty row costs nothing */
            rc = cs_writer_end_row(w);
        }
        CHECK_EQ_INT(rc, extra ? CS_EIO : CS_OK);
        CHECK_EQ_INT(cs_writer_finish(w, &err), extra ? CS_EINVAL : CS_OK);
        if (extra)
            CHECK(strstr(err.message, "more rows than a sheet holds (1,048,576 with the header): write it as CSV"));
        cs_writer_free(w);
        fclose(fp);
    }

    fp = tmpfile();
    w = cs_writer_new(fp, CS_FORMAT_XLSX, 0, names, 2, &err);
    static char big[40000];
    memset(big, 'x', sizeof big);
    cs_writer_str(w, big, sizeof big);
    cs_writer_end_row(w);
    memset(&err, 0, sizeof err);
    CHECK_EQ_INT(cs_writer_finish(w, &err), CS_EINVAL);
    CHECK(strstr(err.message, "a text cell over 32767 characters") != NULL);
    cs_writer_free(w);
    /* a writer freed unfinished leaves its file as it was */
    fp = tmpfile();
    w = cs_writer_new(fp, CS_FORMAT_XLSX, 1, names, 2, &err);
    cs_writer_str(w, "a", 1);
    cs_writer_end_row(w);
    cs_writer_free(w);
    fseek(fp, 0, SEEK_END);
    CHECK_EQ_INT(ftell(fp), 0);
    fclose(fp);
}

/* The text of a zip member of the file open on fp (deflated or stored),
 * found by its local header; malloc'd, NUL-terminated, or NULL. */
static char *zip_member(FILE *fp, const char *name)
{
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    unsigned char *z = malloc((size_t)size);
    rewind(fp);
    if (!z || fread(z, 1, (size_t)size, fp) != (size_t)size) {
        free(z);
        return NULL;
    }
    char *out = NULL;
    size_t nl = strlen(name);
    for (long i = 0; i + 30 + (long)nl <= size && !out; i++) {
        if (memcmp(z + i, "PK\3\4", 4) != 0)
            continue;
        unsigned method = z[i + 8] | z[i + 9] << 8, n = z[i + 26] | z[i + 27] << 8,
                 extra = z[i + 28] | z[i + 29] << 8;
        if (n != nl || memcmp(z + i + 30, name, nl) != 0)
            continue;
        size_t cap = (size_t)1 << 24;
        out = calloc(1, cap + 1);
        z_stream st = {0};
        st.next_in = z + i + 30 + n + extra;
        st.avail_in = (uInt)(size - (i + 30 + n + extra));
        st.next_out = (unsigned char *)out;
        st.avail_out = (uInt)cap;
        if (method == 8 && inflateInit2(&st, -15) == Z_OK) {
            inflate(&st, Z_FINISH);
            inflateEnd(&st);
        }
    }
    free(z);
    return out;
}

/* Under a decimal-comma locale a workbook's numbers keep their dot:
 * libxlsxwriter prints them with printf, so the writer runs it under C. */
static void test_xlsx_locale(void)
{
    if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
        printf("no de_DE.UTF-8 locale: workbook locale check skipped\n");
        return;
    }
    const char *names[] = {"x", "money"};
    FILE *fp = tmpfile();
    cs_writer *w = cs_writer_new(fp, CS_FORMAT_XLSX, 1, names, 2, NULL);
    cs_writer_real(w, 0.5);
    cs_writer_money(w, 1234560000);
    cs_writer_end_row(w);
    cs_writer_real(w, -2.25);
    cs_writer_null(w);
    cs_writer_end_row(w);
    CHECK_EQ_INT(cs_writer_finish(w, NULL), CS_OK);
    cs_writer_free(w);
    setlocale(LC_ALL, "C");
    char *xml = zip_member(fp, "xl/worksheets/sheet1.xml");
    CHECK(xml != NULL);
    if (xml) {
        CHECK(strstr(xml, "<v>0.5</v>") != NULL);
        CHECK(strstr(xml, "<v>1234.56</v>") != NULL);
        CHECK(strstr(xml, "<v>-2.25</v>") != NULL);
        CHECK(strstr(xml, "0,5") == NULL);
        CHECK(strstr(xml, "<col ") != NULL && strstr(xml, "width=\"") != NULL);
        const char *wd = strstr(xml, "width=\""), *end = wd ? strchr(wd + 7, '"') : NULL;
        CHECK(end && !memchr(wd + 7, ',', (size_t)(end - wd - 7))); /* a column's width */
    }
    free(xml);
    fclose(fp);
}

int main(void)
{
    test_formats();
    test_precision();
    test_decimal_comma();
    test_xlsx();
    test_xlsx_locale();
    test_locale();
    test_outfile();
    test_outfile_links_modes();
    return test_result("writer");
}
