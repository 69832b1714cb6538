# custseg-clv patterns and pattern tables: each bad input or use a clear
# message (file, line, column where there is one), exit 1 for data, 2 for
# usage, and no output file.
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
cd "$TMP"
printf 'customer_id,frequency,t_x_weeks,T_weeks,monetary_value\na,2,5,10,4\nb,1,4,10,5\nc,0,0,8,0\nd,2,5,10,4\n' > w.csv
printf 'customer_id,frequency,t_x_days,T_days\na,2,35,70\n' > d.csv
custseg-clv patterns -q --model bgnbd -o p.csv w.csv
custseg-clv patterns -q --model gg -o g.csv w.csv
cat p.csv g.csv
cat > m.json <<'JSON'
{"format": "custseg-model", "version": 1, "model": "bgnbd", "time_unit": "week",
 "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}}
JSON
run "predict on a pattern table" custseg-clv predict --model m.json -o out.csv p.csv
run "validate on a pattern table" custseg-clv validate --model m.json p.csv
run "churn scores on a pattern table" custseg-churn score --model m.json p.csv
run "tables in two units" custseg-clv patterns --model bgnbd -o out.csv w.csv d.csv
run "--unit against the table's" custseg-clv patterns --model bgnbd --unit day -o out.csv w.csv
run "a purchase table for gg" custseg-clv patterns --model gg -o out.csv p.csv
run "a spend table for bgnbd" custseg-clv patterns --model bgnbd -o out.csv g.csv
run "fit bgnbd on a spend table" custseg-clv fit --model bgnbd -o out.csv g.csv
run "a purchase table for bgbb" custseg-clv patterns --model bgbb -o out.csv p.csv
printf 'frequency,t_x_weeks,T_weeks,count\n1,2,10,3\n1.5,2,10,1\n' > frac.csv
run "a fractional frequency" custseg-clv patterns --model bgnbd -o out.csv p.csv frac.csv
printf 'frequency,t_x_weeks,T_weeks,count\n1,2,10,-3\n' > neg.csv
run "a negative count" custseg-clv patterns --model bgnbd -o out.csv neg.csv
printf 'frequency,monetary_value,count\n1,,3\n' > empty.csv
run "an empty mean value" custseg-clv patterns --model gg -o out.csv empty.csv
cp "$SRC/tests/data/small.csv" log.csv
run "a table, then a log" custseg-clv patterns --model bgnbd -o out.csv w.csv log.csv
run "two tables for fit" custseg-clv fit --model bgnbd -o out.csv p.csv p.csv
run "nbd" custseg-clv patterns --model nbd p.csv
run "sbg" custseg-clv patterns --model sbg p.csv
run "an option of fit" custseg-clv patterns --model bgnbd --l2 1 p.csv
run "no model" custseg-clv patterns p.csv
ls out.csv 2> /dev/null || echo "no out.csv"
