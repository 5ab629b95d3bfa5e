-- Watched folders (issue 15) ask whether a dropped file was imported before, by its
-- SHA-256; import_run holds a row per file and per feed message, so look it up by index.
CREATE INDEX import_run_sha256 ON public.import_run (file_sha256);
