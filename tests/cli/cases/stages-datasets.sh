# custseg-stages on the Online Retail and CDNOW logs, no side tables: only
# purchasers, loyal followers and the lapsed. The counts of --report equal an
# independent computation here (python on the raw log): a purchase day is a
# customer-day whose records are all >= 0, or whose net is > 0 (returns
# net); as-of the last date; active when the last purchase day is at most
# 365.25 days before it; loyal from 3 purchase days.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
custseg-stages -q --on-error skip --report "$DATASETS/online_retail.csv.gz" > "$TMP/or.csv"
custseg-stages -q --report "$DATASETS/CDNOW_master.txt" > "$TMP/cd.csv"
python3 - "$DATASETS" "$TMP/or.csv" "$TMP/cd.csv" <<'PY'
import csv, datetime, gzip, sys
from collections import defaultdict
from decimal import Decimal
D = sys.argv[1]

def types(records):
    # records: (id, date, amount as Decimal)
    day = defaultdict(lambda: [Decimal(0), False])
    last = None
    for cid, d, a in records:
        v = day[(cid, d)]
        v[0] += a
        v[1] |= a < 0
        last = d if last is None or d > last else last
    days = defaultdict(list)
    for (cid, d), (net, neg) in day.items():
        if not neg or net > 0:
            days[cid].append(d)
    n = {"purchaser": 0, "loyal": 0, "lapsed": 0}
    for cid, ds in days.items():
        if (last - max(ds)).days > 365.25:
            n["lapsed"] += 1
        elif len(ds) >= 3:
            n["loyal"] += 1
        else:
            n["purchaser"] += 1
    return n

def retail():
    with gzip.open(D + "/online_retail.csv.gz", "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["CustomerID"]:
                yield (r["CustomerID"], datetime.date.fromisoformat(r["InvoiceDate"][:10]),
                       Decimal(r["Quantity"]) * Decimal(r["UnitPrice"]))

def cdnow():
    with open(D + "/CDNOW_master.txt") as f:
        next(f)
        for line in f:
            cid, d, _, v = line.split()
            yield cid, datetime.datetime.strptime(d, "%Y%m%d").date(), Decimal(v)

for name, path, recs in (("online_retail", sys.argv[2], retail()), ("cdnow", sys.argv[3], cdnow())):
    want = types(recs)
    got = {r["type"]: int(r["customers"]) for r in csv.DictReader(open(path))}
    other = sum(v for k, v in got.items() if k not in want and k != "total")
    same = all(got[k] == want[k] for k in want) and other == 0
    print("%s: %s; other types %d: %s" % (name, ", ".join("%s %d" % (k, want[k]) for k in want),
          other, "equal" if same else "DIFFERENT: %s" % got))
PY
