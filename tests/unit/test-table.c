/* The table reader: columns by name, typed getters and where their errors
 * point, and the id arena. */
#include "custseg.h"
#include "helpers.h"
#include "test.h"

static cs_input *in_of(const char *text, const char **path)
{
    *path = tmpfile_str(text);
    return cs_input_open(*path, NULL);
}

static void test_columns_and_getters(void)
{
    const char *path;
    cs_input *in = in_of("Customer_ID,frequency,T_weeks,first,Note\n"
                         "a1,2,38.5,1997-01-02,\n"
                         "b\xc3\xa9,0,10,19970105,x\n",
                         &path);
    cs_error err = {0};
    cs_table *t = cs_table_open(in, CS_DELIM_AUTO, &err);
    CHECK(t != NULL);
    if (!t)
        return;
    CHECK_EQ_INT(cs_table_ncols(t), 5);
    CHECK_EQ_INT(cs_table_find(t, "frequency"), 1);
    CHECK_EQ_INT(cs_table_find(t, "note"), 4);        /* case ignored */
    CHECK_EQ_INT(cs_table_find(t, "recency"), -1);
    const char *const ids[] = {"customerid", "customer", NULL};
    CHECK_EQ_INT(cs_table_find_known(t, ids), 0);   /* "Customer_ID" */
    CHECK_EQ_INT(cs_table_require(t, "recency_weeks", "a summary table", &err), CS_ECOLUMN);
    CHECK_EQ_STR(err.message, "no column 'recency_weeks' (a summary table)");
    CHECK_EQ_INT(err.line, 1);
    cs_ids idv = {0};
    double x, T;
    cs_day d;
    CHECK_EQ_INT(cs_table_next(t, &err), 1);
    CHECK_EQ_INT(cs_table_line(t), 2);
    CHECK(cs_table_id(t, 0, &idv, &err) == CS_OK);
    CHECK(cs_table_real(t, 1, CS_TABLE_NONNEG | CS_TABLE_WHOLE, &x, &err) == CS_OK && x == 2);
    CHECK(cs_table_real(t, 2, 0, &T, &err) == CS_OK && T == 38.5);
    CHECK(cs_table_day(t, 3, 0, &d, &err) == CS_OK && d == 9863);
    CHECK(cs_table_real(t, 4, CS_TABLE_EMPTY_NAN, &x, &err) == CS_OK && isnan(x));
    CHECK(cs_table_day(t, 4, CS_TABLE_EMPTY_NAN, &d, &err) == CS_OK && d == CS_DAY_NONE);
    /* an empty number without the flag is an error */
    CHECK_EQ_INT(cs_table_real(t, 4, 0, &x, &err), CS_EFORMAT);
    CHECK_EQ_INT(cs_table_next(t, &err), 1);
    CHECK(cs_table_id(t, 0, &idv, &err) == CS_OK);
    CHECK(cs_table_day(t, 3, 0, &d, &err) == CS_OK && d == 9866);
    /* 'x' in Note: where the error points */
    memset(&err, 0, sizeof err);
    CHECK_EQ_INT(cs_table_real(t, 4, 0, &x, &err), CS_EFORMAT);
    CHECK_EQ_STR(err.message, "'x' is not a number");
    CHECK_EQ_INT(err.line, 3);
    CHECK_EQ_INT(err.column, 5);
    CHECK_EQ_STR(err.field, "Note");
    CHECK_EQ_STR(err.file, path);
    CHECK_EQ_INT(cs_table_next(t, &err), 0);
    CHECK(cs_table_row(t) == NULL);
    size_t len;
    CHECK_EQ_INT(idv.n, 2);
    CHECK(cs_ids_get(&idv, 1, &len) && len == 3 && !memcmp(cs_ids_get(&idv, 1, &len), "b\xc3\xa9", 3));
    cs_ids_clear(&idv);
    cs_table_free(t);
    cs_input_close(in);
    unlink(path);
}

