custseg-summary no-such-file.csv
