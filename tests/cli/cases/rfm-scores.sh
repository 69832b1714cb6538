# Scores derived by hand. 100 customers with frequency 1..100: the type-7
# quantiles at .2 .4 .6 .8 are 20.8, 40.6, 60.4, 80.2, so each score has
# exactly 20 customers; recency 1..100 days is scored the other way round
# (1..20 days -> 5). A column of equal values gives one score to all.
set -e
awk 'BEGIN { print "customer_id,frequency,t_x_days,T_days,days_since_last,purchase_days,total_value"
             for (i = 1; i <= 100; i++) printf "c%03d,%d,0,0,%d,%d,50\n", i, i - 1, i, i }' > "$TMP/u.csv"
custseg-rfm --quiet --segments simple "$TMP/u.csv" > "$TMP/s.csv"
echo "f_score sizes: $(tail -n +2 "$TMP/s.csv" | cut -d, -f6 | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')"
echo "r_score sizes: $(tail -n +2 "$TMP/s.csv" | cut -d, -f5 | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')"
echo "m_score values (all equal): $(tail -n +2 "$TMP/s.csv" | cut -d, -f7 | sort -u | tr '\n' ' ')"
grep -E '^c0(01|20|21|99)' "$TMP/s.csv"
custseg-rfm --segments simple "$TMP/u.csv" 2>&1 >/dev/null
