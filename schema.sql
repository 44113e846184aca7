-- The khsm database: everything ingested, the reference data, and every frozen release.
--
-- Append-only: extracts, their records and line items, reference data versions and
-- releases are never updated or deleted; triggers at the end of this file enforce it.
-- Identifiers (FPF, codes) are TEXT. Money is INTEGER cents. Pounds are REAL.
-- Dates are TEXT in ISO 8601 form (YYYY-MM-DD), times in UTC (YYYY-MM-DDTHH:MM:SSZ).

PRAGMA user_version = 1;

------------------------------------------------------------------------------------------
-- Reference data, versioned. A version is the full set of tables loaded from one folder;
-- the version in force is the one loaded last.
------------------------------------------------------------------------------------------

CREATE TABLE reference_version (
    reference_version_id INTEGER PRIMARY KEY,
    digest TEXT NOT NULL,                 -- SHA-256 over the normalized tables
    source TEXT NOT NULL,                 -- folder loaded, or 'built-in'
    loaded_at TEXT NOT NULL
) STRICT;

-- Field offices and Border Patrol sectors (CBP) and SAC offices (ICE).
-- region 'outside_us' marks offices abroad, whose lines are excluded.
CREATE TABLE reference_aor (
    reference_version_id INTEGER NOT NULL REFERENCES reference_version,
    agency TEXT NOT NULL,
    component TEXT NOT NULL,
    aor TEXT NOT NULL,
    state TEXT NOT NULL,
    region TEXT NOT NULL,
    PRIMARY KEY (reference_version_id, agency, aor)
) STRICT;

CREATE TABLE reference_aor_alias (
    reference_version_id INTEGER NOT NULL REFERENCES reference_version,
    agency TEXT NOT NULL,
    alias TEXT NOT NULL,
    aor TEXT NOT NULL,
    PRIMARY KEY (reference_version_id, agency, alias)
) STRICT;

-- agency '*' applies to both agencies; an agency's own row wins over it.
-- measure is one of fentanyl_lbs, pill_presses, currency_usd, property_usd, out_of_scope.
CREATE TABLE reference_commodity (
    reference_version_id INTEGER NOT NULL REFERENCES reference_version,
    agency TEXT NOT NULL,
    commodity TEXT NOT NULL,
    measure TEXT NOT NULL,
    PRIMARY KEY (reference_version_id, agency, commodity)
) STRICT;

CREATE TABLE reference_state_region (
    reference_version_id INTEGER NOT NULL REFERENCES reference_version,
    state TEXT NOT NULL,
    agency TEXT NOT NULL,
    region TEXT NOT NULL,
    PRIMARY KEY (reference_version_id, state, agency)
) STRICT;

-- kind 'weight' units convert to pounds by pounds_per_unit; kind 'count' is EA.
CREATE TABLE reference_unit (
    reference_version_id INTEGER NOT NULL REFERENCES reference_version,
    unit TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('weight', 'count')),
    pounds_per_unit REAL,
    PRIMARY KEY (reference_version_id, unit)
) STRICT;

-- Column layouts: which header names carry which field, per agency.
CREATE TABLE reference_layout (
    reference_version_id INTEGER NOT NULL REFERENCES reference_version,
    agency TEXT NOT NULL,
    field TEXT NOT NULL CHECK (field IN
        ('fpf', 'date', 'component', 'aor', 'commodity', 'quantity', 'unit', 'value_usd')),
    header TEXT NOT NULL,
    required INTEGER NOT NULL CHECK (required IN (0, 1)),
    PRIMARY KEY (reference_version_id, agency, field)
) STRICT;

-- Date formats accepted per agency, separated by '|' (tokens YYYY, MM, M, DD, D).
CREATE TABLE reference_agency (
    reference_version_id INTEGER NOT NULL REFERENCES reference_version,
    agency TEXT NOT NULL,
    name TEXT NOT NULL,
    date_formats TEXT NOT NULL,
    PRIMARY KEY (reference_version_id, agency)
) STRICT;

------------------------------------------------------------------------------------------
-- Ingested extracts: each file once, each record exactly as read.
------------------------------------------------------------------------------------------

