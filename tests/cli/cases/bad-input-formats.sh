# Inputs in formats custseg does not read are named, not reported as
# "NUL byte in the line": compressed files other than gzip, archives,
# UTF-16/32 text, and lines that end in a carriage return alone.
show() { custseg-summary "$TMP/$1" 2>&1 | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"; }
printf 'BZh91AY&SY\001\002\003\004' > "$TMP/log.bz2"; show log.bz2
printf '\375\067\172\130\132\000\000\004' > "$TMP/log.xz"; show log.xz
printf '\050\265\057\375\044\000' > "$TMP/log.zst"; show log.zst
printf 'PK\003\004\024\000\000\000' > "$TMP/log.zip"; show log.zip
printf '\377\376c\000u\000s\000,\000d\000' > "$TMP/utf16.csv"; show utf16.csv
printf 'c\000u\000s\000t\000,\000d\000' > "$TMP/utf16-nobom.csv"; show utf16-nobom.csv
printf 'customer_id,date,amount\rC1,2024-01-05,10\rC2,2024-01-06,2\r' > "$TMP/cr.csv"; show cr.csv
# a file that only starts like one of them is still read as text
printf 'customer_id,date,amount\nBZh,2024-01-05,10\n' > "$TMP/ok.csv"; custseg-summary -q "$TMP/ok.csv"
printf 'BZh9,2024-01-05,10\n' > "$TMP/bzh.csv"; custseg-summary -q --no-header --customer 1 --date 2 --amount 3 "$TMP/bzh.csv"
