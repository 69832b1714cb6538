"""A stand-in for the few PySpark RDD operations of docs/SCALE.md's recipe,
so that the test runs the recipe itself without Spark: an RDD is a list of
partitions (lists of lines) in one process; pipe() runs the command once per
partition, as Spark's executors do (the partition's elements on standard
input, one per line; its standard output's lines are the new partition);
partitionBy() shuffles, and hands each partition its elements in a random
order (fixed seed), as a shuffle from many map tasks may."""
import glob
import os
import random
import shlex
import subprocess

LINES_PER_SPLIT = 200000  # textFile: an input split, as an HDFS block would be


class RDD:
    def __init__(self, parts):
        self.parts = parts

    def filter(self, f):
        return RDD([[x for x in p if f(x)] for p in self.parts])

    def keyBy(self, f):
        return RDD([[(f(x), x) for x in p] for p in self.parts])

    def values(self):
        return RDD([[v for _, v in p] for p in self.parts])

    def partitionBy(self, n, func):
        out = [[] for _ in range(n)]
        for p in self.parts:
            for k, v in p:
                out[func(k) % n].append((k, v))
        rng = random.Random(13)
        for p in out:
            rng.shuffle(p)
        return RDD(out)

    def pipe(self, command, env=None, checkCode=False):
        out = []
        for p in self.parts:
            r = subprocess.run(shlex.split(command), input="".join(str(x) + "\n" for x in p),
                               stdout=subprocess.PIPE, text=True,
                               env=dict(os.environ, **(env or {})))
            if checkCode and r.returncode:
                raise RuntimeError(f"{command}: exit {r.returncode}")
            out.append(r.stdout.splitlines())
        return RDD(out)

    def cache(self):
        return self

    def glom(self):
        return RDD([[p] for p in self.parts])

    def collect(self):
        return [x for p in self.parts for x in p]

    def saveAsTextFile(self, path):
        os.makedirs(path)
        for i, p in enumerate(self.parts):
            with open(os.path.join(path, f"part-{i:05d}"), "w") as f:
                f.write("".join(x + "\n" for x in p))


class SparkContext:
    def __init__(self, appName=None):
        self.appName = appName

    def textFile(self, pattern):
        parts = []
        for name in sorted(glob.glob(pattern)):
            with open(name, newline="") as f:
                lines = [x.rstrip("\r\n") for x in f]
            parts += [lines[i:i + LINES_PER_SPLIT] for i in range(0, len(lines), LINES_PER_SPLIT)]
        return RDD(parts)
