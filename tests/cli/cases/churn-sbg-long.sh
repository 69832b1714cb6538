# custseg-churn sbg on a long survivor table (cohort, period, active): the
# same fit as the wide table (Fader & Hardie 2007, regular: alpha 0.704,
# beta 1.182), and its checks.
set -e
printf 'cohort,period,active\n' > "$TMP/long.csv"
i=0; for s in 1000 631 468 382 326 289 262 241; do echo "regular,$i,$s" >> "$TMP/long.csv"; i=$((i + 1)); done
printf 'cohort,y0,y1,y2,y3,y4,y5,y6,y7\nregular,1000,631,468,382,326,289,262,241\n' > "$TMP/wide.csv"
custseg-churn sbg "$TMP/long.csv" > "$TMP/l.json"
custseg-churn sbg "$TMP/wide.csv" > "$TMP/w.json"
python3 - "$TMP/l.json" "$TMP/w.json" <<'PY'
import json, sys
l, w = (json.load(open(f))["cohorts"][0] for f in sys.argv[1:])
print("long: alpha %.3f beta %.3f; identical to the wide table: %s" % (l["alpha"], l["beta"], l == w))
PY
set +e
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
printf 'period,active\n0,100\n1,80\n3,70\n' > "$TMP/gap.csv"
run "a period missing" custseg-churn sbg "$TMP/gap.csv"
printf 'period,active\n0,100\n1,80\n2,85\n' > "$TMP/up.csv"
run "survivors increase" custseg-churn sbg "$TMP/up.csv"
printf 'cohort,period,active\na,0,100\na,1,80\nb,0,50\nb,1,40\na,2,70\n' > "$TMP/split.csv"
run "a cohort split" custseg-churn sbg "$TMP/split.csv"
printf 'period,active\n0,100\n1,eighty\n' > "$TMP/word.csv"
run "not a count" custseg-churn sbg "$TMP/word.csv"
printf 'period,active\n0,100\n' > "$TMP/one.csv"
run "one period only" custseg-churn sbg "$TMP/one.csv"
