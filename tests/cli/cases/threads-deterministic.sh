# The output does not depend on the number of threads, with records in
# order and out of order (the second reading), with and without a holdout.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
m="$DATASETS/CDNOW_master.txt"
{ head -1 "$m"; tail -n +2 "$m" | sort -r; } > "$TMP/shuffled.txt"
for f in "$m" "$TMP/shuffled.txt"; do
    for o in "" "--calibration-end 1997-09-30 --unit week"; do
        custseg-summary --quiet -j 1 $o "$f" > "$TMP/1.csv"
        for j in 2 3 8; do
            custseg-summary --quiet -j $j $o "$f" | cmp -s - "$TMP/1.csv" || echo "DIFFERENT: -j $j $o $(basename "$f")"
        done
    done
done
custseg-summary --quiet -j 1 "$m" | cmp -s - "$TMP/1.csv" || true
echo "rows: $(wc -l < "$TMP/1.csv")"
custseg-summary --quiet "$m" | cmp - <(custseg-summary --quiet "$TMP/shuffled.txt") && echo "shuffled log: same summary"
