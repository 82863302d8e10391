import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Token format (GitHub-style): `<prefix>_<id>_<secret><checksum>`
 *  - prefix: `cga` admin token, `cgk` API key, `cgt` short-lived access token
 *  - id: 12 base62 characters, public, stored in clear and shown (`keyId`)
 *  - secret: 43 base62 characters from crypto.randomBytes (≈ 256 bits); only SHA-256 is stored
 *  - checksum: CRC32 of everything before it, 6 base62 characters, so typos and made-up
 *    tokens are rejected without a database query and secret scanners can spot real ones.
 */
export type TokenPrefix = 'cga' | 'cgk' | 'cgt';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 12;
const SECRET_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
const TOKEN_PATTERN = new RegExp(
  `^(cga|cgk|cgt)_([0-9A-Za-z]{${ID_LENGTH}})_([0-9A-Za-z]{${SECRET_LENGTH}})([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`,
);

/** Uniform base62 string: rejection sampling keeps every character equally likely. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

function checksum(body: string): string {
  let n = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export interface IssuedToken {
  token: string;
  id: string;
  secretHash: Uint8Array<ArrayBuffer>;
}

export function hashSecret(secret: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(secret).digest());
}

export function issueToken(prefix: TokenPrefix, id = randomBase62(ID_LENGTH)): IssuedToken {
  const secret = randomBase62(SECRET_LENGTH);
  const body = `${prefix}_${id}_${secret}`;
  return { token: body + checksum(body), id, secretHash: hashSecret(secret) };
}

export interface ParsedToken {
  prefix: TokenPrefix;
  id: string;
  secret: string;
}

/** Returns null for anything that is not a well-formed token with a valid checksum. */
export function parseToken(token: string): ParsedToken | null {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  const [, prefix, id, secret, sum] = match;
  if (checksum(`${prefix}_${id}_${secret}`) !== sum) return null;
  return { prefix: prefix as TokenPrefix, id, secret };
}

const DUMMY_HASH = hashSecret('crewgraph-dummy-secret');

/**
 * Constant-time comparison of a presented secret with stored hashes. Called with no
 * stored hash (unknown id) it still does the same work, so timing does not tell
 * whether an id exists.
 */
export function secretMatches(secret: string, ...stored: (Uint8Array | null | undefined)[]): boolean {
  const presented = hashSecret(secret);
  let match = false;
  for (const hash of stored.length ? stored : [DUMMY_HASH]) {
    const candidate = hash && hash.length === presented.length ? Buffer.from(hash) : DUMMY_HASH;
    match = timingSafeEqual(presented, candidate) && candidate !== DUMMY_HASH ? true : match;
  }
  return match;
}
