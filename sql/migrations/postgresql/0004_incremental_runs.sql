-- Incremental nightly runs (docs/nightly.md "Incremental runs"): how each
-- run read its sources and which saved model it left.
-- mode: 'full' (every source read in full) or 'incremental' (the saved
-- model brought up to date with the changes since its watermark); null for
-- runs before this migration. fallback: why a run that could have been
-- incremental was full ("no_model", "forced", ...), null otherwise.
-- model_digest: the checksum of the model file this run saved, written in
-- the snapshot's own transaction; the next run uses that file only when its
-- checksum is this one.
-- (Format rule: statements end with ';' at the end of a line, '--' comments
-- take whole lines.)

ALTER TABLE cskpi_run ADD COLUMN mode TEXT CHECK (mode IN ('full', 'incremental'));
ALTER TABLE cskpi_run ADD COLUMN fallback TEXT;
ALTER TABLE cskpi_run ADD COLUMN model_digest TEXT;
