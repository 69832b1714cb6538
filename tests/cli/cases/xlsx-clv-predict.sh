# custseg-clv predict --format xlsx (sheet Predictions): the workbook read
# back with openpyxl equals the CSV of the same command; the ids 0001...
# stay text, expected_spend and clv have #,##0.00; with --precision 5 too.
. "$SRC/tests/cli/xlsx.sh"
set -e
cat > "$TMP/bg.json" <<'JSON'
{"format": "custseg-model", "version": 1, "model": "bgnbd", "time_unit": "week",
 "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}}
JSON
cat > "$TMP/gg.json" <<'JSON'
{"format": "custseg-model", "version": 1, "model": "gg",
 "params": {"p": 6.25, "q": 3.74, "gamma": 15.44}}
JSON
printf 'customer_id,frequency,recency_weeks,T_weeks,monetary_value\n0001,2,30.43,38.86,22.35\n0002,1,1.71,38.86,11.77\n0003,0,0,38.86,0\n1e5,7,37.1,38.86,1500.25\n' > "$TMP/s.csv"
for opts in "" "--spend $TMP/gg.json --dert 0.01" "--spend $TMP/gg.json --precision 5"; do
    custseg-clv predict --model "$TMP/bg.json" $opts "$TMP/s.csv" > "$TMP/p.csv"
    custseg-clv predict --model "$TMP/bg.json" $opts -f xlsx -o "$TMP/p.xlsx" "$TMP/s.csv"
    echo "${opts:-(defaults)}:" | sed "s|$TMP/||g"
    xlsx_check "$TMP/p.xlsx" "$TMP/p.csv" --sheet Predictions --id customer_id \
        --money expected_spend,clv
done
