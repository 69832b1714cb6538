custseg-summary bad/bad-date.csv
