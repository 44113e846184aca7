-- The published table of the Fentanyl Disruption Seizures KHSM as one DuckDB SQL pipeline:
-- what an analyst could write instead of using khsm. scripts/bench times it against khsm
-- and checks that its table equals 'khsm export table'.
--
-- scripts/bench_duckdb.py fills in the placeholders: the two extracts ({cbp}, {ice}), the
-- reference-data folder ({reference}), the agency whose extract is more recent
-- ({more_recent}), the reporting period ({first_year} to {last_year}) and the output file
-- ({output}).
--
-- It applies the rules of docs/method.md with the default layouts and the ASCII forms of
-- the input: whitespace means ASCII whitespace, and header names are fixed. Unlike khsm, it
-- keeps no raw records, no lineage and no quality figures.

-- Case-insensitive key: trimmed, whitespace runs collapsed to one space, upper case.
CREATE MACRO collapsed(s) AS upper(trim(regexp_replace(coalesce(s, ''), '\s+', ' ', 'g')));
CREATE MACRO trimmed(s) AS trim(coalesce(s, ''), E' \t\n\r\x0B\x0C');

-- A decimal number as spreadsheets write it: thousands separators in groups of three,
-- optional fraction and exponent; with_dollar allows a leading '$'.
CREATE MACRO is_number(s, with_dollar) AS regexp_full_match(s,
    CASE WHEN with_dollar THEN '[+-]?\$?' ELSE '[+-]?' END
    || '(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d{1,6})?')
    AND regexp_matches(regexp_replace(s, '[eE].*', ''), '\d');
CREATE MACRO number_value(s) AS CAST(replace(replace(s, '$', ''), ',', '') AS DOUBLE);

-- Dates: M/D/YYYY (which covers MM/DD/YYYY) or YYYY-MM-DD, and a real calendar day.
CREATE MACRO date_parts(s) AS CASE
    WHEN regexp_full_match(s, '\d{1,2}/\d{1,2}/\d{4}') THEN
        [CAST(split_part(s, '/', 3) AS INTEGER), CAST(split_part(s, '/', 1) AS INTEGER),
         CAST(split_part(s, '/', 2) AS INTEGER)]
    WHEN regexp_full_match(s, '\d{4}-\d{2}-\d{2}') THEN
        [CAST(split_part(s, '-', 1) AS INTEGER), CAST(split_part(s, '-', 2) AS INTEGER),
         CAST(split_part(s, '-', 3) AS INTEGER)]
    END;
CREATE MACRO real_date(p) AS CASE
    WHEN p IS NOT NULL AND p[1] BETWEEN 1 AND 9999 AND p[2] BETWEEN 1 AND 12 AND p[3] >= 1
        AND p[3] <= day(last_day(make_date(p[1], p[2], 1)))
    THEN make_date(p[1], p[2], p[3]) END;

-- Reference data, as khsm loads it by default.
CREATE TABLE commodity_map AS
SELECT agency, key, measure FROM (
    SELECT a.agency, collapsed(c.commodity) AS key, c.measure,
        row_number() OVER (PARTITION BY a.agency, collapsed(c.commodity)
            ORDER BY c.agency = '*') AS preference
    FROM (VALUES ('CBP'), ('ICE')) a(agency)
    JOIN read_csv('{reference}/commodities.csv', all_varchar = true) c
        ON c.agency IN (a.agency, '*'))
WHERE preference = 1;

CREATE TABLE office_map AS
WITH offices AS (
    SELECT agency, collapsed(aor) AS key, aor, region
    FROM read_csv('{reference}/aor_regions.csv', all_varchar = true)),
aliases AS (
    SELECT a.agency, collapsed(a.alias) AS key, o.aor, o.region
    FROM read_csv('{reference}/aor_aliases.csv', all_varchar = true) a
    JOIN offices o ON o.agency = a.agency AND o.key = collapsed(a.aor))
SELECT * FROM offices
UNION ALL
SELECT * FROM aliases
WHERE NOT EXISTS (SELECT 1 FROM offices o WHERE o.agency = aliases.agency AND o.key = aliases.key);

CREATE TABLE unit_map AS
SELECT collapsed(unit) AS key, kind, CAST(pounds_per_unit AS DOUBLE) AS pounds_per_unit
FROM read_csv('{reference}/units.csv', all_varchar = true);

-- Every record of both files, in file order (line 1 is the header).
CREATE TABLE record AS
SELECT 'CBP' AS agency, row_number() OVER () + 1 AS line, "FPF Number" AS fpf,
    "Seizure Date" AS seizure_date, "AOR" AS aor, "Commodity" AS commodity,
    "Quantity" AS quantity, "Unit" AS unit, NULL::VARCHAR AS value_usd
