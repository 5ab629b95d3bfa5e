-- Person search (issue 17 item 8, SAFETY.md H33): every word of a person's given and
-- family names, folded (accents, case, apostrophes: domain::name_search), so that
-- each typed word can start SOME word of the name through an index ("ni bhriain"
-- finds Zoë Ní Bhriain; "bhriain" alone finds her too). given_name_key and
-- family_name_key hold the folded whole names from now on. Both are recomputed in
-- Rust for every existing person in the migration's own transaction
-- (store::name_words::rekey), as PostgreSQL 0017 does.
CREATE TABLE person_name_word (
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    word      TEXT NOT NULL,
    PRIMARY KEY (person_id, word)
) WITHOUT ROWID;
CREATE INDEX person_name_word_word ON person_name_word (word, person_id);
INSERT INTO meta (key, value) VALUES ('name_keys_pending', 'yes') ON CONFLICT (key) DO NOTHING;
