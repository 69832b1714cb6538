# No evidence of drop-out (everyone keeps buying to the end): the fit says
# so in plain words and writes the NBD limit, with its log-likelihood.
set -e
awk 'BEGIN { print "customer_id,frequency,t_x_weeks,T_weeks"
             for (i = 0; i < 400; i++) { T = 20 + i % 30; x = i % 7
                 printf "c%d,%d,%.2f,%d\n", i, x, x ? T - 0.01 * (i % 5) : 0, T } }' > "$TMP/steady.csv"
custseg-clv fit --model bgnbd -o "$TMP/m.json" "$TMP/steady.csv"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print("model", m["model"], "boundary", m["convergence"]["boundary"], "params", sorted(m["params"]))' "$TMP/m.json"
custseg-clv predict --model "$TMP/m.json" --horizon 10 "$TMP/steady.csv" | head -3
