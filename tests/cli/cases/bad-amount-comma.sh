custseg-summary bad/amount-comma.csv
