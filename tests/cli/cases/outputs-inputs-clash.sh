# An output that would overwrite an input of the run, two outputs on one
# file, and one log named twice are refused before anything is written.
run() { "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
cp small.csv "$TMP/log.csv"
{ cat small.csv; echo "C9,not-a-date,1"; } > "$TMP/bad.csv"
run custseg-summary --on-error skip --rejects "$TMP/bad.csv" "$TMP/bad.csv"
run custseg-summary -q --on-error skip --rejects "$TMP/x.csv" -o "$TMP/x.csv" "$TMP/bad.csv"
run custseg-summary -o "$TMP/log.csv" "$TMP/log.csv"
ln "$TMP/log.csv" "$TMP/link.csv"
run custseg-summary -o "$TMP/link.csv" "$TMP/log.csv"
run custseg-summary "$TMP/log.csv" "$TMP/link.csv"
run custseg-summary "$TMP/log.csv" "$TMP/../work/log.csv"
custseg-summary -q -o "$TMP/sum.csv" "$TMP/log.csv"
run custseg-rfm --breaks-out "$TMP/sum.csv" "$TMP/sum.csv"
run custseg-pyramid --concentration "$TMP/sum.csv" "$TMP/sum.csv"
echo "inputs intact: $(cmp -s small.csv "$TMP/log.csv" && echo yes), $(head -c 11 "$TMP/sum.csv"), $(wc -l < "$TMP/bad.csv") lines in bad.csv"
