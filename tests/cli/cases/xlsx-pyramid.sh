# custseg-pyramid --format xlsx (customers, sheet Pyramid; --report, sheet
# Pyramid tiers): the workbook read back with openpyxl equals the CSV of the
# same command; ids stay text, values have #,##0.00, ranks are numbers and
# the rank of an inactive customer is an empty cell.
. "$SRC/tests/cli/xlsx.sh"
set -e
hdr="customer_id,value,days_since_last"
{ echo "$hdr"; for i in $(seq 1 40); do echo "$((1000 + i)),$((i * i)).5,$((i * 13))"; done; } > "$TMP/u.csv"
for opts in "" "--report" "--report --precision 2" "--scheme zeithaml"; do
    custseg-pyramid --quiet --value-column value $opts "$TMP/u.csv" > "$TMP/p.csv"
    custseg-pyramid --quiet --value-column value $opts -f xlsx -o "$TMP/p.xlsx" "$TMP/u.csv"
    sheet=Pyramid; case $opts in --report*) sheet="Pyramid tiers";; esac
    echo "${opts:-(defaults)}:"
    xlsx_check "$TMP/p.xlsx" "$TMP/p.csv" --sheet "$sheet" --id customer_id \
        --money value,mean,median,min,max
done
