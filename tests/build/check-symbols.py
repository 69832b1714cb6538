#!/usr/bin/env python3
"""The public API, three ways, must agree: the functions declared in the
installed headers (lib/custseg.h, lib/cs-*.h), the names listed in the
version script lib/custseg.map, and what libcustseg.so exports.

    check-symbols.py SRC_ROOT LIBCUSTSEG_SO     (a test: exit 1 on a mismatch)
    check-symbols.py SRC_ROOT --missing         names declared but not yet in the map
"""
import re
import subprocess
import sys
from pathlib import Path

src = Path(sys.argv[1])
decl_re = re.compile(r"^(?!typedef|static)[A-Za-z_][^;{}()]*?\b(cs_[a-z0-9_]+)\s*\(", re.M)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


declared = set()
for h in [src / "lib/custseg.h", *sorted((src / "lib").glob("cs-*.h"))]:
    body = strip_comments(h.read_text())
    # join continuation lines of a declaration
    declared.update(decl_re.findall(body))

mapped = {}
section = None
for line in strip_comments((src / "lib/custseg.map").read_text()).splitlines():
    line = line.strip()
    m = re.match(r"^(CUSTSEG_[0-9.]+)\s*\{", line)
    if m:
        section = m.group(1)
        continue
    m = re.match(r"^(cs_[a-z0-9_]+);$", line)
    if m:
        if m.group(1) in mapped:
            print(f"custseg.map lists {m.group(1)} twice")
            sys.exit(1)
        mapped[m.group(1)] = section

if len(sys.argv) > 2 and sys.argv[2] == "--missing":
    for name in sorted(declared - set(mapped)):
        print(f"    {name};")
    sys.exit(0)

out = subprocess.run(["nm", "-D", "--defined-only", sys.argv[2]], check=True,
                     capture_output=True, text=True).stdout
exported = {}
for line in out.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[2].startswith("cs_"):
        name, _, ver = parts[2].partition("@")
        exported[name] = ver.lstrip("@")

bad = 0
for name in sorted(declared - set(mapped)):
    print(f"declared in a public header but not in custseg.map: {name}")
    bad += 1
for name in sorted(set(mapped) - declared):
    print(f"in custseg.map but declared in no public header: {name}")
    bad += 1
for name in sorted(set(mapped) - set(exported)):
    print(f"in custseg.map but not exported by the library (not defined?): {name}")
    bad += 1
for name in sorted(set(exported) - set(mapped)):
    print(f"exported but not in custseg.map: {name}")
    bad += 1
for name, ver in sorted(exported.items()):
    if name in mapped and ver != mapped[name]:
        print(f"{name}: exported as version {ver}, listed under {mapped[name]}")
        bad += 1
print(f"{len(declared)} declared, {len(mapped)} in custseg.map, {len(exported)} exported; "
      f"{bad} mismatches")
sys.exit(1 if bad else 0)
