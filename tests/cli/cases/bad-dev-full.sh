custseg-summary small.csv > /dev/full
