# The segment report's orders (records of the segment's customers), their
# share and the average order value (revenue / orders), as R's
# rfm_segment_summary has them: checked against custseg-summary's
# per-customer transactions and total_value, summed by the segment of each
# customer in custseg-rfm's per-customer output (joined on the id with awk).
# A log with returns (a cancellation is a record) and a summary table read
# back give the same report. (The log has 2 records more than the summary:
# the two of a customer with returns only, left out of the summary.)
awk 'BEGIN { srand(7); print "customer_id,date,amount"
             for (i = 1; i <= 400; i++) {
                 c = sprintf("k%03d", int(rand() * 120))
                 d = sprintf("2024-%02d-%02d", 1 + int(rand() * 6), 1 + int(rand() * 28))
                 a = (rand() < 0.05 ? -1 : 1) * (1 + int(rand() * 9000)) / 100
                 print c "," d "," a } }' > "$TMP/log.csv"
custseg-summary -q "$TMP/log.csv" > "$TMP/sum.csv"
custseg-rfm -q "$TMP/sum.csv" > "$TMP/rfm.csv"
custseg-rfm -q --report "$TMP/sum.csv" > "$TMP/report.csv"
custseg-rfm -q --report "$TMP/log.csv" | cmp - "$TMP/report.csv" && echo "from the log: the same report"
head -1 "$TMP/report.csv"
awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) col[FILENAME, $i] = i; next }
         FILENAME ~ /sum.csv$/ { tx[$1] = $col[FILENAME, "transactions"]; val[$1] = $col[FILENAME, "total_value"]; next }
         FILENAME ~ /rfm.csv$/ { s = $col[FILENAME, "segment"]; o[s] += tx[$1]; r[s] += val[$1]; all += tx[$1]; next }
         { s = $col[FILENAME, "segment"]
           oo = $col[FILENAME, "orders"]; sh = $col[FILENAME, "order_share"]; aov = $col[FILENAME, "aov"]
           ok = oo == o[s] && (sh - o[s] / all)^2 < 1e-20 && ((aov - r[s] / o[s]) / aov)^2 < 1e-20
           printf "%s: orders %d, summed %d, aov %s: %s\n", s, oo, o[s], aov, ok ? "agree" : "DIFFER"
           n += oo }
         END { print "orders in all:", n, "records in the summary:", all }' "$TMP/sum.csv" "$TMP/rfm.csv" "$TMP/report.csv"
echo "records in the log: $(($(wc -l < "$TMP/log.csv") - 1))"
echo "-- a table without a transactions column: orders and aov left empty"
cut -d, -f1,2,3,5- "$TMP/sum.csv" | custseg-rfm -q --report | head -2
