"""Writes N simulated monthly subscription records (customer,start,end) to a
file: theta ~ Beta(1.2, 3.5) per subscriber, a geometric number of months,
starts over 2021-2023, the end being the renewal day not paid, empty when it
falls after 2024-01-01. Usage: subscriptions.py N FILE [SEED]"""
import datetime
import random
import sys

n, path = int(sys.argv[1]), sys.argv[2]
random.seed(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
asof = datetime.date(2024, 1, 1)


def add_months(d, k):
    m = d.month - 1 + k
    return datetime.date(d.year + m // 12, m % 12 + 1, d.day)


with open(path, "w") as f:
    f.write("customer,start,end\n")
    for i in range(n):
        start = datetime.date(2021 + random.randrange(3), 1 + random.randrange(12),
                              1 + random.randrange(28))
        theta = random.betavariate(1.2, 3.5)
        t = 1
        while random.random() >= theta and t < 1000:
            t += 1
        end = add_months(start, t)
        f.write("s%d,%s,%s\n" % (i, start, end if end <= asof else ""))
