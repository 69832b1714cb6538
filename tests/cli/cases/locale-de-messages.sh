# Messages on standard error print numbers in the C locale (a dot for
# decimals) whatever LC_ALL says: "1.5%" next to "1,234 records", never
# "1,5%".
locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$' || { echo "no de_DE.UTF-8 locale" >&2; exit 77; }
{
    echo customer_id,date,amount
    for m in 01 02 03; do for c in a b c d; do echo "$c,2024-$m-05,1"; done; done
    echo "a,2024-04-10,1"
} > "$TMP/log.csv"
custseg-churn rates "$TMP/log.csv" 2>"$TMP/c.err" >/dev/null
LC_ALL=de_DE.UTF-8 custseg-churn rates "$TMP/log.csv" 2>"$TMP/de.err" >/dev/null
cmp "$TMP/c.err" "$TMP/de.err" && echo "stderr identical under de_DE.UTF-8"
grep -c '[0-9]\.[0-9]' "$TMP/de.err"
LC_ALL=de_DE.UTF-8 custseg-summary --on-error skip --max-reject-rate 0.1 bad/mixed.csv 2>&1 >/dev/null
echo "exit $?"
