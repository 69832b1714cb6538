# A stray quote in the middle of a small file swallows the good lines after
# it into one bad record: the skip message counts the lines lost, not just
# the one record, and the rejects file holds them all.
printf 'customer_id,date,amount\nC1,2024-01-01,3\nC2,2024-01-02,"5\nC3,2024-01-03,2\nC4,2024-01-04,1\nC5,2024-01-05,"x"y\nC6,2024-01-06,4\nC7,2024-01-07,z\n' \
    > "$TMP/q.csv"
custseg-summary --on-error skip --rejects "$TMP/rej.csv" "$TMP/q.csv" 2>&1 | sed "s|$TMP/||"
echo "-- rejects:"; cat "$TMP/rej.csv"
echo "-- unterminated at the end:"
printf 'customer_id,date,amount\nC1,2024-01-01,3\nC2,2024-01-02,"5\nC3,2024-01-03,2\nC4,2024-01-04,1\n' \
    > "$TMP/u.csv"
custseg-summary --on-error skip "$TMP/u.csv" 2>&1 | sed "s|$TMP/||"
