# custseg-report's CDNOW page in a real browser (headless Chromium): the DOM
# Chromium builds holds every section and the SVG of every chart, its numbers
# are the tools' numbers (tests/report/check-report.py on the DOM), and the
# browser logs no console error. The screenshot is kept in
# $CUSTSEG_ARTEFACTS (default: the case's scratch space) for a person to see.
[ -f "$DATASETS/CDNOW_master.txt" ] || { echo "no datasets" >&2; exit 77; }
command -v chromium >/dev/null || { echo "no chromium (scripts/setup installs it)" >&2; exit 77; }
set -e
opts=(--delimiter whitespace --customer customer_id --date date --amount dollar_value
      --calibration-end 1997-09-30)
custseg-report -q "${opts[@]}" --title "CDNOW, calibration to 1997-09-30" \
    "$DATASETS/CDNOW_master.txt" -o "$TMP/report.html"
custseg-summary -q "${opts[@]}" --unit week "$DATASETS/CDNOW_master.txt" -o "$TMP/s.csv"
custseg-pyramid -q --concentration "$TMP/concentration.json" --report "$TMP/s.csv" > "$TMP/pyramid.csv"
custseg-rfm -qq --report "$TMP/s.csv" > "$TMP/rfm.csv"
custseg-clv fit -qq --model bgnbd "$TMP/s.csv" -o "$TMP/model.json"
custseg-clv validate -q --model "$TMP/model.json" "$TMP/s.csv" > "$TMP/validate.csv"
custseg-churn evaluate -qq --model "$TMP/model.json" -f json "$TMP/s.csv" > "$TMP/evaluate.json"
browse() {
    # --no-sandbox: CI runs as root; a profile of its own, nothing from $HOME
    timeout 180 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$TMP/profile" --enable-logging=stderr --v=0 "$@" \
        "file://$TMP/report.html" 2>>"$TMP/chromium.log"
}
browse --dump-dom > "$TMP/dom.html"
echo "DOM: $(grep -o '<section id="[a-z]*"' "$TMP/dom.html" | tr '\n' ' ')"
python3 "$SRC/tests/report/check-report.py" "$TMP/dom.html" "$TMP" > "$TMP/checks.txt" ||
    { cat "$TMP/checks.txt"; exit 1; }
echo "DOM checks passed: $(grep -c '^ok' "$TMP/checks.txt")"
art=${CUSTSEG_ARTEFACTS:-$TMP}
mkdir -p "$art"
browse --window-size=1280,5200 --screenshot="$art/report-cdnow.png" > /dev/null
test -s "$art/report-cdnow.png" && echo "screenshot written"
echo "console errors: $(grep -c -i 'CONSOLE.*error\|Uncaught\|Failed to load' "$TMP/chromium.log" || true)"
