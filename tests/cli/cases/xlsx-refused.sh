# Refused as usage errors (exit 2), naming the option: a workbook without
# -o, to standard output (-o -), to a pipe or to a terminal; --precision
# out of 1..15 or not a whole number; --decimal-comma with jsonl, json or
# xlsx; the table options on a command that writes no table. Nothing is
# written.
. "$SRC/tests/cli/xlsx.sh"
run() { "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
run custseg-summary -q -f xlsx small.csv
run custseg-summary -q --format xlsx -o - small.csv
mkfifo "$TMP/fifo"
run custseg-summary -q -f xlsx -o "$TMP/fifo" small.csv
# a terminal, under script(1)'s pseudo-terminal (bsdutils, essential on Debian)
script -qec "custseg-summary -q -f xlsx -o /dev/tty small.csv" /dev/null | tr -d '\r'; echo "exit ${PIPESTATUS[0]}"
run custseg-summary -q -f xls -o "$TMP/x.xlsx" small.csv
for p in 0 16 abc 3.5 ""; do run custseg-summary -q --precision "$p" small.csv; done
run custseg-summary -q --decimal-comma -f jsonl small.csv
run custseg-summary -q --decimal-comma -f xlsx -o "$TMP/x.xlsx" small.csv
run custseg-summary -q --partial --precision 4 small.csv
printf 'customer_id,frequency,recency_weeks,T_weeks\n1,2,30.43,38.86\n' > "$TMP/s.csv"
echo '{"format": "custseg-model", "version": 1, "model": "bgnbd", "time_unit": "week", "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}}' > "$TMP/bg.json"
run custseg-churn evaluate -q --model "$TMP/bg.json" -f json --decimal-comma "$TMP/s.csv"
run custseg-clv fit --model bgnbd --precision 4 -o "$TMP/m.json" "$TMP/s.csv"
run custseg-rfm -q -f xlsx small.csv
run custseg-pyramid -q -f xlsx -o - small.csv
run custseg-clv predict --model "$TMP/bg.json" -f xlsx "$TMP/s.csv"
run custseg-churn score -q --model "$TMP/bg.json" -f xlsx "$TMP/s.csv"
ls "$TMP"
