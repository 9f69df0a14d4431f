-- Who publishes an API: the operator writes "cluster/namespace/name" of the API resource, so the same
-- API name published from a second cluster or namespace into one environment is refused with a
-- message naming the first, instead of two resources overwriting each other. NULL: published by
-- hand (`gantry fleet`), anyone may update it.
ALTER TABLE gantry_api ADD COLUMN owner text;

-- Deleting the API resource removes the definition from the environment (gateways unload it).
ALTER TABLE gantry_event DROP CONSTRAINT gantry_event_kind_check;
ALTER TABLE gantry_event ADD CONSTRAINT gantry_event_kind_check
  CHECK (kind IN ('PUBLISHED', 'UPDATED', 'STARTED', 'STOPPED', 'REMOVED'));
