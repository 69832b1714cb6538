# sBG parameter recovery from subscription records: 20,000 monthly
# subscribers simulated in Python (theta ~ Beta(1.2, 3.5) per subscriber,
# a geometric number of months, starts spread over 2021-2023, the end being
# the renewal day the subscriber did not pay; what ends after 2024-01-01 is
# still active that day). The pooled fit must find alpha and beta within 3
# standard errors of the truth, and the Kaplan-Meier curve must follow the
# true S(t) (within 0.02 over the first 24 months).
set -e
python3 - "$TMP/subs.csv" <<'PY'
import datetime, random, sys
random.seed(20261128)
a, b = 1.2, 3.5
asof = datetime.date(2024, 1, 1)
def add_months(d, k):
    m = d.month - 1 + k
    return datetime.date(d.year + m // 12, m % 12 + 1, d.day)
with open(sys.argv[1], "w") as f:
    f.write("customer,start,end\n")
    for i in range(20000):
        start = datetime.date(2021 + random.randrange(3), 1 + random.randrange(12), 1 + random.randrange(28))
        theta = random.betavariate(a, b)
        T = 1
        while random.random() >= theta and T < 1000:
            T += 1
        end = add_months(start, T)  # service ends on the renewal it cancelled
        f.write("s%d,%s,%s\n" % (i, start, end if end <= asof else ""))
PY
custseg-churn sbg --quiet --as-of 2024-01-01 --period month "$TMP/subs.csv" > "$TMP/s.json"
python3 - "$TMP/s.json" <<'PY'
import json, math, sys
d = json.load(open(sys.argv[1]))
p = d["pooled"]
a, b = 1.2, 3.5
za = (p["alpha"] - a) / p["standard_errors"]["alpha"]
zb = (p["beta"] - b) / p["standard_errors"]["beta"]
print("cohorts %d (the start months); pooled: subscribers %d, active %d" % (len(d["cohorts"]), p["subscribers"], p["active"]))
print("alpha within 3 SE of 1.2: %s; beta within 3 SE of 3.5: %s" % (abs(za) < 3, abs(zb) < 3))
lb = lambda x, y: math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y)
S = lambda t: math.exp(lb(a, b + t) - lb(a, b))
km = p["observed_survival"]
worst = max(abs(km[t] - S(t)) for t in range(25))
print("Kaplan-Meier within 0.02 of the true S(t), t = 0..24: %s" % (worst < 0.02))
PY
