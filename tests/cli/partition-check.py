#!/usr/bin/env python3
"""Map, merge, concatenate, compare: custseg-summary --partitions on a log
split into several files equals one run over the whole log, byte for byte.

    partition-check.py LABEL --input LOG --files K --parts N
        --split lines|round|col:C [--shuffle SEED]
        [--opts "summary options"] [--unit U] [--load "loader options"]

The log (first line a header, gzip or plain) is split into K files, each
with the header: 'lines' in K runs of consecutive lines, 'round' line i to
file i mod K (a customer-day lands in several files), 'col:C' by the digits
of CSV column C mod K (Online Retail's invoice number: one customer-day's
invoices in different files). --shuffle puts each file's records in a random
order (out of date order). --every K: the log is every K-th record of LOG (a shorter log over
the same dates, for the sanitizer builds' time). Each file is mapped with --partitions N, each
partition merged over every map output, and the merged rows concatenated
(header once, rows sorted by customer id, bytes) and compared with one run
over the whole log. Prints "LABEL: identical" or what differs.
"""
import argparse
import csv
import gzip
import io
import os
import random
import shlex
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("label")
ap.add_argument("--input", required=True)
ap.add_argument("--files", type=int, default=8)
ap.add_argument("--parts", type=int, default=4)
ap.add_argument("--split", default="lines")
ap.add_argument("--shuffle", type=int)
ap.add_argument("--opts", default="")
ap.add_argument("--unit", default=None)
ap.add_argument("--load", default="")
ap.add_argument("--every", type=int, help="every EVERY-th record of the log only")
a = ap.parse_args()

tmp = os.path.join(os.environ["TMP"], a.label.replace(" ", "_"))
os.makedirs(tmp)
opener = gzip.open if a.input.endswith(".gz") else open
with opener(a.input, "rb") as f:
    lines = f.read().split(b"\n")
if lines and lines[-1] == b"":
    lines.pop()
header, body = lines[0], lines[1:]
if a.every:
    body = body[::a.every]
    a.input = os.path.join(tmp, "log.txt")
    with open(a.input, "wb") as out:
        out.write(b"\n".join([header] + body) + b"\n")

files = [[] for _ in range(a.files)]
if a.split == "lines":
    size = -(-len(body) // a.files)
    for i in range(a.files):
        files[i] = body[i * size:(i + 1) * size]
elif a.split == "round":
    for i, line in enumerate(body):
        files[i % a.files].append(line)
elif a.split.startswith("col:"):
    col = int(a.split[4:])
    for line in body:
        row = next(csv.reader(io.StringIO(line.decode("utf-8", "replace"))))
        digits = "".join(ch for ch in row[col] if ch.isdigit()) or "0"
        files[int(digits) % a.files].append(line)
else:
    sys.exit("bad --split")
if a.shuffle is not None:
    rnd = random.Random(a.shuffle)
    for f in files:
        rnd.shuffle(f)
paths = []
for i, f in enumerate(files):
    p = os.path.join(tmp, f"in{i}.txt")
    with open(p, "wb") as out:
        out.write(b"\n".join([header] + f) + b"\n")
    paths.append(p)


def run(args):
    r = subprocess.run(["custseg-summary", "-q"] + args, capture_output=True)
    if r.returncode != 0:
        print(f"{a.label}: custseg-summary {' '.join(args)}: exit {r.returncode}")
        print(r.stderr.decode(errors="replace").replace(tmp + "/", ""))
        sys.exit(1)


opts = shlex.split(a.opts) + shlex.split(a.load)
unit = ["--unit", a.unit] if a.unit else []
whole = os.path.join(tmp, "whole.csv")
run(opts + unit + [a.input, "-o", whole])
for i, p in enumerate(paths):
    run(opts + ["--partitions", str(a.parts), "-o", os.path.join(tmp, f"map{i}") + "/", p])
rows, head = [], None
digits = max(5, len(str(a.parts - 1)))
for part in range(a.parts):
    name = f"part-{part:0{digits}d}"
    inputs = [os.path.join(tmp, f"map{i}", name) for i in range(a.files)]
    for p in inputs:
        if not os.path.exists(p):
            print(f"{a.label}: map{inputs.index(p)}/{name} is missing")
            sys.exit(1)
    out = os.path.join(tmp, f"merged-{part}.csv")
    r = subprocess.run(["custseg-summary", "-q", "--merge"] + unit + inputs + ["-o", out],
                       capture_output=True)
    if r.returncode != 0:
        print(f"{a.label}: merge of {name}: exit {r.returncode}")
        print(r.stderr.decode(errors="replace").replace(tmp + "/", ""))
        sys.exit(1)
    with open(out, "rb") as f:
        data = f.read().split(b"\n")
    head = head or data[0]
    if data[0] != head:
        print(f"{a.label}: {name}: another header")
    rows += [line for line in data[1:] if line]


def row_id(line):
    return next(csv.reader(io.StringIO(line.decode("utf-8", "replace"))))[0].encode("utf-8")


rows.sort(key=row_id)
merged = b"\n".join([head] + rows) + b"\n"
with open(whole, "rb") as f:
    want = f.read()
if merged == want:
    print(f"{a.label}: identical")
else:
    w, m = want.split(b"\n"), merged.split(b"\n")
    for k, (x, y) in enumerate(zip(w, m)):
        if x != y:
            print(f"{a.label}: DIFFERENT at line {k + 1}:\n  whole  {x!r}\n  merged {y!r}")
            break
    else:
        print(f"{a.label}: DIFFERENT: {len(w)} lines, merged {len(m)}")
