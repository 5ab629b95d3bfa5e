-- Legitimate relationship and objections to sharing (issue 14 items 4 and 5,
-- SAFETY.md H25 and H26, README "Access on a server").
--
-- Legitimate relationship. A care coordinator sees a person's record only when
-- they are in the person's care team, which the server works out from the sources
-- and from explicit membership (joinedup_relationship):
--   * the person's allocated worker is this user, or a coordinator of this user's
--     team (the worker names of the `coordinator` table);
--   * the person is in hospital now on a ward whose name is this user's team;
--   * the person has a CHC item from an organisation whose name is this user's team;
--   * this user, or their team, was added to the person's care team
--     (`care_team_member`, by the information governance lead or the owner).
-- Outside the care team the record comes back as a restricted person's does
-- (names and dates, every item a placeholder) until the user gives a reason
-- (joinedup_open_without_relationship): audited as `access_without_relationship`,
-- the record is then open to them for four hours. Each deployment chooses, in the
-- meta key `relationship_rule`: `reason` (the default: the direct-care frameworks
-- allow access with a recorded reason), `block` (no access outside the care team),
-- or `off` (no relationship is checked). Only care coordinators are checked: the
-- information governance lead, trainers and testers are not in care teams (their
-- restricted items still need break glass).
--
-- Objections to sharing. The information governance lead records that a person
-- objected, with date, reason and scope: every organisation, or the named ones.
-- While it is in force, a user whose organisation is in scope (a user with no
-- organisation is always in scope) does not receive the person's items, stays,
-- CHC rows or plans that came from another organisation: the rows are not
-- returned at all (a placeholder would show that they exist). Only emergency
-- break glass (joinedup_emergency_access, audited as `emergency_access`, which
-- the IG lead's audit lists) overrides an objection. That an objection is in force
-- is shown (sharing_objection_in_force), never what it hides.

CREATE TABLE care_team_member (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    member_kind text NOT NULL CHECK (member_kind IN ('user', 'team')),
    member      text NOT NULL,
    added_by    text NOT NULL,
    added_at    timestamp NOT NULL,
    UNIQUE (person_id, member_kind, member)
);

CREATE TABLE sharing_objection (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id     bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    objected_on   date NOT NULL,
    reason        text NOT NULL,
    -- JSON array of organisation names, or NULL for every organisation.
    organisations text,
    recorded_by   text NOT NULL,
    recorded_at   timestamp NOT NULL,
    withdrawn_on  date,
    withdrawn_by  text
);
CREATE INDEX sharing_objection_person ON sharing_objection (person_id) WHERE withdrawn_on IS NULL;

-- A grant is break glass (restricted items), an opening without a recorded
-- relationship (the record, not its restricted items), or emergency access (all of
-- it, an objection too).
ALTER TABLE break_glass_grant ADD COLUMN kind text NOT NULL DEFAULT 'break_glass'
    CHECK (kind IN ('break_glass', 'relationship', 'emergency'));

CREATE OR REPLACE VIEW joinedup_app.break_glass_grant WITH (security_barrier) AS
    SELECT * FROM public.break_glass_grant WHERE user_name = session_user;

INSERT INTO meta (key, value) VALUES ('relationship_rule', 'reason') ON CONFLICT (key) DO NOTHING;

-- The signed-in user's team and organisation (the `coordinator` table's team when
-- the user's own row names none).
CREATE FUNCTION joinedup_my_team() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT COALESCE((SELECT team FROM app_user WHERE name = session_user),
                    (SELECT team FROM coordinator WHERE user_name = session_user))
$$;
CREATE FUNCTION joinedup_my_organisation() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT organisation FROM app_user WHERE name = session_user
$$;

-- Why the signed-in user may see this person's record without giving a reason, or
-- NULL when they have no recorded relationship with the person.
CREATE FUNCTION joinedup_relationship(p_person bigint) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_team text := joinedup_my_team();
BEGIN
    IF joinedup_user_role() = 'none' THEN
        RETURN NULL;
    END IF;
    IF NOT joinedup_relationship_checked() THEN
        RETURN CASE WHEN joinedup_user_role() = 'care-coordinator' THEN 'not checked in this deployment'
                    ELSE 'not checked for this role' END;
    END IF;
    IF EXISTS (SELECT 1 FROM care_team_member m WHERE m.person_id = p_person
               AND ((m.member_kind = 'user' AND m.member = session_user)
                    OR (m.member_kind = 'team' AND m.member = v_team))) THEN
        RETURN 'in the care team';
    END IF;
    IF EXISTS (SELECT 1 FROM person p JOIN coordinator c ON lower(c.worker_name) = lower(p.allocated_worker)
               WHERE p.id = p_person AND (c.user_name = session_user OR c.team = v_team)) THEN
        RETURN 'allocated to your team';
    END IF;
    IF EXISTS (SELECT 1 FROM episode e JOIN hospital_spell h ON h.episode_id = e.id
               WHERE e.person_id = p_person AND e."end" IS NULL AND e.kind = 'inpatient_spell'
                 AND lower(h.ward) = lower(v_team)) THEN
        RETURN 'on your ward';
    END IF;
    IF EXISTS (SELECT 1 FROM episode e WHERE e.person_id = p_person AND e.kind LIKE 'chc\_%'
                 AND lower(e.organisation) = lower(v_team)) THEN
        RETURN 'in your CHC caseload';
    END IF;
    RETURN NULL;
END $$;

-- Whether the signed-in user holds an unexpired grant of one of these kinds.
CREATE FUNCTION joinedup_grant_held(p_person bigint, p_kinds text[]) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM break_glass_grant g
                   WHERE g.user_name = session_user AND g.person_id = p_person AND g.expires_at > now()
                     AND g.kind = ANY (p_kinds))
