custseg-summary --quiet --format tsv small.csv
custseg-summary --quiet --format jsonl --calibration-end 2024-02-29 small.csv
custseg-summary --quiet --no-header --unit week -c 1 -d 2 -a 3 small.csv 2>&1 | head -2
