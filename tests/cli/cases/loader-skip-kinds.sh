# --skip KIND,... skips only the kinds named; --on-error skip is every kind.
# Under skip, a budget: by default more than 1 % of the lines read lost to
# one kind (other than missing-id; once over 10 lines) fails the run, naming
# the kind, its count, the rate and the first offending line.
# A month exported with US dates (month/day) read with --date-format
# '%d/%m/%Y': 19 of its 31 days do not parse (day > 12 in the month field),
# the other 12 parse with day and month swapped.
{
    echo customer_id,date,amount
    for d in $(seq 1 31); do printf 'C%d,03/%02d/2024,10\n' "$d" "$d"; done
    for i in $(seq 1 100); do echo "D$i,15/01/2024,5"; done
    echo ',15/01/2024,1'
} > "$TMP/us.csv"
echo "-- every kind skipped, the default budget trips on the dates"
custseg-summary --on-error skip --date-format %d/%m/%Y "$TMP/us.csv" 2>&1 >/dev/null | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
echo "-- only missing ids skipped: the first bad date stops the run"
custseg-summary --skip missing-id --date-format %d/%m/%Y "$TMP/us.csv" 2>&1 >/dev/null | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
echo "-- with the budget lifted for dates: the run goes on (and says what it lost)"
custseg-summary --skip missing-id,bad-date --max-reject-rate bad-date=none \
    --date-format %d/%m/%Y "$TMP/us.csv" \
    2>&1 >"$TMP/out.csv" | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}, $(tail -n +2 "$TMP/out.csv" | wc -l) customers"
echo "-- a count limit: --max-rejects 0 fails on the first kind with a loss"
custseg-summary --on-error skip --max-rejects 0 --max-reject-rate none bad/mixed.csv 2>&1 >/dev/null
echo "exit ${PIPESTATUS[0]}"
echo "-- --skip missing-id stops at another kind; named limits apply to missing-id too"
custseg-summary --skip missing-id bad/mixed.csv 2>&1 >/dev/null
echo "exit ${PIPESTATUS[0]}"
custseg-summary --skip missing-id,bad-date,bad-amount --max-reject-rate 10% bad/mixed.csv 2>&1 >/dev/null
echo "exit ${PIPESTATUS[0]}"
custseg-summary --skip all --max-reject-rate 0.5 --max-reject-rate missing-id=0.5 bad/mixed.csv 2>&1 >/dev/null
echo "exit ${PIPESTATUS[0]}"
echo "-- dates that all parse, all on day 1-12, over more than a month: swapped"
{
    echo customer_id,date,amount
    for m in 01 02 03 04 05 06; do for d in 01 05 09 12; do echo "C$m,$d/$m/2024,1"; done; done
} > "$TMP/swap.csv"
custseg-summary --date-format '%m/%d/%Y' "$TMP/swap.csv" 2>&1 >/dev/null
echo "exit ${PIPESTATUS[0]}"
echo "-- usage errors"
custseg-summary --skip bad-dates bad/mixed.csv 2>&1; echo "exit $?"
custseg-summary --max-reject-rate 150% bad/mixed.csv 2>&1; echo "exit $?"
custseg-summary --max-rejects dates=3 bad/mixed.csv 2>&1; echo "exit $?"
custseg-summary --max-reject-rate 5% bad/mixed.csv 2>&1; echo "exit $?"
