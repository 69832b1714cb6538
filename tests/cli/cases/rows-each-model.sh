# Each model kind refuses the rows it cannot take, with the message fit
# gives: BG/NBD, Pareto/NBD, MBG/NBD in predict, churn score and evaluate;
# BG/BB (its family's check: x <= t_x <= n) in fit and predict; Gamma-Gamma
# (a repeat buyer's mean value > 0) in fit and predict --spend.
run() { echo "-- $1"; shift; "$@" 2>&1 >/dev/null; echo "exit $?"; }
for m in bgnbd pnbd mbgnbd; do
    f=rows/recency-after-T.csv
    run "$m: fit" custseg-clv fit --model $m "$f"
    run "$m: predict" custseg-clv predict --model rows/$m.json "$f"
    run "$m: churn score" custseg-churn score --model rows/$m.json "$f"
    run "$m: churn evaluate" custseg-churn evaluate --model rows/$m.json "$f"
done
for t in bgbb-x-after-recency bgbb-recency-after-periods; do
    run "$t: fit" custseg-clv fit --model bgbb rows/$t.csv
    run "$t: predict" custseg-clv predict --model rows/bgbb.json rows/$t.csv
done
run "gg: fit" custseg-clv fit --model gg rows/spend-zero.csv
run "gg: predict --spend" \
    custseg-clv predict --model rows/bgnbd.json --spend rows/gg.json rows/spend-zero.csv
