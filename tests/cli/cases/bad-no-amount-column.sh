custseg-summary bad/no-amount-column.csv
