custseg-summary --unit fortnight small.csv
