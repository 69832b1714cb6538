# custseg-churn sbg on subscription records (customer, start, end). The
# records are made from Fader & Hardie's (2007) regular and high-end cohorts:
# 1000 subscribers each, starting 2000-01-01, yearly contracts; of those
# active at the start of year t, s[t-1] - s[t] cancel during year t; the
# s[7] survivors are still active on 2007-01-01 (the as-of date), so each
# has renewed 7 times. The fit must give the paper's alpha and beta (0.704,
# 1.182 and 0.668, 3.806: the same likelihood as the survivor table), the
# observed (Kaplan-Meier) survival must be s[t]/1000, and each active
# subscriber's DERL must equal the sum over t >= 8 of S(t)/S(7) / 1.1^(t-8)
# (S from log-beta functions in Python: an independent derivation).
set -e
python3 - "$TMP/subs.csv" <<'PY'
import sys
cohorts = {"regular": [1000, 631, 468, 382, 326, 289, 262, 241],
           "high end": [1000, 869, 743, 653, 593, 551, 517, 491]}
with open(sys.argv[1], "w") as f:
    f.write("customer_id,plan,start,end\n")
    for plan, s in cohorts.items():
        i = 0
        for t in range(1, 8):
            for _ in range(s[t - 1] - s[t]):
                i += 1
                # cancelled in year t: somewhere inside it
                f.write("%s-%d,%s,2000-01-01,%d-%02d-15\n" % (plan[0], i, plan, 1999 + t, 1 + i % 12))
        for _ in range(s[7]):
            i += 1
            f.write("%s-%d,%s,2000-01-01,\n" % (plan[0], i, plan))
PY
custseg-churn sbg --period year --as-of 2007-01-01 --cohort-column plan --periods 5 \
    --customers "$TMP/derl.csv" --by-cohort "$TMP/subs.csv" > "$TMP/s.json"
python3 - "$TMP/s.json" "$TMP/derl.csv" <<'PY'
import csv, json, math, sys
d = json.load(open(sys.argv[1]))
print("input %s, as of %s, period %s" % (d["input"], d["as_of"], d["period"]))
surv = {"regular": [1000, 631, 468, 382, 326, 289, 262, 241],
        "high end": [1000, 869, 743, 653, 593, 551, 517, 491]}
fits = {}
for c in d["cohorts"] + [d["pooled"]]:
    print("%-8s alpha %.3f beta %.3f LL %.2f subscribers %d active %d cancelled %d"
          % (c["cohort"], c["alpha"], c["beta"], c["log_likelihood"], c["subscribers"], c["active"], c["cancelled"]))
    if c["cohort"] in surv:
        km = c["observed_survival"]
        print("  Kaplan-Meier = s[t]/1000 for t = 0..7:", all(abs(km[t] - surv[c["cohort"]][t] / 1000) < 1e-12 for t in range(8)))
        fits[c["cohort"]] = (c["alpha"], c["beta"])
def lbeta(a, b):
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
import functools
@functools.lru_cache(maxsize=None)
def derl(a, b, n, disc):
    ls = lambda t: lbeta(a, b + t) - lbeta(a, b)
    return sum(math.exp(ls(t) - ls(n - 1) - (t - n) * math.log1p(disc)) for t in range(n, 5000))
rows = list(csv.DictReader(open(sys.argv[2])))
worst = 0
for r in rows:
    a, b = fits[r["cohort"]]
    n = int(r["period"])
    worst = max(worst, abs(float(r["derl"]) - derl(a, b, n, 0.1)) / derl(a, b, n, 0.1))
    worst = max(worst, abs(float(r["p_renew"]) - (b + n - 1) / (a + b + n - 1)))
print("active subscribers %d, all in period %s; DERL and p_renew against the sums: worst relative error %s"
      % (len(rows), ",".join(sorted({r["period"] for r in rows})), "< 1e-6" if worst < 1e-6 else worst))
print(rows[0])
PY
# Monthly periods by hand, as of 2024-03-15: a (from 01-31) renews on 02-29
# (the day clamped to February's end) and is due 03-31: period 2; b (from
# 01-15) renewed on 03-15 itself: period 3; c started on 03-15: period 1; d
# ended on its first renewal day: cancelled in period 1; e (from 01-10)
# ended 03-09, before its second renewal on 03-10: period 2. The fit on a, b,
# d, e: 2 log(theta) + 4 log(1 - theta) is highest at theta = 1/3, the
# geometric limit (alpha, beta -> infinity), so p_renew is 2/3; Kaplan-Meier
# for the 2024-01 cohort: 1, 3/4, 3/8. Cohort 2024-03 has no cancellation.
printf 'customer,start,end\na,2024-01-31,\nb,2024-01-15,\nc,2024-03-15,\nd,2024-01-10,2024-02-10\ne,2024-01-10,2024-03-09\n' > "$TMP/m.csv"
custseg-churn sbg --as-of 2024-03-15 --customers "$TMP/mc.csv" "$TMP/m.csv" > "$TMP/m.json" 2> "$TMP/m.err"
cut -d, -f1-4 "$TMP/mc.csv"
sed "s|$TMP/||" "$TMP/m.err"
python3 - "$TMP/m.json" "$TMP/mc.csv" <<'PY'
import csv, json, sys
d = json.load(open(sys.argv[1]))
c1, c3 = d["cohorts"]
print("2024-01: Kaplan-Meier", c1["observed_survival"], "boundary noted:", "boundary" in c1["note"])
print("2024-03:", c3["error"])
print("p_renew within 1e-4 of 2/3:", all(abs(float(r["p_renew"]) - 2 / 3) < 1e-4 for r in csv.DictReader(open(sys.argv[2]))))
PY
set +e
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
printf 'customer,start,end\na,2024-03-01,2024-02-01\n' > "$TMP/back.csv"
run "end before start" custseg-churn sbg --as-of 2024-12-31 "$TMP/back.csv"
printf 'customer,start,end\na,2024-03-01,\nb,2025-01-05,\n' > "$TMP/future.csv"
run "a start in the future" custseg-churn sbg --as-of 2024-12-31 "$TMP/future.csv"
printf 'customer,start,end\na,2024-03-01,2025-02-01\n' > "$TMP/future2.csv"
run "an end in the future" custseg-churn sbg --as-of 2024-12-31 "$TMP/future2.csv"
printf 'customer,start,end\na,2024-03-01,\nb,2024-13-01,\n' > "$TMP/baddate.csv"
run "a bad date" custseg-churn sbg --as-of 2024-12-31 "$TMP/baddate.csv"
printf 'customer,start,end\n,2024-03-01,\n' > "$TMP/noid.csv"
run "an empty id" custseg-churn sbg --as-of 2024-12-31 "$TMP/noid.csv"
printf 'customer,start,end\n' > "$TMP/none.csv"
run "no records" custseg-churn sbg --as-of 2024-12-31 "$TMP/none.csv"
run "no such cohort column" custseg-churn sbg --as-of 2024-12-31 --cohort-column plan "$TMP/back.csv"
printf 'customer,start,end\na,2024-01-01,2024-02-01\na,2024-03-01,\nb,2024-01-01,2024-03-01\nb,2024-04-01,\nb,2024-05-01,\nc,2024-01-01,\n' > "$TMP/rep.csv"
run "ids with several subscriptions (a, b): a note" sh -c "custseg-churn sbg --as-of 2024-06-01 '$TMP/rep.csv' > /dev/null"
printf 'cohort,y0,y1\nx,10,5\n' > "$TMP/counts.csv"
run "--customers with counts" custseg-churn sbg --customers "$TMP/x.csv" "$TMP/counts.csv"
