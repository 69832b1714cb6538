# a reader that stops early ends the run quietly: no message on stderr
set -o pipefail
for i in $(seq 1 2000); do echo "C$i,2024-01-01,1"; done > "$TMP/many.csv"
cp "$TMP/many.csv" "$TMP/again.csv" # one file named twice is refused
custseg-summary --no-header -c 1 -d 2 -a 3 "$TMP/many.csv" "$TMP/again.csv" | head -1
echo "status ${PIPESTATUS[0]}"
