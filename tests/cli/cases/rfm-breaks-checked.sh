# A breaks file records what its cut points were computed on (variables,
# monetary kind, bins, time unit, as-of day, scores per variable), and
# applying it to something else is refused with the file, the line of the
# field, what it holds and what the run asks for (exit 1). What the run does
# not ask for is taken from the file. A file whose cut points do not match
# its scores, or exceed its bins, is refused at its line. An old file
# (version 1, without these fields) is accepted with a warning.
awk 'BEGIN { print "customer_id,frequency,t_x_days,T_days,days_since_last,purchase_days,total_value"
             for (i = 1; i <= 40; i++) printf "c%02d,%d,0,0,%d,%d,%d\n", i, i % 6, i * 5, i % 6 + 1, i * 13 % 97 + 1 }' > "$TMP/s.csv"
echo '[{"name": "All"}]' > "$TMP/all.json"
custseg-rfm -q --breaks-out "$TMP/total.json" "$TMP/s.csv" > "$TMP/total.csv"
custseg-rfm -q --monetary mean --breaks-out "$TMP/mean.json" "$TMP/s.csv" > "$TMP/mean.csv"
custseg-rfm -q --breaks-out "$TMP/log.json" small.csv > /dev/null
python3 - "$TMP/total.json" "$TMP/log.json" <<'PY'
import json, sys
for f in sys.argv[1:]:
    b = json.load(open(f))
    print({k: b[k] for k in ("version", "variables", "bins", "monetary_kind", "time_unit", "as_of", "scores")})
PY
run() { custseg-rfm -q "$@" 2>&1 >/dev/null | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"; }
echo "-- another monetary kind, another bin count, other variables"
run --breaks "$TMP/total.json" --monetary mean "$TMP/s.csv"
run --breaks "$TMP/mean.json" --monetary total "$TMP/s.csv"
run --breaks "$TMP/total.json" --bins 4 --segments "$TMP/all.json" "$TMP/s.csv"
run --breaks "$TMP/total.json" --variables rf "$TMP/s.csv"
cut -d, -f1-6 "$TMP/s.csv" > "$TMP/noamount.csv"
run --breaks "$TMP/total.json" "$TMP/noamount.csv"
echo "-- a file of 4 bins takes no built-in segments (scores 1..5), a rule file it does"
custseg-rfm -q --bins 4 --segments "$TMP/all.json" --breaks-out "$TMP/b4.json" "$TMP/s.csv" > "$TMP/b4.csv"
run --breaks "$TMP/b4.json" "$TMP/s.csv"
custseg-rfm -q --breaks "$TMP/b4.json" --segments "$TMP/all.json" "$TMP/s.csv" | cmp - "$TMP/b4.csv" && echo "4 bins, rule file: same scores"
echo "-- the file's kind when the run does not ask: the same scores as when it was made"
custseg-rfm -q --breaks "$TMP/mean.json" "$TMP/s.csv" | cmp - "$TMP/mean.csv" && echo "mean file, no --monetary: same scores"
echo "-- cut points that do not match the file's scores or bins"
python3 - "$TMP" <<'PY'
import json, sys
d = sys.argv[1]
b = json.load(open(d + "/total.json"))
c = dict(b); c["frequency"] = b["frequency"][:2]
json.dump(c, open(d + "/fewer.json", "w"), indent=2)
c = dict(b); c["monetary"] = b["monetary"] + [1000, 2000]
json.dump(c, open(d + "/more.json", "w"), indent=2)
c = dict(b); c["time_unit"] = "week"
json.dump(c, open(d + "/week.json", "w"), indent=2)
PY
run --breaks "$TMP/fewer.json" "$TMP/s.csv"
run --breaks "$TMP/more.json" "$TMP/s.csv"
run --breaks "$TMP/week.json" "$TMP/s.csv"
echo "-- an old file (version 1): accepted with a warning, its monetary kind still checked"
python3 - "$TMP" <<'PY'
import json, sys
d = sys.argv[1]
b = json.load(open(d + "/total.json"))
old = {"format": b["format"], "version": 1, "bins": b["bins"], "monetary_kind": "total",
       "recency": b["recency"], "frequency": b["frequency"], "monetary": b["monetary"]}
json.dump(old, open(d + "/old.json", "w"), indent=2)
PY
custseg-rfm --breaks "$TMP/old.json" "$TMP/s.csv" 2>&1 >"$TMP/old.csv" | sed "s|$TMP/||"
cmp "$TMP/old.csv" "$TMP/total.csv" && echo "old file: same scores"
run --breaks "$TMP/old.json" --monetary mean "$TMP/s.csv"
