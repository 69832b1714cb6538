#!/usr/bin/env python3
"""Checks custseg-report's workbook (--xlsx) against the tools' CSV for the
same data, read with openpyxl (an independent reader).

usage: check-workbook.py BOOK.xlsx DIR
DIR holds pyramid.csv (custseg-pyramid --report), rfm.csv (custseg-rfm
--report), validate.csv (custseg-clv validate), rates.csv and cohorts.csv
(custseg-churn rates, --cohorts). Prints one line per check; exits 1 at the
first that fails."""
import csv
import math
import os
import sys

import openpyxl


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        sys.exit(1)


def close(a, b, rel):
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-12)


def rows(ws):
    it = ws.iter_rows(values_only=True)
    head = next(it)
    return head, [dict(zip(head, r)) for r in it]


def same_table(wb, sheet, path, key, cols, rel=1e-11):
    """Every row of the tool's CSV is a row of the sheet (matched on key),
    with the same value in each of cols, to the CSV's printed precision."""
    check(sheet in wb.sheetnames, f"sheet {sheet}")
    head, got = rows(wb[sheet])
    with open(path) as f:
        want = list(csv.DictReader(f))
    check(len(got) == len(want), f"{sheet}: {len(want)} rows as the tool's")
    byk = {tuple(str(r[k]) for k in key): r for r in got}
    for w in want:
        g = byk.get(tuple(w[k] for k in key))
        check(g is not None, f"{sheet}: row {[w[k] for k in key]}")
        for c in cols:
            check(close(g[c], w[c], rel), f"{sheet} {[w[k] for k in key]} {c}: {g[c]} = {w[c]}")
            if w[c] != "":
                check(isinstance(g[c], (int, float)), f"{sheet} {c} is a number cell")


def main():
    book, d = sys.argv[1], sys.argv[2]
    wb = openpyxl.load_workbook(book)
    want = ["Overview", "Pyramid", "Concentration", "Segments", "RFM cells", "Model parameters",
            "Validation", "CLV top customers", "Churn rates", "Cohorts"]
    check(wb.sheetnames == want, "sheets " + ", ".join(wb.sheetnames))
    for ws in wb.worksheets:
        check(all(c.font.b for c in ws[1]), f"{ws.title}: the header is bold")
        check(ws.freeze_panes == "A2", f"{ws.title}: the header is frozen")
        check(ws.auto_filter.ref is not None, f"{ws.title}: an autofilter")
    same_table(wb, "Pyramid", os.path.join(d, "pyramid.csv"), ["tier"],
               ["customers", "customer_share", "value", "value_share", "mean", "median", "min",
                "max"])
    same_table(wb, "Segments", os.path.join(d, "rfm.csv"), ["segment"],
               ["customers", "customer_share", "revenue", "revenue_share", "orders", "aov",
                "days_since_last_mean", "frequency_mean", "monetary_mean"])
    # the tool fits on the printed summary table: predicted totals agree to
    # the optimiser's tolerance (see check-report.py)
    same_table(wb, "Validation", os.path.join(d, "validate.csv"), ["group"],
               ["customers", "actual_total"])
    same_table(wb, "Validation", os.path.join(d, "validate.csv"), ["group"],
               ["predicted_total"], rel=1e-5)
    same_table(wb, "Churn rates", os.path.join(d, "rates.csv"), ["period"],
               ["active", "churned_next", "churn_rate"])
    same_table(wb, "Cohorts", os.path.join(d, "cohorts.csv"), ["cohort", "period"],
               ["cohort_size", "active", "share"])
    head, top = rows(wb["CLV top customers"])
    check(all(isinstance(r["customer_id"], str) for r in top), "customer ids are text")
    check(top[0]["customer_id"] == "07592", "leading zeros kept (07592)")
    money = wb["Pyramid"]["D2"].number_format
    check(money == "#,##0.00", f"money formatted {money}")


main()
