-- The ICB's CHC decision recorded by a coordinator (issue 17 item 6, SAFETY.md H31),
-- as 0011 and 0012 let a coordinator change a stay:
--   * who at the ICB made the decision (a new column, as SQLite 0020);
--   * app roles write only the decision's four columns, through an INSTEAD OF
--     trigger on joinedup_app.chc_assessment that refuses a trainer outside a
--     training database and an assessment held back from this user (restricted
--     without a reason, or held back by an objection): its fields read
--     "restricted", so it cannot be decided on what the user cannot see;
--   * a change to chc_assessment by an app role commits only with an audit event of
--     its own kind (`chc_decision_recorded`, or `record_chc` for a new assessment)
--     in the same transaction, whichever way the row comes;
--   * the audit view lists the new action among the changes, so other windows
--     refresh the person (AuditAction::changes()).

ALTER TABLE chc_assessment ADD COLUMN icb_decision_by text;

CREATE OR REPLACE VIEW joinedup_app.chc_assessment WITH (security_barrier) AS
    SELECT c.episode_id, c.kind, c.completed_on,
           CASE WHEN v.shown THEN c.completed_by END AS completed_by,
           c.recorded_positive,
           CASE WHEN v.shown THEN c.mdt_recommendation END AS mdt_recommendation,
           c.icb_decision_date, c.icb_decision_eligible,
           CASE WHEN v.shown THEN c.icb_decision_note END AS icb_decision_note,
           CASE WHEN v.shown THEN c.icb_decision_by END AS icb_decision_by
    FROM public.chc_assessment c
    JOIN public.joinedup_item_access v ON v.episode_id = c.episode_id
    WHERE NOT v.hidden;

CREATE FUNCTION joinedup_app_chc_decision() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM joinedup_check_may_change();
    IF NOT joinedup_item_shown(OLD.episode_id) THEN
        RAISE EXCEPTION 'this CHC assessment is restricted: give a reason to see it before recording its decision'
            USING ERRCODE = '42501';
    END IF;
    IF OLD.kind NOT IN ('dst', 'fast_track') THEN
        RAISE EXCEPTION 'the ICB decides on a DST or a Fast Track, not on a %', OLD.kind USING ERRCODE = '42501';
    END IF;
    IF NEW.icb_decision_date IS NULL OR NEW.icb_decision_eligible IS NULL
       OR NULLIF(btrim(NEW.icb_decision_by), '') IS NULL THEN
        RAISE EXCEPTION 'an ICB decision has a date, an outcome and who made it' USING ERRCODE = '23514';
    END IF;
    IF NEW.icb_decision_date < OLD.completed_on THEN
        RAISE EXCEPTION 'the ICB decision cannot be dated before its assessment' USING ERRCODE = '23514';
    END IF;
    UPDATE public.chc_assessment SET icb_decision_date = NEW.icb_decision_date,
        icb_decision_eligible = NEW.icb_decision_eligible, icb_decision_note = NEW.icb_decision_note,
        icb_decision_by = NEW.icb_decision_by
    WHERE episode_id = OLD.episode_id;
    RETURN NEW;
END $$;
CREATE TRIGGER chc_assessment_decision INSTEAD OF UPDATE ON joinedup_app.chc_assessment
    FOR EACH ROW EXECUTE FUNCTION joinedup_app_chc_decision();
REVOKE EXECUTE ON FUNCTION joinedup_app_chc_decision() FROM PUBLIC;

CREATE CONSTRAINT TRIGGER chc_assessment_audited AFTER INSERT OR UPDATE OR DELETE ON chc_assessment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION joinedup_change_audited('chc_decision_recorded', 'record_chc');

GRANT UPDATE (icb_decision_date, icb_decision_eligible, icb_decision_note, icb_decision_by)
    ON joinedup_app.chc_assessment TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester;

CREATE OR REPLACE VIEW joinedup_app.audit_event WITH (security_barrier) AS
    SELECT a.id,
           CASE WHEN w.whole OR w.looked OR w.change THEN a.at ELSE '1970-01-01'::timestamp END AS at,
           CASE WHEN w.whole OR w.looked THEN a.actor ELSE '' END AS actor,
           CASE WHEN w.whole OR w.looked OR w.change THEN a.action ELSE '' END AS action,
           CASE WHEN w.whole OR w.looked OR w.change THEN a.person_id END AS person_id,
           CASE WHEN w.whole THEN a.detail ELSE '' END AS detail,
           CASE WHEN w.whole THEN a.reason END AS reason,
           a.prev_hash, a.hash, a.mac, a.seal
    FROM public.audit_event a
    CROSS JOIN LATERAL (SELECT
        (SELECT joinedup_user_role()) = 'ig-lead' OR a.actor = (SELECT joinedup_actor_name()) AS whole,
        a.person_id IS NOT NULL
            AND a.action IN ('open', 'search', 'break_glass', 'access_without_relationship', 'emergency_access',
                             'export', 'print', 'plans')
            AND a.person_id IN (SELECT r.person_id FROM public.recent_person r WHERE r.user_name = session_user)
            AND EXISTS (SELECT 1 FROM public.joinedup_person_access pa WHERE pa.person_id = a.person_id AND pa.shown)
            AS looked,
        -- AuditAction::changes(): what keeps another user's window current.
        a.action IN ('change_spell', 'record_chc', 'chc_decision_recorded', 'import', 'match_confirmed',
                     'match_rejected', 'match_undone', 'records_cleared', 'database_moved', 'follow', 'unfollow',
                     'worklist_acknowledged', 'task_created', 'task_changed', 'care_team_changed',
                     'objection_changed', 'relationship_rule_set') AS change) w;
