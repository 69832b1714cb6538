# Bad data in one shard with --on-error stop: exit 1, the tool's message as
# the worker got it (the file as given, its line and column), no OUTDIR and
# no temporary directory left. A bad option value of the tool: exit 2 with
# its message; a scheduler that does not answer: exit 2. SIGTERM in the
# middle of a run leaves nothing. An existing OUTDIR is refused, and
# replaced with --force. On a terminal, one progress line. More
# partitions than customers: the empty ones are skipped where a tool
# refuses a table without customers, and the results are still exact.
. "$(dirname "$0")/lib.sh"
# the driver's own behaviour: the sanitizers would only slow it down
[ -n "${CUSTSEG_SANITIZED:-}" ] && skip "the driver's checks run in the release build"
zcat "$DATASETS/online_retail.csv.gz" | head -20001 >"$TMP/log.csv"
split_lines "$TMP/log.csv" "$TMP/in" 4
sed -i '17s/,2011-\([0-9-]*\) /,2011-13-45 /; 17s/,2010-\([0-9-]*\) /,2010-13-45 /' "$TMP/in/lines-2.csv"
grep -q -- '-13-45 ' "$TMP/in/lines-2.csv" || fail "no bad date was written"
start_cluster
cd "$TMP/in"
"$DASK" --scheduler-file "$SCHED_FILE" --partitions 3 --on-error stop --skip missing-id \
    -o ../out lines-*.csv 2>"$TMP/err"
rc=$?
[ $rc = 1 ] || { cat "$TMP/err" >&2; fail "exit $rc on bad data, expected 1"; }
grep -q "^custseg-summary: lines-2.csv:17: column 'InvoiceDate'" "$TMP/err" ||
    fail "the message does not name lines-2.csv:17: $(cat "$TMP/err")"
grep -q "^custseg-dask: map of lines-2.csv failed (exit 1)$" "$TMP/err" ||
    fail "no line naming the failed task: $(cat "$TMP/err")"
[ ! -e ../out ] || fail "OUTDIR exists after a failed run"
! ls -d ../out.tmp-* 2>/dev/null || fail "a temporary directory is left"

"$DASK" --scheduler-file "$SCHED_FILE" --partitions 3 --skip missing-id --on-error sometimes \
    -o ../out lines-0.csv 2>"$TMP/err"
rc=$?
[ $rc = 2 ] || fail "exit $rc on a bad --on-error, expected 2"
grep -q "^custseg-summary: .*sometimes" "$TMP/err" || fail "no tool message for --on-error: $(cat "$TMP/err")"
[ ! -e ../out ] && ! ls -d ../out.tmp-* 2>/dev/null || fail "files left after a usage error"
"$DASK" --partitions 3 --unit fortnight -o ../out lines-0.csv 2>"$TMP/err"
[ $? = 2 ] && grep -q "^custseg-dask: --unit: 'fortnight' is not day, week or month" "$TMP/err" ||
    fail "--unit fortnight: $(cat "$TMP/err")"

[ "$("$DASK" --version)" = "custseg-dask (custseg) $(custseg-summary --version | awk '{print $NF}')" ] ||
    fail "--version: $("$DASK" --version)"
"$DASK" --help | head -1 | grep -q "^Usage: custseg-dask " || fail "--help"
"$DASK" --partitions 3 --no-such-option -o ../out lines-0.csv 2>"$TMP/err"
[ $? = 2 ] && grep -q "unknown option '--no-such-option'" "$TMP/err" || fail "unknown option: $(cat "$TMP/err")"
"$DASK" --partitions 3 --partial -o ../out lines-0.csv 2>"$TMP/err"
[ $? = 2 ] || fail "--partial was passed through"

DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=1s "$DASK" --scheduler tcp://127.0.0.1:9 \
    --partitions 3 -o ../out lines-0.csv 2>"$TMP/err"
rc=$?
[ $rc = 2 ] || fail "exit $rc with no scheduler, expected 2"
grep -q "^custseg-dask: cannot reach the scheduler (tcp://127.0.0.1:9)" "$TMP/err" || fail "$(cat "$TMP/err")"
[ "$(wc -l <"$TMP/err")" = 1 ] || fail "more than one line with no scheduler: $(cat "$TMP/err")"
[ ! -e ../out ] && ! ls -d ../out.tmp-* 2>/dev/null || fail "files left with no scheduler"

