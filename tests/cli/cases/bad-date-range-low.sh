custseg-summary bad/date-range-low.csv
