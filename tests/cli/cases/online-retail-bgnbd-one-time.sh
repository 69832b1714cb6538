# UCI Online Retail, returns kept, calibration to 2011-06-30: the BG/NBD fit
# is interior with a + b < 1 (about a = 0.026, b = 0.41), so for the 1,238
# one-time buyers (x = 0) the closed form of E[Y(t)] (a 2F1 with c = a+b-1
# <= 0) does not hold. predict used to leave them empty and exit 1; every
# one must now have an expectation, equal to an independent integral over
# the drop-out probability p ~ Beta(a, b) (mpmath.quad here):
#   E[Y(t) | x = 0, T] = int_0^1 (1 - (1 + p t/(alpha+T))^-r) / p Beta(p; a, b) dp
# (P(alive) is 1 for x = 0)
# and a new customer's E[X(52)] likewise (T = 0).
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
custseg-summary --quiet --on-error skip --unit week --returns keep --calibration-end 2011-06-30 \
    "$DATASETS/online_retail.csv.gz" > "$TMP/s.csv"
custseg-clv fit --quiet --model bgnbd -o "$TMP/m.json" "$TMP/s.csv"
custseg-clv predict --quiet --model "$TMP/m.json" --horizon 52 -o "$TMP/p.csv" "$TMP/s.csv"
echo "predict: exit $?"
custseg-clv new --model "$TMP/m.json" --horizon 52 > "$TMP/new.csv"
python3 - "$TMP/m.json" "$TMP/p.csv" "$TMP/new.csv" <<'PY'
import csv, json, sys
import mpmath
from mpmath import mp, mpf
mp.dps = 30
m = json.load(open(sys.argv[1]))
r, al, a, b = (mpf(m["params"][k]) for k in ("r", "alpha", "a", "b"))
print("model %s, a + b < 1: %s" % (m["model"], a + b < 1))
rows = list(csv.DictReader(open(sys.argv[2])))
once = [x for x in rows if x["frequency"] == "0"]
print("one-time buyers: %d, with an empty expectation: %d"
      % (len(once), sum(1 for x in once if x["expected_purchases"] == "")))

def e_y(t, T):
    # q = p^a takes the p^(a-1) singularity (a = 0.026) out of the integrand
    def f(q):
        p = q ** (1 / a)
        u = t / (al + T)
        g = r * u if p * u < mpf(10) ** -25 else -mpmath.expm1(-r * mpmath.log1p(p * u)) / p
        return g * (1 - p) ** (b - 1)
    return mpmath.quad(f, [0, mpf("0.5"), mpf("0.9"), 1]) / a / mpmath.beta(a, b)

ts = sorted({x["T_weeks"] for x in once})
pick = [ts[0], ts[len(ts) // 3], ts[2 * len(ts) // 3], ts[-1]]
worst = 0
for T in pick:
    got = float(next(x for x in once if x["T_weeks"] == T)["expected_purchases"])
    want = e_y(52, mpf(T))
    worst = max(worst, abs(got / want - 1))
print("4 one-time buyers against the integral: within 1e-8: %s" % (worst < 1e-8))
mean = [row for row in csv.reader(open(sys.argv[3])) if row and row[0] == "mean"][0]
want = e_y(52, 0)
print("new customer E[X(52)] against the integral: within 1e-8: %s" % (abs(float(mean[1]) / want - 1) < 1e-8))
PY
