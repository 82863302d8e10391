import ipaddr from 'ipaddr.js';

export const MAX_URL_LENGTH = 2048;

/**
 * Cloud metadata and platform addresses that are never a webhook receiver, whatever the
 * configuration (169.254.169.254 and fe80::/10 are link-local and refused anyway).
 */
const METADATA_ADDRESSES = new Set(
  [
    'fd00:ec2::254', // AWS instance metadata over IPv6
    '100.100.100.200', // Alibaba Cloud metadata
    '168.63.129.16', // Azure wire server
    '192.0.0.192', // Oracle Cloud metadata
  ].map((a) => ipaddr.parse(a).toNormalizedString()),
);

/** Ranges a development setup (WEBHOOKS_ALLOW_HTTP=1) may deliver to, besides public unicast. */
const DEVELOPMENT_RANGES = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat', 'unspecified']);

const bytesAt = (bytes: number[], from: number, prefix: number[]) => prefix.every((b, i) => bytes[from + i] === b);
const ipv4At = (bytes: number[], from: number) => new ipaddr.IPv4(bytes.slice(from, from + 4));

/**
 * The IPv4 addresses an IPv6 address carries, i.e. where a packet to it may end up: IPv4-
 * compatible `::a.b.c.d`, mapped `::ffff:a.b.c.d`, translated `::ffff:0:a.b.c.d`, NAT64
 * `64:ff9b::/96`, 6to4 `2002::/16` (bits 16–48) and Teredo `2001::/32` (the client, bits
 * 96–128 inverted). Local-use NAT64 `64:ff9b:1::/48` may use any RFC 6052 prefix length from
 * /48, so every position it allows is returned. Empty for any other address (and for `::`, `::1`).
 */
export function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4[] {
  const bytes = address.toByteArray();
  const zeros = (n: number) => new Array<number>(n).fill(0);
  if (bytesAt(bytes, 0, zeros(12))) {
    const low = ipv4At(bytes, 12).toByteArray();
    return bytesAt(low, 0, [0, 0, 0]) && low[3] <= 1 ? [] : [ipv4At(bytes, 12)];
  }
  if (bytesAt(bytes, 0, [...zeros(10), 0xff, 0xff])) return [ipv4At(bytes, 12)];
  if (bytesAt(bytes, 0, [...zeros(8), 0xff, 0xff, 0, 0])) return [ipv4At(bytes, 12)];
  if (bytesAt(bytes, 0, [0, 0x64, 0xff, 0x9b, ...zeros(8)])) return [ipv4At(bytes, 12)];
  if (bytesAt(bytes, 0, [0, 0x64, 0xff, 0x9b, 0, 1])) {
    // RFC 6052: bits 64–71 are zero and skipped; /48, /56, /64 and /96 put the address at these bytes.
    const withoutU = [...bytes.slice(0, 8), ...bytes.slice(9)];
    return [6, 7, 8, 11].map((from) => ipv4At(withoutU, from));
  }
  if (bytesAt(bytes, 0, [0x20, 0x02])) return [ipv4At(bytes, 2)];
  if (bytesAt(bytes, 0, [0x20, 0x01, 0, 0])) return [new ipaddr.IPv4(bytes.slice(12).map((b) => b ^ 0xff))];
  return [];
}

function refusalOf(parsed: ipaddr.IPv4 | ipaddr.IPv6, allowPrivate: boolean): string | null {
  if (METADATA_ADDRESSES.has(parsed.toNormalizedString())) return 'a cloud metadata address';
  const range = parsed.range();
  if (range === 'unicast') return null;
  if (allowPrivate && DEVELOPMENT_RANGES.has(range)) return null;
  return `a ${range} address`;
}

/**
 * Why `address` must not receive webhooks, or null if it may. Only public unicast
 * addresses qualify, plus loopback and private ranges when `allowPrivate` (development);
 * link-local, multicast, metadata and other special addresses never do. An IPv6 address
 * that carries an IPv4 address (see `embeddedIPv4`) is judged by the IPv4 address(es) alone.
 */
export function addressRefusal(address: string, allowPrivate: boolean): string | null {
  if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
  const parsed = ipaddr.parse(address);
  const carried = parsed.kind() === 'ipv6' ? embeddedIPv4(parsed as ipaddr.IPv6) : [];
  for (const inner of carried) {
    const refusal = refusalOf(inner, allowPrivate);
    if (refusal) return `${address} carries ${inner.toString()}, ${refusal}`;
  }
  if (carried.length) return null;
  const refusal = refusalOf(parsed, allowPrivate);
  return refusal && `${address} is ${refusal}`;
}

export type UrlCheck = { url: URL; problem?: undefined } | { url?: undefined; problem: string };

/**
 * The rules checked when an endpoint is created or changed: an absolute https URL (http
 * too when `allowHttp`), no credentials in it, and a host that is not an address we would
 * refuse to deliver to. Host names are resolved and checked again at every delivery.
 */
export function checkWebhookUrl(raw: string, allowHttp: boolean): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'url is not a valid absolute URL.' };
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    return {
      problem: allowHttp ? 'url must start with https:// or http://.' : 'url must start with https://.',
    };
  }
  if (url.username || url.password) return { problem: 'url must not contain a user name or password.' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) {
    const refusal = addressRefusal(host, allowHttp);
    if (refusal) return { problem: `url points to a forbidden address: ${refusal}.` };
  } else if (!allowHttp && (host === 'localhost' || host.endsWith('.localhost'))) {
    return { problem: 'url points to a forbidden address: localhost.' };
  }
  return { url };
}
