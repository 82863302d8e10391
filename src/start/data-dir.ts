import path from 'node:path';
import { loadConfig } from '../config.ts';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'part of the path is a file, not a directory',
  EEXIST: 'it is a file, not a directory',
  ENOSPC: 'no space left on the device',
};

/**
 * The one line for a data directory the embedded database cannot create or write, or
 * undefined when the error is something else.
 */
export function dataDirFailure(error: unknown, dataDir: string): string | undefined {
  const { code, path: where } = (error ?? {}) as NodeJS.ErrnoException;
  if (!code || !REASONS[code] || typeof where !== 'string') return undefined;
  const inside = (parent: string, child: string) => !path.relative(parent, child).startsWith('..');
  const target = path.resolve(where);
  if (!inside(dataDir, target) && !inside(target, dataDir)) return undefined;
  return `cannot use ${dataDir} (DATA_DIR) for the embedded database: ${REASONS[code]}; set DATA_DIR to a writable directory, or DATABASE_URL to use PostgreSQL`;
}

/** dataDirFailure for the configured embedded database (none with DATABASE_URL or a bad configuration). */
export function configuredDataDirFailure(error: unknown): string | undefined {
  try {
    const config = loadConfig();
    return config.databaseUrl ? undefined : dataDirFailure(error, config.dataDir);
  } catch {
    return undefined;
  }
}
