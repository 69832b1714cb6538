# Bootstrap intervals: seeded (same bytes twice), and each interval holds
# its point estimate for nearly every customer.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
custseg-summary --quiet --no-header --output-header yes --delimiter whitespace \
    --customer 2 --date 3 --amount 5 --calibration-end 1997-09-30 --as-of 1998-06-30 \
    --unit week "$DATASETS/CDNOW_sample.txt" > "$TMP/cal.csv"
custseg-clv fit --model bgnbd -o "$TMP/bg.json" "$TMP/cal.csv"
custseg-clv fit --model gg -o "$TMP/gg.json" "$TMP/cal.csv"
b="--model $TMP/bg.json --spend $TMP/gg.json --bootstrap 40 --seed 9"
custseg-clv predict $b "$TMP/cal.csv" > "$TMP/a.csv"
custseg-clv predict $b "$TMP/cal.csv" > "$TMP/b.csv"
cmp -s "$TMP/a.csv" "$TMP/b.csv" && echo "seeded: same bytes"
head -1 "$TMP/a.csv"
awk -F, 'NR > 1 { n++; if ($5 >= $10 && $5 <= $11) e++; if ($9 >= $14 && $9 <= $15) c++; if ($10 > $11) bad++ }
    END { printf "customers %d; expected purchases inside the interval: %.1f%%; CLV: %.1f%%; inverted intervals: %d\n", n, 100 * e / n, 100 * c / n, bad }' "$TMP/a.csv"
