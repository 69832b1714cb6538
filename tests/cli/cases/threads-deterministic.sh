# The output does not depend on the number of threads: custseg-summary
# with records in order and out of order (the second reading), with and
# without a holdout, then the tools that take -j on the same data. Any
# difference fails the case (exit 1), whatever the golden files say.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -eo pipefail
m="$DATASETS/CDNOW_master.txt"
{ head -1 "$m"; tail -n +2 "$m" | sort -r; } > "$TMP/shuffled.txt"
differ=0
same() { # NAME FILE...: every FILE equals the first
    local a=$1 f=$2; shift 2
    for g in "$@"; do
        if ! cmp -s "$f" "$g"; then
            echo "DIFFERENT: $a: $(basename "$f") vs $(basename "$g")"
            differ=1
        fi
    done
}
for f in "$m" "$TMP/shuffled.txt"; do
    for o in "" "--calibration-end 1997-09-30 --unit week"; do
        for j in 1 2 8; do custseg-summary --quiet -j $j $o "$f" > "$TMP/s$j.csv"; done
        same "summary $o $(basename "$f")" "$TMP/s1.csv" "$TMP/s2.csv" "$TMP/s8.csv"
    done
done
echo "summary rows: $(wc -l < "$TMP/s1.csv")"
custseg-summary --quiet "$m" > "$TMP/a.csv"
custseg-summary --quiet "$TMP/shuffled.txt" > "$TMP/b.csv"
same "shuffled log" "$TMP/a.csv" "$TMP/b.csv"
cal="$TMP/s1.csv"  # calibration summary in weeks of the shuffled log
for j in 1 2 8; do
    custseg-rfm -q -j $j "$m" > "$TMP/rfm$j.csv"
    custseg-pyramid -q -j $j "$m" > "$TMP/pyr$j.csv"
    custseg-clv fit -q -j $j --model pnbd "$cal" > "$TMP/pnbd$j.json"
    custseg-clv predict -q -j $j --model "$TMP/pnbd1.json" "$cal" > "$TMP/pred$j.csv"
done
same rfm "$TMP"/rfm{1,2,8}.csv
same pyramid "$TMP"/pyr{1,2,8}.csv
# the model file records how long the fit took and its command line: compare
# everything else
for j in 1 2 8; do grep -v -e '"seconds"' -e '"command"' "$TMP/pnbd$j.json" > "$TMP/pnbd$j.cmp"; done
same "clv fit" "$TMP"/pnbd{1,2,8}.cmp
same "clv predict" "$TMP"/pred{1,2,8}.csv
echo "rfm rows: $(wc -l < "$TMP/rfm1.csv"), predictions: $(wc -l < "$TMP/pred1.csv")"
exit $differ
