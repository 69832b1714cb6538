# custseg-report --xlsx: the workbook's sheets, read back with openpyxl,
# equal the tools' CSV for the same data (pyramid and segment reports,
# holdout totals, churn rates and cohorts): numbers as number cells, ids as
# text, bold frozen headers with autofilters. A failed run leaves neither
# the page nor the workbook.
[ -f "$DATASETS/CDNOW_master.txt" ] || { echo "no datasets" >&2; exit 77; }
. "$SRC/tests/cli/xlsx.sh"
set -e
opts=(--delimiter whitespace --customer customer_id --date date --amount dollar_value)
cal=(--calibration-end 1997-09-30)
custseg-report -q "${opts[@]}" "${cal[@]}" "$DATASETS/CDNOW_master.txt" -o "$TMP/report.html" \
    --xlsx "$TMP/report.xlsx"
custseg-summary -q "${opts[@]}" "${cal[@]}" --unit week "$DATASETS/CDNOW_master.txt" -o "$TMP/s.csv"
custseg-pyramid -q --report "$TMP/s.csv" > "$TMP/pyramid.csv"
custseg-rfm -qq --report "$TMP/s.csv" > "$TMP/rfm.csv"
custseg-clv fit -qq --model bgnbd "$TMP/s.csv" -o "$TMP/model.json"
custseg-clv validate -q --model "$TMP/model.json" "$TMP/s.csv" > "$TMP/validate.csv"
custseg-churn rates -q "${opts[@]}" "$DATASETS/CDNOW_master.txt" > "$TMP/rates.csv"
custseg-churn rates -q --cohorts "${opts[@]}" "$DATASETS/CDNOW_master.txt" > "$TMP/cohorts.csv"
"$XLSX_PY" "$SRC/tests/report/check-workbook.py" "$TMP/report.xlsx" "$TMP" > "$TMP/checks.txt" ||
    { cat "$TMP/checks.txt"; exit 1; }
echo "workbook checks passed: $(grep -c '^ok' "$TMP/checks.txt")"
set +e
printf 'customer,date,amount\na,2024-01-05,1\nb,2024-13-05,2\n' > "$TMP/bad.csv"
custseg-report -q "$TMP/bad.csv" -o "$TMP/bad.html" --xlsx "$TMP/bad.xlsx" 2>&1 | sed "s|$TMP/||g"
echo "exit ${PIPESTATUS[0]}; left: $(ls "$TMP" | grep -c '^bad\.\(html\|xlsx\)')"
custseg-report -q "$TMP/bad.csv" -o "$TMP/bad.html" --xlsx - 2>&1 | head -1
