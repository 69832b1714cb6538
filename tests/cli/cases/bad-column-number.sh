custseg-summary --no-header --customer 1 --date 2 --amount 9 small.csv
