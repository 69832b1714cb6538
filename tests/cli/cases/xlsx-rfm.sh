# custseg-rfm --format xlsx (scores, sheet RFM; --report, sheet Segments):
# the workbook read back with openpyxl equals the CSV of the same command;
# ids stay text, monetary columns have #,##0.00, scores are numbers.
. "$SRC/tests/cli/xlsx.sh"
set -e
{ echo customer_id,date,amount; echo 008,2024-01-05,10.00; echo 5e3,2024-04-21,99999.99
  for i in $(seq 1 30); do for j in $(seq 1 $((i % 4 + 1))); do
      echo "$((i * 7)),2024-0$j-$((10 + i % 18)),$((i * j)).$((i % 10))5"; done; done; } > "$TMP/log.csv"
for opts in "" "--report" "--report --precision 3" "--no-amount"; do
    custseg-rfm -q $opts "$TMP/log.csv" > "$TMP/r.csv"
    custseg-rfm -q $opts -f xlsx -o "$TMP/r.xlsx" "$TMP/log.csv"
    sheet=RFM; case $opts in --report*) sheet=Segments;; esac
    echo "${opts:-(defaults)}:"
    xlsx_check "$TMP/r.xlsx" "$TMP/r.csv" --sheet $sheet --id customer_id \
        --money monetary,revenue,aov,monetary_mean,monetary_median
done
