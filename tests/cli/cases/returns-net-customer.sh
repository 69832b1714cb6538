# --returns net-customer nets a day that returns bring to <= 0 against the
# customer's most recent earlier purchase day; net leaves it apart (in
# total_value, not in monetary_value) and says so with the value.
#   A: 01-01 +100, 01-10 +50, 01-20 -30 (a cancellation on its own day)
#      net: 2 purchase days, monetary 50; net-customer: monetary 50-30 = 20
#   B: 01-02 -5 only (nothing earlier): left out under both
#   C: 01-03 +40, 01-04 -40 (first day cancelled: first-day value 0)
{
    echo customer_id,date,amount
    echo A,2024-01-01,100
    echo A,2024-01-10,50
    echo A,2024-01-20,-30
    echo B,2024-01-02,-5
    echo C,2024-01-03,40
    echo C,2024-01-04,-40
    echo C,2024-01-25,10
} > "$TMP/log.csv"
for r in net net-customer; do
    echo "-- $r"
    custseg-summary --returns $r "$TMP/log.csv" 2>"$TMP/err" | cut -d, -f1,5,6,10,11
    cat "$TMP/err"
done
custseg-summary --returns net-customer --partial "$TMP/log.csv" 2>&1; echo "exit $?"
