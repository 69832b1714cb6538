custseg-summary --quiet --verbose --on-error skip bad/mixed.csv > /dev/null