static void test_bad_rows(void)
{
    const char *path;
    cs_input *in = in_of("id,x\n,1\n\xff\xfe,2\nc,-1\nd,1.5\ne,3,4\n", &path);
    cs_error err = {0};
    cs_table *t = cs_table_open(in, CS_DELIM_AUTO, &err);
    cs_ids idv = {0};
    double x;
    CHECK_EQ_INT(cs_table_next(t, &err), 1);
    CHECK_EQ_INT(cs_table_id(t, 0, &idv, &err), CS_EID); /* empty */
    CHECK_EQ_INT(err.line, 2);
    CHECK_EQ_INT(cs_table_next(t, &err), 1);
    CHECK_EQ_INT(cs_table_id(t, 0, &idv, &err), CS_EID); /* not UTF-8 */
    CHECK_EQ_INT(err.column, 1);
    CHECK_EQ_INT(cs_table_next(t, &err), 1);
    CHECK_EQ_INT(cs_table_real(t, 1, CS_TABLE_NONNEG, &x, &err), CS_EFORMAT);
    CHECK_EQ_STR(err.message, "'-1' is not a number >= 0");
    CHECK_EQ_INT(cs_table_next(t, &err), 1);
    CHECK_EQ_INT(cs_table_real(t, 1, CS_TABLE_WHOLE, &x, &err), CS_EFORMAT);
    CHECK_EQ_STR(err.message, "'1.5' is not a whole number");
    /* text where a number is due: the message says all the flags ask for */
    CHECK_EQ_INT(cs_table_real(t, 0, CS_TABLE_NONNEG | CS_TABLE_WHOLE, &x, &err), CS_EFORMAT);
    CHECK_EQ_STR(err.message, "'d' is not a whole number >= 0");
    CHECK_EQ_STR(err.field, "id");
    CHECK_EQ_INT(cs_table_real(t, 0, CS_TABLE_NONNEG | CS_TABLE_EMPTY_NAN, &x, &err), CS_EFORMAT);
    CHECK_EQ_STR(err.message, "'d' is not a number >= 0 (or empty)");
    CHECK_EQ_INT(cs_table_real(t, 0, CS_TABLE_EMPTY_NAN, &x, &err), CS_EFORMAT);
    CHECK_EQ_STR(err.message, "'d' is not a number (or empty)");
    CHECK_EQ_INT(cs_table_next(t, &err), CS_EFORMAT);    /* three fields */
    CHECK_EQ_INT(err.line, 6);
    CHECK_EQ_INT(idv.n, 0);
    cs_table_free(t);
    cs_input_close(in);
    unlink(path);
    /* no header line at all */
    in = in_of("", &path);
    CHECK(cs_table_open(in, CS_DELIM_AUTO, &err) == NULL && err.code == CS_EEMPTY);
    cs_input_close(in);
    unlink(path);
    /* TSV */
    in = in_of("a\tb\n1\t2\n", &path);
    t = cs_table_open(in, CS_DELIM_AUTO, &err);
    CHECK(t && cs_table_ncols(t) == 2 && cs_table_next(t, &err) == 1 &&
          cs_table_real(t, 1, 0, &x, &err) == CS_OK && x == 2);
    cs_table_free(t);
    cs_input_close(in);
    unlink(path);
}

static void test_ids_arena(void)
{
    cs_ids ids = {0};
    char buf[32];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(buf, sizeof buf, "C%07d", i * 7);
        CHECK(cs_ids_push(&ids, buf, (size_t)n) == CS_OK);
    }
    CHECK(cs_ids_push(&ids, "", 0) == CS_OK); /* the arena takes any bytes */
    size_t len;
    const char *s = cs_ids_get(&ids, 4321, &len);
    CHECK(len == 8 && !memcmp(s, "C0030247", 8));
    cs_ids_get(&ids, 5000, &len);
    CHECK_EQ_INT(len, 0);
    CHECK_EQ_INT(ids.n, 5001);
    cs_ids_clear(&ids);
    CHECK(ids.n == 0 && ids.bytes == NULL);
    cs_ids_clear(NULL);
}

int main(void)
{
    test_columns_and_getters();
    test_bad_rows();
    test_ids_arena();
    return test_result("table");
}
