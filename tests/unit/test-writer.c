/* Table output: quoting and escaping, and numbers that ignore the locale. */
#include "custseg.h"
#include "helpers.h"
#include "test.h"

#include <dirent.h>
#include <locale.h>

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

int main(void)
{
    test_formats();
    test_locale();
    test_outfile();
    return test_result("writer");
}
