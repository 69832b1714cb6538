# Issue #2 acceptance: CDNOW sample, weeks, calibration end 1997-09-30, as-of
# 1998-06-30, against Fader & Hardie's published summary (cdnow_customers_summary*.csv).
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
custseg-summary --no-header --delimiter whitespace --customer 2 --date 3 --amount 5 \
    --calibration-end 1997-09-30 --as-of 1998-06-30 --unit week \
    "$DATASETS/CDNOW_sample.txt" > "$TMP/s.csv"
# columns: 1 id, 6 frequency, 7 t_x_weeks, 8 T_weeks, 11 monetary_value,
#          12 frequency_holdout, 14 duration_holdout_weeks
awk -F, '{ n++; f += $6; if ($6 == 0) z++; if ($8 > t) t = $8; d[$14] = 1 }
    END { printf "customers %d, sum of frequency %d, frequency 0: %d, largest T %s\n", n, f, z, t
          for (k in d) printf "holdout duration %s weeks\n", k }' "$TMP/s.csv"
# 272/7 = 38.857142857142..., printed with 12 decimals
# every customer against the published x, t_x, T (2 decimals) and zbar
awk -F, 'NR == FNR { if (FNR > 1) { x[$1 + 0] = $2; r[$1 + 0] = $3; T[$1 + 0] = $4 }; next }
    function off(a, b) { return (a - b > 0.00501 || b - a > 0.00501) } # 2-decimal rounding
    { id = $1 + 0; seen++
      if (!(id in x)) { print "not published: " $1; bad++; next }
      if ($6 != x[id]) { print "frequency differs for " $1; bad++ }
      if (off($7, r[id])) { print "t_x differs for " $1; bad++ }
      if (off($8, T[id])) { print "T differs for " $1; bad++ } }
    END { printf "frequency, t_x, T: %d customers compared, %d differences\n", seen, bad }' \
    "$DATASETS/cdnow_customers_summary.csv" "$TMP/s.csv"
awk -F, 'NR == FNR { if (FNR > 1) z[$1 + 0] = $5; next }
    { id = $1 + 0; seen++; d = $11 - z[id]; if (d > 0.00501 || d < -0.00501) { print "zbar differs for " $1; bad++ } }
    END { printf "monetary_value vs zbar: %d customers compared, %d differences\n", seen, bad }' \
    "$DATASETS/cdnow_customers_summary_with_transactions.csv" "$TMP/s.csv"
# The holdout counts purchase days: derived here straight from the raw file.
awk '$3 > 19970930 && $3 <= 19980630 { d[$2 " " $3] = 1 } END { n = 0; for (k in d) n++; print "raw holdout customer-days " n }' \
    "$DATASETS/CDNOW_sample.txt"
awk -F, '{ h += $12 } END { print "summary holdout purchase days " h }' "$TMP/s.csv"
