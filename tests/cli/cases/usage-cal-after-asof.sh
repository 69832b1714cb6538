custseg-summary --calibration-end 2024-05-01 --as-of 2024-04-01 small.csv
