# custseg-report on CDNOW with a holdout: every section and chart is there,
# and its numbers are the tools' numbers for the same data (Gini and top
# shares, tiers, segments, model parameters, holdout totals), checked by
# tests/report/check-report.py from the DOM.
[ -f "$DATASETS/CDNOW_master.txt" ] || { echo "no datasets" >&2; exit 77; }
set -e
opts=(--delimiter whitespace --customer customer_id --date date --amount dollar_value
      --calibration-end 1997-09-30)
custseg-report -q "${opts[@]}" "$DATASETS/CDNOW_master.txt" -o "$TMP/report.html"
custseg-summary -q "${opts[@]}" --unit week "$DATASETS/CDNOW_master.txt" -o "$TMP/s.csv"
custseg-pyramid -q --concentration "$TMP/concentration.json" --report "$TMP/s.csv" > "$TMP/pyramid.csv"
custseg-rfm -qq --report "$TMP/s.csv" > "$TMP/rfm.csv"
custseg-clv fit -qq --model bgnbd "$TMP/s.csv" -o "$TMP/model.json"
custseg-clv validate -q --model "$TMP/model.json" "$TMP/s.csv" > "$TMP/validate.csv"
custseg-churn evaluate -qq --model "$TMP/model.json" -f json "$TMP/s.csv" > "$TMP/evaluate.json"
python3 "$SRC/tests/report/check-report.py" "$TMP/report.html" "$TMP"
