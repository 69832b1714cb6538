# custseg-clv patterns (issue #13): the pattern table of the CDNOW_master
# summary in weeks, fitted, gives the model file the summary gives: the same
# digits everywhere (parameters, standard errors, covariance, log-likelihood,
# customers, patterns, fingerprint), only the recorded input and command line
# differ. The table has a row per distinct (frequency, t_x, T), in order.
# (Pareto/NBD, slower: clv-patterns-cdnow-pnbd.)
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
custseg-summary --quiet --unit week "$DATASETS/CDNOW_master.txt" > "$TMP/s.csv"
custseg-clv patterns --model bgnbd -o "$TMP/p.csv" "$TMP/s.csv" 2>&1 | sed "s|$TMP/||"
head -4 "$TMP/p.csv"
python3 "$SRC/tests/cli/check-patterns.py" purchase "$TMP/p.csv" "$TMP/s.csv"
echo "bytes: $(wc -c < "$TMP/p.csv") (summary: $(wc -c < "$TMP/s.csv"))"
# the three purchase models share the table
for m in pnbd mbgnbd; do
    custseg-clv patterns -q --model $m -o "$TMP/p-$m.csv" "$TMP/s.csv"
    cmp "$TMP/p.csv" "$TMP/p-$m.csv" && echo "$m: the same table"
done
for m in bgnbd mbgnbd; do
    custseg-clv fit -q --model $m -o "$TMP/a.json" "$TMP/s.csv"
    custseg-clv fit -q --model $m -o "$TMP/b.json" "$TMP/p.csv"
    python3 "$SRC/tests/cli/same-model.py" $m "$TMP/a.json" "$TMP/b.json" "$TMP/p.csv"
done
