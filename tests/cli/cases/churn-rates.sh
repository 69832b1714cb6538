# custseg-churn rates. A hand-made log, data ending 2024-04-10 (April is not
# whole, so the periods are Jan..Mar 2024):
#   a buys Jan, Feb, Mar; b Jan, Mar; c Feb; d Feb, and in March a purchase
#   and its return on the same day (net 0: not a purchase day, as in
#   custseg-summary, so March does not count for d); e first buys in April.
# Active: Jan {a,b} 2, Feb {a,c,d} 3, Mar {a,b} 2. Churned next period:
# Jan 1 (b) -> 0.5; Feb 2 (c, d) -> 0.667; Mar unknown (no next period).
# Cohorts: Jan {a,b}: Jan 2, Feb 1, Mar 2; Feb {c,d}: Feb 2, Mar 0.
# With --alert-rate 0.6 only Feb is marked; in all 3 of the 5 active
# customer-periods with a next period churned (60%). Then bad input.
set -e
cat > "$TMP/log.csv" <<'CSV'
customer,date,amount
a,2024-01-05,10
b,2024-01-20,5
a,2024-02-10,10
c,2024-02-02,7
d,2024-02-28,9
a,2024-03-01,10
b,2024-03-15,5
d,2024-03-30,20
d,2024-03-30,-20
e,2024-04-10,3
CSV
echo "-- by month, alert above 0.6"
custseg-churn rates --alert-rate 0.6 "$TMP/log.csv" 2>&1
echo "-- cohorts"
custseg-churn rates --cohorts "$TMP/log.csv"
echo "-- cohorts as a matrix: Jan 1, 0.5, 1; Feb -, 1, 0"
custseg-churn rates --matrix "$TMP/log.csv"
echo "-- as of 2024-02-29: Jan and Feb only"
custseg-churn rates --as-of 2024-02-29 "$TMP/log.csv"
echo "-- the same records in reverse order (read twice): the same rates"
{ head -1 "$TMP/log.csv"; tail -n +2 "$TMP/log.csv" | tac; } > "$TMP/rev.csv"
custseg-churn rates --quiet "$TMP/rev.csv" | cmp - <(custseg-churn rates --quiet "$TMP/log.csv") && echo same
echo "-- by year: 2024 is not whole"
custseg-churn rates --period year "$TMP/log.csv" 2>&1 || echo "exit $?"
set +e
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
run "bad period" custseg-churn rates --period week "$TMP/log.csv"
run "an option of another command" custseg-churn rates --horizon 3 "$TMP/log.csv"
run "--format json is evaluate's" custseg-churn rates --format json "$TMP/log.csv"
run "bad alert rate" custseg-churn rates --alert-rate 1.5 "$TMP/log.csv"
custseg-summary --quiet "$TMP/log.csv" > "$TMP/sum.csv"
run "a summary is not a log" custseg-churn rates "$TMP/sum.csv"
printf 'customer,date,amount\n' > "$TMP/empty.csv"
run "no records" custseg-churn rates "$TMP/empty.csv"
run "nothing before --as-of" custseg-churn rates --as-of 2023-12-31 "$TMP/log.csv"
run "out of order on standard input" sh -c "custseg-churn rates < '$TMP/rev.csv'"
run "bad delimiter in a record" custseg-churn rates bad/field-count.csv
