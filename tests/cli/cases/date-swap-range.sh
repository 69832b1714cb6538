# The second day/month signal (#11), "dates outside the data's range", on
# the real logs of ../shared/datasets. With the right --date-format no log
# earns a warning (the check's counts in --stats are 0); logs re-exported
# with the day and month swapped for a part (made here from the real data)
# earn one under -q, and -qq hides it. Printed per run: the warnings, then
# day_1_12_outside, day_1_12_outside_fit_swapped, the gap (the late dates
# the empty stretch would hold at the log's rate) and the two flags.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
D=$DATASETS
check() { # name, then the custseg-summary arguments
    name=$1; shift
    echo "-- $name"
    custseg-summary -q --stats "$TMP/s.json" -o /dev/null "$@" 2>&1 | sed "s|$TMP/||; s|$D/||"
    python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["dates"]["day_month_check"]
print(c["day_1_12_outside"], c["day_1_12_outside_fit_swapped"], round(c["day_1_12_outside_gap"], 1),
      c["swap_outside_range"], c["swap_all_day_1_12"])' "$TMP/s.json"
}
R="-c CustomerID -d InvoiceDate --quantity Quantity --price UnitPrice --skip missing-id"
echo "== the right formats: no warning"
check CDNOW_master.txt --delimiter whitespace -c customer_id -d date -a dollar_value \
    --date-format %Y%m%d "$D/CDNOW_master.txt"
check CDNOW_sample.txt --no-header --delimiter whitespace -c 1 -d 3 -a 5 --date-format %Y%m%d \
    "$D/CDNOW_sample.txt"
check online_retail.csv.gz $R --date-format '%Y-%m-%d %H:%M:%S' "$D/online_retail.csv.gz"
check grocery.csv -c customer_id -d date --no-amount --date-format %Y-%m-%d "$D/grocery.csv"
check apparel.csv -c customer_id -d date -a amount --date-format %Y-%m-%d "$D/apparel.csv"
check example_transactions.csv -c id -d date --no-amount --date-format '%Y-%m-%d %H:%M:%S' \
    "$D/example_transactions.csv"

# Online Retail re-exported d/m/Y, a part of it m/d/Y (dates as a UK and a
# US spreadsheet write them); CDNOW with a fortnight's dates as YYYYDDMM.
# (December 2011 m/d/Y inside the year's d/m/Y log lands on the 12th of
# January .. September, inside the span: this signal cannot see it, and the
# man page says so.) The right format's control is the first block.
python3 - "$D" "$TMP" <<'PY'
import gzip, re, sys
D, T = sys.argv[1], sys.argv[2]
date = re.compile(r",(\d{4})-(\d\d)-(\d\d) (\d\d:\d\d):\d\d,")
q1 = []  # December 2010 and January 2011 (the file is in date order)
with gzip.open(D + "/online_retail.csv.gz", "rt", encoding="utf-8", newline="") as f:
    head = next(f)
    for line in f:
        m = date.search(line)
        if m.group(1) + m.group(2) >= "201102":
            break
        q1.append((m, line))
def dmy(m): return ",%s/%s/%s %s," % (m.group(3), m.group(2), m.group(1), m.group(4))
def mdy(m): return ",%s/%s/%s %s," % (m.group(2), m.group(3), m.group(1), m.group(4))
def write(name, rows, fmt):
    with open(T + "/" + name, "w", newline="") as g:
        g.write(head)
        for m, line in rows:
            g.write(line[:m.start()] + fmt(m) + line[m.end():])
# its first 12 days (a fortnightly export) written m/d/Y, the rest d/m/Y
write("retail-first-mdy.csv", q1, lambda m: mdy(m) if m.group(0) < ",2010-12-13" else dmy(m))
# a one-month export, December 2010, written m/d/Y (days > 12 do not parse)
write("retail-dec-mdy.csv", [x for x in q1 if x[0].group(2) == "12"], mdy)
# the fortnight alone, m/d/Y: every date parses
write("retail-fortnight-mdy.csv", [x for x in q1 if x[0].group(0) < ",2010-12-13"], mdy)
with open(D + "/CDNOW_master.txt") as f, open(T + "/cdnow-june-ydm.txt", "w") as g:
    for i, line in enumerate(f):
        p = line.split()
        if i and "19980601" <= p[1] <= "19980612":
            p[1] = p[1][:4] + p[1][6:8] + p[1][4:6]
        g.write(" ".join(p) + "\n")
PY
F='%d/%m/%Y %H:%M'
echo "== Online Retail, Dec 2010 - Jan 2011 in d/m/Y, its first 12 days m/d/Y:"
echo "== dates outside the range"
check retail-first-mdy.csv $R --date-format "$F" "$TMP/retail-first-mdy.csv"
echo "== -qq hides the warning"
custseg-summary -qq $R --date-format "$F" -o /dev/null "$TMP/retail-first-mdy.csv"
echo "exit $?"
echo "== a one-month export (December 2010) m/d/Y, bad dates skipped: all dates on day 1-12"
check retail-dec-mdy.csv $R,bad-date --max-reject-rate bad-date=none --date-format "$F" \
    "$TMP/retail-dec-mdy.csv"
echo "== its first 12 days alone, m/d/Y: every date parses, all on day 1-12"
check retail-fortnight-mdy.csv $R --date-format "$F" "$TMP/retail-fortnight-mdy.csv"
echo "== CDNOW with June 1-12 1998 as YYYYDDMM, read with %Y%m%d"
check cdnow-june-ydm.txt --delimiter whitespace -c customer_id -d date -a dollar_value \
    --date-format %Y%m%d "$TMP/cdnow-june-ydm.txt"
