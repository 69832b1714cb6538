custseg-summary --quiet --calibration-end 2024-02-29 --as-of 2024-03-31 small.csv
