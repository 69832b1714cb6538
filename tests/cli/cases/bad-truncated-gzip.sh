custseg-summary bad/truncated.csv.gz
