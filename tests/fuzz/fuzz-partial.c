/* Fuzz target for partial summaries (cs_builder_merge_partial:
 * custseg-summary --merge; written by --partial).
 *
 * Checks: no crash, leak or undefined behaviour; a refusal has a message.
 * For a partial P that merges into a fresh builder:
 *  - written again (cs_builder_write_partial) and merged into another fresh
 *    builder, it gives the same partial text and the same summary (or the
 *    same refusal to summarise);
 *  - split in two after its column line (the first half with P's header,
 *    the second with the same options and zero stats) and both merged into
 *    one builder, it gives the same partial text and the same summary. */
#include "fuzz.h"

struct out {
    char *partial, *summary;
    size_t plen, slen;
    int src;
};

static void free_out(struct out *o)
{
    free(o->partial);
    free(o->summary);
}

/* Merges the pieces into a fresh builder: CS_OK and *o, or the error. */
static int merge(const char *const *piece, const size_t *len, int n, struct out *o,
                 cs_error *err)
{
    cs_summary_options so = {.as_of = CS_DAY_NONE, .calibration_end = CS_DAY_NONE};
    cs_builder *b = cs_builder_new(&so, err);
    if (!b)
        abort();
    for (int k = 0; k < n; k++) {
        int fd;
        cs_input *in = fuzz_input(piece[k], len[k], &fd, err);
        int rc = in ? cs_builder_merge_partial(b, in, err) : err->code;
        fuzz_close(in, fd);
        if (rc != CS_OK) {
            fuzz_failed(rc, err);
            cs_builder_free(b);
            return rc;
        }
    }
    memset(o, 0, sizeof *o);
    FILE *fp = open_memstream(&o->partial, &o->plen);
    if (!fp || cs_builder_write_partial(b, fp, err) != CS_OK)
        abort();
    fclose(fp);
    fp = open_memstream(&o->summary, &o->slen);
    cs_error serr = {0};
    o->src = cs_builder_write_summary(b, fp, CS_FORMAT_CSV, 1, CS_UNIT_DAY, NULL, NULL, &serr);
    if (o->src != CS_OK)
        fuzz_failed(o->src, &serr);
    fclose(fp);
    return CS_OK;
}

static void same_out(const struct out *a, const struct out *b)
{
    if (a->plen != b->plen || memcmp(a->partial, b->partial, a->plen) != 0)
        abort(); /* the partial changed */
    if (a->src != b->src || a->slen != b->slen || memcmp(a->summary, b->summary, a->slen) != 0)
        abort(); /* the summary changed */
}

static const char zero_stats[] = "# stats records=0 after_as_of=0 negative=0 dropped_returns=0 "
                                 "cancelled_days=0 unsorted=0 min_day=none max_day=none\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    struct out o1, o2, o3;
    cs_error err = {0};
    if (merge(&p, &size, 1, &o1, &err) != CS_OK)
        return 0;

    /* written and merged again */
    const char *w = o1.partial;
    if (merge(&w, &o1.plen, 1, &o2, &err) != CS_OK)
        abort(); /* our own partial must merge */
    same_out(&o1, &o2);

    /* split in two: the header is the first four lines (magic, options,
     * stats, columns); the second half gets the first two, zero stats, the
     * column line and the customer lines from the middle on */
    size_t at = 0, lines = 0, end[4] = {0};
    while (at < size && lines < 4) {
        const char *nl = memchr(p + at, '\n', size - at);
        if (!nl)
            break;
        at = (size_t)(nl - p) + 1;
        end[lines++] = at;
    }
    if (lines == 4) {
        size_t mid = at + (size - at) / 2;
        while (mid > at && p[mid - 1] != '\n')
            mid--;
        size_t stats = sizeof zero_stats - 1, cols = end[3] - end[2];
        size_t blen = end[1] + stats + cols + (size - mid);
        char *second = malloc(blen + 1);
        if (!second)
            abort();
        memcpy(second, p, end[1]);
        memcpy(second + end[1], zero_stats, stats);
        memcpy(second + end[1] + stats, p + end[2], cols);
        memcpy(second + end[1] + stats + cols, p + mid, size - mid);
        const char *piece[2] = {p, second};
        size_t len[2] = {mid, blen};
        if (merge(piece, len, 2, &o3, &err) != CS_OK)
            abort(); /* the halves of a good partial must merge */
        same_out(&o1, &o3);
        free_out(&o3);
        free(second);
    }
    free_out(&o1);
    free_out(&o2);
    return 0;
}
