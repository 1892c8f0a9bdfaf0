-- Conversions name the miners they remove by catalog id, not by model name, so renaming a model
-- never breaks a plan: remove_asics becomes JSON {"<equipment_models.id>": count}.
-- A name that matches no catalog model belongs to a plan a rename already broke (it could not be
-- evaluated or exported); it is left out here, and the backup that opening an old file makes
-- keeps it.
UPDATE conversions SET remove_asics = COALESCE((
    SELECT json_group_object(CAST(m.id AS TEXT), j.value)
    FROM json_each(conversions.remove_asics) AS j
    JOIN equipment_models AS m ON m.name = j.key
), '{}');

-- Breaches are derived from the data whenever they are read (desktop/store/checks.py); the
-- stored copy, which every writer had to remember to refresh, goes.
ALTER TABLE conversions DROP COLUMN breaches;
