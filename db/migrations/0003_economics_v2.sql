-- ECONOMICS.md version 2: what a site, a conversion and a plan carry beyond version 1.
-- Every default reproduces version 1's results, so an existing project evaluates as before.
-- (Project-wide tax and terminal multiples live with the other assumptions in `settings`.)

ALTER TABLE sites ADD COLUMN energy_price_growth_pct_per_year REAL NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN grid_schedule TEXT NOT NULL DEFAULT '[]';      -- JSON [{from_month, capacity_mw}]
ALTER TABLE sites ADD COLUMN miners_yield_to_grid INTEGER NOT NULL DEFAULT 0 CHECK (miners_yield_to_grid IN (0, 1));
ALTER TABLE sites ADD COLUMN curtailment_pct REAL NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN curtailment_credit_usd_per_mwh REAL NOT NULL DEFAULT 0;

ALTER TABLE conversions ADD COLUMN term_months INTEGER;                     -- NULL: earns to the horizon
ALTER TABLE conversions ADD COLUMN renewals INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversions ADD COLUMN renewal_term_months INTEGER;             -- NULL: the term's
ALTER TABLE conversions ADD COLUMN prepayment_usd REAL NOT NULL DEFAULT 0;
ALTER TABLE conversions ADD COLUMN gpu_hour_growth_pct_per_year REAL NOT NULL DEFAULT 0;
ALTER TABLE conversions ADD COLUMN gpu_residual_pct REAL NOT NULL DEFAULT 0;

ALTER TABLE plans ADD COLUMN financing TEXT;                                -- JSON plan.financing; NULL: no debt
