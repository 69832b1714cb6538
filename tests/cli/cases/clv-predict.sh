# predict with the published CDNOW BG/NBD and Gamma-Gamma parameters; the
# first customer's expected purchases (1.226 over 39 weeks) agree with the
# posterior integral in tests/models/test-bgnbd.c
set -e
cat > "$TMP/bg.json" <<'JSON'
{"format": "custseg-model", "version": 1, "model": "bgnbd", "time_unit": "week",
 "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}}
JSON
cat > "$TMP/gg.json" <<'JSON'
{"format": "custseg-model", "version": 1, "model": "gg",
 "params": {"p": 6.25, "q": 3.74, "gamma": 15.44}}
JSON
printf 'customer_id,frequency,t_x_weeks,T_weeks,monetary_value\n0001,2,30.43,38.86,22.35\n0002,1,1.71,38.86,11.77\n0003,0,0,38.86,0\n' > "$TMP/s.csv"
custseg-clv predict --model "$TMP/bg.json" --spend "$TMP/gg.json" --dert 0.01 "$TMP/s.csv"
custseg-clv predict --model "$TMP/bg.json" --format jsonl --horizon 52 "$TMP/s.csv" | head -1
