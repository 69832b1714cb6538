# t_x under its former names (custseg-summary(1) NAMES): a summary with
# recency_weeks (as custseg-summary wrote it before the rename) fits the same
# model as with t_x_weeks, and predicts, validates and scores the same; a
# table with both names reads t_x_weeks and ignores recency_weeks, here
# filled with values that would be refused (10 x T). The same for a BG/BB
# pattern table's recency and t_x.
set -e
# the first 400 customers of the demo log
gzip -dc "$SRC/datasets/transactions.csv.gz" | awk -F, 'NR == 1 || $1 <= "S00000400"' |
    custseg-summary --quiet --unit week --calibration-end 2023-12-31 > "$TMP/new.csv"
sed '1s/,t_x_weeks,/,recency_weeks,/' "$TMP/new.csv" > "$TMP/old.csv"
awk -F, -v OFS=, 'NR == 1 { $0 = $0 ",recency_weeks"; print; next } { print $0, 10 * $8 + 1 }' \
    "$TMP/new.csv" > "$TMP/both.csv"
for f in new old both; do
    head -1 "$TMP/$f.csv" | tr , '\n' | grep -n 'recency\|t_x' | tr '\n' ' '; echo "($f)"
done
for f in new old both; do
    custseg-clv fit --model bgnbd -o "$TMP/$f.json" "$TMP/$f.csv"
done
# the fitted numbers (params, standard errors, log-likelihood, counts, unit;
# the model files also record the input's name and checksum, which differ)
fitted() { sed -n '/"params"/,/"covariance"/p; /"log_likelihood"\|"customers"\|"patterns"\|"time_unit"/p' "$1"; }
fitted "$TMP/new.json" > "$TMP/new.fit"
grep -c . "$TMP/new.fit"
for f in old both; do fitted "$TMP/$f.json" | cmp - "$TMP/new.fit" && echo "bgnbd fit on $f: same"; done
for f in new old both; do
    custseg-clv predict --model "$TMP/new.json" "$TMP/$f.csv" > "$TMP/$f.pred"
    custseg-clv validate -q --model "$TMP/new.json" "$TMP/$f.csv" > "$TMP/$f.val"
    custseg-churn score -qq --model "$TMP/new.json" "$TMP/$f.csv" > "$TMP/$f.churn"
done
# the outputs name the column t_x_weeks whatever the input called it
head -1 "$TMP/old.pred"
for x in pred val churn; do
    cmp "$TMP/new.$x" "$TMP/old.$x" && cmp "$TMP/new.$x" "$TMP/both.$x" && echo "$x: same"
done
set +e
# an error names the column as the table does
printf 'customer_id,frequency,recency_weeks,T_weeks\na,1,30,20\n' | custseg-clv fit --model bgnbd 2>&1
echo "exit $?"
# pattern tables: recency and t_x, and both (t_x read)
printf 'frequency,recency,periods,weights\n0,0,6,300\n1,1,6,50\n1,6,6,40\n2,5,6,30\n3,6,6,25\n4,6,6,20\n5,6,6,15\n6,6,6,40\n2,3,6,10\n' \
    > "$TMP/p-old.csv"
sed '1s/recency/t_x/' "$TMP/p-old.csv" > "$TMP/p-new.csv"
awk -F, -v OFS=, 'NR == 1 { print "recency", $0; next } { print 9, $0 }' "$TMP/p-new.csv" > "$TMP/p-both.csv"
for f in p-new p-old p-both; do custseg-clv fit --model bgbb -o "$TMP/$f.json" "$TMP/$f.csv" || echo "exit $?"; done
fitted "$TMP/p-new.json" > "$TMP/p-new.fit"
for f in p-old p-both; do fitted "$TMP/$f.json" | cmp - "$TMP/p-new.fit" && echo "bgbb fit on $f: same"; done
printf 'frequency,recency,periods\n2,7,6\n' | custseg-clv fit --model bgbb 2>&1; echo "exit $?"
