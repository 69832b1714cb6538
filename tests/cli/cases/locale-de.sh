# Numbers are read and written with a dot whatever the locale.
locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$' || { echo "no de_DE.UTF-8 locale" >&2; exit 77; }
set -e
custseg-summary --quiet --unit month small.csv > "$TMP/c.csv"
LC_ALL=de_DE.UTF-8 custseg-summary --quiet --unit month small.csv > "$TMP/de.csv"
LC_ALL=de_DE.UTF-8 custseg-summary --quiet --unit month --format jsonl small.csv > "$TMP/de.jsonl"
cmp "$TMP/c.csv" "$TMP/de.csv" && echo "csv identical under de_DE.UTF-8"
head -1 "$TMP/de.jsonl"
for t in "custseg-rfm --quiet" "custseg-pyramid --quiet" "custseg-rfm --quiet --report" "custseg-pyramid --quiet --report"; do
    $t small.csv > "$TMP/c2.csv"
    LC_ALL=de_DE.UTF-8 $t small.csv | cmp -s - "$TMP/c2.csv" && echo "$t: identical under de_DE.UTF-8"
done
