#!/usr/bin/env python3
"""Reads a workbook written by a custseg tool (--format xlsx) with openpyxl
and checks it against the CSV output of the same command:

    xlsx-check.py BOOK.xlsx TABLE.csv --sheet NAME [--id COL] [--money COL,...]

- one sheet, named NAME; the header row equals the CSV header, in bold,
  frozen (the pane at A2), with an autofilter over the whole table;
- every cell equals its CSV field: an empty field is an empty cell; the id
  column (--id) holds text, even where it looks like a number; a field
  YYYY-MM-DD is a date cell formatted yyyy-mm-dd; a field that is a number
  is a number cell (int or float, never text) equal to the number the CSV
  prints (to its printed precision: the same double); anything else is the
  same text;
- the --money columns' numbers have the format #,##0.00;
- every column is at least as wide as its widest CSV field (money: as
  #,##0.00 shows it), up to 60.

Prints one line of counts; exits 1 on the first disagreement. Needs only
openpyxl and the standard library."""
import argparse
import csv
import datetime
import re
import sys

try:
    import openpyxl
    from openpyxl.utils import get_column_letter
except ImportError:
    print("python3-openpyxl is absent", file=sys.stderr)
    sys.exit(77)

ap = argparse.ArgumentParser()
ap.add_argument("book")
ap.add_argument("table")
ap.add_argument("--sheet", required=True)
ap.add_argument("--id", default=None)
ap.add_argument("--money", default="")
a = ap.parse_args()

NUMBER = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def fail(msg):
    print(f"xlsx-check: {a.book}: {msg}")
    sys.exit(1)


rows = list(csv.reader(open(a.table, newline="", encoding="utf-8")))
header = rows[0]
money = set(c for c in a.money.split(",") if c)
for m in money:
    if m not in header:
        pass  # a column of some runs only (value_holdout with a holdout)
wb = openpyxl.load_workbook(a.book)
if wb.sheetnames != [a.sheet]:
    fail(f"sheets {wb.sheetnames}, expected [{a.sheet!r}]")
ws = wb[a.sheet]
ncol = len(header)
last = f"{get_column_letter(ncol)}{len(rows)}"
if ws.max_row != len(rows) or ws.max_column != ncol:
    fail(f"{ws.max_row} rows x {ws.max_column} columns, the CSV has {len(rows)} x {ncol}")
if ws.freeze_panes != "A2":
    fail(f"frozen pane at {ws.freeze_panes}, expected A2 (the header row)")
if ws.auto_filter.ref != f"A1:{last}":
    fail(f"autofilter over {ws.auto_filter.ref}, expected A1:{last}")
counts = {"numbers": 0, "dates": 0, "text": 0, "ids": 0, "empty": 0, "money": 0}
for r, row in enumerate(rows, start=1):
    if len(row) != ncol:
        fail(f"CSV line {r} has {len(row)} fields")
    for c, field in enumerate(row, start=1):
        cell = ws.cell(row=r, column=c)
        where = f"{cell.coordinate} ({header[c - 1]})"
        v = cell.value
        if r == 1:
            if v != field or cell.data_type != "s" or not cell.font.b:
                fail(f"{where}: header {v!r} (bold {cell.font.b}), expected {field!r} in bold")
            continue
        if field == "":
            if v is not None:
                fail(f"{where}: {v!r}, expected an empty cell")
            counts["empty"] += 1
        elif header[c - 1] == a.id:
            if cell.data_type != "s" or v != field:
                fail(f"{where}: {v!r} ({cell.data_type}), expected the text {field!r}")
            counts["ids"] += 1
        elif DATE.match(field):
            if not isinstance(v, datetime.datetime) or cell.number_format != "yyyy-mm-dd":
                fail(f"{where}: {v!r} as {cell.number_format!r}, expected a date {field}")
            if v.date().isoformat() != field:
                fail(f"{where}: {v.date()}, expected {field}")
            counts["dates"] += 1
        elif NUMBER.match(field):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                fail(f"{where}: {v!r} ({type(v).__name__}), expected the number {field}")
            if v != float(field):
                fail(f"{where}: {v!r}, expected {field}")
            if header[c - 1] in money:
                if cell.number_format != "#,##0.00":
                    fail(f"{where}: format {cell.number_format!r}, expected #,##0.00 (money)")
                counts["money"] += 1
            counts["numbers"] += 1
        else:
            if cell.data_type != "s" or v != field:
                fail(f"{where}: {v!r}, expected the text {field!r}")
            counts["text"] += 1

def shown(field, col):
    """The width of a field as the sheet shows it: money as #,##0.00."""
    if col in money and NUMBER.match(field):
        return len(f"{float(field):,.2f}")
    return len(field)


for c in range(1, ncol + 1):
    widest = max(shown(row[c - 1], header[c - 1]) for row in rows)
    width = ws.column_dimensions[get_column_letter(c)].width
    if not width or width < min(widest, 60):
        fail(f"column {get_column_letter(c)} ({header[c - 1]}) is {width} wide, "
             f"its widest field {widest}")
print(f"{a.sheet}: {len(rows) - 1} rows x {ncol} columns equal the CSV: "
      + ", ".join(f"{n} {k}" for k, n in counts.items()))
