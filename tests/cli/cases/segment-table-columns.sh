# custseg-rfm and custseg-pyramid read any customer table by column names:
# the summary with its columns renamed (and moved) gives the same scores
# and tiers as the summary itself; a missing column is named.
set -e
custseg-summary --quiet small.csv > "$TMP/s.csv"
awk -F, -v OFS=, 'NR == 1 { print "total", "client", "days", "orders"; next }
                  { print $10, $1, $9, $5 }' "$TMP/s.csv" > "$TMP/t.csv"
cat "$TMP/t.csv"
custseg-rfm --quiet "$TMP/s.csv" > "$TMP/rfm1.csv"
custseg-rfm --quiet --customer-column client --recency-column days --frequency-column orders \
    --monetary-column total "$TMP/t.csv" > "$TMP/rfm2.csv"
cmp "$TMP/rfm1.csv" "$TMP/rfm2.csv" && echo "rfm: the same scores"
custseg-rfm --quiet --monetary mean "$TMP/s.csv" > "$TMP/rfm1.csv"
custseg-rfm --quiet --monetary mean --customer-column client --recency-column days \
    --frequency-column orders --monetary-column total "$TMP/t.csv" > "$TMP/rfm2.csv"
cmp "$TMP/rfm1.csv" "$TMP/rfm2.csv" && echo "rfm --monetary mean: the same scores"
custseg-pyramid --quiet --scheme custom --cuts 0.4 "$TMP/s.csv" > "$TMP/p1.csv"
custseg-pyramid --quiet --scheme custom --cuts 0.4 --customer-column client --value-column total \
    "$TMP/t.csv" > "$TMP/p2.csv"
cmp "$TMP/p1.csv" "$TMP/p2.csv" && echo "pyramid: the same tiers"
cat "$TMP/p2.csv"
set +e
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
run "rfm: no such column" custseg-rfm --customer-column client "$TMP/t.csv"
run "pyramid: no such column" custseg-pyramid --customer-column id --value-column total "$TMP/t.csv"
run "rfm: a frequency below 1" custseg-rfm --customer-column client --recency-column days \
    --frequency-column days --monetary-column total "$TMP/t.csv"
