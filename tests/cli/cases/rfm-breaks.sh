# Saved breaks give the same scores on the same data and are applied as
# they are to other data; fixed breaks by hand; breaks for another number
# of bins are refused.
set -e
awk 'BEGIN { print "customer_id,frequency,t_x_days,T_days,days_since_last,purchase_days,total_value"
             for (i = 1; i <= 50; i++) printf "a%02d,%d,0,0,%d,%d,%d\n", i, i % 7, i * 3, i % 7 + 1, i * 10 }' > "$TMP/m1.csv"
awk 'BEGIN { print "customer_id,frequency,t_x_days,T_days,days_since_last,purchase_days,total_value"
             for (i = 1; i <= 30; i++) printf "b%02d,%d,0,0,%d,%d,%d\n", i, i % 4, i * 9, i % 4 + 1, i * 40 }' > "$TMP/m2.csv"
custseg-rfm --quiet --breaks-out "$TMP/b.json" "$TMP/m1.csv" > "$TMP/first.csv"
custseg-rfm --quiet --breaks "$TMP/b.json" "$TMP/m1.csv" | cmp - "$TMP/first.csv" && echo "same data, saved breaks: same scores"
python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); print("breaks:", b["bins"], b["recency"], b["frequency"], b["monetary"])' "$TMP/b.json"
custseg-rfm --quiet --breaks "$TMP/b.json" "$TMP/m2.csv" | head -4
custseg-rfm --quiet --segments simple --breaks-r 30,60,90,180 "$TMP/m2.csv" | awk -F, 'NR > 1 && ($2 == 27 || $2 == 90 || $2 == 270) { print $1, $2, "r_score", $5 }'
set +e
echo '[{"name": "All"}]' > "$TMP/all.json"
custseg-rfm --quiet --bins 4 --segments "$TMP/all.json" --breaks "$TMP/b.json" "$TMP/m2.csv" 2>&1 | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"
