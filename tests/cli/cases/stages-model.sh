# custseg-stages --model: active when the model's P(alive) at the end of
# observation is >= --alive-threshold. On the CDNOW sample, a BG/NBD fit in
# weeks: the types equal those made here from custseg-clv predict's p_alive
# and the summary's purchase days (loyal from 3), customer by customer.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
D="$DATASETS/CDNOW_sample.txt"
L="--no-header --output-header yes --delimiter whitespace --customer 2 --date 3 --amount 5"
custseg-summary -q $L --unit week "$D" > "$TMP/s.csv"
custseg-clv fit -q --model bgnbd -o "$TMP/m.json" "$TMP/s.csv"
custseg-clv predict -q --model "$TMP/m.json" "$TMP/s.csv" > "$TMP/p.csv"
for thr in 0.5 0.9; do
    custseg-stages -q $L --model "$TMP/m.json" --alive-threshold $thr "$D" > "$TMP/t.csv"
    python3 - "$TMP/s.csv" "$TMP/p.csv" "$TMP/t.csv" $thr <<'PY'
import csv, sys
from collections import Counter
days = {r["customer_id"]: int(r["purchase_days"]) for r in csv.DictReader(open(sys.argv[1]))}
thr = float(sys.argv[4])
want = {}
for r in csv.DictReader(open(sys.argv[2])):
    c = r["customer_id"]
    want[c] = "lapsed" if float(r["p_alive"]) < thr else ("loyal" if days[c] >= 3 else "purchaser")
got = {r["customer_id"]: r["type"] for r in csv.DictReader(open(sys.argv[3]))}
print("threshold %s: %s; %s" % (thr, ", ".join("%s %d" % kv for kv in sorted(Counter(got.values()).items())),
      "equal" if got == want else "DIFFERENT in %d" % sum(got.get(c) != t for c, t in want.items())))
PY
done
custseg-stages $L --model "$TMP/m.json" --active-within 30 "$D" 2>&1 | head -1
