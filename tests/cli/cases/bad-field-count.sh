custseg-summary bad/field-count.csv
