# custseg-churn score --format xlsx (sheet Churn scores; --report, Churn
# report): the workbook read back with openpyxl equals the CSV of the same
# command; the ids stay text, the probabilities are numbers, the bands text.
. "$SRC/tests/cli/xlsx.sh"
set -e
cat > "$TMP/bg.json" <<'JSON'
{"format": "custseg-model", "version": 1, "model": "bgnbd", "time_unit": "week",
 "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}}
JSON
printf 'customer_id,frequency,recency_weeks,T_weeks\n0001,2,30.43,38.86\n0002,1,1.71,38.86\n0003,0,0,38.86\n1e5,7,37.1,38.86\n' > "$TMP/s.csv"
for opts in "" "--precision 3" "--report"; do
    custseg-churn score -qq --model "$TMP/bg.json" $opts "$TMP/s.csv" > "$TMP/c.csv"
    custseg-churn score -qq --model "$TMP/bg.json" $opts -f xlsx -o "$TMP/c.xlsx" "$TMP/s.csv"
    sheet="Churn scores"; [ "$opts" = --report ] && sheet="Churn report"
    echo "${opts:-(defaults)}:"
    xlsx_check "$TMP/c.xlsx" "$TMP/c.csv" --sheet "$sheet" --id customer_id
done
