# Migration: each from-tier's row of the matrix sums to that tier's size in
# a pyramid made at the earlier date; a customer whose first purchase comes
# after it is New. --window takes only the value of the last D days.
set -e
printf 'customer_id,date,amount\nA,2024-01-10,100\nB,2024-01-15,10\nA,2024-06-01,5\nB,2024-06-02,300\nC,2024-06-03,50\n' > "$TMP/t.csv"
custseg-pyramid --scheme custom --cuts 0.5 --compare-as-of 2024-03-31 --as-of 2024-06-30 "$TMP/t.csv" | grep -v ',0,0,0$'
echo "-- window of 30 days up to 2024-06-30"
custseg-pyramid --quiet --scheme custom --cuts 0.5 --window 30 --as-of 2024-06-30 "$TMP/t.csv"
[ -d "$DATASETS" ] || exit 0
m="$DATASETS/CDNOW_master.txt"
custseg-pyramid --quiet --compare-as-of 1997-12-31 "$m" > "$TMP/mig.csv"
custseg-pyramid --quiet --as-of 1997-12-31 --report "$m" > "$TMP/before.csv"
python3 - "$TMP/mig.csv" "$TMP/before.csv" <<'PY'
import csv, sys
rows = {}
for r in csv.DictReader(open(sys.argv[1])):
    rows[r["from_tier"]] = rows.get(r["from_tier"], 0) + int(r["customers"])
for r in csv.DictReader(open(sys.argv[2])):
    print("%-8s tier size %6s, matrix row sum %6d: %s" % (r["tier"], r["customers"], rows.get(r["tier"], 0),
          "equal" if rows.get(r["tier"], 0) == int(r["customers"]) else "DIFFERENT"))
print("New:", rows.get("New", 0))
PY
echo "-- --before: from a saved earlier pyramid"
custseg-pyramid --quiet --as-of 1997-12-31 "$m" > "$TMP/then.csv"
custseg-pyramid --before "$TMP/then.csv" "$m" 2>&1 | sed "s|$TMP/||" | grep -v ',0$' | head -12
