# Recency and frequency alone, for a log without amounts (--no-amount), by
# hand. As of 2024-01-31 (the last date):
#   A  01-10 01-20 01-31     R 0   F 3
#   B  01-01                 R 30  F 1
#   C  01-25 01-25           R 6   F 1 (two records, one purchase day)
#   D  01-05 01-15           R 16  F 2
#   E  01-29 01-30           R 1   F 2
# Cut points by hand: recency 5, 20 (score 1 + cut points above: 0 and 1 -> 3,
# 6 and 16 -> 2, 30 -> 1); frequency 1, 2 (1 + cut points below: 1 -> 1,
# 2 -> 2, 3 -> 3). Cells R3F3 R1F1 R2F1 R2F2 R3F2; the built-in rf segments:
# R3F3 Need Attention, R1-2 F1-2 Hibernating, R3F2 About To Sleep.
# Saved RF breaks score recency and frequency alone. Rules on the monetary
# score are refused, and so is RFM without amounts.
printf 'customer_id,date\nA,2024-01-10\nB,2024-01-01\nA,2024-01-20\nC,2024-01-25\nC,2024-01-25\nD,2024-01-05\nD,2024-01-15\nE,2024-01-29\nE,2024-01-30\nA,2024-01-31\n' > "$TMP/log.csv"
custseg-rfm -q --no-amount --breaks-r 5,20 --breaks-f 1,2 "$TMP/log.csv"
custseg-rfm -q --no-amount --breaks-r 5,20 --breaks-f 1,2 --report "$TMP/log.csv"
echo "-- the same from a summary without amounts, and --variables rf on a log with them"
custseg-summary -q --no-amount "$TMP/log.csv" | custseg-rfm -q --breaks-r 5,20 --breaks-f 1,2 | cmp - <(custseg-rfm -q --no-amount --breaks-r 5,20 --breaks-f 1,2 "$TMP/log.csv") && echo "summary table: same"
custseg-rfm -q --variables rf small.csv | head -3
echo "-- RF breaks: saved without monetary, applied as RF to a log with amounts, refused with --monetary"
custseg-rfm -q --no-amount --breaks-r 5,20 --breaks-f 1,2 --breaks-out "$TMP/rf.json" "$TMP/log.csv" > /dev/null
python3 -c 'import json, sys; b = json.load(open(sys.argv[1])); print({k: b[k] for k in ("variables", "monetary_kind", "as_of", "scores")}, "monetary" in b)' "$TMP/rf.json"
custseg-rfm -q --breaks "$TMP/rf.json" small.csv | cut -d, -f1,4-
custseg-rfm -q --breaks "$TMP/rf.json" --monetary total small.csv 2>&1 | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"
echo "-- refused"
echo '[{"name": "Recent", "r": [3, 5]}, {"name": "Big", "m": [5, 5]}]' > "$TMP/m.json"
custseg-rfm -q --no-amount --segments "$TMP/m.json" "$TMP/log.csv" 2>&1 | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"
custseg-rfm -q --no-amount --segments simple "$TMP/log.csv" 2>&1; echo "exit $?"
custseg-rfm -q --no-amount --variables rfm "$TMP/log.csv" 2>&1; echo "exit $?"
custseg-rfm -q --no-amount --breaks-m 10 "$TMP/log.csv" 2>&1; echo "exit $?"
custseg-summary -q --no-amount "$TMP/log.csv" | custseg-rfm -q --variables rfm 2>&1; echo "exit $?"
