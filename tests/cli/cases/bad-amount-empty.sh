custseg-summary bad/amount-empty.csv