$$;

-- Restricted items: break glass or emergency access.
CREATE OR REPLACE FUNCTION joinedup_granted(p_person bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT joinedup_grant_held(p_person, ARRAY['break_glass', 'emergency'])
$$;

-- The record at all: a recorded relationship or a reason given (any grant).
CREATE FUNCTION joinedup_related(p_person bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT joinedup_relationship(p_person) IS NOT NULL
        OR joinedup_grant_held(p_person, ARRAY['break_glass', 'relationship', 'emergency'])
$$;

-- A person's own details, and (through joinedup_episode_shown and
-- joinedup_plan_shown) their items: an unrestricted person in a relationship, or a
-- grant that covers restricted items.
CREATE OR REPLACE FUNCTION joinedup_person_shown(p_person bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT (NOT EXISTS (SELECT 1 FROM person WHERE id = p_person AND is_restricted <> 0)
            AND joinedup_related(p_person))
        OR joinedup_granted(p_person)
$$;

-- Whether an objection to sharing keeps from the signed-in user an item of this
-- person that came from `p_origin` (an organisation's name). Everyone but the
-- owner and the loader is bound; emergency access lifts it.
CREATE FUNCTION joinedup_objection_hides(p_person bigint, p_origin text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_org text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM sharing_objection o WHERE o.person_id = p_person AND o.withdrawn_on IS NULL) THEN
        RETURN false;
    END IF;
    IF joinedup_user_role() IS NULL OR joinedup_user_role() = 'loader' THEN
        RETURN false;
    END IF;
    v_org := joinedup_my_organisation();
    IF v_org IS NOT NULL AND p_origin IS NOT NULL AND lower(btrim(p_origin)) = lower(btrim(v_org)) THEN
        RETURN false;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM sharing_objection o WHERE o.person_id = p_person AND o.withdrawn_on IS NULL
                   AND (o.organisations IS NULL OR v_org IS NULL
                        OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(o.organisations::jsonb) x
                                   WHERE lower(btrim(x)) = lower(btrim(v_org))))) THEN
        RETURN false;
    END IF;
    RETURN NOT joinedup_grant_held(p_person, ARRAY['emergency']);
END $$;

-- The same for the episode behind a stay's or a CHC table's row.
CREATE FUNCTION joinedup_item_hidden(p_episode bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT COALESCE((SELECT joinedup_objection_hides(e.person_id, e.organisation)
                     FROM episode e WHERE e.id = p_episode), false)
$$;

-- An item held back by an objection cannot be shown, nor changed through the
-- stay and delay-reason views (whose triggers ask joinedup_item_shown).
CREATE OR REPLACE FUNCTION joinedup_item_shown(p_episode bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT COALESCE((SELECT joinedup_episode_shown(e.person_id, e.sensitivity, e.kind)
                            AND NOT joinedup_objection_hides(e.person_id, e.organisation)
                     FROM episode e WHERE e.id = p_episode), false)
$$;

-- A plan comes from the organisation its owner names ("Westmere Council", or a
-- team of it: "Westmere Council Adult Social Care").
CREATE FUNCTION joinedup_plan_hidden(p_plan bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT COALESCE((SELECT joinedup_objection_hides(p.person_id,
                        CASE WHEN joinedup_my_organisation() IS NOT NULL
                                  AND lower(p.owner) LIKE lower(joinedup_my_organisation()) || '%'
                             THEN joinedup_my_organisation() ELSE p.owner END)
                     FROM care_plan p WHERE p.id = p_plan), false)
$$;

-- Open a record without a recorded relationship: the reason is checked as the
-- program checks it, the audit event with that reason must already be in this
-- transaction, and the deployment must allow it.
CREATE FUNCTION joinedup_open_without_relationship(p_person bigint, p_reason text) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_reason text := btrim(regexp_replace(COALESCE(p_reason, ''), '\s+', ' ', 'g'));
    v_expires timestamptz := now() + interval '4 hours';
BEGIN
    IF joinedup_user_role() IS NULL OR joinedup_user_role() = 'loader' THEN
        RAISE EXCEPTION 'opening a record is for a signed-in joinedup user' USING ERRCODE = '42501';
    END IF;
    IF (SELECT value FROM meta WHERE key = 'relationship_rule') = 'block' THEN
        RAISE EXCEPTION 'this deployment opens a record only to its care team: ask to be added to it'
            USING ERRCODE = '42501';
    END IF;
    IF length(v_reason) < 8 OR array_length(regexp_split_to_array(v_reason, ' '), 1) < 2 THEN
        RAISE EXCEPTION 'a reason is needed: say in a few words why you open the record of someone outside your care team'
            USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM audit_receipt r JOIN audit_event e ON e.id = r.event_id
                   WHERE r.txid = txid_current() AND r.user_name = session_user
                     AND e.action = 'access_without_relationship' AND e.person_id = p_person
                     AND e.reason = v_reason) THEN
        RAISE EXCEPTION 'opening a record without a relationship needs its audit event, with the same reason, in the same transaction'
            USING ERRCODE = '42501';
    END IF;
    INSERT INTO break_glass_grant (user_name, person_id, reason, expires_at, kind)
    VALUES (session_user, p_person, v_reason, v_expires, 'relationship');
    RETURN v_expires;
END $$;

-- Break glass (restricted items) is for a record the user may open: in the care
-- team, or opened with a reason. Only emergency access overrides everything.
CREATE OR REPLACE FUNCTION joinedup_break_glass(p_person bigint, p_reason text) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_reason text := btrim(regexp_replace(COALESCE(p_reason, ''), '\s+', ' ', 'g'));
    v_expires timestamptz := now() + interval '4 hours';
BEGIN
    IF joinedup_user_role() IS NULL OR joinedup_user_role() = 'loader' THEN
        RAISE EXCEPTION 'break glass is for a signed-in joinedup user' USING ERRCODE = '42501';
    END IF;
    IF joinedup_relationship(p_person) IS NULL
       AND NOT joinedup_grant_held(p_person, ARRAY['relationship', 'emergency']) THEN
        RAISE EXCEPTION 'this person is outside your care team: open the record with a reason first'
            USING ERRCODE = '42501';
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

-- Emergency access: everything of the person, an objection to sharing included,
-- for four hours, with its `emergency_access` audit event in this transaction.
CREATE FUNCTION joinedup_emergency_access(p_person bigint, p_reason text) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_reason text := btrim(regexp_replace(COALESCE(p_reason, ''), '\s+', ' ', 'g'));
    v_expires timestamptz := now() + interval '4 hours';
BEGIN
    IF joinedup_user_role() IS NULL OR joinedup_user_role() = 'loader' THEN
        RAISE EXCEPTION 'emergency access is for a signed-in joinedup user' USING ERRCODE = '42501';
    END IF;
    IF length(v_reason) < 8 OR array_length(regexp_split_to_array(v_reason, ' '), 1) < 2 THEN
        RAISE EXCEPTION 'a reason is needed: say in a few words what the emergency is' USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM audit_receipt r JOIN audit_event e ON e.id = r.event_id
                   WHERE r.txid = txid_current() AND r.user_name = session_user
                     AND e.action = 'emergency_access' AND e.person_id = p_person AND e.reason = v_reason) THEN
        RAISE EXCEPTION 'emergency access needs its audit event, with the same reason, in the same transaction'
            USING ERRCODE = '42501';
    END IF;
    INSERT INTO break_glass_grant (user_name, person_id, reason, expires_at, kind)
    VALUES (session_user, p_person, v_reason, v_expires, 'emergency');
    RETURN v_expires;
END $$;

-- Care team membership and objections change only with their audit event, and an
-- app role other than the information governance lead changes neither.
CREATE FUNCTION joinedup_ig_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    -- The loader may add an objection (a desktop database moved onto the server
    -- brings its objections): an objection only ever hides more.
    IF joinedup_user_role() = 'loader' AND TG_OP = 'INSERT' AND TG_TABLE_NAME = 'sharing_objection' THEN
        RETURN NEW;
    END IF;
    IF joinedup_user_role() IS NOT NULL AND joinedup_user_role() <> 'ig-lead' THEN
        RAISE EXCEPTION 'only the information governance lead changes % ', TG_TABLE_NAME USING ERRCODE = '42501';
    END IF;
    RETURN COALESCE(NEW, OLD);
END $$;
CREATE TRIGGER care_team_member_ig BEFORE INSERT OR UPDATE OR DELETE ON care_team_member
    FOR EACH ROW EXECUTE FUNCTION joinedup_ig_change();
CREATE TRIGGER sharing_objection_ig BEFORE INSERT OR UPDATE OR DELETE ON sharing_objection
    FOR EACH ROW EXECUTE FUNCTION joinedup_ig_change();
-- (Their audit triggers are below, with the others': "5.")

-- The views, now with the relationship and the objections (same columns as in
-- 0011). What the signed-in user may see is worked out once a query, as sets
-- (hashed subplans), not per row: the people in their care team or opened with a
-- reason, their grants, and the people whose objection binds them. A function
-- called for every row cost a coordinator's board 20 seconds at 20,000 people.
CREATE FUNCTION joinedup_relationship_checked() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT joinedup_user_role() IS NOT NULL
       AND joinedup_user_role() NOT IN ('ig-lead', 'trainer', 'tester', 'loader')
       AND (joinedup_user_role() = 'none'
            OR COALESCE((SELECT value FROM meta WHERE key = 'relationship_rule'), 'reason') <> 'off')
$$;

-- The people this user has a recorded relationship with, or a grant for (the
-- same rules as joinedup_relationship, as one set).
CREATE FUNCTION joinedup_related_people() RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH me AS (SELECT session_user::text AS name, joinedup_my_team() AS team)
    SELECT m.person_id FROM care_team_member m, me
     WHERE (m.member_kind = 'user' AND m.member = me.name) OR (m.member_kind = 'team' AND m.member = me.team)
    UNION
    SELECT p.id FROM me, coordinator c JOIN person p ON lower(p.allocated_worker) = lower(c.worker_name)
     WHERE c.user_name = me.name OR c.team = me.team
    UNION
    SELECT e.person_id FROM me, hospital_spell h JOIN episode e ON e.id = h.episode_id
     WHERE lower(h.ward) = lower(me.team) AND e."end" IS NULL AND e.kind = 'inpatient_spell'
    UNION
    SELECT e.person_id FROM me, episode e
     WHERE e.kind LIKE 'chc\_%' AND lower(e.organisation) = lower(me.team)
    UNION
    SELECT g.person_id FROM break_glass_grant g WHERE g.user_name = session_user AND g.expires_at > now()
$$;
CREATE INDEX hospital_spell_ward ON hospital_spell (lower(ward));
CREATE INDEX episode_chc_organisation ON episode (lower(organisation)) WHERE kind LIKE 'chc\_%';

-- The people whose restricted items this user may see (break glass, emergency).
CREATE FUNCTION joinedup_granted_people() RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT g.person_id FROM break_glass_grant g
    WHERE g.user_name = session_user AND g.expires_at > now() AND g.kind IN ('break_glass', 'emergency')
$$;

-- The people whose objection to sharing binds this user now (joinedup_objection_hides
-- as one set; which items it hides depends on each item's origin).
CREATE FUNCTION joinedup_objection_people() RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH me AS (SELECT joinedup_user_role() AS role, joinedup_my_organisation() AS org)
    SELECT DISTINCT o.person_id FROM sharing_objection o, me
    WHERE o.withdrawn_on IS NULL AND me.role IS NOT NULL AND me.role <> 'loader'
      AND (o.organisations IS NULL OR me.org IS NULL
           OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(o.organisations::jsonb) x
                      WHERE lower(btrim(x)) = lower(btrim(me.org))))
      AND NOT EXISTS (SELECT 1 FROM break_glass_grant g
                      WHERE g.user_name = session_user AND g.person_id = o.person_id AND g.kind = 'emergency'
                        AND g.expires_at > now())
$$;

-- Per person, for the views below (the owner's: app roles have no privilege on it).
-- `shown`: the person's own details and unrestricted items; `granted`: restricted
-- items too; `objection`: an objection binds this user.
CREATE VIEW joinedup_person_access AS
    SELECT p.id AS person_id,
           (p.is_restricted = 0
            AND (NOT (SELECT joinedup_relationship_checked()) OR p.id IN (SELECT joinedup_related_people())))
           OR p.id IN (SELECT joinedup_granted_people()) AS shown,
           p.id IN (SELECT joinedup_granted_people()) AS granted,
           p.id IN (SELECT joinedup_objection_people()) AS objection
    FROM person p
    WHERE (SELECT joinedup_user_role()) IS DISTINCT FROM 'none';

-- (An objection keeps from this user an item whose origin is not their own
-- organisation: written out in each view below, as a plain expression the planner
-- evaluates in place; a function given a subplan's result is called row by row.)

CREATE OR REPLACE VIEW joinedup_app.person WITH (security_barrier) AS
    SELECT p.id, p.nhs_number, p.given_name, p.family_name, p.given_name_key, p.family_name_key,
           p.date_of_birth, p.date_of_death, p.sex,
           CASE WHEN a.shown THEN p.address END AS address,
           CASE WHEN a.shown THEN p.postcode END AS postcode,
           CASE WHEN a.shown THEN p.gp_practice END AS gp_practice,
           CASE WHEN a.shown THEN p.allocated_worker END AS allocated_worker,
           CASE WHEN a.shown THEN p.alerts ELSE '[]' END AS alerts,
           p.is_restricted, p.created_at, p.merged_into
    FROM public.person p
    JOIN public.joinedup_person_access a ON a.person_id = p.id;

CREATE OR REPLACE VIEW joinedup_app.person_identifier WITH (security_barrier) AS
    SELECT i.* FROM public.person_identifier i JOIN public.joinedup_person_access a ON a.person_id = i.person_id
    WHERE a.shown AND NOT (a.objection AND NOT COALESCE(lower(i.source) LIKE lower((SELECT joinedup_my_organisation())) || '%', false));
CREATE OR REPLACE VIEW joinedup_app.person_demographics WITH (security_barrier) AS
    SELECT d.* FROM public.person_demographics d JOIN public.joinedup_person_access a ON a.person_id = d.person_id
    WHERE a.shown AND NOT (a.objection AND NOT COALESCE(lower(d.source) LIKE lower((SELECT joinedup_my_organisation())) || '%', false));

CREATE OR REPLACE VIEW joinedup_app.episode WITH (security_barrier) AS
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
    JOIN public.joinedup_person_access a ON a.person_id = e.person_id
    CROSS JOIN LATERAL (SELECT (e.sensitivity = 'normal' AND e.kind <> 'safeguarding_enquiry' AND a.shown)
                               OR a.granted AS shown) v
    WHERE NOT (a.objection AND (e.organisation IS NULL OR (SELECT joinedup_my_organisation()) IS NULL
                    OR lower(btrim(e.organisation)) <> lower(btrim((SELECT joinedup_my_organisation())))));

-- The tables hanging off an episode (a stay, its delay reasons and changes, a CHC
-- assessment): that episode's access.
CREATE VIEW joinedup_item_access AS
    SELECT e.id AS episode_id,
           (e.sensitivity = 'normal' AND e.kind <> 'safeguarding_enquiry' AND a.shown) OR a.granted AS shown,
           (a.objection AND (e.organisation IS NULL OR (SELECT joinedup_my_organisation()) IS NULL
                    OR lower(btrim(e.organisation)) <> lower(btrim((SELECT joinedup_my_organisation()))))) AS hidden
    FROM episode e JOIN joinedup_person_access a ON a.person_id = e.person_id;

CREATE OR REPLACE VIEW joinedup_app.hospital_spell WITH (security_barrier) AS
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
    JOIN public.joinedup_item_access v ON v.episode_id = h.episode_id
    WHERE NOT v.hidden;

CREATE OR REPLACE VIEW joinedup_app.delay_reason WITH (security_barrier) AS
    SELECT d.id, d.episode_id, d.code,
           CASE WHEN v.shown THEN d.description ELSE 'restricted' END AS description,
           d.attribution, d.since,
           CASE WHEN v.shown THEN d.owner END AS owner,
           d.closed_on,
           CASE WHEN v.shown THEN d.recorded_by END AS recorded_by,
           d.recorded_at,
           CASE WHEN v.shown THEN d.closed_by END AS closed_by
    FROM public.delay_reason d
    JOIN public.joinedup_item_access v ON v.episode_id = d.episode_id
    WHERE NOT v.hidden;

-- (A simple view, so that the program can insert a change through it; the check
-- option keeps what it inserts to stays it may see.)
CREATE OR REPLACE VIEW joinedup_app.spell_change WITH (security_barrier) AS
    SELECT * FROM public.spell_change c WHERE joinedup_item_shown(c.episode_id)
    WITH CHECK OPTION;

CREATE OR REPLACE VIEW joinedup_app.chc_assessment WITH (security_barrier) AS
    SELECT c.episode_id, c.kind, c.completed_on,
           CASE WHEN v.shown THEN c.completed_by END AS completed_by,
           c.recorded_positive,
           CASE WHEN v.shown THEN c.mdt_recommendation END AS mdt_recommendation,
           c.icb_decision_date, c.icb_decision_eligible,
           CASE WHEN v.shown THEN c.icb_decision_note END AS icb_decision_note
    FROM public.chc_assessment c
    JOIN public.joinedup_item_access v ON v.episode_id = c.episode_id
    WHERE NOT v.hidden;
CREATE OR REPLACE VIEW joinedup_app.chc_domain_level WITH (security_barrier) AS
    SELECT l.* FROM public.chc_domain_level l
    JOIN public.joinedup_item_access v ON v.episode_id = l.episode_id
    WHERE v.shown AND NOT v.hidden;

-- Plans: shown as domain::disclosure::is_restricted_plan says; a plan comes from
-- the organisation its owner names ("Westmere Council", or a team of it:
-- "Westmere Council Adult Social Care").
CREATE VIEW joinedup_plan_access AS
    SELECT p.id AS plan_id,
           (p.sensitivity = 'normal' AND a.shown) OR a.granted AS shown,
           a.objection AND NOT COALESCE(lower(p.owner) LIKE lower((SELECT joinedup_my_organisation())) || '%', false)
               AS hidden
    FROM care_plan p JOIN joinedup_person_access a ON a.person_id = p.person_id;

CREATE OR REPLACE VIEW joinedup_app.care_plan WITH (security_barrier) AS
    SELECT p.id, p.person_id, p.kind, p.sector,
           CASE WHEN v.shown THEN p.title ELSE 'Restricted plan' END AS title,
           CASE WHEN v.shown THEN p.owner ELSE '' END AS owner,
           CASE WHEN v.shown THEN p.source ELSE '' END AS source,
           CASE WHEN v.shown THEN p.source_ref ELSE 'restricted-' || p.id END AS source_ref,
           CASE WHEN v.shown THEN p.sensitivity ELSE 'confidential' END AS sensitivity
    FROM public.care_plan p
    JOIN public.joinedup_plan_access v ON v.plan_id = p.id
    WHERE NOT v.hidden;
CREATE OR REPLACE VIEW joinedup_app.care_plan_version WITH (security_barrier) AS
    SELECT c.id, c.care_plan_id, c.version,
           CASE WHEN v.shown THEN c.status ELSE '' END AS status,
           c.start, c.last_review, c.next_review,
           CASE WHEN v.shown THEN c.funding END AS funding,
           CASE WHEN v.shown THEN c.personal_budget_weekly END AS personal_budget_weekly,
           CASE WHEN v.shown THEN c.file_name ELSE '' END AS file_name,
           CASE WHEN v.shown THEN c.file_sha256 ELSE '' END AS file_sha256,
           c.imported_at
    FROM public.care_plan_version c
    JOIN public.joinedup_plan_access v ON v.plan_id = c.care_plan_id
    WHERE NOT v.hidden;
CREATE OR REPLACE VIEW joinedup_app.care_plan_goal WITH (security_barrier) AS
    SELECT g.* FROM public.care_plan_goal g JOIN public.care_plan_version c ON c.id = g.version_id
    JOIN public.joinedup_plan_access v ON v.plan_id = c.care_plan_id
    WHERE v.shown AND NOT v.hidden;
CREATE OR REPLACE VIEW joinedup_app.care_plan_need WITH (security_barrier) AS
    SELECT n.* FROM public.care_plan_need n JOIN public.care_plan_version c ON c.id = n.version_id
    JOIN public.joinedup_plan_access v ON v.plan_id = c.care_plan_id
    WHERE v.shown AND NOT v.hidden;
CREATE OR REPLACE VIEW joinedup_app.care_plan_action WITH (security_barrier) AS
    SELECT a.* FROM public.care_plan_action a JOIN public.care_plan_version c ON c.id = a.version_id
    JOIN public.joinedup_plan_access v ON v.plan_id = c.care_plan_id
    WHERE v.shown AND NOT v.hidden;

-- Tasks (0007) now follow the person: the title and notes of a task about a
-- person held back from this user (restricted, or outside their care team) read
-- "Restricted task", and such a task cannot be made or changed until a reason is
-- given (the masked title would otherwise be written back over the real one).
CREATE OR REPLACE VIEW joinedup_app.task WITH (security_barrier) AS
    SELECT t.id, t.person_id,
           CASE WHEN v.shown THEN t.title ELSE 'Restricted task' END AS title,
           t.owner_user, t.owner_team, t.due, t.priority, t.status,
           CASE WHEN v.shown THEN t.notes ELSE '' END AS notes,
           t.event_key, t.created_by, t.created_at, t.updated_by, t.updated_at, t.version
    FROM public.task t
    JOIN public.joinedup_person_access v ON v.person_id = t.person_id;

CREATE FUNCTION joinedup_app_task_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM joinedup_check_may_change();
    IF NOT joinedup_person_shown(NEW.person_id) OR (TG_OP = 'UPDATE' AND NOT joinedup_person_shown(OLD.person_id)) THEN
        RAISE EXCEPTION 'this person''s record is held back from you: give a reason before changing their tasks'
            USING ERRCODE = '42501';
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public.task (person_id, title, owner_user, owner_team, due, priority, status, notes, event_key,
                                 created_by, created_at, updated_by, updated_at, version)
        VALUES (NEW.person_id, NEW.title, NEW.owner_user, NEW.owner_team, NEW.due, NEW.priority, NEW.status,
                COALESCE(NEW.notes, ''), NEW.event_key, NEW.created_by, NEW.created_at, NEW.updated_by,
                NEW.updated_at, COALESCE(NEW.version, 1))
        RETURNING id INTO NEW.id;
    ELSE
        UPDATE public.task SET title = NEW.title, owner_user = NEW.owner_user, owner_team = NEW.owner_team,
            due = NEW.due, priority = NEW.priority, status = NEW.status, notes = NEW.notes,
            updated_by = NEW.updated_by, updated_at = NEW.updated_at, version = NEW.version
        WHERE id = OLD.id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER task_write INSTEAD OF INSERT OR UPDATE ON joinedup_app.task
    FOR EACH ROW EXECUTE FUNCTION joinedup_app_task_write();
REVOKE EXECUTE ON FUNCTION joinedup_app_task_write() FROM PUBLIC;

-- Care teams: everyone may read them (they say who may see a record); the IG lead
-- changes them. Objections: everyone may see that one is in force, and its scope;
-- the IG lead also reads its reason.
CREATE VIEW joinedup_app.care_team_member AS SELECT * FROM public.care_team_member;
CREATE VIEW joinedup_app.sharing_objection WITH (security_barrier) AS
    SELECT o.id, o.person_id, o.objected_on,
           CASE WHEN joinedup_user_role() = 'ig-lead' THEN o.reason ELSE '' END AS reason,
           o.organisations,
           CASE WHEN joinedup_user_role() = 'ig-lead' THEN o.recorded_by ELSE '' END AS recorded_by,
           o.recorded_at, o.withdrawn_on,
           CASE WHEN joinedup_user_role() = 'ig-lead' THEN o.withdrawn_by END AS withdrawn_by
    FROM public.sharing_objection o;

CREATE FUNCTION joinedup_app_objection_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF joinedup_user_role() IS DISTINCT FROM 'ig-lead' THEN
        RAISE EXCEPTION 'only the information governance lead records an objection to sharing' USING ERRCODE = '42501';
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public.sharing_objection (person_id, objected_on, reason, organisations, recorded_by, recorded_at)
        VALUES (NEW.person_id, NEW.objected_on, NEW.reason, NEW.organisations, NEW.recorded_by, NEW.recorded_at)
        RETURNING id INTO NEW.id;
    ELSE
        UPDATE public.sharing_objection SET withdrawn_on = NEW.withdrawn_on, withdrawn_by = NEW.withdrawn_by
        WHERE id = OLD.id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER sharing_objection_write INSTEAD OF INSERT OR UPDATE ON joinedup_app.sharing_objection
    FOR EACH ROW EXECUTE FUNCTION joinedup_app_objection_write();

-- The audit function and the log's view know the new actions (as 0011 otherwise).
CREATE OR REPLACE FUNCTION joinedup_append_audit(p_id bigint, p_at timestamp, p_actor text, p_action text, p_person bigint,
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
                                          'break_glass', 'access_without_relationship', 'emergency_access',
                                          'care_team_changed', 'objection_changed') THEN
        RAISE EXCEPTION 'the loader may not record %', p_action USING ERRCODE = '42501';
    END IF;
    -- (0012) The deployment's rule is the owner's; care teams and objections the
    -- information governance lead's.
    IF p_action = 'relationship_rule_set'
       OR (v_role <> 'ig-lead' AND p_action IN ('care_team_changed', 'objection_changed')) THEN
        RAISE EXCEPTION 'a % may not record %', v_role, p_action USING ERRCODE = '42501';
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
        a.action IN ('change_spell', 'record_chc', 'import', 'match_confirmed', 'match_rejected', 'match_undone',
                     'records_cleared', 'database_moved', 'follow', 'unfollow', 'worklist_acknowledged',
                     'task_created', 'task_changed', 'care_team_changed', 'objection_changed',
                     'relationship_rule_set') AS change) w;

-- The owner sets the deployment's rule in `meta`; nobody else writes it.
REVOKE ALL ON care_team_member, sharing_objection FROM PUBLIC;
-- (joinedup_objection_hides, joinedup_item_hidden and joinedup_plan_hidden are the
-- triggers' and the owner's: never granted, see 9. below.)
GRANT EXECUTE ON FUNCTION joinedup_my_team(), joinedup_my_organisation(), joinedup_relationship(bigint),
    joinedup_grant_held(bigint, text[]), joinedup_related(bigint),
    joinedup_open_without_relationship(bigint, text), joinedup_emergency_access(bigint, text),
    joinedup_relationship_checked(), joinedup_related_people(), joinedup_granted_people(),
    joinedup_objection_people()
    TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester, joinedup_ig_lead, joinedup_loader;
REVOKE EXECUTE ON FUNCTION joinedup_ig_change(), joinedup_app_objection_write() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION joinedup_my_team(), joinedup_my_organisation(), joinedup_relationship(bigint),
    joinedup_grant_held(bigint, text[]), joinedup_related(bigint), joinedup_objection_hides(bigint, text),
    joinedup_item_hidden(bigint), joinedup_plan_hidden(bigint),
    joinedup_open_without_relationship(bigint, text), joinedup_emergency_access(bigint, text),
    joinedup_relationship_checked(), joinedup_related_people(), joinedup_granted_people(),
    joinedup_objection_people() FROM PUBLIC;
GRANT SELECT ON joinedup_app.care_team_member, joinedup_app.sharing_objection
    TO joinedup_care_coordinator, joinedup_trainer, joinedup_tester, joinedup_ig_lead;
GRANT INSERT, DELETE ON joinedup_app.care_team_member TO joinedup_ig_lead;
GRANT INSERT, UPDATE ON joinedup_app.sharing_objection TO joinedup_ig_lead;
-- The loader reads them, and adds objections (a moved desktop database's); the
-- trigger above refuses its other writes.
GRANT SELECT ON care_team_member TO joinedup_loader;
GRANT SELECT, INSERT ON sharing_objection TO joinedup_loader;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO joinedup_loader;

-- Hardening after a hostile review of this migration (RELIABILITY.md "Access on a
-- server"; SAFETY.md H16, H25, H26).
--
-- 1. Group roles are cluster-wide, so a user added to one joinedup database was a
--    member in every other one on the server. Now a signed-in user is a joinedup
--    user of THIS database only with a row in its app_user (not disabled); any
--    other login gets the role 'none', which sees no one and writes nothing; and
--    the database no longer lets PUBLIC connect (`users add` grants CONNECT).
CREATE OR REPLACE FUNCTION joinedup_user_role() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT CASE
        WHEN NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolcanlogin AND NOT rolsuper)
            THEN NULL
        WHEN pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'public.meta'::regclass), 'MEMBER')
            THEN NULL
        WHEN NOT EXISTS (SELECT 1 FROM app_user WHERE name = session_user AND disabled_at IS NULL) THEN 'none'
        WHEN pg_has_role(session_user, 'joinedup_ig_lead', 'MEMBER') THEN 'ig-lead'
        WHEN pg_has_role(session_user, 'joinedup_care_coordinator', 'MEMBER') THEN 'care-coordinator'
        WHEN pg_has_role(session_user, 'joinedup_trainer', 'MEMBER') THEN 'trainer'
        WHEN pg_has_role(session_user, 'joinedup_tester', 'MEMBER') THEN 'tester'
        WHEN pg_has_role(session_user, 'joinedup_loader', 'MEMBER') THEN 'loader'
        ELSE 'none'
    END
$$;
DO $$
DECLARE
    u text;
BEGIN
    EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
    FOR u IN SELECT a.name FROM app_user a JOIN pg_roles r ON r.rolname = a.name WHERE a.disabled_at IS NULL LOOP
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), u);
    END LOOP;
END $$;







-- 3. Daily criteria-to-reside reviews follow their stay.
CREATE OR REPLACE VIEW joinedup_app.ctr_review WITH (security_barrier) AS
    SELECT r.episode_id, r.date, r.meets, CASE WHEN v.shown THEN r.code END AS code
    FROM public.ctr_review r
    JOIN public.joinedup_item_access v ON v.episode_id = r.episode_id
    WHERE NOT v.hidden;




-- 5. A change counts as audited only with an event of its own kind; whoever the
--    row says made it is the signed-in user (the server writes the name).
CREATE OR REPLACE FUNCTION joinedup_change_audited() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF joinedup_user_role() IS NOT NULL AND joinedup_user_role() <> 'loader'
       AND NOT EXISTS (SELECT 1 FROM audit_receipt r JOIN audit_event e ON e.id = r.event_id
                       WHERE r.txid = txid_current() AND r.user_name = session_user
                         AND (TG_NARGS = 0 OR e.action = ANY (TG_ARGV))) THEN
        RAISE EXCEPTION 'every change is audited: % was changed without an audit event of its kind (%)',
            TG_TABLE_NAME, array_to_string(TG_ARGV, ' or ') USING ERRCODE = '42501';
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER hospital_spell_audited ON hospital_spell;
DROP TRIGGER delay_reason_audited ON delay_reason;
DROP TRIGGER spell_change_audited ON spell_change;
DROP TRIGGER follow_audited ON follow;
DROP TRIGGER worklist_seen_audited ON worklist_seen;
DROP TRIGGER task_audited ON task;
CREATE CONSTRAINT TRIGGER hospital_spell_audited AFTER INSERT OR UPDATE OR DELETE ON hospital_spell
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited('change_spell');
CREATE CONSTRAINT TRIGGER delay_reason_audited AFTER INSERT OR UPDATE OR DELETE ON delay_reason
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited('change_spell');
CREATE CONSTRAINT TRIGGER spell_change_audited AFTER INSERT OR UPDATE OR DELETE ON spell_change
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited('change_spell');
CREATE CONSTRAINT TRIGGER follow_audited AFTER INSERT OR UPDATE OR DELETE ON follow
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited('follow', 'unfollow');
CREATE CONSTRAINT TRIGGER worklist_seen_audited AFTER INSERT OR UPDATE OR DELETE ON worklist_seen
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION joinedup_change_audited('worklist_seen', 'worklist_acknowledged');
CREATE CONSTRAINT TRIGGER task_audited AFTER INSERT OR UPDATE OR DELETE ON task
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited('task_created', 'task_changed');
CREATE CONSTRAINT TRIGGER care_team_member_audited AFTER INSERT OR UPDATE OR DELETE ON care_team_member
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited('care_team_changed');
CREATE CONSTRAINT TRIGGER sharing_objection_audited AFTER INSERT OR UPDATE OR DELETE ON sharing_objection
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION joinedup_change_audited('objection_changed');

-- The columns named (TG_ARGV) that an app role's row sets, on insert, or changes,
-- on update, take the signed-in user's audit name, whatever the client wrote.
CREATE FUNCTION joinedup_stamp_actor() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_new jsonb := to_jsonb(NEW);
    v_old jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
    v_set jsonb := '{}';
    i int;
BEGIN
    IF joinedup_user_role() IS NULL OR joinedup_user_role() = 'loader' THEN
        RETURN NEW;
    END IF;
    FOR i IN 0 .. TG_NARGS - 1 LOOP
        IF (TG_OP = 'INSERT' AND v_new -> TG_ARGV[i] <> 'null'::jsonb)
           OR (TG_OP = 'UPDATE' AND v_new -> TG_ARGV[i] IS DISTINCT FROM v_old -> TG_ARGV[i]
               AND v_new -> TG_ARGV[i] <> 'null'::jsonb) THEN
            v_set := v_set || jsonb_build_object(TG_ARGV[i], joinedup_actor_name());
        END IF;
    END LOOP;
    RETURN jsonb_populate_record(NEW, v_set);
END $$;
CREATE TRIGGER hospital_spell_stamp BEFORE UPDATE ON hospital_spell
    FOR EACH ROW EXECUTE FUNCTION joinedup_stamp_actor('changed_by');
CREATE TRIGGER delay_reason_stamp BEFORE INSERT OR UPDATE ON delay_reason
    FOR EACH ROW EXECUTE FUNCTION joinedup_stamp_actor('recorded_by', 'closed_by');
CREATE TRIGGER spell_change_stamp BEFORE INSERT ON spell_change
    FOR EACH ROW EXECUTE FUNCTION joinedup_stamp_actor('actor');
CREATE TRIGGER task_stamp BEFORE INSERT OR UPDATE ON task
    FOR EACH ROW EXECUTE FUNCTION joinedup_stamp_actor('created_by', 'updated_by');
CREATE TRIGGER care_team_member_stamp BEFORE INSERT ON care_team_member
    FOR EACH ROW EXECUTE FUNCTION joinedup_stamp_actor('added_by');
CREATE TRIGGER sharing_objection_stamp BEFORE INSERT OR UPDATE ON sharing_objection
    FOR EACH ROW EXECUTE FUNCTION joinedup_stamp_actor('recorded_by', 'withdrawn_by');

-- 6. Worklist marks are each user's own to write (a teammate's acknowledgement is
--    read, never written or undone, by another).
CREATE FUNCTION joinedup_own_rows() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF joinedup_user_role() IS NOT NULL AND joinedup_user_role() <> 'loader'
       AND ((TG_OP <> 'DELETE' AND NEW.user_name IS DISTINCT FROM session_user::text)
            OR (TG_OP <> 'INSERT' AND OLD.user_name IS DISTINCT FROM session_user::text)) THEN
        RAISE EXCEPTION 'only % writes their own %', session_user, TG_TABLE_NAME USING ERRCODE = '42501';
    END IF;
    RETURN COALESCE(NEW, OLD);
