# --exclude / --include COL=VALUE[,VALUE...]: records left out by the text
# of a field (exact match), before they are parsed, counted with their value.
{
    echo 'InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID'
    echo '1,85123A,2,2024-01-01,5.00,C1'
    echo '1,POST,1,2024-01-01,18.00,C1'
    echo '2,BANK CHARGES,1,2024-01-03,15.00,C2'
    echo '2,22423,1,2024-01-03,12.75,C2'
    echo '3,M,1,2024-01-04,1.50,'
    echo '4,DOT,1,2024-01-05,bad,C3'
    echo '5,22423,1,2024-01-06,12.75,C3'
} > "$TMP/log.csv"
echo "-- without filters: postage and fees are revenue"
custseg-summary --on-error skip --max-reject-rate none "$TMP/log.csv" 2>&1 | sed "s|$TMP/||"
echo "-- --exclude by header name"
custseg-summary --exclude 'StockCode=POST,M,DOT,BANK CHARGES' "$TMP/log.csv" 2>&1 | sed "s|$TMP/||"
echo "exit ${PIPESTATUS[0]}"
echo "-- --include by number"
custseg-summary --include '2=22423' -q "$TMP/log.csv" 2>&1 | sed "s|$TMP/||"
echo "-- repeatable: a record must pass every filter"
custseg-summary --include '2=22423,85123A' --exclude CustomerID=C3 "$TMP/log.csv" 2>&1 | sed "s|$TMP/||"
echo "-- errors"
custseg-summary --exclude 'Stock=POST' "$TMP/log.csv" 2>&1 | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"
custseg-summary --exclude '9=POST' "$TMP/log.csv" 2>&1 | sed "s|$TMP/||"; echo "exit ${PIPESTATUS[0]}"
custseg-summary --exclude 'POST' "$TMP/log.csv" 2>&1; echo "exit $?"
