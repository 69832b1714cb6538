# CDNOW_master.txt (whitespace-separated, one header line, CRLF) loads with
# every column recognised from its header.
[ -d "$DATASETS" ] || { echo "../shared/datasets is absent" >&2; exit 77; }
set -e
custseg-summary --verbose "$DATASETS/CDNOW_master.txt" 2>"$TMP/err" > "$TMP/m.csv"
sed "s|$DATASETS/||" "$TMP/err"
echo "rows $(tail -n +2 "$TMP/m.csv" | wc -l)"