END $$;
CREATE TRIGGER worklist_seen_own BEFORE INSERT OR UPDATE OR DELETE ON worklist_seen
    FOR EACH ROW EXECUTE FUNCTION joinedup_own_rows();

-- 7. The loader imports and feeds: it no longer writes the deployment's settings,
--    who is who, the seals of what is stored, or any user's worklist.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON meta, coordinator, recent_person, follow, worklist_seen, worklist_look,
    task FROM joinedup_loader;
REVOKE UPDATE, DELETE, TRUNCATE ON data_seal FROM joinedup_loader;

-- 8. An objection's organisations are a JSON array of names, or NULL (one that is
--    not would break every read).
ALTER TABLE sharing_objection ADD CONSTRAINT sharing_objection_organisations
    CHECK (organisations IS NULL OR jsonb_typeof(organisations::jsonb) = 'array');

-- 9. The per-item helpers would tell, id by id, what an objection hides: not for
--    app roles (the views and triggers run them as their owner).
REVOKE EXECUTE ON FUNCTION joinedup_item_hidden(bigint), joinedup_plan_hidden(bigint),
    joinedup_objection_hides(bigint, text), joinedup_stamp_actor(), joinedup_own_rows()
    FROM joinedup_care_coordinator, joinedup_trainer, joinedup_tester, joinedup_ig_lead, joinedup_loader, PUBLIC;
