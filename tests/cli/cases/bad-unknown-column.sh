custseg-summary --customer client small.csv
