# Each bad input: a clear message and exit 1.
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
printf 'customer_id,frequency,recency_weeks,T_weeks\na,0,0,10\nb,0,0,12\nc,0,0,30\n' > "$TMP/norepeat.csv"
run "no repeat buyers" custseg-clv fit --model bgnbd "$TMP/norepeat.csv"
printf 'customer_id,frequency,recency_weeks,T_weeks\na,2,5,10\nb,2,5,10\n' > "$TMP/same.csv"
run "identical customers" custseg-clv fit --model bgnbd "$TMP/same.csv"
printf 'customer_id,frequency,recency_weeks,T_weeks,monetary_value\na,2,5,10,-3\nb,1,4,10,5\n' > "$TMP/neg.csv"
run "negative spend" custseg-clv fit --model gg "$TMP/neg.csv"
printf 'customer_id,frequency,recency_weeks,T_weeks,monetary_value\na,2,5,10,0\nb,1,4,10,5\n' > "$TMP/zero.csv"
run "zero spend" custseg-clv fit --model gg "$TMP/zero.csv"
printf 'customer_id,frequency,recency_weeks,T_weeks\na,2,5,10\nb,1,4,10\nc,0,0,8\n' > "$TMP/s.csv"
cat > "$TMP/m.json" <<'JSON'
{"format": "custseg-model", "version": 1, "model": "bgnbd", "time_unit": "week",
 "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}}
JSON
head -c 60 "$TMP/m.json" > "$TMP/truncated.json"
run "truncated model file" custseg-clv predict --model "$TMP/truncated.json" "$TMP/s.csv"
sed 's/"version": 1/"version": 7/' "$TMP/m.json" > "$TMP/v7.json"
run "another version" custseg-clv predict --model "$TMP/v7.json" "$TMP/s.csv"
sed 's/"week"/"day"/' "$TMP/m.json" > "$TMP/days.json"
run "another unit" custseg-clv predict --model "$TMP/days.json" "$TMP/s.csv"
sed 's/"r": 0.243/"r": -1/' "$TMP/m.json" > "$TMP/negparam.json"
run "bad parameter" custseg-clv predict --model "$TMP/negparam.json" "$TMP/s.csv"
echo '{"hello": 1}' > "$TMP/other.json"
run "not a model file" custseg-clv predict --model "$TMP/other.json" "$TMP/s.csv"
run "spend model of the wrong kind" custseg-clv predict --model "$TMP/m.json" --spend "$TMP/m.json" "$TMP/s.csv"
run "unknown model" custseg-clv fit --model arima "$TMP/s.csv"
run "no command" custseg-clv --model x
run "no holdout to validate" custseg-clv validate --model "$TMP/m.json" "$TMP/s.csv"
