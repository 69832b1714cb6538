#!/usr/bin/env python3
"""The library's layers, checked from the sources: no #include runs back up.

    util < calendar < io < txn < summary < models < segment < report
    stats sits beside io: it may use util only.

A file (lib/LAYER/*.c or *.h) may include the public header of its own
layer or of a lower one, and an internal header (*-internal.h, family.h)
only from its own folder; util/internal.h (errors, the id hash) is for all. Public headers (lib/cs-*.h) obey the same order.

    check-layers.py SRC_ROOT
"""
import re
import sys
from pathlib import Path

order = {"util": 0, "calendar": 1, "io": 2, "stats": 2, "txn": 3, "summary": 4, "models": 5,
         "segment": 6, "report": 7}
# public headers and the layer each belongs to
public = {"cs-error.h": "util", "cs-calendar.h": "calendar", "cs-io.h": "io", "cs-stats.h": "stats", "cs-txn.h": "txn",
          "cs-summary.h": "summary", "cs-models.h": "models", "cs-churn.h": "models",
          "cs-segment.h": "segment", "cs-report.h": "report", "custseg.h": "report",
          "cs-version.h": "util"}

src = Path(sys.argv[1]) / "lib"
inc_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of_header(name):
    if "/" in name:  # an internal header: its folder
        return name.split("/")[0]
    return public.get(name)


def allowed(from_layer, name):
    to = layer_of_header(name)
    if to is None:
        return f"unknown header (add it to check-layers.py)"
    if "/" in name and to != from_layer and to != "util":
        return f"internal header of {to}/"
    if from_layer == "stats" and to not in ("util", "stats"):
        return "stats uses util only"
    if to == "stats" and from_layer in ("io", "util"):
        return "io and util do not use stats"
    if order[to] > order[from_layer]:
        return f"{to} is above {from_layer}"
    if from_layer in ("io", "util", "calendar") and to in ("txn", "summary", "models", "segment"):
        return f"{from_layer} never includes {to}"
    return None


bad = 0
files = 0
for path in sorted(src.rglob("*.[ch]")):
    rel = path.relative_to(src)
    if len(rel.parts) == 1:
        if rel.name not in public:
            if rel.suffix == ".h":
                print(f"lib/{rel}: a public header unknown to check-layers.py")
                bad += 1
            continue
        layer = public[rel.name]
    else:
        layer = rel.parts[0]
        if layer not in order:
            print(f"lib/{rel}: folder {layer}/ is not a known layer")
            bad += 1
            continue
    files += 1
    for name in inc_re.findall(path.read_text()):
        why = allowed(layer, name)
        if why:
            print(f"lib/{rel} ({layer}) includes \"{name}\": {why}")
            bad += 1
# The library names no command-line flag: it says which of its settings an
# error is about (cs_error.setting, .hint) and the tool words the hint.
flag_re = re.compile(r'"(?:[^"\\\n]|\\.)*?(?<![\w-])--[a-z][a-z-]+(?:[^"\\\n]|\\.)*"')
for path in sorted(src.rglob("*.c")):
    text = re.sub(r"/\*.*?\*/", " ", path.read_text(), flags=re.S)
    for m in flag_re.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        print(f"lib/{path.relative_to(src)}:{line}: names a command-line flag: {m.group(0)[:60]}")
        bad += 1
print(f"{files} files checked, {bad} includes against the layers or flags named")
sys.exit(1 if bad else 0)
