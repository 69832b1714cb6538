# SIGINT while the workbook is being zipped into -o's temporary (it has
# bytes, the run has not ended): the temporary is removed and no
# scores.xlsx appears. Should the run end before the signal, the workbook
# must be whole. Either way nothing half-written is left.
. "$SRC/tests/cli/xlsx.sh"
set -e
cat > "$TMP/bg.json" <<'JSON'
{"format": "custseg-model", "version": 1, "model": "bgnbd", "time_unit": "week",
 "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}}
JSON
custseg-simulate --params bgnbd:0.243,4.414,0.793,2.426 -n 30000 --format summary -o "$TMP/s.csv"
mkdir "$TMP/out"
custseg-churn score -qq --model "$TMP/bg.json" -f xlsx -o "$TMP/out/scores.xlsx" "$TMP/s.csv" &
pid=$!
for i in $(seq 1 3000); do
    t=$(ls "$TMP/out" | grep custseg-tmp || true)
    if [ -n "$t" ] && [ -s "$TMP/out/$t" ]; then break; fi
    kill -0 $pid 2>/dev/null || break
    sleep 0.01
done
kill -INT $pid 2>/dev/null || true
set +e
wait $pid
code=$?
left=$(ls "$TMP/out")
if [ $code = 130 ] && [ -z "$left" ]; then
    echo "interrupted: nothing left"
elif [ $code = 0 ] && [ "$left" = scores.xlsx ] &&
     "$XLSX_PY" -c 'import sys, zipfile; sys.exit(zipfile.ZipFile(sys.argv[1]).testzip() is not None)' "$TMP/out/scores.xlsx"; then
    echo "interrupted: nothing left" # it ended first, and the workbook is whole
else
    echo "exit $code, left: $left"
fi
