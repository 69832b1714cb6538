custseg-summary --quiet --unit week small.csv
