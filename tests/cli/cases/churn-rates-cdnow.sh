# custseg-churn rates on CDNOW_master by quarter: active customers, churned
# next quarter and the cohort matrix agree with an independent computation
# in Python (CDNOW ends 1998-06-30, so 1998-Q2 is the last whole quarter; all
# of CDNOW's customers first bought in 1997-Q1: one cohort).
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
custseg-churn rates --period quarter --delimiter whitespace "$DATASETS/CDNOW_master.txt" > "$TMP/q.csv"
custseg-churn rates --period quarter --cohorts --delimiter whitespace "$DATASETS/CDNOW_master.txt" > "$TMP/c.csv"
cat "$TMP/q.csv"
python3 - "$DATASETS/CDNOW_master.txt" "$TMP/q.csv" "$TMP/c.csv" <<'PY'
import csv, sys
from collections import defaultdict
bought = defaultdict(set)
for i, line in enumerate(open(sys.argv[1])):
    f = line.split()
    if i == 0 or not f:
        continue
    y, m = int(f[1][:4]), int(f[1][4:6])
    bought[f[0]].add(y * 4 + (m - 1) // 3)
ks = range(1997 * 4, 1998 * 4 + 2)
lab = lambda k: "%d-Q%d" % (k // 4, k % 4 + 1)
rows = list(csv.DictReader(open(sys.argv[2])))
bad = len(rows) != len(ks)
for k, r in zip(ks, rows):
    act = [c for c in bought if k in bought[c]]
    ch = [c for c in act if k + 1 not in bought[c]]
    want = (lab(k), str(len(act)), str(len(ch)) if k + 1 in ks else "")
    bad += want != (r["period"], r["active"], r["churned_next"])
    if r["churn_rate"]:
        bad += abs(float(r["churn_rate"]) - len(ch) / len(act)) > 1e-9
print("quarters %d, %d differ from Python" % (len(rows), bad))
coh = {(r["cohort"], r["period"]): int(r["active"]) for r in csv.DictReader(open(sys.argv[3]))}
first = {c: min(s) for c, s in bought.items()}
want = defaultdict(int)
for c, s in bought.items():
    for k in s:
        if k in ks:
            want[(lab(first[c]), lab(k))] += 1
bad = sum(coh.get(key, 0) != v for key, v in want.items()) + sum(want.get(key, 0) != v for key, v in coh.items())
print("cohort cells %d, %d differ from Python" % (len(coh), bad))
PY
