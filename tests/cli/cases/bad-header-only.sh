custseg-summary bad/header-only.csv
