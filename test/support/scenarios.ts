import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { issueToken } from '../../src/auth/tokens.ts';
import { createAdmin } from '../../src/modules/admins/admin.service.ts';
import { startTestServer, type TestServer } from './server.ts';

export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');

export interface OrganizationScenario {
  organizationId: string;
  adminToken: string;
  projectIds: string[];
  contractorIds: string[];
  workerIds: string[];
  personIds: string[];
  goalIds: string[];
  conversationIds: string[];
  templateIds: string[];
  recognitionIds: string[];
}

/**
 * An organisation with `projects` projects, each with `contractorsPerProject`
 * contractors of `workersPerContractor` workers (one qualification each), plus people,
 * a goal, a conversation and a recognition per project. Built with Prisma directly:
 * this is the fixture, the API under test is read through HTTP.
 */
export async function organizationWith(
  prisma: PrismaClient,
  name: string,
  { projects = 2, contractorsPerProject = 3, workersPerContractor = 2 } = {},
): Promise<OrganizationScenario> {
  const admin = await createAdmin(prisma, {
    organizationName: name,
    email: `owner@${name.toLowerCase().replace(/\W+/g, '-')}.test`,
  });
  const organizationId = admin.organizationId;
  const s: OrganizationScenario = {
    organizationId,
    adminToken: admin.token,
    projectIds: [],
    contractorIds: [],
    workerIds: [],
    personIds: [],
    goalIds: [],
    conversationIds: [],
    templateIds: [],
    recognitionIds: [],
  };
  const template = await prisma.conversationTemplate.create({
    data: {
      organizationId,
      name: `${name} check-in`,
      questions: { create: [{ position: 0, text: 'How is it going?' }] },
    },
  });
  s.templateIds.push(template.id);
  for (let p = 0; p < projects; p++) {
    const project = await prisma.project.create({
      data: { organizationId, name: `${name} project ${p}`, code: `P${p}` },
    });
    s.projectIds.push(project.id);
    const owner = await prisma.person.create({
      data: { organizationId, name: `${name} owner ${p}`, email: `owner${p}@${organizationId}.test` },
    });
    const peer = await prisma.person.create({
      data: {
        organizationId,
        name: `${name} peer ${p}`,
        email: `peer${p}@${organizationId}.test`,
        managerId: owner.id,
      },
    });
    s.personIds.push(owner.id, peer.id);
    for (let c = 0; c < contractorsPerProject; c++) {
      const contractor = await prisma.contractor.create({
        data: {
          organizationId,
          name: `${name} contractor ${p}-${String(c).padStart(3, '0')}`,
          city: c % 2 ? 'Portland' : 'Boise',
          approvalStatus: c % 2 ? 'APPROVED' : 'PENDING',
          tags: c % 3 === 0 ? ['union'] : [],
          projects: { connect: { id: project.id } },
        },
      });
      s.contractorIds.push(contractor.id);
      for (let w = 0; w < workersPerContractor; w++) {
        const worker = await prisma.worker.create({
          data: {
            organizationId,
            contractorId: contractor.id,
            firstName: `W${w}`,
            lastName: `${name} ${p}-${c}`,
            qualifications: {
              create: { organizationId, name: 'OSHA 30', issuer: 'OSHA', licenseNumber: `L-${p}-${c}-${w}` },
            },
          },
        });
        s.workerIds.push(worker.id);
      }
    }
    const goal = await prisma.goal.create({
      data: {
        organizationId,
        projectId: project.id,
        ownerId: owner.id,
        title: `${name} goal ${p}`,
        status: p % 2 ? 'AT_RISK' : 'ON_TRACK',
        milestones: { create: [{ organizationId, title: 'First', position: 0 }] },
        comments: { create: [{ organizationId, authorId: peer.id, body: 'Looks good' }] },
      },
    });
    s.goalIds.push(goal.id);
    const conversation = await prisma.conversation.create({
      data: {
        organizationId,
        projectId: project.id,
        templateId: template.id,
        participants: { connect: [{ id: owner.id }, { id: peer.id }] },
      },
    });
    s.conversationIds.push(conversation.id);
    const recognition = await prisma.recognition.create({
      data: {
        organizationId,
        projectId: project.id,
        giverId: owner.id,
        message: 'Thanks!',
        hashtags: p % 2 ? ['teamwork'] : ['safety'],
        receivers: { connect: [{ id: peer.id }] },
      },
    });
    s.recognitionIds.push(recognition.id);
  }
  return s;
}

