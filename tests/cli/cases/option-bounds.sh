# Every loop an option drives has a documented bound (#11): a value past it
# is a usage error (exit 2) naming the option and the limit, at once, not
# minutes of CPU. --clv-periods was bounded before; the others here.
printf '{"format":"custseg-model","version":1,"model":"pnbd","params":{"r":0.553,"alpha":10.58,"s":0.606,"beta":11.67},"time_unit":"week"}' > "$TMP/pnbd.json"
printf 'customer_id,frequency,t_x_weeks,T_weeks\na,2,30,40\nb,0,0,40\n' > "$TMP/s.csv"
run() {
    "$@" > /dev/null 2> "$TMP/err"
    local rc=$?
    echo "exit $rc [$(echo "$*" | sed "s|$TMP/||g")]: $(head -1 "$TMP/err" | sed "s|$TMP/||g")"
}
run custseg-clv new --model "$TMP/pnbd.json" --max-k 1001
run custseg-clv new --model "$TMP/pnbd.json" --max-k 1000
run custseg-clv new --model "$TMP/pnbd.json" --horizon 5218
run custseg-clv new --model "$TMP/pnbd.json" --horizon 5217
run custseg-clv predict --model "$TMP/pnbd.json" --horizon 6000 "$TMP/s.csv"
run custseg-clv predict --model "$TMP/pnbd.json" --bootstrap 2001 "$TMP/s.csv"
run custseg-clv predict --model "$TMP/pnbd.json" --clv-periods 10001 "$TMP/s.csv"
run custseg-clv predict --model "$TMP/pnbd.json" -j 65 "$TMP/s.csv"
run custseg-churn score --model "$TMP/pnbd.json" --horizon 5218 "$TMP/s.csv"
run custseg-churn score --model "$TMP/pnbd.json" --threads 65 "$TMP/s.csv"
run custseg-rfm --bins 11 summary-small.expected
run custseg-pyramid -j 65 summary-small.expected
