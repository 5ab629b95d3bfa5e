-- A coordinator signed in to the server makes a care plan's next version in the
-- window (issue 17 item 4, SAFETY.md H49). The app roles read plans through the
-- views of 0012/0021 and could not write them; now they insert into
-- joinedup_app.care_plan_version, .care_plan_goal, .care_plan_need and
-- .care_plan_action through INSTEAD OF triggers that write the tables as the
-- program would and nothing else:
--   * a version only of a plan shown to this user (not restricted or sensitive
--     without a reason, not held back by an objection), only as the plan's next
--     number, recorded by this user (the server's name for them, whatever the
--     client says), at a time given, with no file; the organisation is the user's
--     team as the coordinator table holds it, else "Recorded in joinedup";
--   * goals, needs and actions only of a version this user made in the same
--     transaction, an action's status one of the five;
--   * a trainer outside a training database is refused (joinedup_check_may_change);
--   * each row commits only with a `plan_revised` audit event of this user in the
--     same transaction, the version's about the plan's own person (constraint
--     triggers; the loader's imports are unchanged);
--   * the audit view lists `plan_revised` among the changes (AuditAction::changes),
--     so another user's open record of the person is refreshed.

CREATE FUNCTION joinedup_app_revise_plan() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_newest bigint;
BEGIN
    PERFORM joinedup_check_may_change();
    IF NOT EXISTS (SELECT 1 FROM joinedup_plan_access v WHERE v.plan_id = NEW.care_plan_id AND v.shown AND NOT v.hidden) THEN
        RAISE EXCEPTION 'this plan is held back from you: give a reason to see it before editing it'
            USING ERRCODE = '42501';
    END IF;
    -- One writer at a time per plan: the next number is read under the row's lock.
    PERFORM 1 FROM care_plan WHERE id = NEW.care_plan_id FOR UPDATE;
    SELECT max(version) INTO v_newest FROM care_plan_version WHERE care_plan_id = NEW.care_plan_id;
    IF NEW.version IS DISTINCT FROM v_newest + 1 THEN
        RAISE EXCEPTION 'this plan is at version % now: another change came first; reload', v_newest
            USING ERRCODE = '55000';
    END IF;
    IF NEW.recorded_at IS NULL THEN
        RAISE EXCEPTION 'a version made in joinedup says when it was recorded' USING ERRCODE = '23514';
    END IF;
    -- One unknown code would fail every read of the person's plans.
    IF NEW.funding IS NOT NULL AND NEW.funding NOT IN ('chc', 'fnc', 'local_authority', 'self_funded', 'joint') THEN
        RAISE EXCEPTION 'a plan''s funding is one of the known kinds, not %', NEW.funding USING ERRCODE = '23514';
    END IF;
    NEW.recorded_by := joinedup_actor_name();
    NEW.recorded_organisation := COALESCE((SELECT c.team FROM coordinator c WHERE c.user_name = session_user),
                                          'Recorded in joinedup');
    NEW.file_name := '';
    NEW.file_sha256 := '';
    INSERT INTO public.care_plan_version (care_plan_id, version, status, start, last_review, next_review, funding,
                                          personal_budget_weekly, file_name, file_sha256, imported_at, recorded_at,
                                          recorded_by, recorded_organisation)
    VALUES (NEW.care_plan_id, NEW.version, NEW.status, NEW.start, NEW.last_review, NEW.next_review, NEW.funding,
            NEW.personal_budget_weekly, '', '', NEW.imported_at, NEW.recorded_at, NEW.recorded_by,
            NEW.recorded_organisation)
    RETURNING id INTO NEW.id;
    RETURN NEW;
END $$;
CREATE TRIGGER care_plan_version_revise INSTEAD OF INSERT ON joinedup_app.care_plan_version
    FOR EACH ROW EXECUTE FUNCTION joinedup_app_revise_plan();
REVOKE EXECUTE ON FUNCTION joinedup_app_revise_plan() FROM PUBLIC;

-- Is `p_version` a plan version this user made in this transaction?
CREATE FUNCTION joinedup_revised_in_this_transaction(p_version bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM public.care_plan_version c
                   WHERE c.id = p_version AND c.recorded_by = joinedup_actor_name() AND c.file_name = ''
                     AND c.xmin = pg_current_xact_id()::xid)
$$;
REVOKE EXECUTE ON FUNCTION joinedup_revised_in_this_transaction(bigint) FROM PUBLIC;

CREATE FUNCTION joinedup_app_revise_plan_items() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM joinedup_check_may_change();
    IF NOT joinedup_revised_in_this_transaction(NEW.version_id) THEN
        RAISE EXCEPTION 'a plan''s goals, needs and actions are added only with the version made in the same transaction'
            USING ERRCODE = '42501';
    END IF;
    IF TG_TABLE_NAME = 'care_plan_goal' THEN
        INSERT INTO public.care_plan_goal (version_id, position, text) VALUES (NEW.version_id, NEW.position, NEW.text);
    ELSIF TG_TABLE_NAME = 'care_plan_need' THEN
        INSERT INTO public.care_plan_need (version_id, position, description, is_eligible, need_ref)
        VALUES (NEW.version_id, NEW.position, NEW.description, NEW.is_eligible, NEW.need_ref);
    ELSE
        -- The party one of the five and the needs met a JSON list of this version's
        -- need references, as the program writes them (anything else would fail
        -- every read of the person's plans, or link to a need the plan lacks).
        IF NEW.responsible_party NOT IN ('nhs_body', 'local_authority', 'provider', 'person', 'unpaid_carer') THEN
            RAISE EXCEPTION 'an action is done by one of the known parties, not %', NEW.responsible_party
                USING ERRCODE = '23514';
        END IF;
        IF NEW.meets IS NOT NULL THEN
            IF NEW.meets !~ '^\[("([^"\\]|\\.)*")(,"([^"\\]|\\.)*")*\]$' THEN
                RAISE EXCEPTION 'an action''s needs met are a list of need references' USING ERRCODE = '23514';
            END IF;
            IF EXISTS (SELECT 1 FROM jsonb_array_elements_text(NEW.meets::jsonb) m
                       WHERE m NOT IN (SELECT n.need_ref FROM public.care_plan_need n
                                       WHERE n.version_id = NEW.version_id AND n.need_ref IS NOT NULL)) THEN
                RAISE EXCEPTION 'an action meets only needs of its own plan version' USING ERRCODE = '23514';
            END IF;
        END IF;
        INSERT INTO public.care_plan_action (version_id, position, description, responsible_party, responsible_name,
                                             meets, due, status)
        VALUES (NEW.version_id, NEW.position, NEW.description, NEW.responsible_party, NEW.responsible_name,
                NEW.meets, NEW.due, NEW.status);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER care_plan_goal_revise INSTEAD OF INSERT ON joinedup_app.care_plan_goal
    FOR EACH ROW EXECUTE FUNCTION joinedup_app_revise_plan_items();
CREATE TRIGGER care_plan_need_revise INSTEAD OF INSERT ON joinedup_app.care_plan_need
    FOR EACH ROW EXECUTE FUNCTION joinedup_app_revise_plan_items();
CREATE TRIGGER care_plan_action_revise INSTEAD OF INSERT ON joinedup_app.care_plan_action
    FOR EACH ROW EXECUTE FUNCTION joinedup_app_revise_plan_items();
REVOKE EXECUTE ON FUNCTION joinedup_app_revise_plan_items() FROM PUBLIC;

-- A version made by an app role commits only with this user's `plan_revised` event
-- about the plan's own person in the same transaction.
CREATE FUNCTION joinedup_revised_plan_audited() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF joinedup_user_role() IS NOT NULL AND joinedup_user_role() <> 'loader'
       AND NOT EXISTS (SELECT 1 FROM audit_receipt r JOIN audit_event e ON e.id = r.event_id
                       JOIN care_plan p ON p.id = NEW.care_plan_id
                       WHERE r.txid = txid_current() AND r.user_name = session_user
                         AND e.action = 'plan_revised' AND e.person_id = p.person_id) THEN
        RAISE EXCEPTION 'every change is audited: a plan version was made without an audit event (plan_revised) about its person'
            USING ERRCODE = '42501';
    END IF;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION joinedup_revised_plan_audited() FROM PUBLIC;
CREATE CONSTRAINT TRIGGER care_plan_version_audited AFTER INSERT ON care_plan_version
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_revised_plan_audited();
CREATE CONSTRAINT TRIGGER care_plan_goal_audited AFTER INSERT ON care_plan_goal
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited('plan_revised');
CREATE CONSTRAINT TRIGGER care_plan_need_audited AFTER INSERT ON care_plan_need
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited('plan_revised');
CREATE CONSTRAINT TRIGGER care_plan_action_audited AFTER INSERT ON care_plan_action
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited('plan_revised');

GRANT INSERT ON joinedup_app.care_plan_version, joinedup_app.care_plan_goal, joinedup_app.care_plan_need,
    joinedup_app.care_plan_action TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester;

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
        a.action IN ('change_spell', 'record_chc', 'chc_decision_recorded', 'plan_revised', 'import',
                     'match_confirmed', 'match_rejected', 'match_undone', 'records_cleared', 'database_moved',
                     'follow', 'unfollow', 'worklist_acknowledged', 'task_created', 'task_changed',
                     'care_team_changed', 'objection_changed', 'relationship_rule_set') AS change) w;
