custseg-summary bad/amount-inf.csv
