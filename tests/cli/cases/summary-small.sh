custseg-summary small.csv
