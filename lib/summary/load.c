/* Reading transaction logs into a summary builder. */
#include "summary/builder-internal.h"
#include "util/internal.h"

#include <string.h>

static int recoverable(int code)
{
    return code == CS_EFORMAT || code == CS_EDATE || code == CS_EAMOUNT || code == CS_EID;
}

static void count(cs_load_stats *st, int code)
{
    st->skipped++;
    switch (code) {
    case CS_EDATE: st->bad_date++; break;
    case CS_EAMOUNT: st->bad_amount++; break;
    case CS_EID: st->bad_id++; break;
    default: st->bad_format++; break;
    }
}

/* One pass over one input. replay: the second reading, where bad records
 * were already reported and are passed over quietly. */
static int read_one(cs_builder *b, const char *path, const cs_txn_options *txn,
                    const cs_load_options *opt, cs_load_stats *st, int replay, int *rereadable,
                    int *empty, cs_error *err)
{
    *empty = 0;
    cs_input *in = cs_input_open(path, err);
    if (!in)
        return err ? err->code : CS_EIO;
    *rereadable = cs_input_rereadable(in);
    int rc = CS_OK;
    cs_txn_reader *rd = cs_txn_reader_new(in, txn, err);
    if (!rd) {
        rc = err ? err->code : CS_ENOMEM;
        /* an empty file among several is not an error for the log */
        if (rc == CS_EEMPTY) {
            *empty = 1;
            rc = CS_OK;
            if (err)
                cs_error_clear(err);
        }
        goto out;
    }
    if (!replay && opt && opt->on_open)
        opt->on_open(opt->ctx, rd, cs_input_name(in));
    cs_txn t;
    uint64_t seen = 0;
    for (;;) {
        int r = cs_txn_read(rd, &t, err);
        if (r == 0) {
            if (seen == 0)
                *empty = cs_txn_has_header(rd) ? 2 : 1;
            break;
        }
        seen++;
        if (r < 0) {
            if (!(opt && opt->skip_bad) || !recoverable(r)) {
                rc = r;
                goto out;
            }
            if (!replay) {
                count(st, r);
                if (opt->on_reject) {
                    size_t len;
                    const char *raw = cs_txn_raw(rd, &len);
                    opt->on_reject(opt->ctx, err, raw, len);
                }
            }
            continue;
        }
        rc = cs_builder_add(b, &t, err);
        if (rc != CS_OK) {
            if (err && !err->file[0])
                csi_error_where(err, cs_input_name(in), 0, 0, NULL, 0);
            goto out;
        }
    }
out:
    cs_txn_reader_free(rd);
    cs_input_close(in);
    return rc;
}

int cs_load_transactions(cs_builder *b, const char *const *paths, size_t npaths,
                         const cs_txn_options *txn, const cs_load_options *opt,
                         cs_load_stats *stats, cs_error *err)
{
    cs_load_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    static const char *const stdin_only[] = {"-"};
    if (npaths == 0) {
        paths = stdin_only;
        npaths = 1;
    }
    int stdin_seen = 0, all_rereadable = 1, nempty = 0, last_empty = 0;
    const char *empty_name = NULL;
    for (size_t i = 0; i < npaths; i++) {
        if (!strcmp(paths[i], "-")) {
            if (stdin_seen)
                return csi_fail(err, CS_EINVAL, "standard input ('-') is named twice");
            stdin_seen = 1;
        }
        int rr = 0, empty = 0;
        int rc = read_one(b, paths[i], txn, opt, stats, 0, &rr, &empty, err);
        if (rc != CS_OK)
            return rc;
        all_rereadable &= rr;
        if (empty) {
            nempty++;
            last_empty = empty;
            empty_name = paths[i];
        }
    }
    if (nempty == (int)npaths) {
        /* nothing at all to summarise: say which input and why */
        if (npaths == 1) {
            csi_fail(err, CS_EEMPTY, last_empty == 2 ? "no records after the header line"
                                                     : "the input is empty");
            csi_error_where(err, strcmp(empty_name, "-") ? empty_name : "<stdin>", 0, 0, NULL,
                            0);
        } else {
            csi_fail(err, CS_EEMPTY, "none of the %zu inputs holds a record", npaths);
        }
        return CS_EEMPTY;
    }
    if (cs_builder_unsorted(b) == 0)
        return CS_OK;
    if (!all_rereadable)
        return csi_fail(err, CS_EORDER,
                        "the records of %zu customers are not in date order, which takes a "
                        "second reading, and standard input or a pipe cannot be read twice: "
                        "give the log as a file, or sort it by date first",
                        cs_builder_unsorted(b));
    stats->read_twice = 1;
    int rc = cs_builder_replay_begin(b, err);
    for (size_t i = 0; rc == CS_OK && i < npaths; i++) {
        int rr, empty;
        rc = read_one(b, paths[i], txn, opt, stats, 1, &rr, &empty, err);
    }
    return rc;
}
