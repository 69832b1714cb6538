# A summary as R's write.csv writes it (every name and string quoted) is the
# same table: rfm, pyramid and clv read it as they read custseg-summary's.
custseg-summary -q --unit week small.csv > "$TMP/plain.csv"
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) $i = "\"" $i "\"" }
         NR > 1 { $1 = "\"" $1 "\""; $2 = "\"" $2 "\""; $3 = "\"" $3 "\"" } { print }' \
    "$TMP/plain.csv" > "$TMP/quoted.csv"
head -2 "$TMP/quoted.csv"
for t in custseg-rfm custseg-pyramid; do
    $t -q "$TMP/plain.csv" > "$TMP/a"; $t -q "$TMP/quoted.csv" > "$TMP/b"
    cmp -s "$TMP/a" "$TMP/b" && echo "$t: same output" || echo "$t: DIFFERENT"
done
custseg-clv fit -qq --model bgnbd "$TMP/plain.csv" | grep -v -e seconds -e '"command"' -e '"name"' -e '"bytes"' -e '"sha256"' > "$TMP/a"
custseg-clv fit -qq --model bgnbd "$TMP/quoted.csv" | grep -v -e seconds -e '"command"' -e '"name"' -e '"bytes"' -e '"sha256"' > "$TMP/b"
cmp -s "$TMP/a" "$TMP/b" && echo "custseg-clv fit: same model" || echo "custseg-clv fit: DIFFERENT"
