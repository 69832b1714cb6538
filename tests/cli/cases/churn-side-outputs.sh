# custseg-churn's side outputs and numbers. Five customers summarised with a
# holdout (calibration to 2024-03-31, holdout to 2024-06-30, in weeks) and a
# Pareto/NBD model file (CDNOW's published fit): evaluate --roc - writes the
# ROC points to standard output, ahead of the table written to -o; --roc to
# a directory, or into a directory that does not exist, exits 1 with a
# message and leaves no file (neither the ROC nor -o's). sbg --customers -
# writes the subscribers to standard output before the JSON. -j sets the
# threads and does not change the output. A number that is not one (abc, 2x,
# empty) is a usage error naming the option.
set -e
cat > "$TMP/log.csv" <<'CSV'
customer,date,amount
a,2024-01-05,10
a,2024-02-10,10
a,2024-05-10,10
b,2024-01-20,5
b,2024-01-27,5
c,2024-02-02,7
c,2024-03-02,7
c,2024-03-30,7
c,2024-05-30,7
d,2024-02-28,9
e,2024-03-01,3
e,2024-04-01,3
CSV
custseg-summary --quiet --unit week --calibration-end 2024-03-31 --as-of 2024-06-30 \
    "$TMP/log.csv" > "$TMP/s.csv"
printf '{"format": "custseg-model", "version": 1, "model": "pnbd", "params": {"r": 0.553, "alpha": 10.58, "s": 0.606, "beta": 11.67}, "time_unit": "week"}\n' > "$TMP/m.json"
echo "-- evaluate --roc - -o FILE: the ROC on standard output"
custseg-churn evaluate --quiet --model "$TMP/m.json" --roc - -o "$TMP/ev.csv" "$TMP/s.csv"
echo "-- the table in -o: $(head -2 "$TMP/ev.csv" | tr '\n' ' ')"
echo "-- -j 1 and -j 3 write the same scores"
custseg-churn score --quiet -j 1 --model "$TMP/m.json" "$TMP/s.csv" > "$TMP/j1.csv"
custseg-churn score --quiet --threads 3 --model "$TMP/m.json" "$TMP/s.csv" | cmp - "$TMP/j1.csv" && echo same
echo "-- sbg --customers -: the subscribers, then the JSON"
printf 'customer,start,end\na,2024-01-31,\nb,2024-01-15,\nd,2024-01-10,2024-02-10\ne,2024-01-10,2024-03-09\n' > "$TMP/subs.csv"
custseg-churn sbg --quiet --as-of 2024-03-15 --customers - "$TMP/subs.csv" | cut -d, -f1-4 | head -4
set +e
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
mkdir "$TMP/out"
run "--roc to a directory" custseg-churn evaluate --quiet --model "$TMP/m.json" --roc "$TMP/out" -o "$TMP/out/ev.csv" "$TMP/s.csv"
run "--roc into no directory" custseg-churn evaluate --quiet --model "$TMP/m.json" --roc "$TMP/out/no/roc.csv" -o "$TMP/out/ev.csv" "$TMP/s.csv"
echo "-- files left: $(ls -A "$TMP/out" | wc -l)"
run "--horizon abc" custseg-churn score --model "$TMP/m.json" --horizon abc "$TMP/s.csv"
run "--horizon 2x" custseg-churn score --model "$TMP/m.json" --horizon 2x "$TMP/s.csv"
run "--horizon ''" custseg-churn score --model "$TMP/m.json" --horizon '' "$TMP/s.csv"
run "--periods 2.5" custseg-churn sbg --periods 2.5 "$TMP/subs.csv"
run "--bands 0.5,x" custseg-churn score --model "$TMP/m.json" --bands 0.5,x "$TMP/s.csv"
run "--bands 0.8,0.5" custseg-churn score --model "$TMP/m.json" --bands 0.8,0.5 "$TMP/s.csv"
run "-j 0" custseg-churn score --model "$TMP/m.json" -j 0 "$TMP/s.csv"
run "-j is not sbg's" custseg-churn sbg -j 2 "$TMP/subs.csv"
