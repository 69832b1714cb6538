#!/usr/bin/env python3
"""The charts of lib/report are well-formed XML and sane SVG.

    check-svg.py TEST_CHART CHART_DEMO

Runs `TEST_CHART DIR` (it writes its sample charts, one <figure> per
file) and `CHART_DEMO DIR/demo.html` into a temporary folder, then parses
every file with the standard library's XML parser and checks each figure:
a title, a note (or the no-data sentence), an <svg> with a viewBox, width
100 %, role img and an accessible name; no script, no event handler, no
external reference; coordinates with at most one decimal and no comma;
no negative sizes; text anchored inside the picture.
"""
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"
NUM = re.compile(r"^-?\d+(\.\d)?$")
COORD_ATTRS = ("x", "y", "width", "height", "cx", "cy", "r", "x1", "x2", "y1", "y2")
PATH_RE = re.compile(r"^(?:[MLh] ?-?\d+(?:\.\d)?(?: -?\d+(?:\.\d)?)?| )*$")

bad = 0
figures = 0


def fail(where, msg):
    global bad
    bad += 1
    print(f"{where}: {msg}")


def local(tag):
    return tag.split("}", 1)[1] if tag.startswith("{") else tag


def check_svg(where, svg):
    vb = svg.get("viewBox", "")
    m = re.match(r"^0 0 (\d+(?:\.\d)?) (\d+(?:\.\d)?)$", vb)
    if not m:
        fail(where, f"viewBox {vb!r}")
        return
    w, h = float(m.group(1)), float(m.group(2))
    for attr, want in (("width", "100%"), ("role", "img")):
        if svg.get(attr) != want:
            fail(where, f"svg {attr}={svg.get(attr)!r}, expected {want!r}")
    if not svg.get("aria-label"):
        fail(where, "svg without aria-label")
    first = list(svg)[0] if len(svg) else None
    if first is None or local(first.tag) != "title" or not (first.text or "").strip():
        fail(where, "svg does not start with a <title>")
    # nested <svg> (the plot area) shifts its children
    def walk(el, ox, oy, transformed):
        for child in el:
            tag = local(child.tag)
            for a in COORD_ATTRS:
                v = child.get(a)
                if v is not None and not NUM.match(v):
                    fail(where, f"<{tag} {a}={v!r}>: not a number with at most one decimal")
            for a in ("width", "height", "r"):
                v = child.get(a)
                if v is not None and NUM.match(v) and float(v) < 0:
                    fail(where, f"<{tag} {a}={v}>: negative")
            if tag == "path" and not PATH_RE.match(child.get("d", "")):
                fail(where, f"path d={child.get('d', '')[:80]!r}")
            if tag == "text" and not transformed and "transform" not in child.attrib:
                x, y = float(child.get("x", 0)) + ox, float(child.get("y", 0)) + oy
                if not (0 <= x <= w and 0 <= y <= h):
                    fail(where, f"text {''.join(child.itertext())!r} at {x},{y} outside {w}x{h}")
            if tag == "svg":
                walk(child, ox + float(child.get("x", 0)), oy + float(child.get("y", 0)),
                     transformed)
            else:
                walk(child, ox, oy, transformed or "transform" in child.attrib)

    walk(svg, 0, 0, False)


def check_figure(where, fig):
    global figures
    figures += 1
    if "cs-chart" not in fig.get("class", "").split():
        fail(where, "figure without class cs-chart")
    h3 = fig.find("figcaption/h3")
    if h3 is None or not "".join(h3.itertext()).strip():
        fail(where, "figure without a title")
    paras = {p.get("class"): "".join(p.itertext()) for p in fig.findall("p")}
    svgs = fig.findall(SVG + "svg")
    if "cs-nodata" in paras:
        if paras["cs-nodata"] != "No data for this chart." or svgs:
            fail(where, "a no-data figure with a chart or another sentence")
        return
    if not paras.get("cs-note", "").strip():
        fail(where, "figure without a note")
    if len(svgs) != 1:
        fail(where, f"{len(svgs)} svg elements")
    for svg in svgs:
        check_svg(f"{where} #{fig.get('id')}", svg)


def check_tree(where, root):
    for el in root.iter():
        tag = local(el.tag)
        if tag == "script":
            fail(where, "a <script> element")
        for a, v in el.attrib.items():
            if local(a).lower().startswith("on"):
                fail(where, f"event handler {a}")
            if local(a) in ("href", "src") and not v.startswith("#"):
                fail(where, f"external reference {a}={v!r}")
    if local(root.tag) == "figure":
        check_figure(where, root)
    else:
        for fig in root.iter("figure"):
            check_figure(where, fig)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.argv[1], tmp], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([sys.argv[2], str(Path(tmp) / "demo.html")], check=True)
        files = sorted(Path(tmp).iterdir())
        if len(files) < 5:
            fail(tmp, f"only {len(files)} files written")
        for f in files:
            text = f.read_text(encoding="utf-8")
            if f.suffix == ".html":  # the doctype line is HTML's, not XML's
                text = re.sub(r"^<!DOCTYPE html>", "", text)
            try:
                root = ET.fromstring(text)
            except ET.ParseError as e:
                fail(f.name, f"not well-formed XML: {e}")
                continue
            check_tree(f.name, root)
    print(f"{figures} figures checked, {bad} problems")
    return 1 if bad or figures < 10 else 0


sys.exit(main())
