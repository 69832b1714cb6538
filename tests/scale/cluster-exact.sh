# A real cluster (a scheduler and two one-thread workers): the log of about
# a million lines split into 8 files by line ranges (customers and their
# days span files; every other file reversed, so days come out of order),
# and again by invoice number (the same customer-day, purchases and returns,
# in several files). The driver's summary, models and scores equal one
# custseg-summary, custseg-clv fit and custseg-clv predict on the whole log.
# Last, a worker killed (SIGKILL) in the middle of the map stage: Dask
# reruns its task on the other worker, the outputs are still exactly one
# process's, and the manifest counts the retry. CUSTSEG_DASK_TEST_DELAY
# (tests only) makes every map task last a while, so the kill lands inside
# one.
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
# a lost worker
victim=${WORKER_PIDS[0]}
CUSTSEG_DASK_TEST_DELAY=1 "$DASK" --scheduler-file "$SCHED_FILE" --partitions 3 "${opts[@]}" \
    --fit bgnbd -o "$TMP/out" "$TMP/lines"/*.csv 2>"$TMP/err" &
driver=$!
PIDS+=("$driver")
# the victim's attempt of a map task has begun: it is sleeping or mapping
for _ in $(seq 600); do
    ls "$TMP"/out.tmp-*/attempts/map-*-"$victim"-* >/dev/null 2>&1 && break
    sleep 0.05
done
ls "$TMP"/out.tmp-*/attempts/map-*-"$victim"-* >/dev/null 2>&1 || fail "the victim ran no map task"
{ kill -KILL "$victim" && wait "$victim"; } 2>/dev/null # no "Killed" from bash
wait "$driver" || { cat "$TMP/err" >&2; fail "custseg-dask did not survive the lost worker"; }
check_same "$TMP/one.csv" "$TMP/out/summary.csv" "summary.csv after a lost worker"
check_params "$TMP/bgnbd.json" "$TMP/out/bgnbd.json"
"$PY" - "$TMP/out/manifest.json" <<'PY' || fail "the manifest does not count the retry"
import json, sys
m = json.load(open(sys.argv[1]))
s = m["stages"]["map"]
assert s["tasks"] == 8 and s["attempts"] >= 9 and s["retries"] == s["attempts"] - 8, s
assert m["retries"] >= 1, m
PY
exit 0
