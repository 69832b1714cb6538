# Fader & Hardie (2007): the regular and high-end cohorts, years 1..7:
# alpha 0.704, beta 1.182 and alpha 0.668, beta 3.806; projections; bad input.
set -e
printf 'cohort,y0,y1,y2,y3,y4,y5,y6,y7\nregular,1000,631,468,382,326,289,262,241\nhigh end,1000,869,743,653,593,551,517,491\n' > "$TMP/c.csv"
custseg-churn sbg --periods 5 --discount 0.1 "$TMP/c.csv" > "$TMP/s.json"
python3 - "$TMP/s.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["cohorts"] + [d["pooled"]]:
    print("%-8s alpha %.3f beta %.3f LL %.2f | survivors of 1000, years 8-12: %s | r_8 %.3f | DEL %.3f"
          % (c["cohort"], c["alpha"], c["beta"], c["log_likelihood"],
             " ".join("%.0f" % (1000 * s) for s in c["survival"][8:13]), c["retention"][7], c["del"]))
PY
set +e
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
printf 'cohort,a,b,c\nx,100,120,90\n' > "$TMP/up.csv"
run "survivors increase" custseg-churn sbg "$TMP/up.csv"
printf 'cohort,a,b\nx,0,0\n' > "$TMP/zero.csv"
run "zero first count" custseg-churn sbg "$TMP/zero.csv"
printf 'cohort,a,b\n' > "$TMP/empty.csv"
run "no cohorts" custseg-churn sbg "$TMP/empty.csv"