CREATE TABLE extract (
    extract_id INTEGER PRIMARY KEY,
    agency TEXT NOT NULL CHECK (agency IN ('CBP', 'ICE')),
    file_name TEXT NOT NULL,              -- base name, used in every list
    source_path TEXT NOT NULL,            -- path as given to khsm ingest
    sha256 TEXT NOT NULL UNIQUE,
    size_bytes INTEGER NOT NULL,
    extracted_on TEXT NOT NULL,           -- day the agency pulled the data from SEACATS
    ingested_at TEXT NOT NULL,
    encoding TEXT NOT NULL,
    delimiter TEXT NOT NULL,
    header TEXT NOT NULL,                 -- the header record as read
    record_count INTEGER NOT NULL,        -- records after the header, blank ones included
    records_sha256 TEXT NOT NULL,         -- digest of the stored records, checked by release verify
    reference_version_id INTEGER NOT NULL REFERENCES reference_version
) STRICT;

-- One row per record after the header, blank records included. line is the physical line of
-- the file where the record starts (the header is line 1); raw is the record's text as read,
-- without its line terminator.
CREATE TABLE source_record (
    extract_id INTEGER NOT NULL REFERENCES extract,
    line INTEGER NOT NULL,
    raw TEXT NOT NULL,
    PRIMARY KEY (extract_id, line)
) STRICT, WITHOUT ROWID;

-- What cleansing made of each record under one reference data version.
-- outcome: accepted (counted), excluded (with reason), out_of_scope (other drugs), blank.
-- Exactly one of pounds, presses, cents is set on accepted lines, following measure.
-- The checks list the allowed values with OR, not IN: SQLite (3.40) builds a temporary index
-- for an IN list of more than two constants on every row inserted, which doubled ingest time.
CREATE TABLE line_item (
    extract_id INTEGER NOT NULL REFERENCES extract,
    reference_version_id INTEGER NOT NULL REFERENCES reference_version,
    line INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome = 'accepted' OR outcome = 'excluded'
        OR outcome = 'out_of_scope' OR outcome = 'blank'),
    reason TEXT CHECK (reason = 'unknown_commodity' OR reason = 'missing_fpf'
        OR reason = 'malformed_fpf' OR reason = 'invalid_date' OR reason = 'unknown_aor'
        OR reason = 'outside_us' OR reason = 'invalid_quantity'),
    reason_value TEXT,                    -- the value that caused the exclusion
    raw_fpf TEXT,
    fpf TEXT,                             -- canonical 16 digits
    fpf_suffix TEXT,                      -- 8-digit line-item suffix of a 24-digit FPF
    seizure_date TEXT,
    aor TEXT,                             -- canonical office name from reference data
    region TEXT,
    commodity TEXT,                       -- as written in the file
    measure TEXT,
    pounds REAL,
    presses INTEGER,
    cents INTEGER,
    PRIMARY KEY (extract_id, reference_version_id, line)
) STRICT, WITHOUT ROWID;

CREATE INDEX line_item_fpf ON line_item (extract_id, reference_version_id, fpf)
    WHERE outcome = 'accepted';

------------------------------------------------------------------------------------------
-- Releases: frozen inputs and outputs.
------------------------------------------------------------------------------------------

