# custseg-rfm writes the days since the last purchase as days_since_last
# (formerly recency; custseg-rfm(1) NAMES). A pipeline that reads the output
# back by the former name (--recency-column recency) keeps working on new
# output and on old; without --recency-column a column named recency is never
# taken for it (in other tables it is often the BTYD t_x); with both columns,
# the default reads days_since_last and --recency-column recency reads recency.
set -e
custseg-rfm --quiet --breaks-out "$TMP/b.json" "$SRC/datasets/transactions.csv.gz" > "$TMP/r.csv"
head -1 "$TMP/r.csv"
# the breaks file keeps naming the variable recency
grep '"variables"' "$TMP/b.json" | tr -d '\t'

sed '1s/,days_since_last,/,recency,/' "$TMP/r.csv" > "$TMP/r-old.csv"
back="--quiet --breaks $TMP/b.json --frequency-column frequency --monetary-column monetary"
for f in r r-old; do
    custseg-rfm $back --recency-column recency "$TMP/$f.csv" | cmp - "$TMP/r.csv"
    echo "$f.csv read back with --recency-column recency: same scores"
done
custseg-rfm $back --recency-column days_since_last "$TMP/r.csv" | cmp - "$TMP/r.csv"
echo "r.csv read back with --recency-column days_since_last: same scores"
# a summary with an extra column recency (here first to last purchase in days)
custseg-summary --quiet "$SRC/datasets/transactions.csv.gz" > "$TMP/s.csv"
awk -F, -v OFS=, 'NR == 1 { print $0, "recency"; next } { print $0, $7 }' "$TMP/s.csv" > "$TMP/s-both.csv"
custseg-rfm --quiet --breaks "$TMP/b.json" "$TMP/s.csv" > "$TMP/s.rfm"
custseg-rfm --quiet --breaks "$TMP/b.json" "$TMP/s-both.csv" | cmp - "$TMP/s.rfm"
echo "summary with both columns: days_since_last read, same scores"
custseg-rfm --quiet --breaks "$TMP/b.json" --recency-column recency "$TMP/s-both.csv" > "$TMP/s-named.rfm"
awk -F, 'NR == FNR { if (FNR > 1) tx[$1] = $7; next }
         FNR > 1 { n++; same += ($2 == tx[$1]) }
         END { print "with --recency-column recency: the recency column read for", same, "of", n }' \
    "$TMP/s.csv" "$TMP/s-named.rfm"
set +e
# recency alone, not named: refused, and the message says why
printf 'customer_id,recency,purchase_days,total_value\na,3,2,10\n' | custseg-rfm --customer-column customer_id 2>&1
echo "exit $?"
cd "$TMP"
custseg-rfm --frequency-column frequency --monetary-column monetary r-old.csv 2>&1
echo "exit $?"
