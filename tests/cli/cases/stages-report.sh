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
# from a custseg-summary table (its end of observation read back): the same
# report; only the funnel's loyal dates are missing (said on stderr)
custseg-summary -q --as-of 2025-01-01 stages/log.csv > "$TMP/sum.csv"
custseg-stages --prospects stages/prospects.csv --contacts stages/contacts.csv \
    --referrals stages/referrals.csv --report --funnel "$TMP/funnel.csv" "$TMP/sum.csv" 2>&1 >"$TMP/report2.csv" |
    grep -v 'rows\|customers'
if cmp -s "$TMP/report.csv" "$TMP/report2.csv"; then echo "the same report from the summary table"; fi
cut -d, -f1,2,6,7 "$TMP/funnel.csv"
