# A line over the 64 MiB cap with --on-error skip: the run must end (it used
# to loop forever; with --rejects it read freed memory), count the record,
# and keep the good lines after it. Once a long unquoted line, once a stray
# quote that swallows over 64 MiB of good lines: those up to the cap are
# lost and counted as lines, reading resumes after the line the cap falls in.
python3 - "$TMP" <<'PY'
import sys
t = sys.argv[1]
with open(t + "/long.csv", "w") as f:
    f.write("customer_id,date,amount\nC1,2024-01-01,3\nC2,2024-01-02,")
    f.write("9" * (65 << 20))
    f.write("\nC3,2024-01-03,2\n")
with open(t + "/quote.csv", "w") as f:
    f.write('customer_id,date,amount\nC1,2024-01-01,3\nC2,2024-01-02,"5\n')
    line = "C9,2024-01-09,1\n"  # 16 bytes
    f.write(line * ((65 << 20) // len(line)))
    f.write("C3,2024-01-03,2\nC4,2024-01-04,1\n")
PY
echo "-- long line, skip:"
timeout 60 custseg-summary --on-error skip "$TMP/long.csv" 2>&1 | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
echo "-- long line, skip with rejects:"
timeout 60 custseg-summary --on-error skip --rejects "$TMP/rej.csv" "$TMP/long.csv" 2>&1 |
    sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
echo "rejects: $(wc -l < "$TMP/rej.csv") lines, $(wc -c < "$TMP/rej.csv") bytes," \
    "starts $(head -c 18 "$TMP/rej.csv")"
echo "-- stray quote over the cap, skip with rejects:"
timeout 60 custseg-summary --on-error skip --rejects "$TMP/rej.csv" "$TMP/quote.csv" 2>&1 |
    sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
echo "rejects: $(wc -l < "$TMP/rej.csv") lines, $(wc -c < "$TMP/rej.csv") bytes"
echo "-- long line, no skip:"
timeout 60 custseg-summary "$TMP/long.csv" 2>&1 | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
