# --local 2: the driver starts its own cluster. CDNOW_master four times
# (ids renamed per copy; its zero-dollar orders left out, which Gamma-Gamma
# refuses as a repeat buyer's mean), whitespace-separated, split by line
# ranges, with a calibration period: the same summary, BG/NBD and Gamma-Gamma parameters
# and scores as one process.
. "$(dirname "$0")/lib.sh"
copies=4
[ -n "${CUSTSEG_SANITIZED:-}" ] && copies=1
for c in $(seq $copies); do
    tail -n +2 "$DATASETS/CDNOW_master.txt" | awk -v c=$c '$4 + 0 > 0 { $1 = c $1; print }'
done >"$TMP/log.txt"
mkdir "$TMP/in"
split -n l/4 -d "$TMP/log.txt" "$TMP/in/cdnow-"
opts=(--input-header no --delimiter whitespace -c 1 -d 2 -a 4 --unit week
      --calibration-end 1997-09-30)
custseg-summary -qq "${opts[@]}" "$TMP/log.txt" >"$TMP/one.csv" || fail "custseg-summary"
custseg-clv fit -qq --model bgnbd -o "$TMP/bgnbd.json" "$TMP/one.csv" || fail "fit bgnbd"
custseg-clv fit -qq --model gg -o "$TMP/gg.json" "$TMP/one.csv" || fail "fit gg"
custseg-clv predict -qq --model "$TMP/bgnbd.json" --spend "$TMP/gg.json" \
    "$TMP/one.csv" >"$TMP/scores.csv" || fail "predict"
"$DASK" --local 2 --partitions 7 "${opts[@]}" --fit gg,bgnbd --score -q \
    -o "$TMP/out" "$TMP/in"/cdnow-* 2>"$TMP/err" || { cat "$TMP/err" >&2; fail "custseg-dask --local 2"; }
[ ! -s "$TMP/err" ] || fail "-q printed: $(cat "$TMP/err")"
check_same "$TMP/one.csv" "$TMP/out/summary.csv" "summary.csv"
check_params "$TMP/bgnbd.json" "$TMP/out/bgnbd.json"
check_params "$TMP/gg.json" "$TMP/out/gg.json"
check_same "$TMP/scores.csv" "$TMP/out/scores.csv" "scores.csv"
grep -q '"workers": 2' "$TMP/out/manifest.json" || fail "the manifest does not say 2 workers"
exit 0
