#!/usr/bin/env python3
"""Checks a custseg-report page against the tools' own output for the same
data (python3 standard library only).

usage: check-report.py REPORT.html DIR [--table]
--table: the report was made from a summary table (no churn rates, cohorts
or tracking chart; the page says they were left out)
DIR holds what the tools wrote for the same data and options:
  concentration.json  custseg-pyramid --concentration
  pyramid.csv         custseg-pyramid --report
  rfm.csv             custseg-rfm --report
  model.json          custseg-clv fit (optional)
  validate.csv        custseg-clv validate (optional)
  evaluate.json       custseg-churn evaluate --format json (optional)
  gg.json             custseg-clv fit --model gg (optional)
Prints one line per check; exits 1 at the first check that fails."""
import csv
import html.parser
import json
import math
import os
import sys


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = {}          # id -> attrs
        self.stack = []        # open elements
        self.tables = {}       # table id -> rows of cells (text, data-value)
        self.table = None
        self.row = None
        self.cell = None
        self.svg_in = {}       # figure id -> number of svg elements inside
        self.figure = None
        self.scripts = 0
        self.external = []
        self.tags = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag not in ("meta", "br", "img", "link", "input", "hr"):
            self.stack.append(tag)
        if "id" in a:
            if a["id"] in self.ids:
                raise SystemExit(f"FAIL: id {a['id']!r} appears twice")
            self.ids[a["id"]] = a
        if tag == "script":
            self.scripts += 1
        for k in ("src", "href"):
            v = a.get(k) or ""
            if v and not v.startswith("#") and not v.startswith("data:"):
                self.external.append(v)
        if tag == "figure":
            self.figure = a.get("id")
            self.svg_in[self.figure] = 0
        if self.figure is not None and tag in ("svg", "path", "rect", "line", "polyline",
                                               "circle", "text"):
            self.svg_in[self.figure] += 1
        if tag == "table":
            self.table = a.get("id")
            self.tables[self.table] = []
        elif tag == "tr" and self.table is not None:
            self.row = []
            self.tables[self.table].append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ["", a.get("data-value")]
            self.row.append(self.cell)

    def handle_endtag(self, tag):
        while self.stack:
            t = self.stack.pop()
            if t == tag:
                break
        if tag == "figure":
            self.figure = None
        elif tag == "table":
            self.table = None
        elif tag == "tr":
            self.row = None
        elif tag in ("td", "th"):
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[0] += data


def close(a, b, rel=1e-9):
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-12)


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        sys.exit(1)


def body_rows(p, tid):
    rows = p.tables.get(tid)
    check(rows is not None, f"table {tid} is there")
    return [r for r in rows if r and r[0][1] is None and any(c[1] for c in r)] or \
        [r for r in rows[1:]]


