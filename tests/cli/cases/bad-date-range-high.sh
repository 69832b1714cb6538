custseg-summary bad/date-range-high.csv
