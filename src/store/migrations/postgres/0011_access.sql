-- Server-enforced access (SAFETY.md H16, README "Access on a server").
--
-- The database owner (the account that creates and migrates the schema) keeps the
-- tables in `public`. Everyone else signs in as their own login role, a member of
-- one of joinedup's group roles:
--   joinedup_care_coordinator, joinedup_trainer, joinedup_tester, joinedup_ig_lead:
--     the app roles. They have no privilege at all on the tables in `public`. They
--     read through the views in the schema `joinedup_app` (same names as the
--     tables), which hold back restricted items, plans and a restricted person's
--     contact details unless this user has an unexpired break-glass grant for the
--     person, in the same placeholder shape the program shows. Their few writes go
--     through INSTEAD OF triggers and checked views, and a change commits only with
--     an audit event of theirs in the same transaction.
--   joinedup_loader: imports and feeds (reads and writes the tables in `public`,
--     never the audit log directly).
-- The audit log takes new events only through joinedup_append_audit, which checks
-- the actor's name against the signed-in user, the chain and the hash; no one but
-- the owner can UPDATE, DELETE or TRUNCATE it (and the triggers of version 1 stop
-- the owner too).
--
-- Roles are cluster-wide in PostgreSQL, so the group roles are made once and
-- shared by every joinedup database on the server; privileges are per database.

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['joinedup_care_coordinator', 'joinedup_trainer', 'joinedup_tester',
                             'joinedup_ig_lead', 'joinedup_loader'] LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END LOOP;
END $$;

-- Who each user is within this deployment: the role itself is the membership.
CREATE TABLE app_user (
    name         text PRIMARY KEY,
    team         text,
    organisation text,
    added_at     timestamptz NOT NULL DEFAULT now(),
    added_by     text NOT NULL DEFAULT session_user,
    disabled_at  timestamptz
);

-- Break-glass grants: one user may see one person's restricted items until expiry.
CREATE TABLE break_glass_grant (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name  text NOT NULL,
    person_id  bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    reason     text NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX break_glass_grant_user ON break_glass_grant (user_name, person_id, expires_at);

-- The server's own record of each event a signed-in user appended: its transaction
-- (so a change can prove it was audited with it) and the server's time.
CREATE TABLE audit_receipt (
    event_id    bigint PRIMARY KEY REFERENCES audit_event (id),
    txid        bigint NOT NULL,
    user_name   text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_receipt_txid ON audit_receipt (txid, user_name);

-- The joinedup role of the signed-in user (`session_user`, which SET ROLE cannot
-- change), or NULL for anyone else: a superuser, or the owner of the tables (who
-- is the administrator, and whom no check in a database it owns could stop).
CREATE FUNCTION joinedup_user_role() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT CASE
        WHEN NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolcanlogin AND NOT rolsuper)
            THEN NULL
        WHEN pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'public.meta'::regclass), 'MEMBER')
            THEN NULL
        WHEN pg_has_role(session_user, 'joinedup_ig_lead', 'MEMBER') THEN 'ig-lead'
        WHEN pg_has_role(session_user, 'joinedup_care_coordinator', 'MEMBER') THEN 'care-coordinator'
        WHEN pg_has_role(session_user, 'joinedup_trainer', 'MEMBER') THEN 'trainer'
        WHEN pg_has_role(session_user, 'joinedup_tester', 'MEMBER') THEN 'tester'
        WHEN pg_has_role(session_user, 'joinedup_loader', 'MEMBER') THEN 'loader'
    END
$$;

-- The name every event of the signed-in user carries (Actor::audit_name).
CREATE FUNCTION joinedup_actor_name() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT session_user || ' (' || CASE joinedup_user_role()
        WHEN 'ig-lead' THEN 'Information governance lead'
        WHEN 'care-coordinator' THEN 'Care coordinator'
        WHEN 'trainer' THEN 'Trainer'
        WHEN 'tester' THEN 'Tester'
        WHEN 'loader' THEN 'Loader'
    END || ', signed in to the server)'
$$;

-- Whether the signed-in user holds an unexpired break-glass grant for the person.
CREATE FUNCTION joinedup_granted(p_person bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM break_glass_grant g
                   WHERE g.user_name = session_user AND g.person_id = p_person AND g.expires_at > now())
$$;