FROM read_csv('{cbp}', header = true, all_varchar = true, quote = '"', escape = '"')
UNION ALL
SELECT 'ICE', row_number() OVER () + 1, "SEACATS FPF #", "Seizure Dt", "SAC Office",
    "Property Type", "Quantity", "UOM", "Value USD"
FROM read_csv('{ice}', header = true, all_varchar = true, quote = '"', escape = '"');

-- Cleansing: the first rule that fails gives the outcome.
CREATE TABLE line_item AS
WITH looked_up AS (
    SELECT r.*,
        m.measure,
        trimmed(r.fpf) AS fpf_text,
        regexp_replace(trimmed(r.fpf), '[ .-]', '', 'g') AS fpf_digits,
        real_date(date_parts(trimmed(r.seizure_date))) AS day,
        o.aor AS office, o.region,
        u.kind AS unit_kind, u.pounds_per_unit,
        trimmed(r.quantity) AS quantity_text,
        trimmed(r.value_usd) AS value_text
    FROM record r
    LEFT JOIN commodity_map m ON m.agency = r.agency AND m.key = collapsed(r.commodity)
    LEFT JOIN office_map o ON o.agency = r.agency AND o.key = collapsed(r.aor)
    LEFT JOIN unit_map u ON u.key = collapsed(r.unit)
    -- Blank records (only separators or whitespace) are skipped.
    WHERE trimmed(r.fpf) || trimmed(r.seizure_date) || trimmed(r.aor) || trimmed(r.commodity)
        || trimmed(r.quantity) || trimmed(r.unit) || trimmed(r.value_usd) <> ''),
amounts AS (
    SELECT *,
        CASE WHEN measure = 'fentanyl_lbs' AND unit_kind = 'weight'
                AND is_number(quantity_text, false) AND number_value(quantity_text) >= 0
            THEN number_value(quantity_text) * pounds_per_unit END AS pounds,
        CASE WHEN measure = 'pill_presses' AND unit_kind = 'count'
                AND is_number(quantity_text, false) AND number_value(quantity_text) >= 0
                AND number_value(quantity_text) = floor(number_value(quantity_text))
                AND number_value(quantity_text) < 1e18
            THEN CAST(number_value(quantity_text) AS BIGINT) END AS presses,
        CASE WHEN measure IN ('currency_usd', 'property_usd') AND is_number(value_text, true)
                AND NOT regexp_matches(value_text, '[eE]')
                AND NOT regexp_matches(value_text, '\.\d{3}')
                AND number_value(value_text) >= 0
            THEN CAST(CAST(replace(replace(value_text, '$', ''), ',', '') AS DECIMAL(38, 2)) * 100 AS BIGINT)
            WHEN measure IN ('currency_usd', 'property_usd') AND is_number(value_text, true)
                AND number_value(value_text) >= 0
                AND number_value(value_text) * 100 = round(number_value(value_text) * 100)
            THEN CAST(round(number_value(value_text) * 100) AS BIGINT) END AS cents
    FROM looked_up)
SELECT agency, line, measure, day, office, region, pounds, presses, cents,
    CASE
        WHEN measure IS NULL THEN 'unknown_commodity'
        WHEN measure = 'out_of_scope' OR (agency = 'CBP' AND measure IN ('currency_usd', 'property_usd'))
            THEN 'out_of_scope'
        WHEN upper(fpf_text) IN ('', 'N/A', 'NA', 'NONE', 'UNKNOWN')
            OR regexp_full_match(fpf_digits, '0*') THEN 'missing_fpf'
        WHEN NOT regexp_full_match(fpf_digits, '\d{16}|\d{24}') THEN 'malformed_fpf'
        WHEN regexp_full_match(left(fpf_digits, 16), '0*') THEN 'missing_fpf'
        WHEN day IS NULL THEN 'invalid_date'
        WHEN office IS NULL THEN 'unknown_aor'
        WHEN region = 'outside_us' THEN 'outside_us'
        WHEN coalesce(pounds, presses, cents) IS NULL OR isinf(pounds) THEN 'invalid_quantity'
        ELSE 'accepted'
    END AS outcome,
    left(fpf_digits, 16) AS fpf
FROM amounts;

-- One seizure per FPF and agency: sums over its lines in file order, the earliest date, and
-- the region of the earliest-dated line (file order breaks ties).
CREATE TABLE agency_seizure AS
SELECT agency, fpf,
    min(day) AS day,
    arg_min(region, (day, line)) AS region,
    coalesce(list_reduce(list(pounds ORDER BY line) FILTER (WHERE measure = 'fentanyl_lbs'),
        lambda a, b: a + b), 0) AS pounds,
    coalesce(sum(presses), 0) AS presses,
    coalesce(sum(cents) FILTER (WHERE measure = 'currency_usd'), 0) AS currency_cents,
    coalesce(sum(cents) FILTER (WHERE measure = 'property_usd'), 0) AS property_cents
