-- Person search (issue 17 item 8, SAFETY.md H33), as SQLite 0021: every word of a
-- person's names, folded, for indexed prefix search of any word. `word` is in the
-- "C" collation so that the prefix range (word >= 'smi' AND word < 'smi' || U+10FFFF)
-- is the same byte order as SQLite's whatever the database's collation. Keys and
-- words are recomputed in Rust for every existing person in the migration's own
-- transaction (store::name_words::rekey).
--
-- App roles read the words through joinedup_app.person_name_word, which has a row
-- for exactly the people joinedup_app.person has (names are never masked there:
-- a restricted person keeps name, NHS number, date of birth and sex, and their
-- address stays masked in joinedup_app.person as 0012 made it). Only the loader
-- writes people, so only the loader writes their words.
CREATE TABLE person_name_word (
    person_id bigint NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    word      text COLLATE "C" NOT NULL,
    PRIMARY KEY (person_id, word)
);
CREATE INDEX person_name_word_word ON person_name_word (word, person_id);

CREATE VIEW joinedup_app.person_name_word WITH (security_barrier) AS
    SELECT w.person_id, w.word
    FROM public.person_name_word w
    JOIN public.joinedup_person_access a ON a.person_id = w.person_id;

GRANT SELECT ON joinedup_app.person_name_word
    TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester, joinedup_ig_lead;
GRANT SELECT, INSERT, UPDATE, DELETE ON person_name_word TO joinedup_loader;

-- Every existing person's keys and words are recomputed once, in Rust, when the
-- owner next opens the database (store::name_words::rekey_if_pending clears this).
INSERT INTO meta (key, value) VALUES ('name_keys_pending', 'yes') ON CONFLICT (key) DO NOTHING;
