# -q hides chatter, not warnings (#11): custseg-pyramid at the three levels.
# Chatter: the migration rates of --compare-as-of.
# Warnings: a value tier left empty (too few customers for its share), and a
# table without days_since_last (every customer counts as active).
{
    echo customer_id,date,amount
    for c in 1 2 3 4 5 6 7 8 9; do echo "C$c,2024-01-0$c,${c}0"; done
    echo "C1,2024-03-01,5"
    echo "C9,2024-03-02,500"
    echo "C0,2024-05-01,5"
} > "$TMP/log.csv"
printf 'customer_id,total_value\na,10\nb,5\nc,1\n' > "$TMP/t.csv"
for q in "" -q -qq --silent; do
    echo "-- ${q:-default}"
    custseg-pyramid $q --as-of 2024-04-01 --compare-as-of 2024-02-01 -o /dev/null \
        "$TMP/log.csv" 2>&1
    echo "exit $?"
    custseg-pyramid $q --value-column total_value -o /dev/null "$TMP/t.csv" 2>&1
    echo "exit $?"
done
