-- The central management repository: published APIs per environment, their bundles, the
-- deployment events (publish, update, start, stop) and the gateways that registered.

-- Bundles are content-addressed (the bundle digest), so environments share one copy.
CREATE TABLE gantry_bundle (
  bundle_digest text PRIMARY KEY,
  files         jsonb NOT NULL,  -- relative path -> base64 of the bytes
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per API and environment: what gateways should serve. Stopping keeps the row.
CREATE TABLE gantry_api (
  environment      text   NOT NULL,
  name             text   NOT NULL,
  version          text   NOT NULL,
  bundle_digest    text   NOT NULL REFERENCES gantry_bundle (bundle_digest),
  environment_yaml text   NOT NULL,  -- this environment's upstream URLs and settings (no secrets)
  gateways         jsonb  NOT NULL,  -- label selector of the fleets that serve it; {} = every fleet
  state            text   NOT NULL CHECK (state IN ('STARTED', 'STOPPED')),
  revision         bigint NOT NULL,  -- grows on every change gateways must act on
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (environment, name)
);

CREATE SEQUENCE gantry_revision;

CREATE TABLE gantry_event (
  id            bigserial PRIMARY KEY,
  environment   text NOT NULL,
  api           text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('PUBLISHED', 'UPDATED', 'STARTED', 'STOPPED')),
  bundle_digest text,
  revision      bigint NOT NULL,
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gantry_event_api ON gantry_event (environment, api, id);

-- Gateway instances register themselves and beat every few seconds.
CREATE TABLE gantry_gateway (
  instance        text PRIMARY KEY,
  environment     text  NOT NULL,
  fleet           text  NOT NULL,
  cluster         text  NOT NULL,
  zone            text,
  labels          jsonb NOT NULL,
  endpoints       jsonb NOT NULL,  -- [{"name": ..., "uri": ...}]
  runtime_version text  NOT NULL,
  loaded          jsonb NOT NULL,  -- API name -> bundle digest being served
  started_at      timestamptz NOT NULL,
  heartbeat_at    timestamptz NOT NULL
);
CREATE INDEX gantry_gateway_fleet ON gantry_gateway (environment, fleet);

-- Gateways LISTEN on this channel: the payload is the environment whose APIs changed.
CREATE FUNCTION gantry_api_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gantry_api', COALESCE(NEW.environment, OLD.environment));
  RETURN NULL;
END;
$$;

CREATE TRIGGER gantry_api_notify AFTER INSERT OR UPDATE OR DELETE ON gantry_api
  FOR EACH ROW EXECUTE FUNCTION gantry_api_changed();

-- Does a Kubernetes label selector (matchLabels, matchExpressions In/NotIn/Exists/DoesNotExist)
-- select a fleet with these labels? Empty selects every fleet. The one definition of selection:
-- gateways ask it in their query, `gantry fleet status` too.
CREATE FUNCTION gantry_selects(selector jsonb, labels jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT COALESCE(selector -> 'matchLabels', '{}'::jsonb) <@ labels
     AND NOT EXISTS (
       SELECT 1 FROM jsonb_array_elements(COALESCE(selector -> 'matchExpressions', '[]'::jsonb)) AS r(requirement)
       WHERE NOT COALESCE(CASE requirement ->> 'operator'
         WHEN 'In' THEN COALESCE(requirement -> 'values', '[]'::jsonb)
                        @> jsonb_build_array(labels ->> (requirement ->> 'key'))
         WHEN 'NotIn' THEN labels -> (requirement ->> 'key') IS NULL
                        OR NOT COALESCE(requirement -> 'values', '[]'::jsonb)
                               @> jsonb_build_array(labels ->> (requirement ->> 'key'))
         WHEN 'Exists' THEN labels -> (requirement ->> 'key') IS NOT NULL
         WHEN 'DoesNotExist' THEN labels -> (requirement ->> 'key') IS NULL
         ELSE false  -- an operator we do not know selects nothing rather than everything
       END, false))
$$;
