import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Principal } from '../core/principal.ts';

/**
 * Records when (and from where) a key or admin token was last used without a database
 * write per request: at most one write per credential per interval, off the request path.
 */
export class LastUsedTracker {
  private readonly lastWrite = new Map<string, number>();

  constructor(
    private readonly prisma: PrismaClient,
    /** Told when a write fails (it is not retried: the next use after the interval writes again). */
    private readonly onWriteError: (error: unknown) => void,
    private readonly intervalMs: number,
  ) {}

  touch(principal: Principal, ip: string | null, now: Date): void {
    const id = principal.kind === 'API_KEY' ? principal.apiKeyId : principal.tokenId;
    const previous = this.lastWrite.get(id);
    if (previous !== undefined && now.getTime() - previous < this.intervalMs) return;
    this.lastWrite.set(id, now.getTime());
    const write =
      principal.kind === 'API_KEY'
        ? this.prisma.apiKey.updateMany({ where: { id }, data: { lastUsedAt: now, lastUsedIp: ip } })
        : this.prisma.adminToken.updateMany({ where: { tokenId: id }, data: { lastUsedAt: now } });
    write.catch(this.onWriteError);
  }
}
