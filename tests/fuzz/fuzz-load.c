/* Fuzz target for the loader: any bytes, read as a transaction log with
 * the default options (delimiter and header detected, columns recognised).
 *
 * Checks: no crash, leak or undefined behaviour (under the sanitizers);
 * every error carries a message; a summary that loads is written as a
 * partial, read back and merged, and gives the same table as the direct
 * summary (a load -> write -> load round trip). */
#include "fuzz.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


static char *summary_text(cs_builder *b, size_t *len)
{
    char *text = NULL;
    FILE *fp = open_memstream(&text, len);
    cs_error err = {0};
    if (cs_builder_write_summary(b, fp, CS_FORMAT_CSV, 1, CS_UNIT_WEEK, NULL, NULL, &err) !=
            CS_OK &&
        err.message[0] == '\0')
        abort(); /* an error without a message */
    fclose(fp);
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfd(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    cs_summary_options so = {.as_of = CS_DAY_NONE, .calibration_end = CS_DAY_NONE,
                             .has_amount = 1, .threads = 2};
    cs_txn_options to = {0};
    cs_load_options lo = {.skip_bad = 1};
    const char *paths[] = {path};
    cs_error err = {0};

    cs_builder *b = cs_builder_new(&so, &err);
    int rc = cs_load_transactions(b, paths, 1, &to, &lo, NULL, &err);
    if (rc != CS_OK) {
        if (err.message[0] == '\0')
            abort();
        cs_builder_free(b);
        close(fd);
        return 0;
    }
    /* the partial of the same data, read back into a fresh builder */
    char *part = NULL;
    size_t part_len = 0;
    FILE *pf = open_memstream(&part, &part_len);
    cs_builder *b2 = cs_builder_new(&so, NULL);
    cs_load_transactions(b2, paths, 1, &to, &lo, NULL, NULL);
    if (cs_builder_write_partial(b2, pf, NULL) != CS_OK)
        abort();
    fclose(pf);
    cs_builder_free(b2);

    size_t len1, len2;
    char *direct = summary_text(b, &len1);
    char ppath[64];
    int pfd = fuzz_memfd(part, part_len, ppath, sizeof ppath);
    cs_summary_options fresh = {.as_of = CS_DAY_NONE, .calibration_end = CS_DAY_NONE};
    cs_builder *m = cs_builder_new(&fresh, NULL);
    cs_input *in = cs_input_open(ppath, NULL);
    if (!in || cs_builder_merge_partial(m, in, &err) != CS_OK)
        abort(); /* our own partial must read back */
    cs_input_close(in);
    char *merged = summary_text(m, &len2);
    if (len1 != len2 || memcmp(direct, merged, len1) != 0)
        abort(); /* the round trip changed the summary */
    free(direct);
    free(merged);
    free(part);
    close(pfd);
    close(fd);
    return 0;
}
