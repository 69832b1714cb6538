custseg-summary bad/amount-dots.csv
