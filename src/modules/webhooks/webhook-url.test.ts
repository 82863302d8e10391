import { describe, expect, it } from 'vitest';
import { addressRefusal } from './webhook-url.ts';

/**
 * [address, refusal in production (null: allowed), refusal with WEBHOOKS_ALLOW_HTTP=1].
 * Every IPv6 form that carries an IPv4 address is judged by that address.
 */
const FORMS: [string, RegExp | null, RegExp | null][] = [
  // plain addresses, for reference
  ['8.8.8.8', null, null],
  ['2606:4700::1111', null, null],
  ['127.0.0.1', /loopback/, null],
  ['169.254.169.254', /linkLocal/, /linkLocal/],
  ['::1', /loopback/, null],
  ['::', /unspecified/, null],
  // IPv4-compatible ::/96
  ['::7f00:1', /carries 127\.0\.0\.1, a loopback/, null],
  ['::127.0.0.1', /carries 127\.0\.0\.1, a loopback/, null],
  ['::a9fe:a9fe', /carries 169\.254\.169\.254, a linkLocal/, /linkLocal/],
  ['::a00:1', /carries 10\.0\.0\.1, a private/, null],
  ['::808:808', null, null],
  // IPv4-mapped ::ffff:0:0/96
  ['::ffff:127.0.0.1', /carries 127\.0\.0\.1/, null],
  ['::ffff:a9fe:a9fe', /linkLocal/, /linkLocal/],
  ['::ffff:100.100.100.200', /metadata/, /metadata/],
  ['::ffff:8.8.8.8', null, null],
  // IPv4-translated ::ffff:0:0:0/96
  ['::ffff:0:7f00:1', /carries 127\.0\.0\.1/, null],
  ['::ffff:0:a9fe:a9fe', /linkLocal/, /linkLocal/],
  ['::ffff:0:808:808', null, null],
  // NAT64 64:ff9b::/96
  ['64:ff9b::7f00:1', /carries 127\.0\.0\.1/, null],
  ['64:ff9b::169.254.169.254', /linkLocal/, /linkLocal/],
  ['64:ff9b::a83f:8110', /carries 168\.63\.129\.16, a cloud metadata/, /metadata/],
  ['64:ff9b::808:808', null, null],
  // local-use NAT64 64:ff9b:1::/48: every RFC 6052 position must pass
  ['64:ff9b:1:a9fe:a9:fe00::', /carries 169\.254\.169\.254/, /linkLocal/], // at /48
  ['64:ff9b:1::a9fe:a9fe', /linkLocal|unspecified/, /linkLocal/], // at /96
  ['64:ff9b:1:808:8:800:808:808', null, null], // 8.8.8.8 at /48 and /96, 8.8.8.0 at /56, 8.8.0.8 at /64
  // 6to4 2002::/16, the address in bits 16–48
  ['2002:7f00:1::', /carries 127\.0\.0\.1/, null],
  ['2002:a9fe:a9fe::1', /carries 169\.254\.169\.254/, /linkLocal/],
  ['2002:808:808::1', null, null],
  // Teredo 2001::/32, the client in bits 96–128, inverted
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', /carries 127\.0\.0\.1/, null],
  ['2001:0:4136:e378:8000:63bf:5601:5601', /carries 169\.254\.169\.254/, /linkLocal/],
  ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', null, null],
  // metadata over IPv6, and other special ranges stay refused
  ['fd00:ec2::254', /metadata/, /metadata/],
  ['fe80::1', /linkLocal/, /linkLocal/],
  ['ff02::1', /multicast/, /multicast/],
];

describe('addressRefusal', () => {
  it.each(FORMS)('%s', (address, production, development) => {
    for (const [allowPrivate, expected] of [
      [false, production],
      [true, development],
    ] as const) {
      const refusal = addressRefusal(address, allowPrivate);
      if (expected) expect(refusal, `allowPrivate: ${allowPrivate}`).toMatch(expected);
      else expect(refusal, `allowPrivate: ${allowPrivate}`).toBeNull();
    }
  });
});
