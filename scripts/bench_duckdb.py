"""Runs scripts/bench-duckdb.sql on two extracts and writes the published table as CSV.

usage: bench_duckdb.py CBP_CSV ICE_CSV REFERENCE_DIR OUTPUT_CSV [MORE_RECENT] [FIRST_YEAR] [LAST_YEAR]

MORE_RECENT is the agency whose extract is more recent (default ICE, as in 'khsm demo');
the reporting period defaults to FY2023-FY2024. scripts/bench runs it in a throwaway
virtual environment with DuckDB from PyPI.
"""

import pathlib
import sys

import duckdb


def main(arguments: list[str]) -> None:
    if len(arguments) < 4:
        sys.exit(__doc__)
    cbp, ice, reference, output = arguments[:4]
    more_recent = arguments[4] if len(arguments) > 4 else "ICE"
    first_year = arguments[5] if len(arguments) > 5 else "2023"
    last_year = arguments[6] if len(arguments) > 6 else "2024"
    sql = (pathlib.Path(__file__).with_name("bench-duckdb.sql")).read_text()
    # Plain replacement, because the SQL contains regular expressions with braces.
    values = {"cbp": cbp, "ice": ice, "reference": reference, "output": output,
              "more_recent": more_recent, "first_year": first_year, "last_year": last_year}
    for name, value in values.items():
        sql = sql.replace("{" + name + "}", value.replace("'", "''"))
    connection = duckdb.connect()
    connection.execute(sql)


if __name__ == "__main__":
    main(sys.argv[1:])
