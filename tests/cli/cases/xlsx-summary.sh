# --format xlsx: the workbook read back with openpyxl equals the CSV of the
# same command, cell by cell: ids stay text (007 and 42 look like numbers),
# dates are dates, money has #,##0.00, times and counts are numbers; also
# with --precision 4 and a holdout. The file appears only when the run
# succeeds: a bad record leaves no workbook and no temporary beside it.
. "$SRC/tests/cli/xlsx.sh"
set -e
printf 'customer_id,date,amount\n007,2024-01-05,10.00\n42,2024-01-06,1234.5\n007,2024-02-01,5.25\n"x;y ""z""",2024-02-03,3\n42,2024-03-01,-2\n42,2024-03-09,99999.99\n007,2024-04-02,0.01\nc4,2024-04-20,12\n' > "$TMP/log.csv"
for opts in "" "--unit week --precision 4" "--unit month --calibration-end 2024-03-01"; do
    custseg-summary -q $opts "$TMP/log.csv" > "$TMP/s.csv"
    custseg-summary -q $opts -f xlsx -o "$TMP/s.xlsx" "$TMP/log.csv"
    echo "${opts:-(defaults)}:"
    xlsx_check "$TMP/s.xlsx" "$TMP/s.csv" --sheet Summary --id customer_id \
        --money total_value,monetary_value,value_holdout
done
head -3 "$TMP/s.csv"
echo "-- a bad record: exit 1, no workbook, no temporary; an old file stays as it was"
printf 'customer_id,date,amount\nA,2024-01-05,10\nB,2024-13-45,3\n' > "$TMP/bad.csv"
mkdir "$TMP/out"
custseg-summary --format xlsx -o "$TMP/out/new.xlsx" "$TMP/bad.csv" 2>&1 | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"
echo old > "$TMP/out/old.xlsx"
custseg-summary -f xlsx -o "$TMP/out/old.xlsx" "$TMP/bad.csv" 2>/dev/null || echo "exit $?"
ls "$TMP/out"; cat "$TMP/out/old.xlsx"
echo "-- a full disk (/dev/full): exit 1, said (libxlsxwriter's own [ERROR] lines aside)"
custseg-summary -q -f xlsx -o /dev/full small.csv 2>&1 | grep -v '^\[ERROR\]'; echo "exit ${PIPESTATUS[0]}"
