// The per-customer aggregation of custseg-summary, in DuckDB with both cores:
// records, distinct purchase days, first and last date, total value.
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output, threads] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:', { threads: threads || '2' });
const con = await db.connect();
await con.run(`COPY (
  SELECT customer_id, count(*) AS transactions, count(DISTINCT date) AS purchase_days,
         min(date) AS first_purchase, max(date) AS last_purchase, sum(amount) AS total_value
  FROM read_csv('${input}', header = true,
                columns = {'customer_id': 'VARCHAR', 'order_id': 'BIGINT', 'date': 'DATE', 'amount': 'DECIMAL(18,2)'})
  GROUP BY customer_id ORDER BY customer_id) TO '${output}' (HEADER, DELIMITER ',')`);
