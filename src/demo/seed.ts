import type { PrismaClient } from '../generated/prisma/client.ts';
import type { ApprovalStatus, GoalStatus } from '../generated/prisma/enums.ts';
import { createAdmin } from '../modules/admins/admin.service.ts';
import { seedCalibration } from './calibration.ts';
import { seedDeletions } from './deletions.ts';
import { seedExternalIds } from './external-ids.ts';
import { seedFeedback } from './feedback.ts';
import { seedGoalHistory } from './goal-history.ts';

export const DEMO_ORGANIZATION = 'Demo Construction Co';
export const DEMO_ADMIN_EMAIL = 'admin@demo.crewgraph.dev';

const PROJECTS = [
  { name: 'Harbour Bridge Retrofit', code: 'HBR', city: 'Portland', state: 'OR', status: 'ACTIVE' },
  { name: 'Riverside Hospital Wing', code: 'RHW', city: 'Sacramento', state: 'CA', status: 'ACTIVE' },
  { name: 'Northgate Logistics Hub', code: 'NLH', city: 'Reno', state: 'NV', status: 'PLANNED' },
  { name: 'Old Mill Apartments', code: 'OMA', city: 'Boise', state: 'ID', status: 'COMPLETED' },
] as const;

const CONTRACTOR_NAMES = [
  'Apex Scaffolding',
  'Bluewater Plumbing',
  'Cascade Electrical',
  'Delta Concrete',
  'Evergreen Landscaping',
  'Frontier Steel',
  'Granite Masonry',
  'Highline Roofing',
  'Ironwood Carpentry',
  'Juniper HVAC',
  'Keystone Demolition',
  'Lakeside Glazing',
  'Mesa Earthworks',
  'Northstar Painting',
  'Orchard Fire Protection',
  'Pinecrest Insulation',
  'Quarry Paving',
  'Redwood Framing',
  'Summit Cranes',
  'Timberline Drywall',
];
const CITIES = ['Portland', 'Sacramento', 'Reno', 'Boise', 'Eugene', 'Spokane'];
const STATUSES: ApprovalStatus[] = ['APPROVED', 'APPROVED', 'PENDING', 'NEW', 'APPROVED', 'DENIED'];
const TAGS = [['union'], ['minority-owned'], ['union', 'safety-award'], [], ['local']];
const FIRST = ['Ana', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hugo', 'Iris', 'Jamal', 'Kim', 'Luis'];
const LAST = ['Alvarez', 'Brooks', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jensen'];
const TRADES = ['Electrician', 'Plumber', 'Carpenter', 'Ironworker', 'Laborer', 'Operator'];
const QUALIFICATIONS = [
  { name: 'OSHA 30', issuer: 'OSHA' },
  { name: 'First Aid / CPR', issuer: 'Red Cross' },
  { name: 'Forklift Operator', issuer: 'NCCCO' },
  { name: 'Confined Space Entry', issuer: 'NSC' },
];
const PEOPLE = [
  ['Morgan Reyes', 'Operations', 'VP Operations'],
  ['Priya Natarajan', 'Operations', 'Project Director'],
  ['Sam Okafor', 'Safety', 'Safety Manager'],
  ['Lena Kowalski', 'Safety', 'Site Safety Officer'],
  ['Diego Martins', 'Engineering', 'Site Engineer'],
  ['Hannah Berg', 'Engineering', 'Project Engineer'],
  ['Tom Whitaker', 'Procurement', 'Contracts Manager'],
  ['Aisha Bello', 'People', 'HR Business Partner'],
] as const;
const GOAL_STATUSES: GoalStatus[] = ['ON_TRACK', 'AT_RISK', 'NOT_STARTED', 'COMPLETED', 'BEHIND'];

/** The demo is one transaction (all or nothing), allowed as long as a slow first start needs. */
const DEMO_TRANSACTION = { maxWait: 60_000, timeout: 300_000 };

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/**
 * Fills an empty database with a believable demo organisation. Does nothing (returns
 * null) when the demo organisation already exists, so secrets are printed once only.
 */
export async function seedDemoOrganization(prisma: PrismaClient) {
  if (await prisma.organization.findUnique({ where: { name: DEMO_ORGANIZATION } })) return null;
  const admin = await createAdmin(prisma, {
    organizationName: DEMO_ORGANIZATION,
    email: DEMO_ADMIN_EMAIL,
    name: 'Demo Admin',
  });
  const organizationId = admin.organizationId;

  await prisma.$transaction(async (tx) => {
    const projects = [];
    for (const [i, p] of PROJECTS.entries()) {
      projects.push(
        await tx.project.create({
          data: {
            organizationId,
            name: p.name,
            code: p.code,
            status: p.status,
            city: p.city,
            state: p.state,
            addressLine1: `${100 + i * 25} Main Street`,
            zip: `97${200 + i}`,
            country: 'US',
            startsOn: day(`2026-0${i + 1}-01`),
            endsOn: day(`2027-0${i + 1}-28`),
          },
        }),
      );
    }

    for (const [i, name] of CONTRACTOR_NAMES.entries()) {
      const linked = [projects[i % 3], ...(i % 4 === 0 ? [projects[3]] : [])];
      await tx.contractor.create({
        data: {
          organizationId,
          name,
          address: `${10 + i} Industrial Way`,
          city: CITIES[i % CITIES.length],
          state: 'OR',
          zip: `97${100 + i}`,
          approvalStatus: STATUSES[i % STATUSES.length],
          contractorComplianceScore: 60 + ((i * 7) % 40),
          employeeComplianceScore: 55 + ((i * 11) % 45),
          tags: TAGS[i % TAGS.length],
          autoApprove: i % 5 === 0,
          projects: { connect: linked.map((p) => ({ id: p.id })) },
          workers: {
            create: Array.from({ length: 3 }, (_, w) => ({
              organizationId,
              firstName: FIRST[(i + w) % FIRST.length],
              lastName: LAST[(i * 3 + w) % LAST.length],
              email: `${FIRST[(i + w) % FIRST.length].toLowerCase()}.${i}${w}@example.com`,
              trade: TRADES[(i + w) % TRADES.length],
              qualifications: {
                create: QUALIFICATIONS.slice(0, 1 + ((i + w) % 3)).map((q, k) => ({
                  organizationId,
                  ...q,
                  issuedOn: day(`2025-0${1 + k}-15`),
                  expiresOn: day(`2028-0${1 + k}-15`),
                  licenseNumber: `LIC-${1000 + i * 10 + w}-${k}`,
                })),
              },
            })),
          },
        },
      });
    }

    const people: { id: string }[] = [];
    for (const [i, [name, department, title]] of PEOPLE.entries()) {
      people.push(
        await tx.person.create({
          data: {
            organizationId,
            name,
            department,
            title,
            employeeId: `E${1001 + i}`,
            email: `${name.split(' ')[0].toLowerCase()}@demo.crewgraph.dev`,
            managerId: i === 0 ? null : people[i < 3 ? 0 : 1].id,
          },
        }),
      );
    }

    for (const [i, project] of projects.slice(0, 3).entries()) {
      for (let g = 0; g < 3; g++) {
        await tx.goal.create({
          data: {
            organizationId,
            projectId: project.id,
            ownerId: people[(i + g) % people.length].id,
            title: ['Zero lost-time incidents', 'Close out punch list', 'Onboard all subcontractors'][g],
            description: `Quarterly goal for ${project.name}.`,
            status: GOAL_STATUSES[(i + g) % GOAL_STATUSES.length],
            progress: (i * 30 + g * 25) % 100,
            startsOn: day('2026-10-01'),
            dueOn: day('2026-12-31'),
            milestones: {
              create: ['Plan agreed', 'Halfway review', 'Sign-off'].map((title, position) => ({
                organizationId,
                title,
                position,
                dueOn: day(`2026-1${position}-15`),
                completedAt: position === 0 ? new Date('2026-10-05T12:00:00Z') : null,
              })),
            },
            comments: {
              create: [{ organizationId, authorId: people[2].id, body: 'Reviewed at the weekly site meeting.' }],
            },
          },
        });
      }
    }

    const template = await tx.conversationTemplate.create({
      data: {
        organizationId,
        name: 'Weekly site check-in',
        questions: {
          create: ['What went well this week?', 'What is blocking you?', 'Any safety concerns?'].map(
            (text, position) => ({
              position,
              text,
            }),
          ),
        },
      },
      include: { questions: true },
    });
    for (const [i, project] of projects.slice(0, 3).entries()) {
      const [lead, member] = [people[1], people[4 + i]];
      await tx.conversation.create({
        data: {
          organizationId,
          projectId: project.id,
          templateId: template.id,
          status: i === 0 ? 'COMPLETED' : 'SCHEDULED',
          scheduledFor: new Date(`2026-11-2${i}T15:00:00Z`),
          participants: { connect: [{ id: lead.id }, { id: member.id }] },
          responses:
            i === 0
              ? {
                  create: template.questions.map((q) => ({
                    questionId: q.id,
                    respondentId: member.id,
                    answer: `Answer to: ${q.text}`,
                  })),
                }
              : undefined,
        },
      });
      await tx.recognition.create({
        data: {
          organizationId,
          projectId: project.id,
          giverId: people[0].id,
          message: `Great work keeping ${project.name} safe and on schedule!`,
          hashtags: ['safety', i % 2 ? 'teamwork' : 'ontime'],
          receivers: { connect: [{ id: member.id }, { id: people[3].id }] },
        },
      });
    }

    await seedCalibration(tx, organizationId, people);
    await seedFeedback(tx, organizationId, people);
    await seedGoalHistory(tx, organizationId);
    await seedDeletions(tx, organizationId, projects[0].id);
    await seedExternalIds(tx, organizationId);
    // A few hundred statements: on a busy machine they take longer than Prisma's default 5 s.
  }, DEMO_TRANSACTION);

  return { organizationName: DEMO_ORGANIZATION, organizationId, adminToken: admin.token };
}
