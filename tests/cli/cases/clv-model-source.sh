# A model file records what it was fitted on: the as-of day (the last date of
# the log unless given), the calibration end, the input's name, size and
# SHA-256 (checked against sha256sum; of all inputs in order, null for
# standard input), the custseg version and the command line, quoted. It reads
# back: predict and new take it, as they take an old file without these fields and
# one with keys it does not know.
set -e
cp small.csv "$TMP/jan 'a'.csv"
custseg-clv fit --model bgnbd -qq -o "$TMP/m.json" small.csv
python3 - "$TMP/m.json" "$(sha256sum < small.csv | cut -d' ' -f1)" "$(wc -c < small.csv)" "$TMP/" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
i = m["input"]
print("as_of", m["as_of"], "calibration_end", m["calibration_end"])
print("input", i["name"], i["files"], "bytes ok" if i["bytes"] == int(sys.argv[3]) else i["bytes"],
      "sha256 ok" if i["sha256"] == sys.argv[2] else i["sha256"])
print("tool", m["tool"].split()[0], "command:", m["command"].replace(sys.argv[4], "TMP/"))
PY
custseg-clv fit --model bgnbd -q --calibration-end 2024-03-01 -o "$TMP/p.json" small.csv "$TMP/jan 'a'.csv" 2>/dev/null
python3 - "$TMP/p.json" "$(cat small.csv "$TMP/jan 'a'.csv" | sha256sum | cut -d' ' -f1)" "$TMP/" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
i = m["input"]
print("as_of", m["as_of"], "calibration_end", m["calibration_end"])
print("inputs", i["name"], i["files"], i["bytes"], "sha256 of both ok" if i["sha256"] == sys.argv[2] else i["sha256"])
print("command:", m["command"].replace(sys.argv[3], "TMP/"))
PY
custseg-clv fit --model gg -qq --as-of 2024-04-30 < small.csv | python3 -c '
import json, sys; m = json.load(sys.stdin); print("stdin:", m["as_of"], m["input"])'
custseg-summary small.csv 2>/dev/null | custseg-clv fit --model gg -qq | python3 -c '
import json, sys; m = json.load(sys.stdin); print("summary table:", m["as_of"], m["calibration_end"], m["input"]["name"])'
# read back: this file, one with unknown keys added, one without any of them
custseg-clv predict --model "$TMP/m.json" small.csv | head -2
custseg-clv new --model "$TMP/m.json" --max-k 3 > "$TMP/new.csv"
python3 - "$TMP/m.json" "$TMP/x.json" "$TMP/old.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["input"]["origin"] = {"host": "elsewhere"}
m["fitted_by"] = "someone"
json.dump(m, open(sys.argv[2], "w"))
for k in ("input", "command", "tool", "as_of", "calibration_end", "fingerprint"):
    del m[k]
json.dump(m, open(sys.argv[3], "w"))
PY
custseg-clv new --model "$TMP/x.json" --max-k 3 | cmp - "$TMP/new.csv" && echo "unknown keys: same predictions"
custseg-clv new --model "$TMP/old.json" --max-k 3 | cmp - "$TMP/new.csv" && echo "old file: same predictions"
