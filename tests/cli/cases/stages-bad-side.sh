# Bad side tables of custseg-stages: file:line:column messages, exit 1, and
# nothing written (-o keeps the file as it was).
L=stages/log.csv
run() { custseg-stages -q --as-of 2025-01-01 -o "$TMP/out.csv" "$@" "$L" 2>&1 | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"; }
echo keep > "$TMP/out.csv"
printf 'who,date\nA,2024-01-01\n' > "$TMP/noid.csv"
run --prospects "$TMP/noid.csv"
printf 'referred_id,date\nA,2024-01-01\n' > "$TMP/noref.csv"
run --referrals "$TMP/noref.csv"
run --prospects stages/prospects.csv --side-date when
printf 'customer_id,date\nA,2024-01-01\nB,2024-13-01\n' > "$TMP/baddate.csv"
run --contacts "$TMP/baddate.csv"
run --contacts "$TMP/baddate.csv" -j 1
# a bad log and a bad side table (read on a thread meanwhile): the log's error
printf 'customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-02,ten\n' > "$TMP/badlog.csv"
custseg-stages -q --contacts "$TMP/baddate.csv" "$TMP/badlog.csv" 2>&1 | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"
printf 'customer_id,date\nA,2024-01-01\n,2024-02-01\n' > "$TMP/emptyid.csv"
run --prospects "$TMP/emptyid.csv"
printf 'customer_id,date\nA,2024-01-01,x\n' > "$TMP/ragged.csv"
run --contacts "$TMP/ragged.csv"
printf 'customer_id,date\nA,01/02/2024\n' > "$TMP/dm.csv"
run --contacts "$TMP/dm.csv"
# with --date-format the side tables' dates follow the log's pattern
printf 'customer_id,date,amount\nA,05/01/2024,10\n' > "$TMP/dm-log.csv"
printf 'customer_id,date\nA,01/02/2024\nB,2024-02-01\n' > "$TMP/dm2.csv"
custseg-stages -q --date-format '%d/%m/%Y' --contacts "$TMP/dm2.csv" "$TMP/dm-log.csv" 2>&1 | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"
printf 'customer_id,refs\nA,2\nD,maybe\n' > "$TMP/flag.csv"
run --referrals "$TMP/flag.csv" --referral-flag refs
run --referrals "$TMP/flag.csv" --referral-flag count
: > "$TMP/empty.csv"
run --prospects "$TMP/empty.csv"
run --prospects "$TMP/missing.csv"
cat "$TMP/out.csv"
# usage errors
custseg-stages --referral-flag refs "$L"; echo "exit $?"
custseg-stages --loyal-min-days 1 "$L"; echo "exit $?"
custseg-stages --active-within 0 "$L"; echo "exit $?"
# a workbook funnel on standard output: a usage error
custseg-stages -q -f xlsx --funnel - -o "$TMP/out.xlsx" "$L" 2>&1 | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"