CREATE TABLE release (
    release_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    release_date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    first_fiscal_year INTEGER NOT NULL,
    last_fiscal_year INTEGER NOT NULL,
    cbp_extract_id INTEGER REFERENCES extract,
    ice_extract_id INTEGER REFERENCES extract,
    reference_version_id INTEGER NOT NULL REFERENCES reference_version,
    method_version TEXT NOT NULL,
    table_sha256 TEXT NOT NULL,           -- digest of the exported table CSV
    previous_release_id INTEGER REFERENCES release,
    late_allowed INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Every integrated seizure of the release's current extracts, counted or not.
-- cbp_* and ice_* are each agency's own seizure (NULL when the agency does not have the FPF).
CREATE TABLE release_seizure (
    release_id INTEGER NOT NULL REFERENCES release,
    fpf TEXT NOT NULL,
    side_used TEXT NOT NULL CHECK (side_used IN ('CBP', 'ICE')),
    is_joint INTEGER NOT NULL,
    is_discrepancy INTEGER NOT NULL,
    in_period INTEGER NOT NULL,           -- counted in the published table
    seizure_date TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    quarter TEXT NOT NULL,
    region TEXT NOT NULL,
    fentanyl_lbs REAL NOT NULL,
    pill_presses INTEGER NOT NULL,
    currency_cents INTEGER NOT NULL,
    property_cents INTEGER NOT NULL,
    cbp_date TEXT,
    cbp_region TEXT,
    cbp_fentanyl_lbs REAL,
    cbp_pill_presses INTEGER,
    ice_date TEXT,
    ice_region TEXT,
    ice_fentanyl_lbs REAL,
    ice_pill_presses INTEGER,
    ice_currency_cents INTEGER,
    ice_property_cents INTEGER,
    PRIMARY KEY (release_id, fpf)
) STRICT, WITHOUT ROWID;

-- Every published cell: exact value and the value published after rounding to the nearest 10.
-- Exactly one of exact_lbs (fentanyl_lbs), exact_count (pill_presses) and exact_cents
-- (currency_usd, property_usd) is set; published is in pounds, presses or whole dollars.
CREATE TABLE release_cell (
    release_id INTEGER NOT NULL REFERENCES release,
    position INTEGER NOT NULL,            -- row order of the exported table
    fiscal_year INTEGER NOT NULL,
    quarter TEXT NOT NULL,
    region TEXT NOT NULL,
    measure TEXT NOT NULL,
    exact_lbs REAL,
    exact_count INTEGER,
    exact_cents INTEGER,
    published INTEGER NOT NULL,
    seizure_count INTEGER NOT NULL,
    PRIMARY KEY (release_id, fiscal_year, quarter, region, measure)
) STRICT, WITHOUT ROWID;

-- Quality figures computed when the release was frozen.
CREATE TABLE release_quality (
    release_id INTEGER NOT NULL REFERENCES release,
    figure TEXT NOT NULL,
    agency TEXT NOT NULL DEFAULT '',      -- '' for figures over both agencies
    numerator REAL NOT NULL,
    denominator REAL NOT NULL,
    value REAL,                           -- numerator / denominator; NULL when the denominator is 0
    PRIMARY KEY (release_id, figure, agency)
) STRICT, WITHOUT ROWID;

------------------------------------------------------------------------------------------
-- Append-only guards.
------------------------------------------------------------------------------------------

CREATE TRIGGER reference_version_no_update BEFORE UPDATE ON reference_version
BEGIN SELECT RAISE(ABORT, 'reference_version is append-only: rows cannot be updated'); END;
CREATE TRIGGER reference_version_no_delete BEFORE DELETE ON reference_version
BEGIN SELECT RAISE(ABORT, 'reference_version is append-only: rows cannot be deleted'); END;
CREATE TRIGGER reference_aor_no_update BEFORE UPDATE ON reference_aor
BEGIN SELECT RAISE(ABORT, 'reference_aor is append-only: rows cannot be updated'); END;
CREATE TRIGGER reference_aor_no_delete BEFORE DELETE ON reference_aor
BEGIN SELECT RAISE(ABORT, 'reference_aor is append-only: rows cannot be deleted'); END;
CREATE TRIGGER reference_aor_alias_no_update BEFORE UPDATE ON reference_aor_alias
BEGIN SELECT RAISE(ABORT, 'reference_aor_alias is append-only: rows cannot be updated'); END;
CREATE TRIGGER reference_aor_alias_no_delete BEFORE DELETE ON reference_aor_alias
BEGIN SELECT RAISE(ABORT, 'reference_aor_alias is append-only: rows cannot be deleted'); END;
CREATE TRIGGER reference_commodity_no_update BEFORE UPDATE ON reference_commodity
BEGIN SELECT RAISE(ABORT, 'reference_commodity is append-only: rows cannot be updated'); END;
CREATE TRIGGER reference_commodity_no_delete BEFORE DELETE ON reference_commodity
BEGIN SELECT RAISE(ABORT, 'reference_commodity is append-only: rows cannot be deleted'); END;
CREATE TRIGGER reference_state_region_no_update BEFORE UPDATE ON reference_state_region
BEGIN SELECT RAISE(ABORT, 'reference_state_region is append-only: rows cannot be updated'); END;
CREATE TRIGGER reference_state_region_no_delete BEFORE DELETE ON reference_state_region
BEGIN SELECT RAISE(ABORT, 'reference_state_region is append-only: rows cannot be deleted'); END;
CREATE TRIGGER reference_unit_no_update BEFORE UPDATE ON reference_unit
BEGIN SELECT RAISE(ABORT, 'reference_unit is append-only: rows cannot be updated'); END;
CREATE TRIGGER reference_unit_no_delete BEFORE DELETE ON reference_unit
BEGIN SELECT RAISE(ABORT, 'reference_unit is append-only: rows cannot be deleted'); END;
CREATE TRIGGER reference_layout_no_update BEFORE UPDATE ON reference_layout
BEGIN SELECT RAISE(ABORT, 'reference_layout is append-only: rows cannot be updated'); END;
CREATE TRIGGER reference_layout_no_delete BEFORE DELETE ON reference_layout
BEGIN SELECT RAISE(ABORT, 'reference_layout is append-only: rows cannot be deleted'); END;
CREATE TRIGGER reference_agency_no_update BEFORE UPDATE ON reference_agency
BEGIN SELECT RAISE(ABORT, 'reference_agency is append-only: rows cannot be updated'); END;
CREATE TRIGGER reference_agency_no_delete BEFORE DELETE ON reference_agency
BEGIN SELECT RAISE(ABORT, 'reference_agency is append-only: rows cannot be deleted'); END;
CREATE TRIGGER extract_no_update BEFORE UPDATE ON extract
BEGIN SELECT RAISE(ABORT, 'extract is append-only: rows cannot be updated'); END;
CREATE TRIGGER extract_no_delete BEFORE DELETE ON extract
BEGIN SELECT RAISE(ABORT, 'extract is append-only: rows cannot be deleted'); END;
CREATE TRIGGER source_record_no_update BEFORE UPDATE ON source_record
BEGIN SELECT RAISE(ABORT, 'source_record is append-only: rows cannot be updated'); END;
CREATE TRIGGER source_record_no_delete BEFORE DELETE ON source_record
BEGIN SELECT RAISE(ABORT, 'source_record is append-only: rows cannot be deleted'); END;
CREATE TRIGGER line_item_no_update BEFORE UPDATE ON line_item
BEGIN SELECT RAISE(ABORT, 'line_item is append-only: rows cannot be updated'); END;
CREATE TRIGGER line_item_no_delete BEFORE DELETE ON line_item
BEGIN SELECT RAISE(ABORT, 'line_item is append-only: rows cannot be deleted'); END;
CREATE TRIGGER release_no_update BEFORE UPDATE ON release
BEGIN SELECT RAISE(ABORT, 'release is append-only: rows cannot be updated'); END;
CREATE TRIGGER release_no_delete BEFORE DELETE ON release
BEGIN SELECT RAISE(ABORT, 'release is append-only: rows cannot be deleted'); END;
CREATE TRIGGER release_seizure_no_update BEFORE UPDATE ON release_seizure
BEGIN SELECT RAISE(ABORT, 'release_seizure is append-only: rows cannot be updated'); END;
CREATE TRIGGER release_seizure_no_delete BEFORE DELETE ON release_seizure
BEGIN SELECT RAISE(ABORT, 'release_seizure is append-only: rows cannot be deleted'); END;
CREATE TRIGGER release_cell_no_update BEFORE UPDATE ON release_cell
BEGIN SELECT RAISE(ABORT, 'release_cell is append-only: rows cannot be updated'); END;
CREATE TRIGGER release_cell_no_delete BEFORE DELETE ON release_cell
BEGIN SELECT RAISE(ABORT, 'release_cell is append-only: rows cannot be deleted'); END;
CREATE TRIGGER release_quality_no_update BEFORE UPDATE ON release_quality
BEGIN SELECT RAISE(ABORT, 'release_quality is append-only: rows cannot be updated'); END;
CREATE TRIGGER release_quality_no_delete BEFORE DELETE ON release_quality
BEGIN SELECT RAISE(ABORT, 'release_quality is append-only: rows cannot be deleted'); END;

------------------------------------------------------------------------------------------
-- Views for analysts. Plain SQL, no custom functions: they work from any SQLite client.
-- docs/data-dictionary.md documents every column.
------------------------------------------------------------------------------------------

-- Each extract with the counts of its line items under the reference version it was
-- ingested with.
CREATE VIEW extracts AS
SELECT
    e.extract_id,
    e.agency,
    e.file_name,
    e.sha256,
    e.size_bytes,
    e.extracted_on,
    e.ingested_at,
    e.record_count,
    e.reference_version_id,
    (SELECT count(*) FROM line_item li WHERE li.extract_id = e.extract_id
        AND li.reference_version_id = e.reference_version_id AND li.outcome = 'accepted')
        AS accepted_lines,
    (SELECT count(*) FROM line_item li WHERE li.extract_id = e.extract_id
        AND li.reference_version_id = e.reference_version_id AND li.outcome = 'excluded')
        AS excluded_lines,
    (SELECT count(*) FROM line_item li WHERE li.extract_id = e.extract_id
        AND li.reference_version_id = e.reference_version_id AND li.outcome = 'out_of_scope')
        AS out_of_scope_lines,
    (SELECT count(*) FROM line_item li WHERE li.extract_id = e.extract_id
        AND li.reference_version_id = e.reference_version_id AND li.outcome = 'blank')
        AS blank_lines
FROM extract e;

-- Every line item with its cleansing outcome, its source record and its extract.
CREATE VIEW line_items AS
SELECT
    li.extract_id,
    e.agency,
    e.file_name,
    e.sha256,
    li.reference_version_id,
    li.line,
    li.outcome,
    li.reason,
    li.reason_value,
    li.raw_fpf,
    li.fpf,
    li.fpf_suffix,
    li.seizure_date,
    li.aor,
    li.region,
    li.commodity,
    li.measure,
    li.pounds,
    li.presses,
    li.cents,
    r.raw
FROM line_item li
JOIN extract e ON e.extract_id = li.extract_id
JOIN source_record r ON r.extract_id = li.extract_id AND r.line = li.line;

-- Excluded lines, for follow-up with the agency.
CREATE VIEW exclusions AS
SELECT extract_id, agency, file_name, reference_version_id, line, reason, reason_value, raw_fpf, raw
FROM line_items
WHERE outcome = 'excluded';

-- One row per FPF, extract and reference version: the agency's own seizure (its accepted
-- lines summed; date the earliest line date; region and office of the earliest-dated line,
-- file order breaking ties).
CREATE VIEW agency_seizures AS
WITH ordered AS (
    SELECT
        li.*,
        row_number() OVER (
            PARTITION BY li.extract_id, li.reference_version_id, li.fpf
            ORDER BY li.seizure_date, li.line
        ) AS rank_in_seizure
    FROM line_item li
    WHERE li.outcome = 'accepted'
)
SELECT
    o.extract_id,
    e.agency,
    e.file_name,
    o.reference_version_id,
    o.fpf,
    min(o.seizure_date) AS seizure_date,
    max(CASE WHEN o.rank_in_seizure = 1 THEN o.region END) AS region,
    max(CASE WHEN o.rank_in_seizure = 1 THEN o.aor END) AS aor,
    total(CASE WHEN o.measure = 'fentanyl_lbs' THEN o.pounds END) AS fentanyl_lbs,
    coalesce(sum(CASE WHEN o.measure = 'pill_presses' THEN o.presses END), 0) AS pill_presses,
    coalesce(sum(CASE WHEN o.measure = 'currency_usd' THEN o.cents END), 0) AS currency_cents,
    coalesce(sum(CASE WHEN o.measure = 'property_usd' THEN o.cents END), 0) AS property_cents,
    count(*) AS line_count,
    min(o.line) AS first_line
