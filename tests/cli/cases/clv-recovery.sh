# Parameter recovery: 200,000 customers simulated from known parameters;
# every fitted parameter lies within 3 standard errors of the truth.
set -e
check() { # model file, truth as name=value ...
    python3 - "$@" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for kv in sys.argv[2:]:
    k, v = kv.split("="); v = float(v)
    est, se = m["params"][k], m["standard_errors"][k]
    z = (est - v) / se
    print("%s %s: %s within 3 SE of %g" % (m["model"], k, "yes" if abs(z) < 3 else "NO (z = %.2f)" % z, v))
PY
}
custseg-simulate --params bgnbd:0.243,4.414,0.793,2.426 --spend-params 6.25,3.74,15.44 \
    -n 200000 --seed 11 --format summary -o "$TMP/sim.csv"
custseg-clv fit --model bgnbd -o "$TMP/bg.json" "$TMP/sim.csv"
check "$TMP/bg.json" r=0.243 alpha=4.414 a=0.793 b=2.426
custseg-clv fit --model gg -o "$TMP/gg.json" "$TMP/sim.csv"
check "$TMP/gg.json" p=6.25 q=3.74 gamma=15.44
custseg-simulate --params pnbd:0.553,10.578,0.606,11.669 -n 200000 --seed 12 --format summary \
    -o "$TMP/psim.csv"
custseg-clv fit --model pnbd -o "$TMP/pnbd.json" "$TMP/psim.csv"
check "$TMP/pnbd.json" r=0.553 alpha=10.578 s=0.606 beta=11.669
custseg-simulate --params mbgnbd:0.525,6.18,0.891,1.614 -n 200000 --seed 13 --format summary \
    -o "$TMP/msim.csv"
custseg-clv fit --model mbgnbd -o "$TMP/mbg.json" "$TMP/msim.csv"
check "$TMP/mbg.json" r=0.525 alpha=6.18 a=0.891 b=1.614
