# Numbers out of range in model, rule and breaks files: a clear error naming
# the file and the field, never a cast of an out-of-range double to int.
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
printf 'customer_id,frequency,t_x_weeks,T_weeks\na,2,5,10\nb,1,4,10\nc,0,0,8\n' > "$TMP/s.csv"
model() {
    printf '{"format": "custseg-model", "version": 1, "model": "bgnbd", "time_unit": "week",
 "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}, %s}\n' "$1" > "$TMP/$2"
}
model '"convergence": {"iterations": 1e300, "starts": 1}' iter.json
run "iterations 1e300" custseg-clv predict --model "$TMP/iter.json" "$TMP/s.csv"
model '"convergence": {"iterations": 12, "starts": -1}' starts.json
run "starts -1" custseg-clv predict --model "$TMP/starts.json" "$TMP/s.csv"
model '"convergence": {"iterations": 2.5}' frac.json
run "iterations 2.5" custseg-clv predict --model "$TMP/frac.json" "$TMP/s.csv"
model '"convergence": {"iterations": 1e999}' inf.json
run "iterations 1e999" custseg-clv predict --model "$TMP/inf.json" "$TMP/s.csv"
model '"patterns": -3' patterns.json
run "patterns -3" custseg-clv predict --model "$TMP/patterns.json" "$TMP/s.csv"
model '"patterns": 3, "convergence": {"iterations": 2147483647, "starts": 0}' ok.json
run "in range" custseg-clv predict --model "$TMP/ok.json" "$TMP/s.csv"
awk 'BEGIN { print "customer_id,frequency,t_x_days,T_days,days_since_last,purchase_days,total_value"
             for (i = 1; i <= 10; i++) printf "c%02d,%d,0,0,%d,%d,%d\n", i, i - 1, 11 - i, i, i * 10 }' > "$TMP/c.csv"
echo '[{"name": "Huge", "r": [1, 1e20]}]' > "$TMP/huge.json"
run "rule bound 1e20" custseg-rfm --segments "$TMP/huge.json" "$TMP/c.csv"
echo '[{"name": "Low", "f": [-1e20, 3]}]' > "$TMP/low.json"
run "rule bound -1e20" custseg-rfm --segments "$TMP/low.json" "$TMP/c.csv"
echo '[{"name": "Inf", "m": [1, 1e999]}]' > "$TMP/inf-rule.json"
run "rule bound 1e999" custseg-rfm --segments "$TMP/inf-rule.json" "$TMP/c.csv"
echo '{"format": "custseg-rfm-breaks", "version": 1, "bins": 1e300, "r": [], "f": [], "m": []}' > "$TMP/bins.json"
run "breaks bins 1e300" custseg-rfm --breaks "$TMP/bins.json" "$TMP/c.csv"