/**
 * An API key made directly in the database (fixture), for tests of what keys may do.
 * The key lifecycle itself is tested through the API in api-keys tests.
 */
export async function apiKeyFixture(
  prisma: PrismaClient,
  organizationId: string,
  {
    projectIds,
    allowWrites = false,
    canReadQualificationData = false,
    canWritePeople = false,
    permissions = [],
    name = `fixture key ${Math.random().toString(36).slice(2)}`,
  }: {
    projectIds: string[];
    allowWrites?: boolean;
    canReadQualificationData?: boolean;
    canWritePeople?: boolean;
    /** The key's own `[{ resource, access }]` list; empty: none (its flags alone decide). */
    permissions?: { resource: string; access: string }[];
    name?: string;
  },
): Promise<{ id: string; token: string }> {
  const issued = issueToken('cgk');
  const key = await prisma.apiKey.create({
    data: {
      organizationId,
      name,
      normalizedName: name.toLowerCase(),
      keyId: issued.id,
      secretHash: issued.secretHash,
      allowWrites,
      canReadQualificationData,
      canWritePeople,
      permissions,
      projects: { connect: projectIds.map((id) => ({ id })) },
    },
  });
  return { id: key.id, token: issued.token };
}

/** Global ids of a scenario's rows by index; `org` is read when called (fixtures are made in beforeAll). */
export function scenarioIds(org: () => OrganizationScenario) {
  return {
    project: (i: number, o = org()) => globalId('Project', o.projectIds[i]),
    /** People: 2p owns project p's scenario goal, 2p + 1 is a peer reporting to them. */
    person: (i: number, o = org()) => globalId('Person', o.personIds[i]),
    contractor: (i: number, o = org()) => globalId('Contractor', o.contractorIds[i]),
    worker: (i: number, o = org()) => globalId('Worker', o.workerIds[i]),
    template: (o = org()) => globalId('ConversationTemplate', o.templateIds[0]),
  };
}

export interface WriteScenario {
  server: TestServer;
  /** The organisation the tests write to. */
  acme: OrganizationScenario;
  /** Another organisation (one project, one contractor, one worker): its ids must not work for Acme. */
  other: OrganizationScenario;
  /** Keys of Acme's project 0: read-only, and one that allows writes. */
  keys: Record<'readOnly' | 'writer', string>;
}

/**
 * The fixture of the mutation tests: a test server (`now` its clock), Acme with `acme`'s shape
 * (by default two projects, one contractor each, one worker each), Other, and Acme's two keys.
 */
export async function writeScenario({
  now,
  acme: shape = {},
}: { now?: () => Date; acme?: Parameters<typeof organizationWith>[2] } = {}): Promise<WriteScenario> {
  const server = await startTestServer(now ? { now } : {});
  const prisma = server.db.prisma;
  const acme = await organizationWith(prisma, 'Acme', {
    projects: 2,
    contractorsPerProject: 1,
    workersPerContractor: 1,
    ...shape,
  });
  const other = await organizationWith(prisma, 'Other', {
    projects: 1,
    contractorsPerProject: 1,
    workersPerContractor: 1,
  });
  const p0 = [acme.projectIds[0]];
  const keys = {
    readOnly: (await apiKeyFixture(prisma, acme.organizationId, { projectIds: p0 })).token,
    writer: (await apiKeyFixture(prisma, acme.organizationId, { projectIds: p0, allowWrites: true })).token,
  };
  return { server, acme, other, keys };
}

/** The token of a new PROJECT_ADMIN of an organisation's given projects. */
export async function projectAdminToken(
  prisma: PrismaClient,
  organizationName: string,
  projectIds: string[],
  email = `site@${organizationName.toLowerCase().replace(/\W+/g, '-')}.test`,
): Promise<string> {
  return (await createAdmin(prisma, { organizationName, email, role: 'PROJECT_ADMIN', projects: projectIds })).token;
}

/** A person of Acme linked to nothing ("Lone Wolf"): no key can see them until a goal of theirs says so. */
export async function lonePerson(prisma: PrismaClient, acme: OrganizationScenario): Promise<string> {
  const loner = await prisma.person.create({
    data: { organizationId: acme.organizationId, name: 'Lone Wolf', email: 'loner@acme.test' },
  });
  return loner.id;
}
