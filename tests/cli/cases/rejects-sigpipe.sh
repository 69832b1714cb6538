# A reader that stops early (| head) ends the run by SIGPIPE: --rejects is
# then neither written nor left behind as a temporary file.
set -o pipefail
{
    echo customer_id,date,amount
    for i in $(seq 1 20000); do echo "C$i,2024-01-0$((i % 9 + 1)),1"; done
    echo "bad,2024-99-99,1"
} > "$TMP/big.csv"
cd "$TMP"
custseg-summary big.csv --on-error skip --rejects r.csv 2>/dev/null | head -1
echo "status ${PIPESTATUS[0]}"
ls