# 20 partitions for 42 customers (ids 123..): 3 without customers
zcat "$DATASETS/online_retail.csv.gz" | awk -F, 'NR == 1 || $(NF-1) ~ /^123/' >"$TMP/few.csv"
custseg-summary -qq --skip missing-id "$TMP/few.csv" >"$TMP/one.csv"
custseg-clv fit -qq --model pnbd -o "$TMP/pnbd.json" "$TMP/one.csv" || fail "fit pnbd"
custseg-clv predict -qq --model "$TMP/pnbd.json" "$TMP/one.csv" >"$TMP/scores.csv" || fail "predict"
"$DASK" --scheduler-file "$SCHED_FILE" --partitions 20 --skip missing-id -qq \
    --fit pnbd --score -o ../few "$TMP/few.csv" 2>"$TMP/err" || fail "20 partitions: $(cat "$TMP/err")"
[ ! -s "$TMP/err" ] || fail "-qq printed: $(cat "$TMP/err")"
check_same "$TMP/one.csv" ../few/summary.csv "summary.csv of 20 partitions"
check_same "$TMP/scores.csv" ../few/scores.csv "scores.csv of 20 partitions"
check_params "$TMP/pnbd.json" ../few/pnbd.json
empty=0
for p in $(seq -f %05g 0 19); do
    [ "$(wc -l <../few/partitions/summary-$p.csv)" = 1 ] || continue
    empty=$((empty + 1))
    [ "$(cat ../few/partitions/scores-$p.csv)" = "$(head -1 "$TMP/scores.csv")" ] ||
        fail "scores-$p.csv of an empty partition is not the header alone"
done
[ $empty -ge 1 ] || fail "no partition without customers"

# an existing OUTDIR is refused, and replaced with --force
"$DASK" --scheduler-file "$SCHED_FILE" --partitions 2 -o ../few lines-0.csv 2>"$TMP/err" &&
    fail "an existing OUTDIR was not refused"
grep -q "^custseg-dask: '../few' exists" "$TMP/err" || fail "no message for an existing OUTDIR: $(cat "$TMP/err")"
"$DASK" --scheduler-file "$SCHED_FILE" --partitions 2 --skip missing-id --force \
    -o ../few lines-0.csv 2>/dev/null || fail "--force"
custseg-summary -qq --skip missing-id lines-0.csv >"$TMP/one-0.csv"
check_same "$TMP/one-0.csv" ../few/summary.csv "--force: summary.csv"
[ ! -e ../few/pnbd.json ] || fail "--force kept the old OUTDIR's files"
! ls -d ../few.old-* ../few.tmp-* 2>/dev/null || fail "--force left a directory"

# SIGTERM while the map tasks run: exit 143, no OUTDIR, no temporary
CUSTSEG_DASK_TEST_DELAY=1.5 "$DASK" --scheduler-file "$SCHED_FILE" --partitions 3 \
    --skip missing-id -o ../out lines-0.csv lines-1.csv 2>"$TMP/err" &
driver=$!
PIDS+=("$driver")
for _ in $(seq 400); do
    ls ../out.tmp-*/attempts/map-* >/dev/null 2>&1 && break
    sleep 0.05
done
kill -TERM "$driver"
wait "$driver"
rc=$?
[ $rc = 143 ] || fail "exit $rc after SIGTERM, expected 143: $(cat "$TMP/err")"
grep -q "^custseg-dask: interrupted by signal 15$" "$TMP/err" || fail "SIGTERM: $(cat "$TMP/err")"
sleep 2 # the map tasks that were running end
[ ! -e ../out ] && ! ls -d ../out.tmp-* 2>/dev/null || fail "files left after SIGTERM"

# on a terminal (script(1) gives it one): one line updated in place per stage
if command -v script >/dev/null; then
    script -qec "'$DASK' --scheduler-file '$SCHED_FILE' --partitions 3 --skip missing-id -o ../out-tty lines-0.csv lines-1.csv" \
        /dev/null >"$TMP/tty" </dev/null || fail "on a terminal: $(cat "$TMP/tty")"
    grep -q "custseg-dask: map 2/2" "$TMP/tty" || fail "no progress: $(cat -v "$TMP/tty")"
    grep -q "custseg-dask: reduce 3/3" "$TMP/tty" || fail "no progress: $(cat -v "$TMP/tty")"
    head -1 "$TMP/tty" | grep -q "map 0/2.*map 2/2.*reduce 3/3" ||
        fail "the progress is not one line: $(cat -v "$TMP/tty")"
    grep -q "^custseg-dask: reduce of partition [0-2]: custseg-summary: left out" "$TMP/tty" ||
        fail "no warning naming its partition: $(cat -v "$TMP/tty")"
    [ -f ../out-tty/summary.csv ] || fail "on a terminal: no summary"
fi
exit 0