def main():
    page, d = sys.argv[1], sys.argv[2]
    table = "--table" in sys.argv[3:]
    text = open(page, encoding="utf-8").read()
    p = Page()
    p.feed(text)
    p.close()
    check(text.startswith("<!DOCTYPE html>"), "an HTML5 document")
    check(p.scripts == 0, "no script")
    check(not p.external, "nothing fetched (no src or href outside the page)")
    for sec in ("overview", "concentration", "rfm", "models", "churn"):
        check(sec in p.ids, f"section {sec}")
    figures = ["lorenz", "pyramid", "rfm-heat-customers", "rfm-heat-value", "rfm-segments",
               "period-transactions", "holdout", "tracking-weekly", "tracking-cumulative",
               "p-alive", "clv-deciles", "churn-rates", "churn-deciles",
               "cohorts"]
    if table:
        log_only = ["tracking-weekly", "tracking-cumulative", "churn-rates", "cohorts"]
        for f in log_only:
            check(f not in p.ids, f"no chart {f} from a summary table")
        figures = [f for f in figures if f not in log_only]
        check("left-out" in p.ids and "transaction log" in text,
              "the page says what a summary table cannot show")
    for f in figures:
        check(f in p.svg_in, f"chart {f}")
        check(p.svg_in[f] >= 3, f"chart {f} draws SVG elements")

    conc = json.load(open(os.path.join(d, "concentration.json")))
    check(close(p.ids["gini"]["data-value"], conc["gini"]), "Gini equals custseg-pyramid's")
    check(close(p.ids["top20"]["data-value"], conc["top_20pct_share"]),
          "top 20 % share equals custseg-pyramid's")
    check(close(p.ids["customers"]["data-value"], conc["customers"]), "customers")

    with open(os.path.join(d, "pyramid.csv")) as f:
        tiers = {r["tier"]: r for r in csv.DictReader(f)}
    rows = p.tables["pyramid-table"][1:]
    check(len(rows) == len(tiers), f"{len(tiers)} tiers")
    for r in rows:
        t = tiers[r[0][0]]
        check(int(r[1][1]) == int(t["customers"]) and close(r[3][1], t["value"]),
              f"tier {r[0][0]}: customers and value equal custseg-pyramid --report's")

    with open(os.path.join(d, "rfm.csv")) as f:
        segs = {r["segment"]: r for r in csv.DictReader(f)}
    rows = p.tables["rfm-segments-table"][1:]
    check(len(rows) == len(segs), f"{len(segs)} segments")
    for r in rows:
        s = segs[r[0][0]]
        check(int(r[1][1]) == int(s["customers"]) and close(r[3][1], s["revenue"]),
              f"segment {r[0][0]}: customers and revenue equal custseg-rfm --report's")

    spath = os.path.join(d, "s.csv")
    if os.path.exists(spath) and not table:
        # the tracking chart's weekly counts add up to the summary's repeat
        # purchase days: calibration frequency plus holdout purchase days
        with open(spath) as f:
            rows = list(csv.DictReader(f))
        want = sum(int(r["frequency"]) + int(r.get("frequency_holdout") or 0) for r in rows)
        check(int(p.ids["tracking-actual"]["data-value"]) == want,
              "tracking: repeat purchase days equal the summary's frequency + holdout")

    mpath = os.path.join(d, "model.json")
    if os.path.exists(mpath):
        m = json.load(open(mpath))
        # the tools fit on the summary table, whose times are printed with 12
        # significant digits; the report fits on the exact values: the
        # estimates agree to the optimiser's tolerance, not to the last bit
        for k, v in m["params"].items():
            check(close(p.ids[f"model-params-{k}"]["data-value"], v, 1e-5),
                  f"model parameter {k} equals custseg-clv fit's")
    gpath = os.path.join(d, "gg.json")
    if os.path.exists(gpath):
        m = json.load(open(gpath))
        for k, v in m["params"].items():
            check(close(p.ids[f"spend-params-{k}"]["data-value"], v, 1e-5),
                  f"spend parameter {k} equals custseg-clv fit --model gg's")
    epath = os.path.join(d, "evaluate.json")
    if os.path.exists(epath):
        ev = json.load(open(epath))
        check(close(p.ids["churn-auc"]["data-value"], ev["model"]["auc"], 1e-6),
              "churn AUC of the model equals custseg-churn evaluate's")
        check(close(p.ids["churn-auc-baseline"]["data-value"],
                    ev["baseline_days_since_last"]["auc"], 1e-9),
              "churn AUC of the recency baseline equals custseg-churn evaluate's")
    vpath = os.path.join(d, "validate.csv")
    if os.path.exists(vpath):
        with open(vpath) as f:
            v = [r for r in csv.DictReader(f) if r["group"] == "all"][0]
        row = p.ids.get("holdout-all")
        check(row is not None, "holdout totals row")
        cells = [r for r in p.tables["holdout-table"] if r and r[0][0] == "all"][0]
        check(int(cells[1][1]) == int(v["customers"]), "holdout customers equal validate's")
        check(close(cells[2][1], v["actual_total"]), "actual holdout purchases equal validate's")
        check(close(cells[3][1], v["predicted_total"], 1e-5),
              "predicted holdout purchases equal validate's")


main()
