# A worker killed (SIGKILL) in the middle of the map stage: Dask reruns its
# task on the other worker, the outputs are still exactly one process's, and
# the manifest counts the retry. CUSTSEG_DASK_TEST_DELAY (tests only) makes
# every map task last a while, so the kill lands inside one.
. "$(dirname "$0")/lib.sh"
make_log "$TMP/log.csv"
split_lines "$TMP/log.csv" "$TMP/in" 8
opts=(--unit week --skip missing-id)
custseg-summary -qq "${opts[@]}" "$TMP/log.csv" >"$TMP/one.csv" || fail "custseg-summary"
custseg-clv fit -qq --model bgnbd -o "$TMP/bgnbd.json" "$TMP/one.csv" || fail "fit bgnbd"
start_cluster
victim=${WORKER_PIDS[0]}
CUSTSEG_DASK_TEST_DELAY=1.5 "$DASK" --scheduler-file "$SCHED_FILE" --partitions 3 "${opts[@]}" \
    --fit bgnbd -o "$TMP/out" "$TMP/in"/*.csv 2>"$TMP/err" &
driver=$!
PIDS+=("$driver")
# the victim's attempt of a map task has begun: it is sleeping or mapping
for _ in $(seq 600); do
    ls "$TMP"/out.tmp-*/attempts/map-*-"$victim"-* >/dev/null 2>&1 && break
    sleep 0.05
done
ls "$TMP"/out.tmp-*/attempts/map-*-"$victim"-* >/dev/null 2>&1 || fail "the victim ran no map task"
kill -KILL "$victim"
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
