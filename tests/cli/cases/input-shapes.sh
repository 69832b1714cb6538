# The same log written six ways gives the same summary: TSV, whitespace with
# leading spaces and no header (columns by number), CRLF with a BOM, quoted
# fields, YYYYMMDD dates, a --date-format pattern, several files, and
# quantity x price.
set -e
ref="$TMP/ref.csv"
custseg-summary --quiet small.csv > "$ref"
same() { if cmp -s "$ref" -; then echo "$1: same"; else echo "$1: DIFFERENT"; fi; }
tr , '\t' < small.csv | custseg-summary --quiet | same "tsv on stdin"
tail -n +2 small.csv | awk -F, '{ printf "  %s   %s %s\n", $1, $2, $3 }' > "$TMP/ws.txt"
custseg-summary --quiet --no-header --output-header yes --delimiter whitespace -c 1 -d 2 -a 3 "$TMP/ws.txt" | same "whitespace, no header"
{ printf '\357\273\277'; sed 's/$/\r/' small.csv; } | custseg-summary --quiet | same "BOM and CRLF"
sed 's/^\(C[0-9]\),/"\1",/; s/,\(-\{0,1\}[0-9.]*\)$/,"\1"/' small.csv | custseg-summary --quiet | same "quoted fields"
sed 's/\([0-9]\{4\}\)-\([0-9][0-9]\)-\([0-9][0-9]\)/\1\2\3/' small.csv | custseg-summary --quiet | same "YYYYMMDD"
sed 's/\([0-9]\{4\}\)-\([0-9][0-9]\)-\([0-9][0-9]\)/\2\/\3\/\1 13:45/' small.csv |
    custseg-summary --quiet --date-format '%m/%d/%Y %H:%M' | same "--date-format"
head -4 small.csv > "$TMP/p1.csv"; { head -1 small.csv; tail -n +5 small.csv; } > "$TMP/p2.csv"
custseg-summary --quiet "$TMP/p1.csv" "$TMP/p2.csv" | same "two files"
awk -F, 'NR == 1 { print "Customer ID,InvoiceDate,Quantity,UnitPrice"; next } { print $1 "," $2 ",2," $3 / 2 }' small.csv |
    custseg-summary --quiet | same "quantity x price"
