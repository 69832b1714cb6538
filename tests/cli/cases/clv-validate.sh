# The holdout table on CDNOW (39 weeks), from the calibration/holdout summary.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
custseg-summary --quiet --no-header --output-header yes --delimiter whitespace \
    --customer 2 --date 3 --amount 5 --calibration-end 1997-09-30 --as-of 1998-06-30 \
    --unit week "$DATASETS/CDNOW_sample.txt" > "$TMP/cal.csv"
custseg-clv fit --model bgnbd -o "$TMP/bg.json" "$TMP/cal.csv"
custseg-clv fit --model gg -o "$TMP/gg.json" "$TMP/cal.csv"
custseg-clv validate --model "$TMP/bg.json" --spend "$TMP/gg.json" "$TMP/cal.csv"
# -q hides information, and both lines above are information (the
# correlation is small): nothing on standard error, the same table (#11)
custseg-clv validate -q --model "$TMP/bg.json" --spend "$TMP/gg.json" "$TMP/cal.csv" 2> "$TMP/err" > "$TMP/q.csv"
custseg-clv validate --model "$TMP/bg.json" --spend "$TMP/gg.json" "$TMP/cal.csv" 2> /dev/null | cmp - "$TMP/q.csv"
echo "validate -q: $(wc -c < "$TMP/err") bytes on standard error"
