custseg-summary --calibration-end 2024-05-01 small.csv
