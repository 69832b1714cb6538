# 2,000 rules that all overlap (1,999,000 pairs): ten pairs are named, then a
# count, and the run still succeeds; --quiet names none.
set -e
awk 'BEGIN { print "customer_id,frequency,t_x_days,T_days,days_since_last,purchase_days,total_value"
             for (i = 1; i <= 10; i++) printf "c%02d,%d,0,0,%d,%d,%d\n", i, i - 1, 11 - i, i, i * 10 }' > "$TMP/c.csv"
awk 'BEGIN { printf "["
             for (i = 1; i <= 2000; i++) printf "%s{\"name\": \"R%d\", \"r\": [1, 5]}", (i > 1 ? ", " : ""), i
             print "]" }' > "$TMP/many.json"
custseg-rfm --segments "$TMP/many.json" "$TMP/c.csv" > "$TMP/out" 2> "$TMP/err"
echo "exit $?, stdout lines $(wc -l < "$TMP/out"), stderr lines $(wc -l < "$TMP/err")"
head -2 "$TMP/err"
tail -2 "$TMP/err"
cut -d, -f10 "$TMP/out" | sort | uniq -c
custseg-rfm --quiet --segments "$TMP/many.json" "$TMP/c.csv" 2>&1 >/dev/null | wc -l
