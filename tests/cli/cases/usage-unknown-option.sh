custseg-summary --frobnicate small.csv