FROM ordered o
JOIN extract e ON e.extract_id = o.extract_id
GROUP BY o.extract_id, o.reference_version_id, o.fpf;

-- The current extract of each agency: the latest extraction date, ties going to the one
-- ingested later (the higher extract_id). reference_version_id is the newest version its lines
-- were cleansed under, and the current_* views use the line items of that version. It lags
-- reference_version_in_force after 'khsm reference load' until a release cleanses the extract
-- under the version in force. is_more_recent marks the extract that gives the date, region,
-- pounds and presses of joint seizures.
CREATE VIEW current_extracts AS
WITH
    ranked AS (
        SELECT
            e.*,
            row_number() OVER (
                PARTITION BY e.agency ORDER BY e.extracted_on DESC, e.extract_id DESC
            ) AS recency
        FROM extract e
    ),
    latest AS (
        SELECT
            r.*,
            coalesce(
                (SELECT max(li.reference_version_id) FROM line_item li
                    WHERE li.extract_id = r.extract_id),
                r.reference_version_id) AS cleansed_version_id
        FROM ranked r
        WHERE r.recency = 1
    )
SELECT
    l.extract_id,
    l.agency,
    l.file_name,
    l.sha256,
    l.extracted_on,
    l.ingested_at,
    l.cleansed_version_id AS reference_version_id,
    (SELECT max(v.reference_version_id) FROM reference_version v) AS reference_version_in_force,
    NOT EXISTS (
        SELECT 1 FROM latest o
        WHERE o.agency <> l.agency
            AND (o.extracted_on > l.extracted_on
                OR (o.extracted_on = l.extracted_on AND o.extract_id > l.extract_id))
    ) AS is_more_recent
