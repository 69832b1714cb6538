# custseg-pyramid --window and --compare-as-of take their values from the
# summary builder, one run per date: customers are sorted by id (as in a
# summary), a day that a return nets to 0 is no purchase day (as
# custseg-summary counts it), and the value of a window counts only its
# records. Two dates read the log twice: standard input is refused.
printf 'customer_id,date,amount\nZ,2024-01-10,100\nB,2024-01-15,10\nC,2024-05-31,7\nZ,2024-06-01,5\nB,2024-06-02,300\nB,2024-06-02,-300\nC,2024-06-03,50\n' > "$TMP/t.csv"
echo "-- window of 30 days up to 2024-06-30"
custseg-pyramid --quiet --scheme custom --cuts 0.5 --window 30 --as-of 2024-06-30 "$TMP/t.csv"
echo "-- the same log summarised: purchase days and days since the last"
custseg-summary --quiet --as-of 2024-06-30 "$TMP/t.csv" | cut -d, -f1,5,9
echo "-- migration"
custseg-pyramid --scheme custom --cuts 0.5 --compare-as-of 2024-03-31 \
    --as-of 2024-06-30 "$TMP/t.csv" 2>&1
echo "-- from standard input"
custseg-pyramid --scheme custom --cuts 0.5 --compare-as-of 2024-03-31 < "$TMP/t.csv" 2>&1
echo "exit $?"
