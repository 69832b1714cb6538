# New-customer purchases from the published CDNOW BG/NBD: the probabilities
# sum to 1 (the K+ row takes the rest) and the mean is E[X(t)]; a BG/BB model
# counts opportunities.
cat > "$TMP/bg.json" <<'JSON'
{"format": "custseg-model", "version": 1, "model": "bgnbd", "time_unit": "week",
 "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}}
JSON
custseg-clv new --model "$TMP/bg.json" --horizon 39 --max-k 5
cat > "$TMP/bb.json" <<'JSON'
{"format": "custseg-model", "version": 1, "model": "bgbb", "period": "year",
 "params": {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}}
JSON
custseg-clv new --model "$TMP/bb.json" --horizon 6 --max-k 7 --format tsv
custseg-clv new --model "$TMP/bg.json" extra.csv 2>&1; echo "exit $?"
