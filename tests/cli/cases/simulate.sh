# Seeded: the same options give the same bytes; another seed other bytes.
set -e
p="--params bgnbd:0.243,4.414,0.793,2.426 --spend-params 6.25,3.74,15.44 -n 300 --start 2024-01-01 --end 2025-12-31"
custseg-simulate $p --seed 5 > "$TMP/a.csv"
custseg-simulate $p --seed 5 > "$TMP/b.csv"
custseg-simulate $p --seed 6 > "$TMP/c.csv"
cmp -s "$TMP/a.csv" "$TMP/b.csv" && echo "same seed: same bytes"
cmp -s "$TMP/a.csv" "$TMP/c.csv" || echo "other seed: other bytes"
head -4 "$TMP/a.csv"
custseg-summary --quiet "$TMP/a.csv" | tail -n +2 | wc -l
set +e
custseg-simulate --params pnbd:1,2 2>&1; echo "exit $?"
custseg-simulate --params bgnbd:0.2,4,0.8,2 --start 2024-05-01 --end 2024-01-01 2>&1; echo "exit $?"
