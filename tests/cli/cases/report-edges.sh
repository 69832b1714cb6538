# custseg-report: sections without their data are left out and the page says
# why; ids are text, never markup; refusals and an unwritable -o.
run() { echo "-- $1"; shift; "$@" 2>&1 | sed "s|$TMP/||g"; echo "exit ${PIPESTATUS[0]}"; }
has() { printf '%s: %s\n' "$1" "$(grep -c -F -- "$1" "$2")"; }
{
    echo 'customer,date,amount'
    for d in 01 02 03 04 05 06 07 08 09 10 11 12; do
        echo "<script>alert(1)</script>,2024-$d-05,90"
        echo "\"A&B \"\"q\"\"\",2024-$d-09,85.5"
        for c in $(seq 1 $((10#$d))); do echo "c$c,2024-$d-15,$((c * 3)).25"; done
    done
    echo "late,2024-12-20,3"
} > "$TMP/log.csv"
run "no holdout, no model" custseg-report "$TMP/log.csv" -o "$TMP/n.html"
has 'id="models"' "$TMP/n.html"
has 'Left out of this report' "$TMP/n.html"
run "a model asked for" custseg-report --fit bgnbd "$TMP/log.csv" -o "$TMP/a.html"
has 'id="models"' "$TMP/a.html"
has '&lt;script&gt;alert(1)&lt;/script&gt;' "$TMP/a.html"
has '<script' "$TMP/a.html"
has 'A&amp;B &quot;q&quot;' "$TMP/a.html"
cut -d, -f1,2 "$TMP/log.csv" > "$TMP/noamount.csv"
run "no amounts" custseg-report --no-amount "$TMP/noamount.csv" -o "$TMP/b.html"
has 'id="concentration"' "$TMP/b.html"
has 'id="rfm"' "$TMP/b.html"
run "fit and model" custseg-report --fit bgnbd --model x.json "$TMP/log.csv" -o "$TMP/c.html"
run "bad fit" custseg-report --fit gg "$TMP/log.csv" -o "$TMP/c.html"
run "bad bins" custseg-report --bins 11 "$TMP/log.csv" -o "$TMP/c.html"
mkdir "$TMP/out"
run "unwritable output" custseg-report -q "$TMP/log.csv" -o "$TMP/out/log.csv/r.html"
ls -A "$TMP/out"
run "missing input" custseg-report -q "$TMP/nope.csv" -o "$TMP/d.html"
ls "$TMP" | grep -c '^d.html'
