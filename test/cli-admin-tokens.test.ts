import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.ts';
import { createTestDatabase } from './support/database.ts';
import { runScript } from './support/process.ts';

const DAY = 86_400_000;

// Real processes (tsx, PGlite, migrations): slow when the machine is busy, so generous limits.
describe('create-admin --expires-in and --token-name', { timeout: 300_000 }, () => {
  it("name and expire the new token, refuse junk (exit 2) and follow the organisation's cap (exit 1)", async () => {
    // On PostgreSQL a throwaway database; otherwise a fresh embedded one in a temp dir.
    const target = process.env.DATABASE_URL ? await createTestDatabase() : null;
    const tempDir = target ? null : mkdtempSync(path.join(tmpdir(), 'crewgraph-cli-'));
    const cliEnv = target ? { DATABASE_URL: target.url } : { DATABASE_URL: '', DATA_DIR: tempDir! };
    const cli = (...args: string[]) =>
      runScript(
        'src/cli.ts',
        ['create-admin', '--org', 'Cli Tokens', '--email', 'ops@example.com', ...args, '--json'],
        cliEnv,
      );
    /** Reads or writes directly (PGlite is closed again for the CLI). */
    const withDb = async <T>(fn: (db: Database) => Promise<T>) => {
      const db = target ?? (await openDatabase({ dataDir: tempDir! }));
      try {
        return await fn(db);
      } finally {
        if (!target) await db.close();
      }
    };
    const tokenRow = (token: string) =>
      withDb((db) => db.prisma.adminToken.findUniqueOrThrow({ where: { tokenId: token.split('_')[1] } }));
    const oneLine = (out: { code: number | null; stdout: string; stderr: string }, code: number) => {
      expect([out.code, out.stdout]).toEqual([code, '']);
      const message = out.stderr.trim();
      expect(message.split('\n')).toHaveLength(1);
      return message;
    };
    try {
      for (const junk of ['soon', '30', '0d', '1.5h', '36501d']) {
        expect(oneLine(await cli('--expires-in', junk), 2)).toBe(
          `crewgraph: --expires-in must be a whole number of days, hours or minutes up to 100 years (e.g. 30d, 12h, 90m), got "${junk}"`,
        );
      }
      expect(oneLine(await cli('--token-name', '  '), 2)).toBe('crewgraph: --token-name needs 1 to 100 characters');
      expect(oneLine(await cli('--token-name', 'x'.repeat(101)), 2)).toBe(
        'crewgraph: --token-name needs 1 to 100 characters',
      );

      const before = Date.now();
      const named = await cli('--expires-in', '30d', '--token-name', ' deploy laptop ');
      expect([named.code, named.stderr]).toEqual([0, '']);
      const { organizationId, token } = JSON.parse(named.stdout);
      const row = await tokenRow(token);
      expect(row).toMatchObject({ name: 'deploy laptop', createdById: null, revokedAt: null });
      expect(row.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 30 * DAY);
      expect(row.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 30 * DAY);

      const hours = JSON.parse((await cli('--expires-in', '12h')).stdout);
      expect((await tokenRow(hours.token)).expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 12 * 3_600_000);
      const plain = JSON.parse((await cli()).stdout);
      expect(await tokenRow(plain.token)).toMatchObject({ name: null, expiresAt: null });

      // The organisation's cap: an expiry is required and at most that far away.
      await withDb((db) =>
        db.prisma.organization.update({ where: { id: organizationId }, data: { maxAdminTokenLifetimeDays: 7 } }),
      );
      const count = await withDb((db) => db.prisma.adminToken.count());
      expect(oneLine(await cli(), 1)).toBe(
        'crewgraph: organisation "Cli Tokens" allows admin tokens of at most 7 days: give --expires-in (at most 7d)',
      );
      expect(oneLine(await cli('--expires-in', '8d'), 1)).toBe(
        'crewgraph: organisation "Cli Tokens" allows admin tokens of at most 7 days: --expires-in is longer than that (at most 7d)',
      );
      expect(await withDb((db) => db.prisma.adminToken.count())).toBe(count);
      const within = await cli('--expires-in', '7d');
      expect([within.code, within.stderr]).toEqual([0, '']);
    } finally {
      await target?.drop();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    }
  });
});
