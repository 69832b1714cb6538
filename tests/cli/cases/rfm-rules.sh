# Rule order is honoured (the first rule that holds wins), overlaps are
# reported, impossible rules and unknown files are errors.
set -e
awk 'BEGIN { print "customer_id,frequency,t_x_days,T_days,days_since_last,purchase_days,total_value"
             for (i = 1; i <= 10; i++) printf "c%02d,%d,0,0,%d,%d,%d\n", i, i - 1, 11 - i, i, i * 10 }' > "$TMP/c.csv"
echo '[{"name": "Top", "r": [4, 5]}, {"name": "Frequent", "f": [3, 5]}]' > "$TMP/a.json"
echo '[{"name": "Frequent", "f": [3, 5]}, {"name": "Top", "r": [4, 5]}]' > "$TMP/b.json"
custseg-rfm --segments "$TMP/a.json" "$TMP/c.csv" 2>&1 | cut -d, -f1,5,6,10 | sed "s|$TMP/||" | tail -4
custseg-rfm --quiet --segments "$TMP/b.json" "$TMP/c.csv" | cut -d, -f1,5,6,10 | tail -4
set +e
echo '[{"name": "Never", "r": [4, 2]}]' > "$TMP/bad.json"
custseg-rfm --segments "$TMP/bad.json" "$TMP/c.csv" 2>&1 | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"
echo '[{"name": "Six", "f": [6, 6]}]' > "$TMP/six.json"
custseg-rfm --segments "$TMP/six.json" "$TMP/c.csv" 2>&1 | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"
custseg-rfm --segments nosuch.json "$TMP/c.csv" 2>&1; echo "exit $?"
custseg-rfm --bins 4 "$TMP/c.csv" 2>&1; echo "exit $?"
awk 'BEGIN { print "customer_id,frequency,t_x_days,T_days,days_since_last,purchase_days,total_value"
             for (i = 1; i <= 5; i++) printf "z%d,0,0,0,%d,1,0\n", i, i }' > "$TMP/zero.csv"
custseg-rfm "$TMP/zero.csv" 2>&1; echo "exit $?"
printf 'customer_id,frequency,t_x_days,T_days\nx,1,2,3\n' | custseg-rfm 2>&1; echo "exit $?"
