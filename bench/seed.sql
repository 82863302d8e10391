-- Deterministic benchmark dataset for Crewgraph (issue 7), built set-wise with generate_series.
-- Run once on a freshly migrated, empty database. Ids are fixed UUIDv7-shaped values
-- (time-ordered like the ones Prisma makes) so every run produces the same rows; only the
-- admin token and API key secrets (inserted by bench/seed.ts) differ between runs.
--
-- Sizes: 1 organisation, 50 projects, 5,000 contractors (each on 1–3 projects), 50,000 workers
-- (10 per contractor), 150,000 qualifications (3 per worker), 2,000 people, 20,000 goals with
-- 3 milestones each, 5 conversation templates, 5,000 conversations (2 participants each) and
-- 20,000 recognitions (1–2 receivers each).

-- bid(kind, n): deterministic id; kind separates tables, n numbers the rows.
CREATE FUNCTION pg_temp.bid(kind int, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT (lpad(to_hex(1767225600000::bigint + kind::bigint * 10000000 + n), 12, '0')
          || '7' || lpad(to_hex(kind), 3, '0') || '8' || lpad(to_hex(n), 15, '0'))::uuid
$$;
-- pick(list, n): element n (0-based, wrapping) of a text array.
CREATE FUNCTION pg_temp.pick(list text[], n bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT list[1 + (n % array_length(list, 1))]
$$;
-- ts(n): a fixed point in time n minutes after 2026-01-01.
CREATE FUNCTION pg_temp.ts(n bigint) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
  SELECT timestamptz '2026-01-01 00:00:00+00' + n * interval '1 minute'
$$;

-- kinds: 1 org, 2 user, 3 project, 4 contractor, 5 worker, 6 qualification, 7 person,
--        8 goal, 9 milestone, 10 template, 11 question, 12 conversation, 13 recognition
INSERT INTO "Organization" (id, name, "createdAt")
VALUES (pg_temp.bid(1, 0), 'Bench Construction Co', pg_temp.ts(0));

INSERT INTO "User" (id, "organizationId", email, name, role, "createdAt")
VALUES (pg_temp.bid(2, 0), pg_temp.bid(1, 0), 'owner@bench.example', 'Bench Owner', 'OWNER', pg_temp.ts(0));

INSERT INTO "Project" (id, "organizationId", name, code, status, city, state, country, "startsOn", "endsOn", "createdAt", "updatedAt")
SELECT pg_temp.bid(3, n), pg_temp.bid(1, 0),
       pg_temp.pick(ARRAY['Harbor','Ridge','Lakeside','Central','North','Summit','Riverside','Granite','Cedar','Union'], n)
         || ' ' || pg_temp.pick(ARRAY['Tower','Hospital','Bridge','Campus','Depot','Plaza','Station'], n / 10)
         || ' ' || lpad(n::text, 2, '0'),
       'P' || lpad(n::text, 3, '0'),
       (ARRAY['ACTIVE','ACTIVE','ACTIVE','PLANNED','ON_HOLD','COMPLETED'])[1 + n % 6]::"ProjectStatus",
       pg_temp.pick(ARRAY['Portland','Boise','Seattle','Spokane','Eugene'], n), 'OR', 'US',
       date '2025-01-01' + (n * 7)::int, date '2027-01-01' + (n * 11)::int,
       pg_temp.ts(n), pg_temp.ts(n)
FROM generate_series(0, 49) AS n;

INSERT INTO "Contractor" (id, "organizationId", name, address, city, state, zip, "approvalStatus",
                          "contractorComplianceScore", "employeeComplianceScore", tags, "autoApprove", "createdAt", "updatedAt")
SELECT pg_temp.bid(4, n), pg_temp.bid(1, 0),
       pg_temp.pick(ARRAY['Acme','Summit','Keystone','Ironwood','Bluewater','Pioneer','Granite','Redline','Northstar','Cascade',
                          'Sterling','Evergreen','Titan','Beacon','Frontier','Harbor','Atlas','Meridian','Falcon','Copper'], n * 7)
         || ' ' || pg_temp.pick(ARRAY['Builders','Electric','Concrete','Plumbing','Roofing','Steel','Excavation','Drywall',
                                      'Mechanical','Glazing','Paving','Framing'], n / 20)
         || ' ' || lpad(n::text, 4, '0'),
       (100 + n % 9000)::text || ' ' || pg_temp.pick(ARRAY['Main St','Oak Ave','Industrial Way','Harbor Rd','5th St'], n),
       pg_temp.pick(ARRAY['Portland','Boise','Seattle','Spokane','Eugene','Salem','Tacoma','Bend'], n * 3), 'OR',
       lpad((97000 + n % 999)::text, 5, '0'),
       (ARRAY['APPROVED','APPROVED','APPROVED','APPROVED','APPROVED','APPROVED','PENDING','PENDING','NEW','DENIED'])[1 + (n * 3) % 10]::"ApprovalStatus",
       (n * 37) % 101, (n * 53) % 101,
       CASE n % 4 WHEN 0 THEN ARRAY['union'] WHEN 1 THEN ARRAY['union','minority-owned'] WHEN 2 THEN ARRAY['local'] ELSE ARRAY[]::text[] END,
       n % 10 = 0, pg_temp.ts(n), pg_temp.ts(n)
FROM generate_series(0, 4999) AS n;

-- Contractor n works on 1 + n % 3 projects: (7n + 13j) mod 50 for j < that count (always distinct).
INSERT INTO "_ContractorProjects" ("A", "B")
SELECT pg_temp.bid(4, n), pg_temp.bid(3, (n * 7 + j * 13) % 50)
FROM generate_series(0, 4999) AS n, generate_series(0, 2) AS j
WHERE j <= n % 3;

INSERT INTO "Worker" (id, "organizationId", "contractorId", "firstName", "lastName", email, phone, trade, "createdAt", "updatedAt")
SELECT pg_temp.bid(5, n), pg_temp.bid(1, 0), pg_temp.bid(4, n % 5000),
       pg_temp.pick(ARRAY['James','Maria','Robert','Linda','Michael','Ana','David','Susan','Jose','Karen','Daniel','Mei',
                          'Carlos','Aisha','Thomas','Olga','Kevin','Fatima','Brian','Sofia','Tyler','Grace','Omar'], n * 11),
       pg_temp.pick(ARRAY['Smith','Johnson','Garcia','Nguyen','Brown','Martinez','Lee','Wilson','Anderson','Lopez','Kim',
                          'Clark','Lewis','Walker','Hall','Young','Allen','King','Wright','Scott','Green','Baker','Adams',
                          'Nelson','Hill','Campbell','Mitchell','Roberts','Carter','Phillips','Evans','Turner'], n * 17 + n / 5000),
       'worker' || n || '@crew.example', '+1-503-555-' || lpad((n % 10000)::text, 4, '0'),
       pg_temp.pick(ARRAY['Electrician','Carpenter','Plumber','Ironworker','Laborer','Operator','Welder','Roofer'], n),
       pg_temp.ts(n), pg_temp.ts(n)
FROM generate_series(0, 49999) AS n;

-- Worker w has qualifications (3w + j) mod 10 for j = 0..2: three distinct ones each.
INSERT INTO "Qualification" (id, "organizationId", "workerId", name, issuer, "issuedOn", "expiresOn", status, "licenseNumber", "createdAt")
SELECT pg_temp.bid(6, n), pg_temp.bid(1, 0), pg_temp.bid(5, n / 3),
       pg_temp.pick(ARRAY['OSHA 10','OSHA 30','First Aid/CPR','Forklift','Confined Space','Fall Protection','Scaffold',
                          'Rigging','Welding AWS D1.1','Journeyman Electrician'], (n / 3) * 3 + n % 3),
       pg_temp.pick(ARRAY['OSHA','Red Cross','NCCCO','AWS','State Board','NCCER'], n),
       date '2022-01-01' + (n % 1000)::int, date '2026-06-01' + (n % 1500)::int,
       (ARRAY['VALID','VALID','VALID','VALID','VALID','VALID','EXPIRING','EXPIRED','VALID','REVOKED'])[1 + (n * 7) % 10]::"QualificationStatus",
       'LIC-' || lpad(n::text, 7, '0'), pg_temp.ts(n)
FROM generate_series(0, 149999) AS n;

-- People: a management tree (person n reports to person (n - 1) / 8).
INSERT INTO "Person" (id, "organizationId", "employeeId", name, email, title, department, "managerId", "createdAt", "updatedAt")
SELECT pg_temp.bid(7, n), pg_temp.bid(1, 0), 'E' || lpad(n::text, 5, '0'),
       pg_temp.pick(ARRAY['Alex','Jordan','Sam','Taylor','Morgan','Casey','Riley','Jamie','Avery','Quinn','Drew','Reese'], n * 5)
         || ' ' || pg_temp.pick(ARRAY['Reyes','Patel','Okafor','Schmidt','Rossi','Tanaka','Dubois','Kowalski','Silva','Haddad',
                                      'Larsen','Murphy','Novak','Costa','Ivanova'], n * 7 + n / 12),
       'person' || n || '@bench.example',
       pg_temp.pick(ARRAY['Superintendent','Project Manager','Safety Lead','Foreman','Engineer','Estimator','Coordinator'], n),
       pg_temp.pick(ARRAY['Operations','Safety','Engineering','Finance','HR','Field'], n),
       CASE WHEN n = 0 THEN NULL ELSE pg_temp.bid(7, (n - 1) / 8) END,
       pg_temp.ts(n), pg_temp.ts(n)
FROM generate_series(0, 1999) AS n;

INSERT INTO "Goal" (id, "organizationId", "projectId", "ownerId", title, description, status, progress, "startsOn", "dueOn", "createdAt", "updatedAt")
SELECT pg_temp.bid(8, n), pg_temp.bid(1, 0), pg_temp.bid(3, n % 50), pg_temp.bid(7, n % 2000),
       pg_temp.pick(ARRAY['Zero lost-time incidents','Finish framing','Close out punch list','Reduce rework','Pass inspection',
                          'Train crew on fall protection','Cut idle equipment time','Hit concrete schedule'], n)
         || ' #' || n,
       CASE WHEN n % 3 = 0 THEN NULL ELSE 'Tracked weekly by the site team.' END,
       (ARRAY['NOT_STARTED','ON_TRACK','ON_TRACK','AT_RISK','BEHIND','COMPLETED','CANCELLED'])[1 + n % 7]::"GoalStatus",
       (n * 13) % 101, date '2026-01-01' + (n % 200)::int, date '2026-06-01' + (n % 400)::int,
       pg_temp.ts(n), pg_temp.ts(n)
FROM generate_series(0, 19999) AS n;

INSERT INTO "Milestone" (id, "organizationId", "goalId", title, "dueOn", "completedAt", position, "createdAt")
SELECT pg_temp.bid(9, g * 3 + p), pg_temp.bid(1, 0), pg_temp.bid(8, g),
       (ARRAY['Plan','Midpoint review','Done'])[1 + p], date '2026-02-01' + ((g % 200) + p * 30)::int,
       CASE WHEN p = 0 AND g % 2 = 0 THEN pg_temp.ts(g + 60) END, p, pg_temp.ts(g)
FROM generate_series(0, 19999) AS g, generate_series(0, 2) AS p;

INSERT INTO "ConversationTemplate" (id, "organizationId", name, "createdAt")
SELECT pg_temp.bid(10, n), pg_temp.bid(1, 0),
       (ARRAY['Weekly check-in','Safety walk','Onboarding 30 days','Quarterly review','Project retro'])[1 + n], pg_temp.ts(n)
FROM generate_series(0, 4) AS n;

INSERT INTO "ConversationQuestion" (id, "templateId", position, text)
SELECT pg_temp.bid(11, t * 3 + p), pg_temp.bid(10, t), p,
       (ARRAY['How is it going?','What is blocking you?','What should we change?'])[1 + p]
FROM generate_series(0, 4) AS t, generate_series(0, 2) AS p;

INSERT INTO "Conversation" (id, "organizationId", "projectId", "templateId", status, "scheduledFor", "createdAt")
SELECT pg_temp.bid(12, n), pg_temp.bid(1, 0), pg_temp.bid(3, n % 50), pg_temp.bid(10, n % 5),
       (ARRAY['SCHEDULED','IN_PROGRESS','COMPLETED'])[1 + n % 3]::"ConversationStatus",
       pg_temp.ts(n * 30), pg_temp.ts(n)
FROM generate_series(0, 4999) AS n;

INSERT INTO "_ConversationParticipants" ("A", "B")
SELECT pg_temp.bid(12, n), pg_temp.bid(7, (n * 2 + j * 997) % 2000)
FROM generate_series(0, 4999) AS n, generate_series(0, 1) AS j;

INSERT INTO "Recognition" (id, "organizationId", "projectId", "giverId", message, hashtags, "createdAt")
SELECT pg_temp.bid(13, n), pg_temp.bid(1, 0), pg_temp.bid(3, n % 50), pg_temp.bid(7, n % 2000),
       pg_temp.pick(ARRAY['Thanks for covering the night pour!','Great safety catch on the scaffold.',
                          'Punch list cleared ahead of schedule.','Helped the new crew get set up.'], n),
       CASE n % 4 WHEN 0 THEN ARRAY['teamwork'] WHEN 1 THEN ARRAY['safety'] WHEN 2 THEN ARRAY['quality', 'teamwork']
                  ELSE ARRAY['mentoring'] END,
       pg_temp.ts(n)
FROM generate_series(0, 19999) AS n;

-- Receivers: 1 + n % 2 people other than the giver.
INSERT INTO "_RecognitionReceivers" ("A", "B")
SELECT pg_temp.bid(7, (n + 1 + j * 500) % 2000), pg_temp.bid(13, n)
FROM generate_series(0, 19999) AS n, generate_series(0, 1) AS j
WHERE j <= n % 2;
