# RF scores of the grocery log (no amounts) against an independent
# computation from the log, as custseg-rfm(1) defines them: recency = days
# from the last purchase day to the last date of the log, frequency =
# purchase days; cut points the type-7 quantiles at k/5 (of the negated
# recency), repeats and one at the largest value dropped; frequency scores
# 1 + the cut points below, recency 1 + the cut points above; segments from
# the R-F grid (as its regular expressions are usually written).
f="$DATASETS/grocery.csv"
[ -r "$f" ] || { echo "no $f"; exit 77; }
custseg-rfm -q --no-amount "$f" > "$TMP/rf.csv" || exit 1
python3 - "$f" "$TMP/rf.csv" <<'PY'
import csv, datetime, math, re, sys
days = {}
for row in csv.DictReader(open(sys.argv[1])):
    days.setdefault(row["customer_id"], set()).add(datetime.date.fromisoformat(row["date"]))
end = max(max(d) for d in days.values())
R = {c: (end - max(d)).days for c, d in days.items()}
F = {c: len(d) for c, d in days.items()}
def cuts(values, bins=5):
    v = sorted(values); n = len(v); out = []
    for j in range(1, bins):
        h = (n - 1) * j / bins; lo = math.floor(h)
        q = v[lo] + (h - lo) * (v[min(lo + 1, n - 1)] - v[lo])
        if (not out or q > out[-1]) and q < v[-1]:
            out.append(q)
    return out
cf = cuts(F.values())
cr = [-x for x in reversed(cuts([-x for x in R.values()]))]
grid = [(r"[1-2][1-2]", "Hibernating"), (r"[1-2][3-4]", "At Risk"), (r"[1-2]5", "Can't Lose Them"),
        (r"3[1-2]", "About To Sleep"), (r"33", "Need Attention"), (r"[3-4][4-5]", "Loyal Customers"),
        (r"41", "Promising"), (r"51", "New Customers"), (r"[4-5][2-3]", "Potential Loyalists"),
        (r"5[4-5]", "Champions")]
got = {row["customer_id"]: row for row in csv.DictReader(open(sys.argv[2]))}
bad = 0
for c in days:
    r = 1 + sum(x > R[c] for x in cr); fs = 1 + sum(x < F[c] for x in cf)
    seg = [name for rx, name in grid if re.fullmatch(rx, f"{r}{fs}")]
    want = [str(R[c]), str(F[c]), str(r), str(fs), f"R{r}F{fs}", str(r + fs), seg[0]]
    g = got.get(c)
    have = [g[k] for k in ("days_since_last", "frequency", "r_score", "f_score", "rf_cell", "rf_score", "segment")] if g else None
    if have != want:
        bad += 1
        if bad <= 5:
            print("differs:", c, have, want)
print(f"{len(days)} customers, {len(got)} rows, {bad} differ")
print("recency cuts", cr, "frequency cuts", cf)
PY
custseg-rfm -q --no-amount --report "$f"