FROM latest l;

-- Excluded lines of the current extracts, for follow-up with the agency.
CREATE VIEW current_exclusions AS
SELECT
    li.extract_id,
    c.agency,
    c.file_name,
    li.reference_version_id,
    li.line,
    li.reason,
    li.reason_value,
    li.raw_fpf,
    li.aor,
    li.commodity,
    li.measure,
    r.raw
FROM line_item li
JOIN current_extracts c
    ON c.extract_id = li.extract_id AND c.reference_version_id = li.reference_version_id
JOIN source_record r ON r.extract_id = li.extract_id AND r.line = li.line
WHERE li.outcome = 'excluded';

-- The current extracts integrated, as the next release would count them: one row per FPF.
-- An FPF in both extracts is joint: the more recent extract gives date, region, office, pounds
-- and presses, and dollars always come from ICE. A joint seizure is a discrepancy when the
-- two agencies' pounds, rounded to hundredths with halves away from zero, or their presses
-- differ. No reporting period applies: filter on fiscal_year.
CREATE VIEW current_seizures AS
WITH
    cbp AS (
        SELECT s.*, c.is_more_recent
        FROM agency_seizures s
        JOIN current_extracts c
            ON c.extract_id = s.extract_id AND c.reference_version_id = s.reference_version_id
        WHERE c.agency = 'CBP'
    ),
    ice AS (
        SELECT s.*, c.is_more_recent
        FROM agency_seizures s
        JOIN current_extracts c
            ON c.extract_id = s.extract_id AND c.reference_version_id = s.reference_version_id
        WHERE c.agency = 'ICE'
    ),
    fpfs AS (
        SELECT fpf FROM cbp
        UNION
        SELECT fpf FROM ice
    ),
    paired AS (
        SELECT
            f.fpf,
            CASE
                WHEN ice.fpf IS NULL THEN 'CBP'
                WHEN cbp.fpf IS NULL THEN 'ICE'
                WHEN cbp.is_more_recent THEN 'CBP'
                ELSE 'ICE'
            END AS side_used,
            cbp.extract_id AS cbp_extract_id,
            cbp.seizure_date AS cbp_date,
            cbp.region AS cbp_region,
            cbp.aor AS cbp_aor,
            cbp.fentanyl_lbs AS cbp_fentanyl_lbs,
            cbp.pill_presses AS cbp_pill_presses,
            ice.extract_id AS ice_extract_id,
            ice.seizure_date AS ice_date,
            ice.region AS ice_region,
            ice.aor AS ice_aor,
            ice.fentanyl_lbs AS ice_fentanyl_lbs,
            ice.pill_presses AS ice_pill_presses,
            ice.currency_cents AS ice_currency_cents,
            ice.property_cents AS ice_property_cents
        FROM fpfs f
        LEFT JOIN cbp ON cbp.fpf = f.fpf
        LEFT JOIN ice ON ice.fpf = f.fpf
    ),
    chosen AS (
        SELECT
            p.*,
            CASE p.side_used WHEN 'CBP' THEN p.cbp_date ELSE p.ice_date END AS seizure_date,
            CAST(substr(CASE p.side_used WHEN 'CBP' THEN p.cbp_date ELSE p.ice_date END, 6, 2)
                AS INTEGER) AS seizure_month
        FROM paired p
    )
