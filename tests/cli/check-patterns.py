"""Checks a pattern table against the summary tables it was made from,
independently of custseg: KIND purchase (frequency, t_x_UNIT, T_UNIT of
every customer) or spend (frequency, monetary_value of repeat buyers), each
distinct value once with the number of customers, sorted, and every number
read back as the summary's double. Prints one line, exits 1 on a mismatch."""
import collections
import csv
import sys

kind, table, summaries = sys.argv[1], sys.argv[2], sys.argv[3:]
want = collections.Counter()
for path in summaries:
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        tx = next(c for c in r.fieldnames if c.startswith("t_x_"))
        T = next(c for c in r.fieldnames if c.startswith("T_"))
        for row in r:
            x = float(row["frequency"])
            if kind == "purchase":
                want[(x, float(row[tx]), float(row[T]))] += 1
            elif x > 0:
                want[(x, float(row["monetary_value"]))] += 1
with open(table, newline="") as f:
    r = csv.reader(f)
    header = next(r)
    rows = [tuple(float(v) for v in row) for row in r]
keys = [row[:-1] for row in rows]
got = collections.Counter({row[:-1]: row[-1] for row in rows})
problems = []
if len(set(keys)) != len(keys):
    problems.append("repeated rows")
if keys != sorted(keys):
    problems.append("not sorted")
if got != want:
    problems.append("%d rows differ" % len(set(got.items()) ^ set(want.items())))
print("%s table (%s): %d rows, %d customers, from %d summaries: %s" % (
    kind, ",".join(header), len(rows), sum(want.values()), len(summaries),
    "; ".join(problems) or "the distinct values of the summaries, counted, sorted"))
sys.exit(1 if problems else 0)
