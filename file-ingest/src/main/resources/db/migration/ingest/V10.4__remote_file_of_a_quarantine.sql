-- A quarantined registry stays on the provider's server: its size and modification time there, as the server lists
-- them, so that the intake does not fetch it again until it changes (io.kopek.ingest.RemoteFiles). Found through
-- the (provider, name, sha256) unique index.
alter table registry_file
    add column remote_size        bigint,
    add column remote_modified_at timestamptz;
