# Options of custseg-clv: numbers are checked whole ("", "abc", "2x" are
# usage errors naming the option), and an option of another command is a
# usage error, not something to ignore.
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
printf 'customer_id,frequency,t_x_weeks,T_weeks\na,2,5,10\nb,1,4,10\nc,0,0,8\n' > "$TMP/s.csv"
cat > "$TMP/m.json" <<'JSON'
{"format": "custseg-model", "version": 1, "model": "bgnbd", "time_unit": "week",
 "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}}
JSON
run "empty horizon" custseg-clv predict --model "$TMP/m.json" --horizon '' "$TMP/s.csv"
run "horizon abc" custseg-clv predict --model "$TMP/m.json" --horizon abc "$TMP/s.csv"
run "clv-periods 2x" custseg-clv predict --model "$TMP/m.json" --clv-periods 2x "$TMP/s.csv"
run "clv-periods not whole" custseg-clv predict --model "$TMP/m.json" --clv-periods 1.5 "$TMP/s.csv"
run "empty l2" custseg-clv fit --model bgnbd --l2 '' "$TMP/s.csv"
run "empty threads" custseg-clv fit --model bgnbd -j '' "$TMP/s.csv"
run "max-k 0" custseg-clv new --model "$TMP/m.json" --max-k 0
run "spend with fit" custseg-clv fit --model bgnbd --spend "$TMP/m.json" "$TMP/s.csv"
run "l2 with predict" custseg-clv predict --model "$TMP/m.json" --l2 0.1 "$TMP/s.csv"
run "unit with new" custseg-clv new --model "$TMP/m.json" --unit week
run "max-k with validate" custseg-clv validate --model "$TMP/m.json" --max-k 3 "$TMP/s.csv"
run "not a command" custseg-clv forecast --model "$TMP/m.json"
run "no model" custseg-clv predict "$TMP/s.csv"
run "predict, seed in range" custseg-clv predict -q --model "$TMP/m.json" --seed 4294967295 --horizon 10 "$TMP/s.csv"
run "loader option with new" custseg-clv new -c id --model "$TMP/m.json"
run "format with fit" custseg-clv fit -f tsv --model bgnbd "$TMP/s.csv"
run "threads with new" custseg-clv new --threads 2 --model "$TMP/m.json"
run "new with output header" custseg-clv new --no-header --max-k 2 --horizon 5 --model "$TMP/m.json"
