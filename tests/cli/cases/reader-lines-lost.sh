# One stray quote swallows every line after it, to the end of the input:
# one bad record, but the count says how many lines were lost, and -v gives
# their range. The lines lost count against the default budget (1 % of the
# lines read), so the run fails unless the user lifts it.
{
    echo customer_id,date,amount
    echo C1,2024-01-01,1
    echo 'C2,"2024-01-02,1'
    for i in $(seq 1 299); do echo "D$i,2024-01-05,1"; done
} > "$TMP/log.csv"
custseg-summary --on-error skip "$TMP/log.csv" 2>&1 >/dev/null | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
custseg-summary --on-error skip --max-reject-rate none --rejects "$TMP/rej.csv" "$TMP/log.csv" \
    2>&1 >/dev/null | sed "s|$TMP/||"
echo "rejects: $(wc -l < "$TMP/rej.csv") lines (a header, and one record over 300 lines)"
custseg-summary -v --on-error skip --max-reject-rate bad-quote=none "$TMP/log.csv" 2>&1 >/dev/null | sed "s|$TMP/||" |
    grep -v "column\|separated\|header"
