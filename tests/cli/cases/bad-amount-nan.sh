custseg-summary bad/amount-nan.csv
