# custseg-report --sbg: the JSON of custseg-churn sbg drawn in the churn
# section (survival by cohort, observed against fitted for subscription
# records, the table of fits) and written to the workbook; every number on
# the page and in the sheets is the JSON's (to the 12 digits the tools
# write). Fader & Hardie's (2007) regular and high-end cohorts, as survivor
# counts and as subscription records.
# Bad JSON is refused with the file (and line), exit 1, nothing written.
. "$SRC/tests/cli/xlsx.sh"
set -e
printf 'cohort,y0,y1,y2,y3,y4,y5,y6,y7\nregular,1000,631,468,382,326,289,262,241\nhigh end,1000,869,743,653,593,551,517,491\n' > "$TMP/c.csv"
custseg-churn sbg --periods 5 "$TMP/c.csv" > "$TMP/surv.json"
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
                f.write("%s-%d,%s,2000-01-01,%d-%02d-15\n" % (plan[0], i, plan, 1999 + t, 1 + i % 12))
        for _ in range(s[7]):
            i += 1
            f.write("%s-%d,%s,2000-01-01,\n" % (plan[0], i, plan))
PY
custseg-churn sbg --period year --as-of 2007-01-01 --cohort-column plan --periods 5 \
    "$TMP/subs.csv" > "$TMP/subs.json"
for kind in surv subs; do
    custseg-report -qq --sbg "$TMP/$kind.json" small.csv -o "$TMP/$kind.html" --xlsx "$TMP/$kind.xlsx"
    "$XLSX_PY" - "$TMP/$kind.html" "$TMP/$kind.json" "$TMP/$kind.xlsx" <<'PY'
import html.parser, json, math, sys
import openpyxl

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.stack, self.rows, self.row, self.fig = {}, [], [], None, None
        self.svg = {}
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] = a
        if tag == "figure":
            self.fig = a.get("id")
        if self.fig and tag in ("path", "circle", "line", "rect", "text"):
            self.svg[self.fig] = self.svg.get(self.fig, 0) + 1
        if tag == "table":
            self.intable = a.get("id") == "sbg-table"
        if tag == "tr" and getattr(self, "intable", False):
            self.row = []
            self.rows.append(self.row)
        if tag == "td" and self.row is not None:
            self.row.append(a.get("data-value"))
    def handle_endtag(self, tag):
        if tag == "figure":
            self.fig = None
        if tag == "table":
            self.intable = False
            self.row = None

def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        sys.exit(1)

page, js, book = sys.argv[1:4]
p = Page()
p.feed(open(page).read())
d = json.load(open(js))
fits = d["cohorts"] + [d["pooled"]]
records = d["input"] == "subscriptions"
check(p.svg.get("sbg-survival", 0) >= 10, "the survival chart draws its curves")
check(("sbg-observed" in p.svg) == records, "observed against fitted only for records")
rows = [r for r in p.rows if r]
check(len(rows) == len(fits), "a table row per fit")
for r, f in zip(rows, fits):
    check(math.isclose(float(r[1]), f["alpha"], rel_tol=1e-11) and
          math.isclose(float(r[3]), f["beta"], rel_tol=1e-11), f"{f['cohort']}: alpha, beta as in the JSON")
    check(math.isclose(float(r[6]), f["del"], rel_tol=1e-11), f"{f['cohort']}: DEL as in the JSON")
pooled = d["pooled"]
obs = len(pooled["observed_survival"]) - 1 if records else len(pooled["derl_by_period"]) - 1
check(math.isclose(float(p.ids["sbg-survivors"]["data-value"]), 100 * pooled["survival"][obs],
                   rel_tol=1e-11), f"pooled survivors of 100 after {obs} periods as in the JSON")
wb = openpyxl.load_workbook(book)
ws = wb["sBG fits"]
vals = list(ws.values)
check(vals[0][:3] == ("cohort", "alpha", "beta"), "sBG fits header")
for v, f in zip(vals[1:], fits):
    check(all(math.isclose(v[k], f[n], rel_tol=1e-11) for k, n in ((1, "alpha"), (2, "beta"), (7, "del"))),
          f"sheet sBG fits, {f['cohort']}: the JSON's numbers (12 digits, as the tools write)")
ws = wb["sBG survival"]
vals = list(ws.values)[1:]
want = [(("pooled" if f is pooled else f["cohort"]), t, s) for f in fits
        for t, s in enumerate(f["survival"])]
check(len(vals) == len(want) and
      all(v[0] == w[0] and v[1] == w[1] and math.isclose(v[2], w[2], rel_tol=1e-11)
          for v, w in zip(vals, want)), "sheet sBG survival: every curve (12 digits)")
check(all(isinstance(v[2], float) or isinstance(v[2], int) for v in vals), "numeric cells")
if records:
    km = [v[4] for v in vals if v[0] == "pooled"]
    want = pooled["observed_survival"]
    check(all(math.isclose(a, b, rel_tol=1e-11) for a, b in zip(km, want)) and
          all(v is None for v in km[len(want):]), "observed (Kaplan-Meier) survival as in the JSON")
PY
done
set +e
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
: > "$TMP/empty.json"
run "empty" custseg-report --sbg "$TMP/empty.json" small.csv -o "$TMP/x.html"
head -c 300 "$TMP/surv.json" > "$TMP/cut.json"
run "truncated" custseg-report --sbg "$TMP/cut.json" small.csv -o "$TMP/x.html"
printf '{"input": "survivors", "cohorts": [{"cohort": "a", "alpha": -1, "beta": 2}]}\n' > "$TMP/neg.json"
run "a negative alpha" custseg-report --sbg "$TMP/neg.json" small.csv -o "$TMP/x.html"
custseg-clv fit -qq --model bgnbd small.csv -o "$TMP/model.json"
run "a model file" custseg-report --sbg "$TMP/model.json" small.csv -o "$TMP/x.html"
run "missing" custseg-report --sbg "$TMP/none.json" small.csv -o "$TMP/x.html"
ls "$TMP"/x.html 2>&1 | sed "s|$TMP/||g"