-- Whether a person's own details (address, alerts, worker, sources) may be shown.
CREATE FUNCTION joinedup_person_shown(p_person bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT NOT EXISTS (SELECT 1 FROM person WHERE id = p_person AND is_restricted <> 0) OR joinedup_granted(p_person)
$$;

-- Whether an item may be shown: the rule of domain::disclosure::is_restricted_episode.
CREATE FUNCTION joinedup_episode_shown(p_person bigint, p_sensitivity text, p_kind text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT (p_sensitivity = 'normal' AND p_kind <> 'safeguarding_enquiry' AND joinedup_person_shown(p_person))
        OR joinedup_granted(p_person)
$$;

-- Append one audit event as the signed-in user. The program computes the event's
-- hash and MAC; the server checks the actor is this user, the event continues the
-- chain, the hash is the event's, and what the role may record.
CREATE FUNCTION joinedup_append_audit(p_id bigint, p_at timestamp, p_actor text, p_action text, p_person bigint,
                                      p_detail text, p_reason text, p_prev text, p_hash text, p_mac text,
                                      p_seal text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_role text := joinedup_user_role();
    v_head_id bigint;
    v_head text;
    v_hash text;
BEGIN
    IF v_role IS NULL THEN
        RAISE EXCEPTION 'only a joinedup user may write to the audit log' USING ERRCODE = '42501';
    END IF;
    IF EXISTS (SELECT 1 FROM app_user WHERE name = session_user AND disabled_at IS NOT NULL) THEN
        RAISE EXCEPTION 'the account % is disabled', session_user USING ERRCODE = '42501';
    END IF;
    IF p_actor IS DISTINCT FROM joinedup_actor_name() THEN
        RAISE EXCEPTION 'an audit event is written in the name of the user signed in (%), not %',
            joinedup_actor_name(), p_actor USING ERRCODE = '42501';
    END IF;
    IF v_role <> 'loader' AND p_action IN ('import', 'feed_not_stored', 'records_cleared', 'audit_key_replaced',
                                           'database_moved', 'user_changed') THEN
        RAISE EXCEPTION 'a % may not record %', v_role, p_action USING ERRCODE = '42501';
    END IF;
    IF v_role = 'loader' AND p_action IN ('records_cleared', 'audit_key_replaced', 'database_moved', 'user_changed',
                                          'break_glass') THEN
        RAISE EXCEPTION 'the loader may not record %', p_action USING ERRCODE = '42501';
    END IF;
    PERFORM pg_advisory_xact_lock(117026742730754); -- the chain lock (store::engine CHAIN_LOCK)
    SELECT id, hash INTO v_head_id, v_head FROM audit_event ORDER BY id DESC LIMIT 1;
    IF NOT FOUND THEN
        v_head_id := 0;
        v_head := repeat('0', 64);
    END IF;
    IF p_id <> v_head_id + 1 OR p_prev <> v_head THEN
        RAISE EXCEPTION 'the audit event does not continue the log (expected event %)', v_head_id + 1
            USING ERRCODE = '40001';
    END IF;
    v_hash := encode(sha256(
        convert_to(p_prev, 'UTF8') || '\x00'::bytea ||
        convert_to(to_char(p_at, 'YYYY-MM-DD"T"HH24:MI:SS'), 'UTF8') || '\x00'::bytea ||
        convert_to(p_actor, 'UTF8') || '\x00'::bytea ||
        convert_to(p_action, 'UTF8') || '\x00'::bytea ||
        convert_to(COALESCE(p_person::text, ''), 'UTF8') || '\x00'::bytea ||
        convert_to(p_detail, 'UTF8') || '\x00'::bytea ||
        convert_to(COALESCE(p_reason, ''), 'UTF8') || '\x00'::bytea), 'hex');
    IF v_hash <> p_hash THEN
        RAISE EXCEPTION 'the audit event''s hash is not its own' USING ERRCODE = '42501';
    END IF;
    INSERT INTO audit_event (id, at, actor, action, person_id, detail, reason, prev_hash, hash, mac, seal)
    VALUES (p_id, p_at, p_actor, p_action, p_person, p_detail, p_reason, p_prev, p_hash, p_mac, p_seal);
    INSERT INTO audit_receipt (event_id, txid, user_name) VALUES (p_id, txid_current(), session_user);
END $$;

-- Break glass: the signed-in user may see the person's restricted items for four
-- hours. The reason is checked here as the program checks it (a few words), and the
-- audit event with that reason must already be in this transaction.
CREATE FUNCTION joinedup_break_glass(p_person bigint, p_reason text) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_reason text := btrim(regexp_replace(COALESCE(p_reason, ''), '\s+', ' ', 'g'));
    v_expires timestamptz := now() + interval '4 hours';
BEGIN
    IF joinedup_user_role() IS NULL OR joinedup_user_role() = 'loader' THEN
        RAISE EXCEPTION 'break glass is for a signed-in joinedup user' USING ERRCODE = '42501';
    END IF;
    IF length(v_reason) < 8 OR array_length(regexp_split_to_array(v_reason, ' '), 1) < 2 THEN
        RAISE EXCEPTION 'a reason is needed: say in a few words why you need to see the restricted items'
            USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM audit_receipt r JOIN audit_event e ON e.id = r.event_id
                   WHERE r.txid = txid_current() AND r.user_name = session_user
                     AND e.action = 'break_glass' AND e.person_id = p_person AND e.reason = v_reason) THEN
        RAISE EXCEPTION 'break glass needs its audit event, with the same reason, in the same transaction'
            USING ERRCODE = '42501';
    END IF;
    INSERT INTO break_glass_grant (user_name, person_id, reason, expires_at)
    VALUES (session_user, p_person, v_reason, v_expires);
    RETURN v_expires;
END $$;

-- A change by an app role commits only with an audit event of that user in the same
-- transaction (checked at commit).
CREATE FUNCTION joinedup_change_audited() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF joinedup_user_role() IS NOT NULL AND joinedup_user_role() <> 'loader'
       AND NOT EXISTS (SELECT 1 FROM audit_receipt WHERE txid = txid_current() AND user_name = session_user) THEN
        RAISE EXCEPTION 'every change is audited: % was changed without an audit event', TG_TABLE_NAME
            USING ERRCODE = '42501';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER hospital_spell_audited AFTER INSERT OR UPDATE OR DELETE ON hospital_spell
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited();
CREATE CONSTRAINT TRIGGER delay_reason_audited AFTER INSERT OR UPDATE OR DELETE ON delay_reason
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited();
CREATE CONSTRAINT TRIGGER spell_change_audited AFTER INSERT OR UPDATE OR DELETE ON spell_change
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited();
-- (`recent_person` is each user's own list, confined to their own rows by its view.)

-- The app roles' window onto the record.
CREATE SCHEMA joinedup_app;

CREATE VIEW joinedup_app.schema_version AS SELECT version FROM public.schema_version;
CREATE VIEW joinedup_app.meta AS SELECT key, value FROM public.meta;
CREATE VIEW joinedup_app.source AS SELECT id, name FROM public.source;
CREATE VIEW joinedup_app.import_run AS SELECT * FROM public.import_run;
CREATE VIEW joinedup_app.audit_secret AS SELECT id, key_file FROM public.audit_secret;
CREATE VIEW joinedup_app.data_seal AS SELECT * FROM public.data_seal;
CREATE VIEW joinedup_app.app_user AS SELECT name, team, organisation, disabled_at FROM public.app_user;
CREATE VIEW joinedup_app.break_glass_grant WITH (security_barrier) AS
    SELECT * FROM public.break_glass_grant WHERE user_name = session_user;

CREATE VIEW joinedup_app.person WITH (security_barrier) AS
    SELECT p.id, p.nhs_number, p.given_name, p.family_name, p.given_name_key, p.family_name_key,
           p.date_of_birth, p.date_of_death, p.sex,
           CASE WHEN s.shown THEN p.address END AS address,
           CASE WHEN s.shown THEN p.postcode END AS postcode,
           CASE WHEN s.shown THEN p.gp_practice END AS gp_practice,
           CASE WHEN s.shown THEN p.allocated_worker END AS allocated_worker,
           CASE WHEN s.shown THEN p.alerts ELSE '[]' END AS alerts,
           p.is_restricted, p.created_at, p.merged_into
    FROM public.person p
    CROSS JOIN LATERAL (SELECT p.is_restricted = 0 OR joinedup_granted(p.id) AS shown) s;

CREATE VIEW joinedup_app.person_identifier WITH (security_barrier) AS
    SELECT * FROM public.person_identifier i WHERE joinedup_person_shown(i.person_id);
CREATE VIEW joinedup_app.person_demographics WITH (security_barrier) AS
    SELECT * FROM public.person_demographics d WHERE joinedup_person_shown(d.person_id);

-- A held-back item keeps its sector, dates and status (a hospital stay keeps its
-- kind, as the board shows the stay); the rest reads as the program's placeholder,
-- marked `confidential` so the program holds it back as well.
CREATE VIEW joinedup_app.episode WITH (security_barrier) AS
    SELECT e.id, e.person_id, e.sector,
           CASE WHEN v.shown OR e.kind = 'inpatient_spell' THEN e.kind
                WHEN e.sector = 'health' THEN 'restricted_health_item'
                ELSE 'restricted_social_care_item' END AS kind,
           CASE WHEN v.shown THEN e.title ELSE 'Restricted item' END AS title,
           e.start, e."end", e.status,
           CASE WHEN v.shown THEN e.organisation END AS organisation,
           CASE WHEN v.shown THEN e.detail ELSE '' END AS detail,
           CASE WHEN v.shown THEN e.sensitivity ELSE 'confidential' END AS sensitivity,
           CASE WHEN v.shown THEN e.attributes ELSE '{}' END AS attributes,
           CASE WHEN v.shown THEN e.source ELSE '' END AS source,
           CASE WHEN v.shown THEN e.source_ref ELSE 'restricted-' || e.id END AS source_ref,
           CASE WHEN v.shown THEN e.import_run_id END AS import_run_id,
           CASE WHEN v.shown THEN e.file_name ELSE '' END AS file_name,
           CASE WHEN v.shown THEN e.file_sha256 ELSE '' END AS file_sha256,
           CASE WHEN v.shown THEN e.imported_at
                ELSE COALESCE(e.imported_at, (SELECT r.imported_at FROM public.import_run r WHERE r.id = e.import_run_id))
           END AS imported_at
    FROM public.episode e
    CROSS JOIN LATERAL (SELECT joinedup_episode_shown(e.person_id, e.sensitivity, e.kind) AS shown) v;

-- Whether the episode behind a row of a hospital-stay or CHC table may be shown.
CREATE FUNCTION joinedup_item_shown(p_episode bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT COALESCE((SELECT joinedup_episode_shown(e.person_id, e.sensitivity, e.kind)
                     FROM episode e WHERE e.id = p_episode), false)
$$;

-- A held-back stay stays on the board with its coded facts (dates, pathway, delay
-- attribution); its hospital, ward, criterion code, next action and owner read
-- "restricted" (domain::disclosure::disclose_board_row).
CREATE VIEW joinedup_app.hospital_spell WITH (security_barrier) AS
    SELECT h.episode_id,
           CASE WHEN v.shown THEN h.hospital ELSE 'restricted' END AS hospital,
           CASE WHEN v.shown THEN h.ward WHEN h.ward IS NOT NULL THEN 'restricted' END AS ward,
           h.admission_method, h.admission_source, h.discharge_method, h.discharge_destination,
           h.meets_criteria_to_reside,
           CASE WHEN v.shown THEN h.criteria_to_reside_code END AS criteria_to_reside_code,
           h.discharge_ready_date, h.pathway,
           CASE WHEN v.shown THEN h.next_action WHEN h.next_action IS NOT NULL THEN 'restricted' END AS next_action,
           CASE WHEN v.shown THEN h.next_action_owner WHEN h.next_action_owner IS NOT NULL THEN 'restricted' END
               AS next_action_owner,
           h.version,
           CASE WHEN v.shown THEN h.changed_by END AS changed_by,
           h.changed_at
    FROM public.hospital_spell h
    CROSS JOIN LATERAL (SELECT joinedup_item_shown(h.episode_id) AS shown) v;

CREATE VIEW joinedup_app.delay_reason WITH (security_barrier) AS
    SELECT d.id, d.episode_id, d.code,
           CASE WHEN v.shown THEN d.description ELSE 'restricted' END AS description,
           d.attribution, d.since,
           CASE WHEN v.shown THEN d.owner END AS owner,
           d.closed_on,
           CASE WHEN v.shown THEN d.recorded_by END AS recorded_by,
           d.recorded_at,
           CASE WHEN v.shown THEN d.closed_by END AS closed_by
    FROM public.delay_reason d
    CROSS JOIN LATERAL (SELECT joinedup_item_shown(d.episode_id) AS shown) v;

CREATE VIEW joinedup_app.ctr_review AS SELECT * FROM public.ctr_review;

CREATE VIEW joinedup_app.spell_change WITH (security_barrier) AS
    SELECT * FROM public.spell_change c WHERE joinedup_item_shown(c.episode_id)
    WITH CHECK OPTION;

CREATE VIEW joinedup_app.chc_assessment WITH (security_barrier) AS
    SELECT c.episode_id, c.kind, c.completed_on,
           CASE WHEN v.shown THEN c.completed_by END AS completed_by,
           c.recorded_positive,
           CASE WHEN v.shown THEN c.mdt_recommendation END AS mdt_recommendation,
           c.icb_decision_date, c.icb_decision_eligible,
           CASE WHEN v.shown THEN c.icb_decision_note END AS icb_decision_note
    FROM public.chc_assessment c
    CROSS JOIN LATERAL (SELECT joinedup_item_shown(c.episode_id) AS shown) v;
CREATE VIEW joinedup_app.chc_domain_level WITH (security_barrier) AS
    SELECT * FROM public.chc_domain_level l WHERE joinedup_item_shown(l.episode_id);

-- Plans: the rule of domain::disclosure::is_restricted_plan.
CREATE FUNCTION joinedup_plan_shown(p_plan bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT COALESCE((SELECT (p.sensitivity = 'normal' AND joinedup_person_shown(p.person_id))
                            OR joinedup_granted(p.person_id)
                     FROM care_plan p WHERE p.id = p_plan), false)
$$;
CREATE VIEW joinedup_app.care_plan WITH (security_barrier) AS
    SELECT p.id, p.person_id, p.kind, p.sector,
           CASE WHEN v.shown THEN p.title ELSE 'Restricted plan' END AS title,
           CASE WHEN v.shown THEN p.owner ELSE '' END AS owner,
           CASE WHEN v.shown THEN p.source ELSE '' END AS source,
           CASE WHEN v.shown THEN p.source_ref ELSE 'restricted-' || p.id END AS source_ref,
           CASE WHEN v.shown THEN p.sensitivity ELSE 'confidential' END AS sensitivity
    FROM public.care_plan p
    CROSS JOIN LATERAL (SELECT joinedup_plan_shown(p.id) AS shown) v;
CREATE VIEW joinedup_app.care_plan_version WITH (security_barrier) AS
    SELECT c.id, c.care_plan_id, c.version,
           CASE WHEN v.shown THEN c.status ELSE '' END AS status,
           c.start, c.last_review, c.next_review,
           CASE WHEN v.shown THEN c.funding END AS funding,
           CASE WHEN v.shown THEN c.personal_budget_weekly END AS personal_budget_weekly,
           CASE WHEN v.shown THEN c.file_name ELSE '' END AS file_name,
           CASE WHEN v.shown THEN c.file_sha256 ELSE '' END AS file_sha256,
           c.imported_at
    FROM public.care_plan_version c
    CROSS JOIN LATERAL (SELECT joinedup_plan_shown(c.care_plan_id) AS shown) v;
CREATE VIEW joinedup_app.care_plan_goal WITH (security_barrier) AS
    SELECT g.* FROM public.care_plan_goal g JOIN public.care_plan_version c ON c.id = g.version_id
    WHERE joinedup_plan_shown(c.care_plan_id);
CREATE VIEW joinedup_app.care_plan_need WITH (security_barrier) AS
    SELECT n.* FROM public.care_plan_need n JOIN public.care_plan_version c ON c.id = n.version_id
    WHERE joinedup_plan_shown(c.care_plan_id);
CREATE VIEW joinedup_app.care_plan_action WITH (security_barrier) AS
    SELECT a.* FROM public.care_plan_action a JOIN public.care_plan_version c ON c.id = a.version_id
    WHERE joinedup_plan_shown(c.care_plan_id);

CREATE VIEW joinedup_app.recent_person WITH (security_barrier) AS
    SELECT * FROM public.recent_person WHERE user_name = session_user
    WITH CHECK OPTION;
CREATE VIEW joinedup_app.person_link AS SELECT * FROM public.person_link;
CREATE VIEW joinedup_app.match_rejection AS SELECT * FROM public.match_rejection;
-- A rejected feed message's text is the whole message (names, addresses): the
-- information governance lead's, not every user's.
CREATE VIEW joinedup_app.feed_message AS
    SELECT id, received_at, feed, sending_application, sending_facility, control_id, message_type, outcome,
           reason, import_run_id,
           CASE WHEN joinedup_user_role() = 'ig-lead' THEN message END AS message
    FROM public.feed_message;

-- The audit log: the information governance lead reads all of it. Others read the
-- chain (ids and hashes, so the program can append and anchor), the changes that
-- keep windows current (which person, which action: no actor, detail or reason),
-- and who has looked at a record they have opened themselves.
CREATE VIEW joinedup_app.audit_event WITH (security_barrier) AS
    SELECT a.id,
           CASE WHEN w.whole OR w.change THEN a.at ELSE '1970-01-01'::timestamp END AS at,
           CASE WHEN w.whole THEN a.actor ELSE '' END AS actor,
           CASE WHEN w.whole OR w.change THEN a.action ELSE '' END AS action,
           CASE WHEN w.whole OR w.change THEN a.person_id END AS person_id,
           CASE WHEN w.whole THEN a.detail ELSE '' END AS detail,
           CASE WHEN w.whole THEN a.reason END AS reason,
           a.prev_hash, a.hash, a.mac, a.seal
    FROM public.audit_event a
    CROSS JOIN LATERAL (SELECT
        joinedup_user_role() = 'ig-lead'
            OR (a.person_id IS NOT NULL AND EXISTS (SELECT 1 FROM public.recent_person r
                                                     WHERE r.user_name = session_user AND r.person_id = a.person_id))
            AS whole,
        -- AuditAction::changes(): what keeps another user's window current.
        a.action IN ('change_spell', 'record_chc', 'import', 'match_confirmed', 'match_rejected', 'match_undone',
                     'records_cleared', 'database_moved', 'follow', 'unfollow', 'worklist_acknowledged',
                     'task_created', 'task_changed') AS change) w;

-- A trainer changes data only in a training database (as Service::check_may_change).
CREATE FUNCTION joinedup_check_may_change() RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF joinedup_user_role() = 'trainer'
       AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'training' AND value = 'yes') THEN
        RAISE EXCEPTION 'a trainer changes data only in a training database' USING ERRCODE = '42501';
    END IF;
END $$;

-- Writes an app role may make, checked here as the views hold back: a held-back
-- stay cannot be changed without a reason (its fields read "restricted").
CREATE FUNCTION joinedup_app_spell_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM joinedup_check_may_change();
    IF NOT joinedup_item_shown(OLD.episode_id) THEN
        RAISE EXCEPTION 'this hospital stay is restricted: give a reason to see it before changing it'
            USING ERRCODE = '42501';
    END IF;
    UPDATE public.hospital_spell SET pathway = NEW.pathway, discharge_ready_date = NEW.discharge_ready_date,
        meets_criteria_to_reside = NEW.meets_criteria_to_reside, criteria_to_reside_code = NEW.criteria_to_reside_code,
        next_action = NEW.next_action, next_action_owner = NEW.next_action_owner,
        version = NEW.version, changed_by = NEW.changed_by, changed_at = NEW.changed_at
    WHERE episode_id = OLD.episode_id;
    RETURN NEW;
END $$;
CREATE TRIGGER hospital_spell_update INSTEAD OF UPDATE ON joinedup_app.hospital_spell
    FOR EACH ROW EXECUTE FUNCTION joinedup_app_spell_update();

CREATE FUNCTION joinedup_app_delay_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM joinedup_check_may_change();
    IF NOT joinedup_item_shown(NEW.episode_id) OR (TG_OP = 'UPDATE' AND NOT joinedup_item_shown(OLD.episode_id)) THEN
        RAISE EXCEPTION 'this hospital stay is restricted: give a reason to see it before changing it'
            USING ERRCODE = '42501';
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public.delay_reason (episode_id, code, description, attribution, since, owner, closed_on,
                                         recorded_by, recorded_at, closed_by)
        VALUES (NEW.episode_id, COALESCE(NEW.code, ''), NEW.description, NEW.attribution, NEW.since, NEW.owner,
                NEW.closed_on, NEW.recorded_by, NEW.recorded_at, NEW.closed_by)
        RETURNING id INTO NEW.id;
    ELSE
        UPDATE public.delay_reason SET code = NEW.code, description = NEW.description, attribution = NEW.attribution,
            since = NEW.since, owner = NEW.owner, closed_on = NEW.closed_on, closed_by = NEW.closed_by
        WHERE id = OLD.id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER delay_reason_write INSTEAD OF INSERT OR UPDATE ON joinedup_app.delay_reason
    FOR EACH ROW EXECUTE FUNCTION joinedup_app_delay_write();

-- Privileges: nothing in `public` for anyone but the owner and the loader.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
-- A view's functions are called with its reader's EXECUTE privilege: they say only
-- what the signed-in user may see.
GRANT EXECUTE ON FUNCTION joinedup_user_role(), joinedup_actor_name(), joinedup_granted(bigint),
    joinedup_person_shown(bigint), joinedup_episode_shown(bigint, text, text), joinedup_item_shown(bigint),
    joinedup_plan_shown(bigint),
    joinedup_append_audit(bigint, timestamp, text, text, bigint, text, text, text, text, text, text),
    joinedup_break_glass(bigint, text)
    TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester, joinedup_ig_lead, joinedup_loader;

GRANT USAGE ON SCHEMA joinedup_app
    TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester, joinedup_ig_lead;
GRANT SELECT ON ALL TABLES IN SCHEMA joinedup_app
    TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester, joinedup_ig_lead;
GRANT UPDATE ON joinedup_app.hospital_spell, joinedup_app.delay_reason
    TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester;
GRANT INSERT ON joinedup_app.delay_reason, joinedup_app.spell_change
    TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester;
GRANT INSERT, UPDATE, DELETE ON joinedup_app.recent_person
    TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester, joinedup_ig_lead;

-- The loader: the record's tables, not the audit log's (it appends through
-- joinedup_append_audit), not the users, not the grants.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO joinedup_loader;
REVOKE INSERT, UPDATE, DELETE ON audit_event, audit_receipt, app_user, break_glass_grant, audit_secret,
    schema_version FROM joinedup_loader;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO joinedup_loader;

-- The worklist's tables (0006, 0007): each user's own follows, seen marks and last
-- look; the team's coordinators and tasks. Every change commits only with its audit
-- event. (A task's title about a restricted person is held back by the program,
-- not yet by the server: SAFETY.md H16, residual.)
CREATE VIEW joinedup_app.coordinator AS SELECT * FROM public.coordinator;
CREATE VIEW joinedup_app.follow WITH (security_barrier) AS
    SELECT * FROM public.follow WHERE user_name = session_user WITH CHECK OPTION;
CREATE VIEW joinedup_app.worklist_seen WITH (security_barrier) AS
    SELECT * FROM public.worklist_seen s
    WHERE s.user_name = session_user
       OR s.acknowledged_at IS NOT NULL AND EXISTS (
            SELECT 1 FROM public.coordinator me JOIN public.coordinator them ON them.team = me.team
            WHERE me.user_name = session_user AND them.user_name = s.user_name)
    WITH CHECK OPTION;
CREATE VIEW joinedup_app.worklist_look WITH (security_barrier) AS
    SELECT * FROM public.worklist_look WHERE user_name = session_user WITH CHECK OPTION;
CREATE VIEW joinedup_app.task AS SELECT * FROM public.task;
CREATE CONSTRAINT TRIGGER follow_audited AFTER INSERT OR UPDATE OR DELETE ON follow
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited();
CREATE CONSTRAINT TRIGGER worklist_seen_audited AFTER INSERT OR UPDATE OR DELETE ON worklist_seen
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited();
CREATE CONSTRAINT TRIGGER task_audited AFTER INSERT OR UPDATE OR DELETE ON task
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited();
GRANT SELECT ON joinedup_app.coordinator, joinedup_app.follow, joinedup_app.worklist_seen,
    joinedup_app.worklist_look, joinedup_app.task
    TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester, joinedup_ig_lead;
GRANT INSERT, UPDATE, DELETE ON joinedup_app.follow, joinedup_app.worklist_seen, joinedup_app.worklist_look
    TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester;
GRANT INSERT, UPDATE ON joinedup_app.task TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester;
