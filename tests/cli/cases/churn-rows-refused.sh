# custseg-churn score and evaluate check rows as custseg-clv does
# (rows-refused): the same message for each bad table, exit 1; the boundary
# rows still pass.
run() { echo "-- $1"; shift; "$@" 2>&1 >/dev/null; echo "exit $?"; }
for t in recency-after-T swapped other-units frequency-fraction frequency-huge \
         holdout-negative T-negative T-infinite; do
    f=rows/$t.csv
    run "$t: score" custseg-churn score --model rows/bgnbd.json "$f"
    run "$t: evaluate" custseg-churn evaluate --model rows/bgnbd.json "$f"
done
f=rows/boundary.csv
run "boundary: score" custseg-churn score -q --model rows/bgnbd.json "$f"
run "boundary: evaluate" custseg-churn evaluate -q --model rows/bgnbd.json "$f"
