custseg-summary --as-of 2024-02-30 small.csv
