custseg-summary --rejects x.csv small.csv
