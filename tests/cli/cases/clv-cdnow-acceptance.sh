# Issue #3 acceptance from the raw CDNOW sample: BG/NBD (Fader, Hardie & Lee
# 2005: r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4), Pareto/NBD
# (r 0.553, alpha 10.578, s 0.606, beta 11.669, LL -9595.0) and Gamma-Gamma on
# the 946 repeat buyers (p 6.25, q 3.74, gamma 15.44), to the printed digits.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
custseg-summary --quiet --no-header --output-header yes --delimiter whitespace \
    --customer 2 --date 3 --amount 5 --calibration-end 1997-09-30 --as-of 1998-06-30 \
    --unit week "$DATASETS/CDNOW_sample.txt" > "$TMP/cal.csv"
custseg-clv fit --model bgnbd -o "$TMP/bg.json" "$TMP/cal.csv"
custseg-clv fit --model gg -o "$TMP/gg.json" "$TMP/cal.csv"
custseg-clv fit --model pnbd -o "$TMP/pnbd.json" "$TMP/cal.csv"
python3 - "$TMP/bg.json" "$TMP/gg.json" "$TMP/pnbd.json" <<'PY'
import json, sys
bg, gg, pn = (json.load(open(f)) for f in sys.argv[1:4])
def show(m, digits):
    return ", ".join("%s %.*f" % (k, digits[k], v) for k, v in m["params"].items())
print("bgnbd:", show(bg, dict(r=3, alpha=3, a=3, b=3)), "LL %.1f" % bg["log_likelihood"],
      "customers", bg["customers"], "unit", bg["time_unit"], "converged", bg["convergence"]["converged"])
print("pnbd:", show(pn, dict(r=3, alpha=3, s=3, beta=3)), "LL %.1f" % pn["log_likelihood"],
      "converged", pn["convergence"]["converged"])
print("gg:", show(gg, dict(p=2, q=2, gamma=2)), "customers", gg["customers"])
PY
