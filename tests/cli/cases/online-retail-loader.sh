# The loader's consent rules on UCI Online Retail (real): rows without a
# customer id skipped by name, postage and fees excluded by filter, and the
# two ways to net cancellations (online-retail-dates: a wrong date format).
# Figures checked against an independent derivation with Python's csv module.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
D="$DATASETS/online_retail.csv.gz"
echo "-- filters, net-customer, stats"
custseg-summary --skip missing-id --exclude 'StockCode=POST,M,DOT,BANK CHARGES' \
    --returns net --stats "$TMP/net.json" "$D" 2>&1 >"$TMP/net.csv" | sed "s|$DATASETS/||"
custseg-summary --skip missing-id --exclude 'StockCode=POST,M,DOT,BANK CHARGES' -q \
    --returns net-customer --stats "$TMP/nc.json" "$D" >"$TMP/nc.csv"
python3 - "$D" "$TMP" <<'PY'
import csv, gzip, json, sys
from decimal import Decimal
D, T = sys.argv[1], sys.argv[2]
fees = {"POST", "M", "DOT", "BANK CHARGES"}
nf = vf = 0
nfc = vfc = 0
days = {}
with gzip.open(D, "rt", newline="") as f:
    for r in csv.DictReader(f):
        amt = Decimal(r["Quantity"]) * Decimal(r["UnitPrice"])
        if r["StockCode"] in fees:
            nf += 1; vf += amt
            if r["CustomerID"]:
                nfc += 1; vfc += amt
            continue
        if not r["CustomerID"]:
            continue
        k = (r["CustomerID"], r["InvoiceDate"][:10])
        net, neg = days.get(k, (Decimal(0), False))
        days[k] = (net + amt, neg or amt < 0)
canc = [(k, v) for k, (v, neg) in days.items() if neg and v <= 0]
print("python: excluded %d records, value %.2f; of them with a customer id %d, value %.2f"
      % (nf, vf, nfc, vfc))
print("python: cancelled customer-days %d, value %.2f" % (len(canc), sum(v for _, v in canc)))
# net-customer: a cancelled day goes to the customer's latest earlier purchase day
by = {}
for (c, d), (v, neg) in sorted(days.items()):
    by.setdefault(c, []).append((d, v, neg and v <= 0))
mon = {}
moved = 0
for c, l in by.items():
    vals = []
    for d, v, cancelled in l:
        if cancelled:
            if vals:
                vals[-1] += v; moved += 1
        else:
            vals.append(v)
    if vals:
        mon[c] = (sum(vals[1:]) / (len(vals) - 1)) if len(vals) > 1 else Decimal(0)
print("python: net-customer netted %d customer-days" % moved)
for name in ("net", "nc"):
    s = json.load(open(T + "/" + name + ".json"))
    print("%s stats: read %d kept %d missing-id %d excluded %d value %.2f cancelled %d %.2f netted %d %.2f customers %d"
          % (name, s["records_read"], s["records_kept"], s["skipped"]["by_kind"]["missing-id"]["records"],
             s["excluded_by_filter"]["records"], s["excluded_by_filter"]["value"],
             s["returns"]["cancelled_customer_days"], s["returns"]["cancelled_value"],
             s["returns"]["netted_customer_days"], s["returns"]["netted_value"], s["customers"]["kept"]))
ours = {r["customer_id"]: Decimal(r["monetary_value"]) for r in csv.DictReader(open(T + "/nc.csv"))}
diff = [c for c in ours if abs(ours[c] - mon[c]) > Decimal("0.000001") * max(1, abs(mon[c]))]
print("net-customer monetary_value differences: %d of %d" % (len(diff), len(ours)))
net = {r["customer_id"]: Decimal(r["monetary_value"]) for r in csv.DictReader(open(T + "/net.csv"))}
print("customers whose monetary_value changes: %d" % sum(1 for c in ours if ours[c] != net[c]))
PY
