-- The items of the event a task was made from (`e:1,2;p:3`), kept when it is made,
-- so that the task stays held back as they are once the event is no longer detected
-- (a review done, a delay ended): hostile review, SAFETY.md H22. NULL for a task
-- made before (held back once its event is gone: whether it was about a restricted
-- item cannot be known).
ALTER TABLE task ADD COLUMN event_items TEXT;
