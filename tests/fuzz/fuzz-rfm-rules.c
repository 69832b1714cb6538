/* Fuzz target for RFM rule files (cs_rfm_rules_load: custseg-rfm
 * --segments FILE), read for every number of bins from 2 to
 * CS_RFM_MAX_BINS.
 *
 * Checks: no crash, leak or undefined behaviour; a refusal has a message;
 * rules that load have a name of 1 to 63 bytes and bounds 1 <= min <= max
 * <= bins; every cell (score triple) gets exactly one segment: the first
 * rule that holds it, or "Others" when none does; rules accepted for some
 * bins are accepted for more bins (bounds within 1..bins stay within). */
#include "fuzz.h"

static void check_cells(const cs_rfm_rules *r, int bins)
{
    for (size_t i = 0; i < r->n; i++) {
        const cs_rfm_rule *ru = &r->rule[i];
        size_t len = strnlen(ru->name, sizeof ru->name);
        if (len == 0 || len >= sizeof ru->name)
            abort();
        for (int v = 0; v < 3; v++)
            if (ru->lo[v] < 1 || ru->lo[v] > ru->hi[v] || ru->hi[v] > bins)
                abort();
    }
    int s[3];
    for (s[0] = 1; s[0] <= bins; s[0]++)
        for (s[1] = 1; s[1] <= bins; s[1]++)
            for (s[2] = 1; s[2] <= bins; s[2]++) {
                size_t k = cs_rfm_segment_index(r, s);
                size_t first = r->n;
                for (size_t i = 0; i < r->n && first == r->n; i++) {
                    const cs_rfm_rule *ru = &r->rule[i];
                    int hold = 1;
                    for (int v = 0; v < 3; v++)
                        hold &= s[v] >= ru->lo[v] && s[v] <= ru->hi[v];
                    if (hold)
                        first = i;
                }
                if (k != first)
                    abort();
                const char *name = cs_rfm_segment(r, s);
                if (!name || (k < r->n ? name != r->rule[k].name : strcmp(name, "Others")))
                    abort();
            }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int accepted_before = 0;
    for (int bins = 2; bins <= CS_RFM_MAX_BINS; bins++) {
        int fd;
        cs_error err = {0};
        cs_input *in = fuzz_input(data, size, &fd, &err);
        if (!in)
            return 0;
        cs_rfm_rules r;
        int rc = cs_rfm_rules_load(&r, in, bins, &err);
        fuzz_close(in, fd);
        if (rc != CS_OK) {
            fuzz_failed(rc, &err);
            if (r.rule || r.n)
                abort(); /* nothing left behind */
            if (accepted_before)
                abort(); /* accepted with fewer bins, refused with more */
            continue;
        }
        if (r.n == 0 || !r.rule)
            abort();
        check_cells(&r, bins);
        accepted_before = 1;
        cs_rfm_rules_free(&r);
    }
    return 0;
}
