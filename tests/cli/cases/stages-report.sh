# custseg-stages --report on the hand-built case (see stages-types): per
# type customers, shares, value (total_value) and the customers found only
# in side tables; the counts equal the per-customer rows.
set -e
S="custseg-stages -q --as-of 2025-01-01 --prospects stages/prospects.csv --contacts stages/contacts.csv --referrals stages/referrals.csv"
$S --report stages/log.csv | tee "$TMP/report.csv"
$S stages/log.csv > "$TMP/rows.csv"
awk -F, 'NR > 1 { n[$2]++; v[$2] += $5; t++ } END { for (k in n) print k, n[k], v[k]; print "total", t }' \
    "$TMP/rows.csv" | sort > "$TMP/from-rows"
awk -F, 'NR > 1 && $2 > 0 { print $1, $2, ($1 == "total" ? "" : $4) }' "$TMP/report.csv" |
    sed 's/ $//' | sort > "$TMP/from-report"
if diff "$TMP/from-rows" "$TMP/from-report"; then echo "report counts and values equal the rows"; fi
