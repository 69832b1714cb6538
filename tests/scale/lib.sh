# Sourced by the scale tests: tests/scale/NAME.sh BUILD_DIR SRC_DIR.
# (NO_DASK=1: the test needs no Dask.) Sets PATH to the built tools, $TMP (removed at exit, with every process
# the test started), $DASK (the configured driver), and gives:
#   start_cluster            a scheduler and two one-thread workers on
#                            127.0.0.1 (random port): $SCHED_FILE, $WORKER_PIDS
#   make_log FILE            Online Retail twice (the second copy's customers
#                            renamed): about 1.08M lines, returns, empty ids;
#                            a tenth of it under the sanitizers (CUSTSEG_SANITIZED)
#   split_lines LOG DIR K    K files by line ranges, every other one reversed
#                            (days out of order), each with the header
#   split_invoice LOG DIR K  K files by invoice number mod K (the same
#                            customer-day in several files)
#   check_same A B WHAT      byte-identical, or fail naming WHAT
#   check_params A B         the "params" of two model files, digit for digit
set -u
BUILD=$1 SRC=$2
PY=/usr/bin/python3 # Debian's: python3-distributed is installed for it
export PATH="$BUILD/cmd:/usr/bin:$PATH"
export LC_ALL=C
DATASETS="${CUSTSEG_DATASETS:-$SRC/../shared/datasets}"
DASK="$BUILD/custseg-dask"
skip() { echo "skipped: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -f "$DATASETS/online_retail.csv.gz" ] || skip "../shared/datasets is absent"
if [ -z "${NO_DASK:-}" ]; then
    "$PY" -c 'import distributed' 2>/dev/null || skip "python3-distributed is not installed"
    command -v dask-scheduler >/dev/null && command -v dask-worker >/dev/null ||
        skip "dask-scheduler/dask-worker are not installed"
fi

TMP=$(mktemp -d)
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

start_cluster() {
    SCHED_FILE=$TMP/scheduler.json
    dask-scheduler --host 127.0.0.1 --port 0 --no-dashboard \
        --scheduler-file "$SCHED_FILE" >"$TMP/scheduler.log" 2>&1 &
    PIDS+=($!)
    WORKER_PIDS=()
    local i
    for i in 1 2; do # they wait for the scheduler file
        dask-worker --scheduler-file "$SCHED_FILE" --nthreads 1 --no-nanny \
            --no-dashboard --name "w$i" --local-directory "$TMP/w$i" \
            >"$TMP/worker$i.log" 2>&1 &
        PIDS+=($!)
        WORKER_PIDS+=($!)
    done
    for _ in $(seq 1200); do
        [ "$(grep -l "Registered to:" "$TMP"/worker[12].log 2>/dev/null | wc -l)" = 2 ] && return
        sleep 0.05
    done
    cat "$TMP"/*.log >&2
    fail "the cluster did not start"
}

make_log() {
    local lines=999999
    [ -n "${CUSTSEG_SANITIZED:-}" ] && lines=54000
    zcat "$DATASETS/online_retail.csv.gz" | head -$lines >"$1.one"
    # the second copy: ids 9NNNNN.0 (the line ends ",CustomerID,Country")
    { cat "$1.one"; tail -n +2 "$1.one" | sed -E 's/,([0-9]+\.0),([^,]*)$/,9\1,\2/'; } >"$1"
    rm "$1.one"
}

split_lines() { # LOG DIR K
    mkdir -p "$2"
    local k
    awk -v d="$2" -v k="$3" -v n="$(($(wc -l <"$1") - 1))" '
        NR == 1 { for (i = 0; i < k; i++) print > (d "/lines-" i ".csv"); next }
        { print > (d "/lines-" int((NR - 2) * k / n) ".csv") }' "$1"
    for k in $(seq 1 2 $(($3 - 1))); do
        { head -1 "$2/lines-$k.csv"; tail -n +2 "$2/lines-$k.csv" | tac; } >"$2/rev"
        mv "$2/rev" "$2/lines-$k.csv"
    done
}

split_invoice() { # LOG DIR K
    mkdir -p "$2"
    awk -F, -v d="$2" -v k="$3" 'NR == 1 { h = $0; for (i = 0; i < k; i++) print h > (d "/invoice-" i ".csv"); next }
        { n = $1; sub(/^[A-Z]/, "", n); print > (d "/invoice-" (n % k) ".csv") }' "$1"
}

check_same() { # A B WHAT
    cmp -s "$1" "$2" || { diff "$1" "$2" | head -5 >&2; fail "$3 differs"; }
}

check_params() { # A B
    "$PY" - "$1" "$2" <<'PY' || fail "the parameters of $1 and $2 differ"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
for k in ("model", "params", "standard_errors", "log_likelihood", "customers", "time_unit"):
    if a.get(k) != b.get(k):
        sys.exit(f"{k}: {a.get(k)} != {b.get(k)}")
PY
}
