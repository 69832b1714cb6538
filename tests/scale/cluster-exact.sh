# A real cluster (a scheduler and two one-thread workers): the log of about
# a million lines split into 8 files by line ranges (customers and their
# days span files; every other file reversed, so days come out of order),
# and again by invoice number (the same customer-day, purchases and returns,
# in several files). The driver's summary, models and scores equal one
# custseg-summary, custseg-clv fit and custseg-clv predict on the whole log.
. "$(dirname "$0")/lib.sh"
make_log "$TMP/log.csv"
split_lines "$TMP/log.csv" "$TMP/lines" 8
split_invoice "$TMP/log.csv" "$TMP/invoice" 8
opts=(--unit week --skip missing-id --returns net)
custseg-summary -qq "${opts[@]}" "$TMP/log.csv" >"$TMP/one.csv" || fail "custseg-summary"
custseg-clv fit -qq --model bgnbd -o "$TMP/bgnbd.json" "$TMP/one.csv" || fail "fit bgnbd"
custseg-clv fit -qq --model gg -o "$TMP/gg.json" "$TMP/one.csv" || fail "fit gg"
custseg-clv predict -qq --model "$TMP/bgnbd.json" --spend "$TMP/gg.json" --horizon 26 \
    "$TMP/one.csv" >"$TMP/scores.csv" || fail "predict"
start_cluster
for split in lines invoice; do
    "$DASK" --scheduler-file "$SCHED_FILE" --partitions 5 "${opts[@]}" --fit bgnbd,gg \
        --score --horizon 26 -o "$TMP/out-$split" "$TMP/$split"/*.csv 2>"$TMP/err" ||
        { cat "$TMP/err" >&2; fail "custseg-dask on the $split split"; }
    out=$TMP/out-$split
    check_same "$TMP/one.csv" "$out/summary.csv" "$split: summary.csv"
    check_params "$TMP/bgnbd.json" "$out/bgnbd.json"
    check_params "$TMP/gg.json" "$out/gg.json"
    check_same "$TMP/scores.csv" "$out/scores.csv" "$split: scores.csv"
    [ "$(ls "$out"/partitions/summary-*.csv | wc -l)" = 5 ] || fail "$split: not 5 partition summaries"
    ! ls -d "$TMP"/out-"$split".tmp-* 2>/dev/null || fail "$split: a temporary directory is left"
    "$PY" - "$out/manifest.json" "$(($(wc -l <"$TMP/one.csv") - 1))" <<'PY' || fail "$split: manifest"
import json, sys
m = json.load(open(sys.argv[1]))
s = m["stages"]
assert s["map"]["tasks"] == 8 and s["reduce"]["tasks"] == 5, s
assert s["reduce"]["customers"] == int(sys.argv[2]) == s["score"]["customers"], s
assert m["retries"] == 0, m
PY
done
# an existing OUTDIR is refused, and replaced with --force
"$DASK" --scheduler-file "$SCHED_FILE" --partitions 2 -o "$TMP/out-lines" "$TMP/lines/lines-0.csv" \
    2>"$TMP/err" && fail "an existing OUTDIR was not refused"
grep -q "exists" "$TMP/err" || fail "no message for an existing OUTDIR: $(cat "$TMP/err")"
"$DASK" --scheduler-file "$SCHED_FILE" --partitions 2 "${opts[@]}" --force \
    -o "$TMP/out-lines" "$TMP/log.csv" || fail "--force"
check_same "$TMP/one.csv" "$TMP/out-lines/summary.csv" "--force: summary.csv"
[ ! -e "$TMP/out-lines/bgnbd.json" ] || fail "--force kept the old OUTDIR's files"
exit 0
