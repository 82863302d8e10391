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

/**
 * Why `address` must not receive webhooks, or null if it may. Only public unicast
 * addresses qualify, plus loopback and private ranges when `allowPrivate` (development);
 * link-local, multicast, metadata and other special addresses never do. IPv4-mapped IPv6
 * addresses are judged as the IPv4 address they carry; 6to4, Teredo and NAT64 forms are
 * refused since they can hide any IPv4 address.
 */
export function addressRefusal(address: string, allowPrivate: boolean): string | null {
  if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  if (METADATA_ADDRESSES.has(parsed.toNormalizedString())) return `${address} is a cloud metadata address`;
  const range = parsed.range();
  if (range === 'unicast') return null;
  if (allowPrivate && DEVELOPMENT_RANGES.has(range)) return null;
  return `${address} is a ${range} address`;
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
