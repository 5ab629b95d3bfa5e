-- A care plan in a sensitive category (a safeguarding protection plan) is held back
-- like a sensitive item until a reason is given (domain::disclosure).
ALTER TABLE care_plan ADD COLUMN sensitivity TEXT NOT NULL DEFAULT 'normal';

-- Plans stored before this carried no category: the words of their titles decide, as
-- domain::sensitive_terms does for unlabelled clinical text (erring towards hiding).
UPDATE care_plan SET sensitivity = 'safeguarding'
WHERE lower(title) LIKE '%safeguarding%' OR lower(title) LIKE '%protection plan%'
   OR lower(title) LIKE '%section 42%' OR lower(title) LIKE '%domestic abuse%';

-- "Recently opened" belongs to the user, not the workstation: a second user must not
-- see whom the first opened. Entries made before this belonged to no one and go.
DROP TABLE recent_person;
CREATE TABLE recent_person (
    user_name TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    opened_at TEXT NOT NULL,
    PRIMARY KEY (user_name, person_id)
);
