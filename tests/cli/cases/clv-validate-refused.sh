# validate refuses what it cannot check instead of printing zeros or leaving
# customers out: a spend model, a purchase model given as --spend, BG/BB on
# a summary in weeks (predict too), an empty holdout count, predictions the
# model cannot give (BG/NBD with alpha = 1e-300: numerical limits). Nothing
# is written. BG/NBD with a = 1 is predicted (it once was refused).
run() { echo "-- $1"; shift; "$@" > "$TMP/out" 2>&1; echo "exit $?"; cat "$TMP/out"; }
run "Gamma-Gamma as the model" custseg-clv validate --model rows/gg.json rows/boundary.csv
run "a purchase model as --spend" \
    custseg-clv validate --model rows/bgnbd.json --spend rows/bgnbd.json rows/boundary.csv
run "BG/BB on weeks" custseg-clv validate --model rows/bgbb.json rows/boundary.csv
run "BG/BB on weeks: predict" custseg-clv predict --model rows/bgbb.json rows/boundary.csv
run "an empty holdout count" custseg-clv validate --model rows/bgnbd.json rows/holdout-empty.csv
run "no prediction" custseg-clv validate --model rows/bgnbd-limits.json rows/boundary.csv
run "a = 1 is predicted" custseg-clv validate -q --model rows/bgnbd-a1.json rows/boundary.csv
run "churn evaluate: an empty holdout count" \
    custseg-churn evaluate --model rows/bgnbd.json rows/holdout-empty.csv
