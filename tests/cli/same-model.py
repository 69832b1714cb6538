"""Compares two model files digit for digit (numbers kept as their text),
leaving out what records the input and the command line, which must name
the second file's input; prints one line, exits 1 when they differ."""
import json
import os
import sys

name, a_path, b_path, table = sys.argv[1:5]
a, b = (json.load(open(p), parse_float=str, parse_int=str) for p in (a_path, b_path))
rec = b["input"]["name"]
for m in (a, b):
    m.pop("command", None)
    m.pop("input", None)
diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
ok = not diff and os.path.basename(rec) == os.path.basename(table)
print("%s: %s; input recorded: %s" % (
    name, "same model file" if not diff else "DIFFERENT: " + ", ".join(diff),
    os.path.basename(rec)))
sys.exit(0 if ok else 1)
