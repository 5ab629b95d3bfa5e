-- A coordinator signed in to the server records a CHC Checklist, DST, Fast Track or
-- review (issue 17 item 6, SAFETY.md H40). Until now the app roles had no way to add
-- an item: `Store::record_chc_assessment` inserted into joinedup_app.episode, a view
-- no one may insert into, so the form failed on a server. Now:
--   * app roles (coordinator, trainer, tester) insert into the three views
--     joinedup_app.episode, .chc_assessment and .chc_domain_level, through INSTEAD OF
--     triggers that write the tables as the program would and nothing else: only a
--     CHC item, only as "Recorded in joinedup", normal sensitivity, no import run or
--     file, for a person shown to this user (not restricted without a reason, in the
--     care team where the relationship rule applies); the assessment and its domain
--     levels only for an item made in the same transaction;
--   * the trigger writes the columns the program would itself: the organisation is
--     "Recorded in joinedup" whatever the client says (an organisation naming a team
--     would make that team the person's care team, 0012), never an ICB decision
--     (that is 0016's path, with its checks and its own audit action), the
--     assessment's kind that of its item, only the known domain and level codes
--     (one unknown code would fail every read of the person's CHC facts), no date
--     after today, and not on a record merged into another;
--   * a trainer outside a training database is refused (joinedup_check_may_change);
--   * each of the three rows commits only with a `record_chc` audit event of this
--     user in the same transaction, the item's with one about its own person
--     (constraint triggers; the episode's only for a recorded item, so the loader's
--     imports are unchanged). A hostile review of this migration found the
--     organisation, decision, code and person holes closed here (SAFETY H40).

CREATE FUNCTION joinedup_app_record_chc_item() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM joinedup_check_may_change();
    IF NEW.kind NOT IN ('chc_checklist', 'chc_dst', 'chc_fast_track', 'chc_review') THEN
        RAISE EXCEPTION 'the program adds only a CHC Checklist, DST, Fast Track or review, not a %', NEW.kind
            USING ERRCODE = '42501';
    END IF;
    IF NEW.source IS DISTINCT FROM 'Recorded in joinedup' OR NEW.import_run_id IS NOT NULL
       OR COALESCE(NEW.sensitivity, 'normal') <> 'normal' THEN
        RAISE EXCEPTION 'an item the program adds is recorded in joinedup, of normal sensitivity, with no import run'
            USING ERRCODE = '42501';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM joinedup_person_access a WHERE a.person_id = NEW.person_id AND a.shown) THEN
        RAISE EXCEPTION 'this record is restricted: give a reason to see it before recording on it'
            USING ERRCODE = '42501';
    END IF;
    IF EXISTS (SELECT 1 FROM public.person p WHERE p.id = NEW.person_id AND p.merged_into IS NOT NULL) THEN
        RAISE EXCEPTION 'this record was merged into another: record on the person it was merged into'
            USING ERRCODE = '23514';
    END IF;
    IF NEW.start IS NULL OR NEW.start::date > current_date THEN
        RAISE EXCEPTION 'an assessment is dated on or before today' USING ERRCODE = '23514';
    END IF;
    INSERT INTO public.episode (person_id, sector, kind, title, start, "end", status, organisation, detail,
                                sensitivity, attributes, source, source_ref, import_run_id, file_name,
                                file_sha256, imported_at)
    VALUES (NEW.person_id, 'health', NEW.kind, NEW.title, NEW.start, NULL, 'completed', 'Recorded in joinedup',
            COALESCE(NEW.detail, ''), 'normal', '{}', NEW.source, NEW.source_ref, NULL, '', '', NEW.imported_at)
    RETURNING id INTO NEW.id;
    NEW.organisation := 'Recorded in joinedup';
    NEW.sector := 'health';
    NEW.status := 'completed';
    NEW."end" := NULL;
    NEW.sensitivity := 'normal';
    NEW.attributes := '{}';
    RETURN NEW;
END $$;
CREATE TRIGGER episode_record_chc INSTEAD OF INSERT ON joinedup_app.episode
    FOR EACH ROW EXECUTE FUNCTION joinedup_app_record_chc_item();
REVOKE EXECUTE ON FUNCTION joinedup_app_record_chc_item() FROM PUBLIC;

-- Is `p_episode` a CHC item recorded in joinedup by this transaction?
CREATE FUNCTION joinedup_recorded_in_this_transaction(p_episode bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM public.episode e
                   WHERE e.id = p_episode AND e.source = 'Recorded in joinedup'
                     AND e.kind IN ('chc_checklist', 'chc_dst', 'chc_fast_track', 'chc_review')
                     AND e.xmin = pg_current_xact_id()::xid)
$$;
REVOKE EXECUTE ON FUNCTION joinedup_recorded_in_this_transaction(bigint) FROM PUBLIC;

CREATE FUNCTION joinedup_app_record_chc_facts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM joinedup_check_may_change();
    IF NOT joinedup_recorded_in_this_transaction(NEW.episode_id) THEN
        RAISE EXCEPTION 'CHC facts are added only with the item recorded in the same transaction'
            USING ERRCODE = '42501';
    END IF;
    IF TG_TABLE_NAME = 'chc_assessment' THEN
        IF NEW.icb_decision_date IS NOT NULL OR NEW.icb_decision_eligible IS NOT NULL
           OR NEW.icb_decision_note IS NOT NULL OR NEW.icb_decision_by IS NOT NULL THEN
            RAISE EXCEPTION 'the ICB decision is recorded on its own, after the assessment' USING ERRCODE = '42501';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM public.episode e WHERE e.id = NEW.episode_id AND e.kind = 'chc_' || NEW.kind) THEN
            RAISE EXCEPTION 'a CHC assessment is of its item''s kind' USING ERRCODE = '23514';
        END IF;
        IF NEW.completed_on IS NULL OR NEW.completed_on::date > current_date THEN
            RAISE EXCEPTION 'an assessment is dated on or before today' USING ERRCODE = '23514';
        END IF;
        INSERT INTO public.chc_assessment (episode_id, kind, completed_on, completed_by, recorded_positive,
                                           mdt_recommendation, icb_decision_date, icb_decision_eligible,
                                           icb_decision_note, icb_decision_by)
        VALUES (NEW.episode_id, NEW.kind, NEW.completed_on, NEW.completed_by, NEW.recorded_positive,
                NEW.mdt_recommendation, NEW.icb_decision_date, NEW.icb_decision_eligible, NEW.icb_decision_note,
                NEW.icb_decision_by);
    ELSE
        IF NEW.domain NOT IN ('breathing', 'nutrition', 'continence', 'skin', 'mobility', 'communication',
                              'psychological', 'cognition', 'behaviour', 'drug_therapies', 'altered_states', 'other')
           OR NOT EXISTS (SELECT 1 FROM public.episode e WHERE e.id = NEW.episode_id
                          AND ((e.kind = 'chc_checklist' AND NEW.level IN ('A', 'B', 'C'))
                               OR (e.kind = 'chc_dst' AND NEW.level IN ('N', 'L', 'M', 'H', 'S', 'P')))) THEN
            RAISE EXCEPTION 'a domain level is one of the known domains, at a level of its tool' USING ERRCODE = '23514';
        END IF;
        INSERT INTO public.chc_domain_level (episode_id, domain, level, evidence)
        VALUES (NEW.episode_id, NEW.domain, NEW.level, NEW.evidence);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER chc_assessment_record INSTEAD OF INSERT ON joinedup_app.chc_assessment
    FOR EACH ROW EXECUTE FUNCTION joinedup_app_record_chc_facts();
CREATE TRIGGER chc_domain_level_record INSTEAD OF INSERT ON joinedup_app.chc_domain_level
    FOR EACH ROW EXECUTE FUNCTION joinedup_app_record_chc_facts();
REVOKE EXECUTE ON FUNCTION joinedup_app_record_chc_facts() FROM PUBLIC;

-- An item recorded by an app role commits only with this user's `record_chc` event
-- about the item's own person in the same transaction.
CREATE FUNCTION joinedup_recorded_item_audited() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF joinedup_user_role() IS NOT NULL AND joinedup_user_role() <> 'loader'
       AND NOT EXISTS (SELECT 1 FROM audit_receipt r JOIN audit_event e ON e.id = r.event_id
                       WHERE r.txid = txid_current() AND r.user_name = session_user
                         AND e.action = 'record_chc' AND e.person_id = NEW.person_id) THEN
        RAISE EXCEPTION 'every change is audited: an item was recorded without an audit event (record_chc) about its person'
            USING ERRCODE = '42501';
    END IF;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION joinedup_recorded_item_audited() FROM PUBLIC;
CREATE CONSTRAINT TRIGGER episode_recorded_audited AFTER INSERT ON episode
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.source = 'Recorded in joinedup')
    EXECUTE FUNCTION joinedup_recorded_item_audited();
CREATE CONSTRAINT TRIGGER chc_domain_level_audited AFTER INSERT OR UPDATE OR DELETE ON chc_domain_level
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited('record_chc');

GRANT INSERT ON joinedup_app.episode, joinedup_app.chc_assessment, joinedup_app.chc_domain_level
    TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester;
