# custseg-summary --partitions on a small log: every part file is written
# even without customers (12 partitions, 3 customers), the merge of an empty
# partition is the header alone, the concatenation equals the whole run; the
# counts of each file's "# stats" line add up to its "# task" line; the
# usage errors and a folder holding part files of a run with more partitions.
check() { python3 "$SRC/tests/cli/partition-check.py" "$@"; }
check "12 partitions, 3 customers" --input small.csv --files 2 --parts 12 --split round --shuffle 6
cd "$TMP"
custseg-summary -q --partitions 12 -o out "$SRC/tests/data/small.csv"
echo "files: $(ls out | tr '\n' ' ')"
ls -A out | grep -v '^part-' || echo "no temporary left"
for f in out/part-*; do
    grep -q '^# end$' "$f" || echo "$f: no end line"
done
awk '/^# stats/ { for (i = 3; i <= NF; i++) { split($i, kv, "="); s[kv[1]] += kv[2] } }
     /^# task/ && FILENAME ~ /00000/ { for (i = 3; i <= NF; i++) { split($i, kv, "="); t[kv[1]] = kv[2] } }
     END { printf "records %d of %d, negative %d of %d, customers %d of %d\n",
           s["records"], t["records"], s["negative"], t["negative"], s["customers"], t["customers"] }' out/part-*
empty=$(grep -l ' customers=0 days=0$' out/part-* | head -1)
echo "an empty partition merged:"
custseg-summary --merge "$empty"
echo "-- usage"
custseg-summary --partitions 0 -o x small.csv 2>&1; echo "exit $?"
custseg-summary --partitions 4 "$SRC/tests/data/small.csv" 2>&1; echo "exit $?"
custseg-summary --partitions 4 -o - "$SRC/tests/data/small.csv" 2>&1; echo "exit $?"
custseg-summary --partitions 4 --partial -o x "$SRC/tests/data/small.csv" 2>&1; echo "exit $?"
custseg-summary --partitions 4 --format tsv -o x "$SRC/tests/data/small.csv" 2>&1; echo "exit $?"
custseg-summary --partitions 4 --unit week -o x "$SRC/tests/data/small.csv" 2>&1; echo "exit $?"
custseg-summary --partitions 4 --stats s.json -o x "$SRC/tests/data/small.csv" 2>&1; echo "exit $?"
touch afile
custseg-summary --partitions 4 -o afile "$SRC/tests/data/small.csv" 2>&1; echo "exit $?"
echo "-- part files of a run with more partitions"
custseg-summary -q --partitions 4 -o out "$SRC/tests/data/small.csv" 2>&1; echo "exit $?"
echo "-- the same number again replaces them"
custseg-summary -q --partitions 12 -o out "$SRC/tests/data/small.csv" 2>&1; echo "exit $?"
ls out | wc -l
echo "-- a bad log: nothing written"
printf 'customer_id,date,amount\nC1,2024-01-05,10.00\nC2,2024-13-06,1\n' > bad.csv
custseg-summary --partitions 3 -o fresh bad.csv 2>&1; echo "exit $?"
ls -A fresh 2>/dev/null || echo "no folder fresh"