SELECT
    c.fpf,
    c.side_used,
    c.cbp_extract_id IS NOT NULL AND c.ice_extract_id IS NOT NULL AS is_joint,
    -- round(x, 2) rounds the decimal that x reads as, halves away from zero, so 1.005 gives
    -- 1.01 (SQLite 3.40). NULL, when one agency lacks the FPF, counts as no discrepancy.
    -- NOTE: SQLite 3.40 formats x with printf '%!.2f', which works from at most 16
    -- significant digits, while khsm rounds the shortest decimal that reads back as the same
    -- double. A sum of pounds with 17 significant digits that lies within about 1e-15 of a half
    -- hundredth could be classed differently here than in a release.
    coalesce(
        round(c.cbp_fentanyl_lbs, 2) <> round(c.ice_fentanyl_lbs, 2)
            OR c.cbp_pill_presses <> c.ice_pill_presses,
        0) AS is_discrepancy,
    c.seizure_date,
    CAST(substr(c.seizure_date, 1, 4) AS INTEGER) + (c.seizure_month >= 10) AS fiscal_year,
    CASE
        WHEN c.seizure_month >= 10 THEN 'Q1'
        WHEN c.seizure_month <= 3 THEN 'Q2'
        WHEN c.seizure_month <= 6 THEN 'Q3'
        ELSE 'Q4'
    END AS quarter,
    CASE c.side_used WHEN 'CBP' THEN c.cbp_region ELSE c.ice_region END AS region,
    CASE c.side_used WHEN 'CBP' THEN c.cbp_aor ELSE c.ice_aor END AS aor,
    CASE c.side_used WHEN 'CBP' THEN c.cbp_fentanyl_lbs ELSE c.ice_fentanyl_lbs END
        AS fentanyl_lbs,
    CASE c.side_used WHEN 'CBP' THEN c.cbp_pill_presses ELSE c.ice_pill_presses END
        AS pill_presses,
    coalesce(c.ice_currency_cents, 0) AS currency_cents,
    coalesce(c.ice_property_cents, 0) AS property_cents,
    c.cbp_extract_id,
    c.cbp_date,
    c.cbp_region,
    c.cbp_aor,
    c.cbp_fentanyl_lbs,
    c.cbp_pill_presses,
    c.ice_extract_id,
    c.ice_date,
    c.ice_region,
    c.ice_aor,
    c.ice_fentanyl_lbs,
    c.ice_pill_presses,
    c.ice_currency_cents,
    c.ice_property_cents
