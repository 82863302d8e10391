import type { Prisma } from '../generated/prisma/client.ts';
import type { TalentPotential } from '../generated/prisma/enums.ts';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

const POTENTIALS: TalentPotential[] = ['HIGH', 'MEDIUM', 'LOW', 'MEDIUM'];
const NOTES = [
  'Ready to direct a second site; pair with a mentor for commercial reviews.',
  'Steady delivery; wants more time on design coordination.',
  null,
  'Strong safety record; discuss a move to the engineering track.',
];

/**
 * The demo organisation's calibration: last year's second half (CLOSED, every person rated)
 * and this year's (OPEN, half of the people rated so far), so a key shows rating and potential
 * of the people of its projects while notes stay with the admins.
 */
export async function seedCalibration(tx: Prisma.TransactionClient, organizationId: string, people: { id: string }[]) {
  const closed = await tx.calibrationCycle.create({
    data: { organizationId, name: '2025 H2', startsOn: day('2025-07-01'), endsOn: day('2025-12-31'), status: 'CLOSED' },
  });
  const open = await tx.calibrationCycle.create({
    data: { organizationId, name: '2026 H2', startsOn: day('2026-07-01'), endsOn: day('2026-12-31'), status: 'OPEN' },
  });
  for (const [i, person] of people.entries()) {
    await tx.talentRecord.create({
      data: {
        organizationId,
        cycleId: closed.id,
        personId: person.id,
        rating: 2 + ((i * 3) % 4),
        potential: POTENTIALS[i % POTENTIALS.length],
        notes: NOTES[i % NOTES.length],
      },
    });
    if (i % 2 === 0) {
      await tx.talentRecord.create({
        data: {
          organizationId,
          cycleId: open.id,
          personId: person.id,
          rating: 3 + (i % 3),
          potential: POTENTIALS[(i + 1) % POTENTIALS.length],
          notes: i === 0 ? 'Calibrated at the regional review; confirm with the VP.' : null,
        },
      });
    }
  }
}
