# All outputs of a run are committed together after everything succeeded,
# or none: a --rejects file that cannot be written leaves -o as it was, in
# every tool that reads transactions; a good run writes both.
{ cat small.csv; echo "C9,not-a-date,1"; } > "$TMP/log.csv"
for t in "custseg-summary" "custseg-rfm" "custseg-pyramid" "custseg-clv fit --model bgnbd" \
         "custseg-churn rates"; do
    echo "old contents" > "$TMP/out"
    $t -qq --on-error skip --rejects /dev/full -o "$TMP/out" "$TMP/log.csv" 2>&1 | sed "s|$TMP/||"
    echo "$t: exit ${PIPESTATUS[0]}, -o now: $(head -c 12 "$TMP/out")"
done
custseg-summary -q --on-error skip --rejects "$TMP/rej.csv" -o "$TMP/out" bad/mixed.csv
echo "good run: exit $?, $(wc -l < "$TMP/out") summary lines, $(tail -n +2 "$TMP/rej.csv" | wc -l) rejected"
# a main output that cannot be written takes the rejects with it
rm -f "$TMP/rej.csv"
custseg-summary -q --on-error skip --rejects "$TMP/rej.csv" -o /dev/full bad/mixed.csv 2>&1
echo "exit $?, rejects file: $(ls "$TMP/rej.csv" 2>/dev/null || echo none)"
echo "left in the folder: $(ls -A "$TMP" | grep -v '^out$\|^rej\|^log.csv$' | tr '\n' ' ')"