FROM chosen c;

-- Joint seizures of the current extracts whose two agencies disagree, for reconciliation.
CREATE VIEW current_discrepancies AS
SELECT
    s.fpf,
    s.side_used,
    s.cbp_fentanyl_lbs,
    s.ice_fentanyl_lbs,
    s.cbp_pill_presses,
    s.ice_pill_presses,
    s.cbp_date,
    s.ice_date,
    s.cbp_region,
    s.ice_region,
    s.cbp_aor,
    s.ice_aor,
    cbp.file_name AS cbp_file_name,
    ice.file_name AS ice_file_name,
    s.fiscal_year
FROM current_seizures s
JOIN extract cbp ON cbp.extract_id = s.cbp_extract_id
JOIN extract ice ON ice.extract_id = s.ice_extract_id
WHERE s.is_discrepancy = 1;

-- Releases with their pinned inputs.
CREATE VIEW releases AS
SELECT
    r.release_id,
    r.name AS release,
    r.release_date,
    r.created_at,
    r.first_fiscal_year,
    r.last_fiscal_year,
    r.cbp_extract_id,
    cbp.file_name AS cbp_file_name,
    cbp.sha256 AS cbp_sha256,
    cbp.extracted_on AS cbp_extracted_on,
    r.ice_extract_id,
    ice.file_name AS ice_file_name,
    ice.sha256 AS ice_sha256,
    ice.extracted_on AS ice_extracted_on,
    r.reference_version_id,
    r.method_version,
    r.table_sha256,
    prev.name AS previous_release
FROM release r
LEFT JOIN extract cbp ON cbp.extract_id = r.cbp_extract_id
LEFT JOIN extract ice ON ice.extract_id = r.ice_extract_id
LEFT JOIN release prev ON prev.release_id = r.previous_release_id;

-- The extracts each release used, with the reference data version it applied: join on
-- (extract_id, reference_version_id) to scope line_items, exclusions or agency_seizures to a
-- release.
CREATE VIEW release_extracts AS
SELECT
    r.name AS release,
    e.extract_id,
    e.agency,
    e.file_name,
    e.sha256,
    e.extracted_on,
    r.reference_version_id
FROM release r
JOIN extract e ON e.extract_id IN (r.cbp_extract_id, r.ice_extract_id);

-- Integrated seizures of each release: one row per FPF, with the side used and the joint flag.
CREATE VIEW seizures AS
SELECT
    r.name AS release,
    s.*
FROM release_seizure s
JOIN release r ON r.release_id = s.release_id;

