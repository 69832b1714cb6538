# docs/SCALE.md's Spark recipe, as written there: its custseg-map.sh,
# custseg-reduce.sh and driver program, taken from the page's marked code
# blocks (only the paths and N are set here) and run with a stand-in for
# the RDD operations (standin/pyspark: one process per partition, lines in,
# lines out, a shuffle in random order). The summary, the BG/NBD and
# Gamma-Gamma parameters and the scores equal one process's.
NO_DASK=1 . "$(dirname "$0")/lib.sh"
mkdir "$TMP/in" "$TMP/bin"
lines=999999
[ -n "${CUSTSEG_SANITIZED:-}" ] && lines=54000
zcat "$DATASETS/online_retail.csv.gz" | head -$lines >"$TMP/log.csv"
split_lines "$TMP/log.csv" "$TMP/in" 3
"$PY" - "$SRC/docs/SCALE.md" "$TMP/bin" <<'PY' || fail "the recipe's blocks are not in docs/SCALE.md"
import re, sys
text = open(sys.argv[1]).read()
blocks = re.findall(r"<!-- recipe: (\S+) -->\n```\w+\n(.*?)```\n", text, re.S)
assert [b[0] for b in blocks] == ["custseg-map.sh", "custseg-reduce.sh", "spark.py"], blocks
for name, code in blocks:
    open(f"{sys.argv[2]}/{name}", "w").write(code)
PY
chmod +x "$TMP/bin"/*.sh
sed -i -E "s|^LOG = .*|LOG = \"$TMP/in/*.csv\"|; s|^OUT = .*|OUT = \"$TMP/out\"|; s|^N = .*|N = 6|" \
    "$TMP/bin/spark.py"
grep -q "^N = 6$" "$TMP/bin/spark.py" || fail "no N = line in the recipe"
opts=$(sed -n 's/^OPTS = "\([^"]*\)".*/\1/p' "$TMP/bin/spark.py")
unit=$(sed -n 's/^UNIT = "\([^"]*\)".*/\1/p' "$TMP/bin/spark.py")
[ -n "$opts" ] && [ -n "$unit" ] || fail "no OPTS = or UNIT = line in the recipe"
PATH="$TMP/bin:$PATH" PYTHONPATH="$SRC/tests/scale/standin" PYTHONDONTWRITEBYTECODE=1 "$PY" "$TMP/bin/spark.py" ||
    fail "the recipe failed"

custseg-summary -qq $opts --unit "$unit" "$TMP/log.csv" >"$TMP/one.csv" || fail "custseg-summary"
custseg-clv fit -qq --model bgnbd -o "$TMP/bgnbd.json" "$TMP/one.csv" || fail "fit bgnbd"
custseg-clv fit -qq --model gg -o "$TMP/gg.json" "$TMP/one.csv" || fail "fit gg"
custseg-clv predict -qq --model "$TMP/bgnbd.json" --spend "$TMP/gg.json" \
    "$TMP/one.csv" >"$TMP/scores.csv" || fail "predict"
# the partitions' tables as one: the header once, rows by customer_id (bytes)
merge() {
    "$PY" - "$@" <<'PY'
import sys
rows, head = [], None
for name in sys.argv[1:]:
    lines = open(name, "rb").read().splitlines(True)
    head = head or lines[0]
    assert lines[0] == head, name
    rows += lines[1:]
sys.stdout.buffer.write(head + b"".join(sorted(rows, key=lambda r: r.split(b",", 1)[0])))
PY
}
[ "$(ls "$TMP/out/summaries"/part-* | wc -l)" = 6 ] || fail "not 6 partitions"
merge "$TMP/out/summaries"/part-* >"$TMP/summary.csv"
check_same "$TMP/one.csv" "$TMP/summary.csv" "the recipe's summary"
check_params "$TMP/bgnbd.json" "$TMP/out/models/bgnbd.json"
check_params "$TMP/gg.json" "$TMP/out/models/gg.json"
merge "$TMP/out/scores"/part-* >"$TMP/recipe-scores.csv"
check_same "$TMP/scores.csv" "$TMP/recipe-scores.csv" "the recipe's scores"
exit 0
