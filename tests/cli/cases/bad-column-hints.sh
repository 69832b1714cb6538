# Errors about columns and options: the library says what is wrong and
# which setting it concerns; the tool words the hint with its options.
printf 'who,when,what\nC1,2024-01-05,10\n' > "$TMP/noname.csv"
custseg-summary "$TMP/noname.csv" 2>&1 | sed "s|$TMP/||"
printf 'customer_id,when,what\nC1,2024-01-05,10\n' > "$TMP/nodate.csv"
custseg-summary "$TMP/nodate.csv" 2>&1 | sed "s|$TMP/||"
custseg-summary --customer who --date when --amount price "$TMP/noname.csv" 2>&1 | sed "s|$TMP/||"
custseg-summary --no-header --customer 1 --date 2 "$TMP/noname.csv" 2>&1 | head -2 | sed "s|$TMP/||"
printf 'C1,2024-01-05,10\n' > "$TMP/data.csv"
custseg-summary "$TMP/data.csv" 2>&1 | sed "s|$TMP/||"
custseg-summary --quantity 2 --customer 1 --date 2 --amount 3 "$TMP/data.csv" 2>&1
custseg-summary --quantity 2 --price 3 --customer 1 --date 2 --amount 3 "$TMP/data.csv" 2>&1
custseg-summary -q --partial small.csv > "$TMP/a.part"
custseg-summary -q --partial --as-of 2024-12-31 small.csv > "$TMP/b.part"
custseg-summary --merge "$TMP/a.part" "$TMP/b.part" 2>&1 | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
