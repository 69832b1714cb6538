# One check of customer rows (cs_customers_check), the same for every command
# that reads a summary: each bad table gives one message (file:line, column,
# the rule) and exit 1 from fit, predict and validate (custseg-churn:
# churn-rows-refused); the boundary rows still pass. Tables and models in
# tests/data/rows.
run() { echo "-- $1"; shift; "$@" 2>&1 >/dev/null; echo "exit $?"; }
for t in recency-after-T swapped other-units frequency-fraction frequency-huge \
         holdout-negative T-negative T-infinite; do
    f=rows/$t.csv
    run "$t: fit" custseg-clv fit --model bgnbd "$f"
    run "$t: predict" custseg-clv predict --model rows/bgnbd.json "$f"
    run "$t: validate" custseg-clv validate --model rows/bgnbd.json "$f"
done
# recency == T, frequency 0 with recency 0 (and T 0): taken
f=rows/boundary.csv
custseg-clv predict --model rows/bgnbd.json "$f" | cut -d, -f1-4
run "boundary: validate" custseg-clv validate -q --model rows/bgnbd.json "$f"
