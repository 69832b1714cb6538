# UCI Online Retail (real, messy): empty ids skipped and counted, amounts from
# Quantity x UnitPrice found by header name, cancellations netted by day.
# Checked against an independent derivation with Python's csv module.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
custseg-summary --on-error skip --rejects "$TMP/rej.csv" "$DATASETS/online_retail.csv.gz" \
    2> "$TMP/err" > "$TMP/s.csv"
sed "s|$TMP/||; s|$DATASETS/||" "$TMP/err"
echo "rejected records: $(tail -n +2 "$TMP/rej.csv" | wc -l)"
head -2 "$TMP/rej.csv" | sed "s|$DATASETS/||"
python3 - "$DATASETS/online_retail.csv.gz" "$TMP/s.csv" <<'PY'
import csv, gzip, sys
from decimal import Decimal
days = {}
with gzip.open(sys.argv[1], "rt", newline="") as f:
    for r in csv.DictReader(f):
        if not r["CustomerID"]:
            continue
        amt = Decimal(r["Quantity"]) * Decimal(r["UnitPrice"])
        key = (r["CustomerID"], r["InvoiceDate"][:10])
        net, neg = days.get(key, (Decimal(0), False))
        days[key] = (net + amt, neg or amt < 0)
cust = {}
for (c, d), (net, neg) in days.items():
    if neg and net <= 0:
        continue  # a day cancelled by its returns
    cust.setdefault(c, []).append(d)
freq = sum(len(v) - 1 for v in cust.values())
ours = list(csv.DictReader(open(sys.argv[2])))
print("python: customers %d, sum of frequency %d" % (len(cust), freq))
print("custseg: customers %d, sum of frequency %d" % (len(ours), sum(int(r["frequency"]) for r in ours)))
bad = [r["customer_id"] for r in ours
       if r["first_purchase"] != min(cust[r["customer_id"]]) or r["last_purchase"] != max(cust[r["customer_id"]])]
print("first/last purchase differences: %d" % len(bad))
PY
