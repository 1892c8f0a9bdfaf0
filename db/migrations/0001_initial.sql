-- Rackshift project file, schema 1.
-- Base state (what stands on the floor today) lives in sites, halls, positions and fleet.
-- A plan never changes the base state: its conversions point at positions through
-- conversion_positions, so converting thousands of positions is one INSERT ... executemany,
-- and undoing it one DELETE.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL              -- JSON
);

CREATE TABLE equipment_models (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('asic', 'gpu')),
    name              TEXT NOT NULL UNIQUE,
    manufacturer      TEXT NOT NULL DEFAULT '',
    -- ASIC miners
    hashrate_ths      REAL,
    power_w           REAL,           -- per miner (asic) or per server (gpu, from NetBox ports)
    -- GPU systems, per rack
    gpus_per_rack     INTEGER,
    rack_power_kw     REAL,
    servers_per_rack  INTEGER,
    u_height          REAL,
    airflow           TEXT,
    is_powered        INTEGER NOT NULL DEFAULT 1,
    -- both
    cooling           TEXT NOT NULL DEFAULT 'air',   -- air | hydro | immersion | liquid
    weight_kg         REAL,           -- per miner (asic) or per rack (gpu)
    price_usd         REAL,           -- per miner (asic) or per rack (gpu)
    source            TEXT NOT NULL DEFAULT '',
    is_estimate       INTEGER NOT NULL DEFAULT 0,
    notes             TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sites (
    id                            INTEGER PRIMARY KEY,
    name                          TEXT NOT NULL UNIQUE,
    location                      TEXT NOT NULL DEFAULT '',
    grid_capacity_mw              REAL NOT NULL,
    energy_price_usd_per_mwh      REAL NOT NULL,
    pue_mining                    REAL NOT NULL DEFAULT 1.05,
    pue_hosting                   REAL NOT NULL DEFAULT 1.3,
    pool_fee_pct                  REAL NOT NULL DEFAULT 2,
    mining_opex_usd_per_mw_month  REAL NOT NULL DEFAULT 0,
    notes                         TEXT NOT NULL DEFAULT '',
    sort_order                    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE fleet (
    id                  INTEGER PRIMARY KEY,
    site_id             INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    model_id            INTEGER NOT NULL REFERENCES equipment_models(id),
    count               INTEGER NOT NULL CHECK (count >= 0),
    uptime_pct          REAL NOT NULL DEFAULT 100,
    resale_usd_per_ths  REAL NOT NULL DEFAULT 0,
    UNIQUE (site_id, model_id)
);

CREATE TABLE halls (
    id                  INTEGER PRIMARY KEY,
    site_id             INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    cooling             TEXT NOT NULL DEFAULT 'air',  -- air | hydro | immersion | liquid-ready
    power_capacity_kw   REAL NOT NULL,
    max_rack_kw         REAL NOT NULL,
    floor_load_kg       REAL NOT NULL,
    rows                INTEGER NOT NULL CHECK (rows >= 1),
    cols                INTEGER NOT NULL CHECK (cols >= 1),
    sort_order          INTEGER NOT NULL DEFAULT 0,
    UNIQUE (site_id, name)
);

-- A place on a hall's floor grid and what stands there today.
CREATE TABLE positions (
    id           INTEGER PRIMARY KEY,
    hall_id      INTEGER NOT NULL REFERENCES halls(id) ON DELETE CASCADE,
    row          INTEGER NOT NULL,
    col          INTEGER NOT NULL,
    label        TEXT NOT NULL,
    model_id     INTEGER REFERENCES equipment_models(id),   -- NULL: empty position
    unit_count   INTEGER NOT NULL DEFAULT 0,                -- miners (asic) or racks (gpu, 1)
    UNIQUE (hall_id, row, col),
    UNIQUE (hall_id, label)
);
CREATE INDEX positions_model ON positions(model_id);

CREATE TABLE plans (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE TABLE conversions (
    id                              INTEGER PRIMARY KEY,
    plan_id                         INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    site_id                         INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    hall_id                         INTEGER REFERENCES halls(id) ON DELETE SET NULL,
    gpu_model_id                    INTEGER REFERENCES equipment_models(id),
    label                           TEXT NOT NULL DEFAULT '',
    start_month                     INTEGER NOT NULL,
    racks_placed                    INTEGER NOT NULL DEFAULT 0,
    critical_it_mw                  REAL NOT NULL,
    remove_asics                    TEXT NOT NULL DEFAULT '{}',  -- JSON {model name: count}
    mode                            TEXT NOT NULL CHECK (mode IN ('colocation', 'gpu_cloud')),
    build_months                    INTEGER NOT NULL DEFAULT 0,
    capex_usd_per_mw                REAL NOT NULL,
    hosting_opex_usd_per_mw_month   REAL NOT NULL DEFAULT 0,
    load_factor_pct                 REAL NOT NULL DEFAULT 100,
    lease_usd_per_kw_month          REAL,
    lease_escalator_pct_per_year    REAL NOT NULL DEFAULT 0,
    power_pass_through              INTEGER NOT NULL DEFAULT 1,
    gpu_count                       INTEGER,
    gpu_hour_usd                    REAL,
    utilization_pct                 REAL NOT NULL DEFAULT 100,
    gpu_capex_usd                   REAL NOT NULL DEFAULT 0,
    breaches                        TEXT NOT NULL DEFAULT '[]'   -- JSON list of messages
);
CREATE INDEX conversions_plan ON conversions(plan_id);

-- Which positions a conversion takes: 'gpu' gets a GPU rack, 'retired' is emptied.
CREATE TABLE conversion_positions (
    conversion_id  INTEGER NOT NULL REFERENCES conversions(id) ON DELETE CASCADE,
    position_id    INTEGER NOT NULL REFERENCES positions(id) ON DELETE CASCADE,
    role           TEXT NOT NULL CHECK (role IN ('gpu', 'retired')),
    PRIMARY KEY (conversion_id, position_id)
) WITHOUT ROWID;
CREATE INDEX conversion_positions_position ON conversion_positions(position_id);
