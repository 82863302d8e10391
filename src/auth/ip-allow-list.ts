import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

export const MAX_ALLOWED_IP_RANGES = 100;

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`, as dual-stack sockets report IPv4 peers) becomes IPv4. */
function parseAddress(text: string): Address | null {
  return ipaddr.isValid(text) ? ipaddr.process(text) : null;
}

/**
 * A range as given by an admin (`10.0.0.0/8`, `2001:db8::/32`, or one address), in its
 * canonical form; or an error message. A range with host bits set (`10.1.2.3/8`) is
 * refused rather than silently widened or narrowed; IPv4 must be four decimal parts.
 */
export function canonicalRange(input: string): { range: string } | { error: string } {
  const text = input.trim();
  const [addressText = '', prefixText, ...rest] = text.split('/');
  const strict =
    !rest.length &&
    !addressText.includes('%') &&
    (addressText.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(addressText));
  let address: Address;
  let prefix: number;
  try {
    if (!strict || (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))) throw new Error('invalid');
    address = ipaddr.parse(addressText);
    const bits = address.kind() === 'ipv4' ? 32 : 128;
    prefix = prefixText === undefined ? bits : Number(prefixText);
    if (prefix > bits) throw new Error('prefix');
  } catch {
    return { error: `"${input}" is not an IPv4 or IPv6 address or CIDR range.` };
  }
  const cidr = `${address.toString()}/${prefix}`;
  const network =
    address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
  if (network.toString() !== address.toString()) {
    return { error: `"${input}" has host bits set; did you mean ${network.toString()}/${prefix}?` };
  }
  return { range: cidr };
}

/** Whether `ip` is inside one of `ranges` (canonical, as stored). An empty list allows any address. */
export function ipAllowed(ip: string | null, ranges: readonly string[]): boolean {
  if (!ranges.length) return true;
  const address = ip ? parseAddress(ip) : null;
  if (!address) return false;
  return ranges.some((range) => {
    const [network, prefix] = ipaddr.parseCIDR(range);
    if (address.kind() === 'ipv4' && network.kind() === 'ipv4') {
      return (address as ipaddr.IPv4).match(network as ipaddr.IPv4, prefix);
    }
    if (address.kind() === 'ipv6' && network.kind() === 'ipv6') {
      return (address as ipaddr.IPv6).match(network as ipaddr.IPv6, prefix);
    }
    return false;
  });
}

/** Which peers may tell us the client address in X-Forwarded-For; `null` trusts none. */
export type TrustProxy = ((address: string, hop: number) => boolean) | null;

/**
 * `TRUST_PROXY`: comma-separated addresses, CIDR ranges or the names `loopback`,
 * `linklocal`, `uniquelocal` (proxy-addr's syntax). Throws on a bad entry.
 */
export function compileTrustProxy(setting: string | undefined): TrustProxy {
  const entries = (setting ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.length ? proxyaddr.compile(entries) : null;
}

/**
 * The client address of a request: the socket's peer, or, behind trusted proxies,
 * the left-most X-Forwarded-For hop those proxies vouch for. A forged header from an
 * untrusted peer changes nothing.
 */
export function clientAddress(req: IncomingMessage | undefined, trust: TrustProxy): string | null {
  if (!req?.socket) return null;
  const address = trust ? proxyaddr(req, trust) : req.socket.remoteAddress;
  if (!address) return null;
  let canonical = canonicalAddresses.get(address);
  if (canonical === undefined) {
    canonical = parseAddress(address)?.toString() ?? address;
    if (canonicalAddresses.size >= 10_000) canonicalAddresses.clear();
    canonicalAddresses.set(address, canonical);
  }
  return canonical;
}

/** Every request asks for its peer's address in canonical form; peers repeat, so it is parsed once. */
const canonicalAddresses = new Map<string, string>();
