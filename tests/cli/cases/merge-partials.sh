# --partial / --merge give the single-run result byte for byte, for a log
# split by customer, by a date, and by alternating days; also with a holdout.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
m="$DATASETS/CDNOW_master.txt"
opts="--quiet --unit week --calibration-end 1997-09-30"
custseg-summary $opts "$m" > "$TMP/whole.csv"
head -1 "$m" > "$TMP/h"
split_run() { # name awk-condition
    { cat "$TMP/h"; awk "NR > 1 && ($2)" "$m"; } > "$TMP/a.txt"
    { cat "$TMP/h"; awk "NR > 1 && !($2)" "$m"; } > "$TMP/b.txt"
    custseg-summary $opts --partial "$TMP/a.txt" > "$TMP/a.part"
    custseg-summary $opts --partial -o "$TMP/b.part" "$TMP/b.txt"
    custseg-summary --quiet --unit week --merge "$TMP/b.part" "$TMP/a.part" > "$TMP/merged.csv"
    if cmp -s "$TMP/whole.csv" "$TMP/merged.csv"; then echo "$1: identical"; else echo "$1: DIFFERENT"; fi
}
split_run "by customer" '$1 % 2 == 0'
split_run "by date" '$2 < 19970615'
split_run "by alternating days" '$2 % 2 == 0'
# a customer-day in both parts cannot be merged exactly: refused
custseg-summary $opts --partial "$m" > "$TMP/all.part"
cp "$TMP/all.part" "$TMP/copy.part"
custseg-summary --merge "$TMP/all.part" "$TMP/copy.part" 2>&1 >/dev/null | sed "s|$TMP/||" || true
