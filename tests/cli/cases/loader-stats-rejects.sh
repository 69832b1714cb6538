# --stats FILE: the run's accounting as JSON, written with the other
# outputs; --rejects: a header, the kind, where, why, and the record as read
# (CSV-quoted: the record column gives the raw line back).
{
    echo customer_id,date,amount,note
    echo 'C1,2024-01-01,10,"a, b"'
    echo 'C1,2024-01-05,-10,x'
    echo 'C2,2024-01-02,5,"say ""hi"""'
    echo 'C2,2024-02-30,5,y'
    echo ',2024-01-03,7,z'
    echo 'C3,2024-01-04,oops,"q, r"'
    echo 'C4,2024-01-06,4'
    echo 'C5,2024-03-01,9,late'
} > "$TMP/log.csv"
custseg-summary --on-error skip --max-reject-rate none --as-of 2024-02-28 --stats "$TMP/st.json" \
    --rejects "$TMP/rej.csv" -o "$TMP/out.csv" "$TMP/log.csv" 2>&1 | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
sed "s|$TMP/||" "$TMP/rej.csv"
echo "-- the record column gives the lines back"
python3 - "$TMP/rej.csv" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    print(r["record"])
PY
echo "-- stats"
python3 - "$TMP/st.json" "$TMP" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["inputs"] = [i.replace(sys.argv[2] + "/", "") for i in s["inputs"]]
for v in s["skipped"]["by_kind"].values():
    v["first_file"] = v["first_file"].replace(sys.argv[2] + "/", "")
print(json.dumps(s, indent=1, sort_keys=True))
PY
echo "-- a failed run leaves no stats file"
rm -f "$TMP/st.json"
custseg-summary --stats "$TMP/st.json" "$TMP/log.csv" 2>&1 | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}, stats file: $(ls "$TMP/st.json" 2>/dev/null || echo none)"
custseg-summary --merge --stats "$TMP/st.json" x.part 2>&1; echo "exit $?"