FROM line_item
WHERE outcome = 'accepted'
GROUP BY agency, fpf;

-- Integration: an FPF in both agencies is counted once, with date, region, pounds and
-- presses from the more recent extract and dollars always from ICE.
CREATE TABLE seizure AS
WITH joined AS (
    SELECT coalesce(c.fpf, i.fpf) AS fpf,
        CASE WHEN c.fpf IS NOT NULL AND i.fpf IS NOT NULL THEN '{more_recent}'
            WHEN c.fpf IS NOT NULL THEN 'CBP' ELSE 'ICE' END AS side,
        c.day AS cbp_day, c.region AS cbp_region, c.pounds AS cbp_pounds, c.presses AS cbp_presses,
        i.day AS ice_day, i.region AS ice_region, i.pounds AS ice_pounds, i.presses AS ice_presses,
        coalesce(i.currency_cents, 0) AS currency_cents,
        coalesce(i.property_cents, 0) AS property_cents
    FROM (SELECT * FROM agency_seizure WHERE agency = 'CBP') c
    FULL OUTER JOIN (SELECT * FROM agency_seizure WHERE agency = 'ICE') i ON c.fpf = i.fpf)
SELECT fpf,
    CASE side WHEN 'CBP' THEN cbp_day ELSE ice_day END AS day,
    CASE side WHEN 'CBP' THEN cbp_region ELSE ice_region END AS region,
    CASE side WHEN 'CBP' THEN cbp_pounds ELSE ice_pounds END AS pounds,
    CASE side WHEN 'CBP' THEN cbp_presses ELSE ice_presses END AS presses,
    currency_cents, property_cents
FROM joined;

-- The published table: each cell's exact sum, rounded to the nearest 10, halves away from zero.
CREATE TABLE counted AS
SELECT fpf, year(day) + CASE WHEN month(day) >= 10 THEN 1 ELSE 0 END AS fiscal_year,
    'Q' || CAST(((month(day) + 2) % 12) // 3 + 1 AS VARCHAR) AS quarter,
    region, pounds, presses, currency_cents, property_cents
FROM seizure;

-- Cents rounded to the nearest 10 dollars, halves away from zero, in whole dollars.
CREATE MACRO cents_to_tens_of_dollars(c) AS
    (CASE WHEN c >= 0 THEN (c + 500) // 1000 ELSE -((500 - c) // 1000) END) * 10;

CREATE TABLE cell AS
WITH
    years AS (SELECT range AS fiscal_year FROM range({first_year}, {last_year} + 1)),
    quarters(quarter, quarter_order) AS (VALUES ('Q1', 1), ('Q2', 2), ('Q3', 3), ('Q4', 4), ('ALL', 5)),
    regions(region, region_order) AS (VALUES ('Southwest', 1), ('North', 2), ('Southeast', 3),
        ('OCONUS', 4), ('ALL', 5)),
    measures(measure, measure_order) AS (VALUES ('fentanyl_lbs', 1), ('pill_presses', 2),
        ('currency_usd', 3), ('property_usd', 4)),
    grid AS (SELECT * FROM years, quarters, regions, measures),
    sums AS (
        SELECT g.fiscal_year, g.quarter, g.region, g.measure,
            coalesce(list_reduce(list(s.pounds ORDER BY s.fpf), lambda a, b: a + b), 0) AS pounds,
            coalesce(sum(s.presses), 0) AS presses,
            coalesce(sum(s.currency_cents), 0) AS currency_cents,
            coalesce(sum(s.property_cents), 0) AS property_cents
        FROM grid g
        LEFT JOIN counted s ON s.fiscal_year = g.fiscal_year
            AND g.quarter IN (s.quarter, 'ALL') AND g.region IN (s.region, 'ALL')
        GROUP BY ALL)
SELECT g.fiscal_year, g.quarter, g.region, g.measure, g.quarter_order, g.region_order, g.measure_order,
    CASE g.measure
        WHEN 'fentanyl_lbs' THEN CAST(round(s.pounds / 10) AS BIGINT) * 10
        WHEN 'pill_presses' THEN CAST(round(s.presses / 10) AS BIGINT) * 10
        WHEN 'currency_usd' THEN cents_to_tens_of_dollars(s.currency_cents)
        ELSE cents_to_tens_of_dollars(s.property_cents)
    END AS value
FROM grid g
JOIN sums s USING (fiscal_year, quarter, region, measure);

COPY (
    SELECT fiscal_year, quarter, region, measure, value FROM cell
    ORDER BY fiscal_year, quarter_order, region_order, measure_order
) TO '{output}' (HEADER, DELIMITER ',');
