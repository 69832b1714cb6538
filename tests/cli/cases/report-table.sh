# custseg-report from a summary table (and saved model files) instead of the
# log: the sections the table holds, with the tools' numbers for the same
# table (tests/report/check-report.py --table); what needs the log is left
# out and the page says so; a saved model is drawn as it is; bad tables.
[ -f "$DATASETS/CDNOW_master.txt" ] || { echo "no datasets" >&2; exit 77; }
set -e
opts=(--delimiter whitespace --customer customer_id --date date --amount dollar_value
      --calibration-end 1997-09-30)
custseg-summary -q "${opts[@]}" --unit week "$DATASETS/CDNOW_master.txt" -o "$TMP/s.csv"
custseg-report -qq "$TMP/s.csv" -o "$TMP/report.html"
custseg-pyramid -q --concentration "$TMP/concentration.json" --report "$TMP/s.csv" > "$TMP/pyramid.csv"
custseg-rfm -qq --report "$TMP/s.csv" > "$TMP/rfm.csv"
custseg-clv fit -qq --model bgnbd "$TMP/s.csv" -o "$TMP/model.json"
# the spend model leaves out repeat buyers with a mean value of 0, as the report does
awk -F, 'NR == 1 || !($6 > 0 && $11 == 0)' "$TMP/s.csv" > "$TMP/s-spend.csv"
custseg-clv fit -qq --model gg "$TMP/s-spend.csv" -o "$TMP/gg.json"
custseg-clv validate -q --model "$TMP/model.json" "$TMP/s.csv" > "$TMP/validate.csv"
custseg-churn evaluate -qq --model "$TMP/model.json" -f json "$TMP/s.csv" > "$TMP/evaluate.json"
python3 "$SRC/tests/report/check-report.py" "$TMP/report.html" "$TMP" --table | grep -c '^ok'
# ties in frequency: the page says what custseg-rfm warns
custseg-rfm -q "$TMP/s.csv" 2>&1 >/dev/null | grep ties
grep -o 'id="rfm-ties">[^.]*' "$TMP/report.html"
# saved models: the page shows their parameters, not a new fit's
custseg-report -qq --model "$TMP/model.json" --spend "$TMP/gg.json" "$TMP/s.csv" -o "$TMP/saved.html"
python3 - "$TMP/saved.html" "$TMP/model.json" "$TMP/gg.json" <<'PY'
import json, re, sys
page = open(sys.argv[1]).read()
vals = dict(re.findall(r'id="([a-z0-9-]+)"[^>]*data-value="([^"]*)"', page))
for path, prefix in ((sys.argv[2], "model-params"), (sys.argv[3], "spend-params")):
    for k, v in json.load(open(path))["params"].items():
        got = float(vals[f"{prefix}-{k}"])
        assert abs(got - v) <= 1e-9 * abs(v), (k, got, v)
        print(f"{prefix} {k}: as in the model file")
PY
set +e
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
head -4 "$TMP/s.csv" | cut -d, -f1-11 > "$TMP/small.csv"
run "a table without a holdout" custseg-report --fit bgnbd "$TMP/small.csv" -o "$TMP/small.html"
{ head -3 "$TMP/s.csv"; sed -n 4p "$TMP/s.csv" | awk -F, -v OFS=, '{ $9 = $9 + 1; print }'; } > "$TMP/end.csv"
run "rows ending on different days" custseg-report "$TMP/end.csv" -o "$TMP/x.html"
{ head -2 "$TMP/s.csv"; sed -n 3p "$TMP/s.csv" | awk -F, -v OFS=, '{ $5 = 0; print }'; } > "$TMP/pd.csv"
run "purchase_days 0" custseg-report "$TMP/pd.csv" -o "$TMP/x.html"
{ head -2 "$TMP/s.csv"; sed -n 3p "$TMP/s.csv" | awk -F, -v OFS=, '{ $6 = 3; print }'; } > "$TMP/fr.csv"
run "frequency not purchase_days - 1" custseg-report "$TMP/fr.csv" -o "$TMP/x.html"
{ head -2 "$TMP/s.csv"; sed -n 3p "$TMP/s.csv" | awk -F, -v OFS=, '{ $10 = "12.5x"; print }'; } > "$TMP/am.csv"
run "a bad amount" custseg-report "$TMP/am.csv" -o "$TMP/x.html"
cut -d, -f1-4,6-9 "$TMP/s.csv" | head -3 > "$TMP/cols.csv"
run "a column missing" custseg-report "$TMP/cols.csv" -o "$TMP/x.html"
custseg-clv patterns -qq --model bgnbd "$TMP/small.csv" -o "$TMP/pat.csv"
run "a pattern table" custseg-report "$TMP/pat.csv" -o "$TMP/x.html"
custseg-churn score -qq --model "$TMP/model.json" "$TMP/pat.csv" -o "$TMP/x.html" 2>&1 | sed "s|$TMP/||g"
run "two tables" custseg-report "$TMP/small.csv" "$TMP/small.csv" -o "$TMP/x.html"
run "a split for a table" custseg-report --calibration-end 1997-06-30 "$TMP/small.csv" -o "$TMP/x.html"
ls "$TMP"/x.html 2>&1 | sed "s|$TMP/||g"