-- Joint seizures whose two agencies disagree, for reconciliation.
CREATE VIEW discrepancies AS
SELECT
    r.name AS release,
    s.fpf,
    s.side_used,
    s.cbp_fentanyl_lbs,
    s.ice_fentanyl_lbs,
    s.cbp_pill_presses,
    s.ice_pill_presses,
    s.cbp_date,
    s.ice_date,
    s.cbp_region,
    s.ice_region,
    cbp.file_name AS cbp_file_name,
    ice.file_name AS ice_file_name,
    s.in_period
FROM release_seizure s
JOIN release r ON r.release_id = s.release_id
LEFT JOIN extract cbp ON cbp.extract_id = r.cbp_extract_id
LEFT JOIN extract ice ON ice.extract_id = r.ice_extract_id
WHERE s.is_discrepancy = 1;

-- Published cells of each release, exact and rounded, in export order.
CREATE VIEW published_cells AS
SELECT
    r.name AS release,
    c.position,
    c.fiscal_year,
    c.quarter,
    c.region,
    c.measure,
    c.exact_lbs,
    c.exact_count,
    c.exact_cents,
    CASE
        WHEN c.exact_lbs IS NOT NULL THEN c.exact_lbs
        WHEN c.exact_count IS NOT NULL THEN c.exact_count
        ELSE c.exact_cents / 100.0
    END AS exact_value,
    c.published,
    c.seizure_count
FROM release_cell c
JOIN release r ON r.release_id = c.release_id;

-- Each counted seizure of a release in each cell it falls in (its quarter and the year, its
-- region and ALL), with its contribution to the cell's exact value; zero contributions included.
CREATE VIEW cell_seizures AS
WITH
    quarters(quarter) AS (VALUES ('Q1'), ('Q2'), ('Q3'), ('Q4'), ('ALL')),
    regions(region) AS (VALUES ('Southwest'), ('North'), ('Southeast'), ('OCONUS'), ('ALL')),
    measures(measure) AS (VALUES ('fentanyl_lbs'), ('pill_presses'), ('currency_usd'),
        ('property_usd'))
SELECT
    r.name AS release,
    s.fiscal_year,
    q.quarter,
    g.region,
    m.measure,
    s.fpf,
    s.side_used,
    s.is_joint,
    CASE m.measure
        WHEN 'fentanyl_lbs' THEN s.fentanyl_lbs
        WHEN 'pill_presses' THEN s.pill_presses
        WHEN 'currency_usd' THEN s.currency_cents / 100.0
        ELSE s.property_cents / 100.0
    END AS contribution,
    CASE m.measure
        WHEN 'currency_usd' THEN s.currency_cents
        WHEN 'property_usd' THEN s.property_cents
    END AS contribution_cents
FROM release_seizure s
JOIN release r ON r.release_id = s.release_id
JOIN quarters q ON q.quarter IN (s.quarter, 'ALL')
JOIN regions g ON g.region IN (s.region, 'ALL')
CROSS JOIN measures m
WHERE s.in_period = 1;

-- From each published cell to the line items behind it: one row per cell, seizure and line.
-- Pounds and presses come from the side used; dollars always from ICE. The contributions of
-- a cell's rows add up to its exact value.
CREATE VIEW lineage AS
SELECT
    cs.release,
    cs.fiscal_year,
    cs.quarter,
    cs.region,
    cs.measure,
    cs.fpf,
    cs.side_used,
    e.agency,
    e.extract_id,
    e.file_name,
    e.sha256,
    e.extracted_on,
    li.line,
    CASE cs.measure
        WHEN 'fentanyl_lbs' THEN li.pounds
        WHEN 'pill_presses' THEN li.presses
        ELSE li.cents / 100.0
    END AS contribution,
    li.cents AS contribution_cents,
    li.raw_fpf,
    sr.raw
FROM cell_seizures cs
JOIN release r ON r.name = cs.release
JOIN extract e ON e.extract_id = CASE
    WHEN cs.measure IN ('currency_usd', 'property_usd') THEN r.ice_extract_id
    WHEN cs.side_used = 'CBP' THEN r.cbp_extract_id
    ELSE r.ice_extract_id
END
JOIN line_item li ON li.extract_id = e.extract_id
    AND li.reference_version_id = r.reference_version_id
    AND li.fpf = cs.fpf
    AND li.outcome = 'accepted'
    AND li.measure = cs.measure
JOIN source_record sr ON sr.extract_id = li.extract_id AND sr.line = li.line;
