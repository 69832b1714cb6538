# --decimal-comma: ',' as the decimal mark and ';' between fields; a field
# with ; " or a line break is quoted, one with a comma is not (it needs no
# quotes under ;). Read back with Python's csv module (delimiter ';', the
# numbers' commas made dots), every table equals the plain CSV of the same
# command, field for field; tsv keeps its tabs and takes the comma.
set -e
printf 'customer_id,date,amount\nA1,2024-01-05,10.25\n"semi;colon",2024-01-06,1234.5\n"a ""quoted"" id",2024-02-01,5.125\n"comma,id",2024-02-03,3\nA1,2024-03-01,20.5\n"semi;colon",2024-03-09,99.99\n' > "$TMP/log.csv"
roundtrip() { # plain.csv comma.csv
    python3 - "$1" "$2" <<'PY'
import csv, re, sys
plain = list(csv.reader(open(sys.argv[1], newline="")))
num = re.compile(r"^-?\d+(,\d+)?([eE][-+]?\d+)?$")
comma = [[f.replace(",", ".") if num.match(f) else f for f in row]
         for row in csv.reader(open(sys.argv[2], newline=""), delimiter=";")]
assert comma == plain, (comma, plain)
print(f"{len(plain) - 1} rows x {len(plain[0])} fields equal the plain CSV")
PY
}
custseg-summary -q --unit week "$TMP/log.csv" > "$TMP/p.csv"
custseg-summary -q --unit week --decimal-comma "$TMP/log.csv" | tee "$TMP/c.csv"
roundtrip "$TMP/p.csv" "$TMP/c.csv"
custseg-summary -q --unit week --precision 3 "$TMP/log.csv" > "$TMP/p.csv"
custseg-summary -q --unit week --precision 3 --decimal-comma "$TMP/log.csv" > "$TMP/c.csv"
roundtrip "$TMP/p.csv" "$TMP/c.csv"
echo "-- clv predict with spend, churn score, rfm --report"
cat > "$TMP/bg.json" <<'JSON'
{"format": "custseg-model", "version": 1, "model": "bgnbd", "time_unit": "week",
 "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}}
JSON
cat > "$TMP/gg.json" <<'JSON'
{"format": "custseg-model", "version": 1, "model": "gg",
 "params": {"p": 6.25, "q": 3.74, "gamma": 15.44}}
JSON
custseg-summary -q --unit week "$TMP/log.csv" > "$TMP/s.csv"
for cmd in "custseg-clv predict --model $TMP/bg.json --spend $TMP/gg.json" \
           "custseg-churn score -qq --model $TMP/bg.json" "custseg-rfm -q --report --bins 5"; do
    $cmd "$TMP/s.csv" > "$TMP/p.csv"
    $cmd --decimal-comma "$TMP/s.csv" > "$TMP/c.csv"
    roundtrip "$TMP/p.csv" "$TMP/c.csv"
done
echo "-- tsv"
custseg-summary -q --unit week -f tsv --decimal-comma "$TMP/log.csv" | head -3
