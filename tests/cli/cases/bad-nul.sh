custseg-summary bad/nul.csv
