# Ids a spreadsheet turned into numbers: 17733 and 17733.0 are two
# customers unless --id-normalize numeric reads ids as whole numbers
# (leading zeros and a .0 tail dropped); then an id that is not a whole
# number is a bad-id record.
{
    echo customer_id,date,amount
    echo 17733,2024-01-01,10
    echo 17733.0,2024-01-05,20
    echo 00042,2024-01-02,5
    echo 42,2024-01-09,5
    echo 42.00,2024-01-10,5
    echo 7,2024-01-03,1
} > "$TMP/log.csv"
echo "-- as is: a warning, with the count and an example"
custseg-summary "$TMP/log.csv" 2>&1 | sed "s|$TMP/||"
echo "-- numeric"
custseg-summary --id-normalize numeric "$TMP/log.csv" 2>&1 | sed "s|$TMP/||"
echo "-- numeric, and an id that is not a number"
echo 'A7,2024-01-04,1' >> "$TMP/log.csv"
echo '17.5,2024-01-04,1' >> "$TMP/log.csv"
custseg-summary --id-normalize numeric "$TMP/log.csv" 2>&1 | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
custseg-summary --id-normalize numeric --skip bad-id --max-reject-rate none "$TMP/log.csv" 2>&1 |
    sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
custseg-summary --id-normalize hex "$TMP/log.csv" 2>&1; echo "exit $?"
