# A record over the line cap (--max-line-bytes, set small here: the default
# is 64 MiB) is a bad record: with --on-error stop a clear error at its
# first line; with --on-error skip it is dropped up to the end of the line
# where it passes the cap, counted with the lines it spans, written to
# --rejects (cut to the cap), and reading goes on.
{
    echo customer_id,date,amount
    echo C1,2024-01-01,1
    printf 'C2,2024-01-02,%05000d\n' 0          # one line of 5015 bytes
    echo C3,2024-01-03,1
    echo 'C4,"2024-01-04,1'                     # a stray quote
    for i in $(seq 1 500); do echo "D$i,2024-01-05,1"; done
} > "$TMP/log.csv"
echo "-- stop"
custseg-summary --max-line-bytes 4096 "$TMP/log.csv" 2>&1 | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
echo "-- skip: the 235 lines lost count against the default budget (1 % of the lines)"
custseg-summary --max-line-bytes 4096 --on-error skip "$TMP/log.csv" 2>&1 >/dev/null | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
echo "-- skip, no limit"
custseg-summary --max-line-bytes 4096 --on-error skip --max-reject-rate none \
    --rejects "$TMP/rej.csv" -v \
    "$TMP/log.csv" 2>&1 >"$TMP/out.csv" | sed "s|$TMP/||" | grep -v "column\|separated"
echo "exit ${PIPESTATUS[0]}"
echo "customers $(tail -n +2 "$TMP/out.csv" | wc -l)"
echo "first kept after the stray quote: $(tail -n +2 "$TMP/out.csv" | grep '^D' | sort -t D -k2 -n | head -1 | cut -d, -f1)"
echo "rejects: $(wc -l < "$TMP/rej.csv") lines (a header, and the records CSV-quoted), $(wc -c < "$TMP/rej.csv") bytes"
sed "s|$TMP/||" "$TMP/rej.csv" | cut -c1-100 | head -3
echo "-- a cap too small"
custseg-summary --max-line-bytes 10 "$TMP/log.csv" 2>&1
echo "exit $?"
ls "$TMP"
