custseg-summary bad/empty.csv
