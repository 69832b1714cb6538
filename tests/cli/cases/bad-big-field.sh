set -o pipefail
{ printf "customer_id,date,amount\nC1,2024-01-01,3\n"; head -c 1048576 /dev/zero | tr "\0" x; printf ",2024-01-01,3\n"; } > "$TMP/big.csv"
custseg-summary "$TMP/big.csv" 2>&1 | sed "s|$TMP/||"
