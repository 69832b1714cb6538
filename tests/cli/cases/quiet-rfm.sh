# -q hides chatter, not warnings (#11): custseg-rfm at the three levels.
# Chatter: the loader's count of a skipped record and
# the overlapping segments of a rule file (the first rule wins, as
# documented). Warning: ties that leave fewer frequency bins than asked.
{
    echo customer_id,date,amount
    for c in 1 2 3 4 5 6 7 8; do echo "C$c,2024-01-0$c,$c"; done
    echo "C1,2024-02-01,5"
    echo ",2024-02-02,5"
    echo "C9,2024-04-01,5"
} > "$TMP/log.csv"
echo '[{"name": "Top", "r": [3, 4]}, {"name": "Recent", "r": [2, 4]}]' > "$TMP/rules.json"
for q in "" -q -qq --silent; do
    echo "-- ${q:-default}"
    custseg-rfm $q --on-error skip --as-of 2024-03-01 --segments "$TMP/rules.json" \
        --bins 4 -o /dev/null "$TMP/log.csv" 2>&1
    echo "exit $?"
done
