/* Fuzz target for RFM breaks files (cs_rfm_breaks_load: custseg-rfm
 * --breaks, written by --breaks-out).
 *
 * Checks: no crash, leak or undefined behaviour; a refusal has a message;
 * breaks that load hold 2..CS_RFM_MAX_BINS bins and at most bins - 1
 * increasing, finite cut points per variable; saved with cs_rfm_breaks_save
 * and loaded again they are the same breaks, and saving those gives the
 * same text; scores stay within 1..ncut + 1. */
#include "fuzz.h"

static char *save(const cs_rfm_breaks *b, size_t *len)
{
    char *text = NULL;
    FILE *fp = open_memstream(&text, len);
    cs_error err = {0};
    if (!fp || cs_rfm_breaks_save(b, fp, &err) != CS_OK)
        abort();
    fclose(fp);
    return text;
}

static int load(const void *data, size_t size, cs_rfm_breaks *b, cs_error *err)
{
    int fd;
    cs_input *in = fuzz_input(data, size, &fd, err);
    if (!in)
        return err->code;
    int rc = cs_rfm_breaks_load(b, in, err);
    fuzz_close(in, fd);
    return rc;
}

static void same(const cs_rfm_breaks *a, const cs_rfm_breaks *b)
{
    if (a->bins != b->bins || a->rf_only != b->rf_only || a->monetary != b->monetary ||
        a->as_of != b->as_of)
        abort(); /* what the breaks were computed on survives the round trip */
    for (int v = 0; v < 3; v++) {
        if (a->ncut[v] != b->ncut[v])
            abort();
        for (int i = 0; i < a->ncut[v]; i++)
            if (!fuzz_same(a->cut[v][i], b->cut[v][i]))
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cs_rfm_breaks b, b2;
    cs_error err = {0};
    int rc = load(data, size, &b, &err);
    if (rc != CS_OK) {
        fuzz_failed(rc, &err);
        return 0;
    }
    if (b.bins < 2 || b.bins > CS_RFM_MAX_BINS)
        abort();
    for (int v = 0; v < 3; v++) {
        if (b.ncut[v] < 0 || b.ncut[v] > b.bins - 1)
            abort();
        for (int i = 0; i < b.ncut[v]; i++)
            if (!isfinite(b.cut[v][i]) || (i && !(b.cut[v][i] > b.cut[v][i - 1])))
                abort();
        /* every value scores within 1..ncut + 1, the cut points themselves too */
        const double probe[] = {-INFINITY, -1e300, 0, 1e300, INFINITY};
        for (int i = 0; i < 5 + b.ncut[v]; i++) {
            double x = i < 5 ? probe[i] : b.cut[v][i - 5];
            int s = cs_rfm_score(&b, v, x);
            if (s < 1 || s > b.ncut[v] + 1)
                abort();
        }
    }
    size_t len1, len2;
    char *t1 = save(&b, &len1);
    if (load(t1, len1, &b2, &err) != CS_OK)
        abort(); /* our own file must read back */
    same(&b, &b2);
    char *t2 = save(&b2, &len2);
    if (len1 != len2 || memcmp(t1, t2, len1) != 0)
        abort();
    free(t1);
    free(t2);
    return 0;
}
