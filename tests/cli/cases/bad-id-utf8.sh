custseg-summary bad/id-utf8.csv
