import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may not go (SSRF guard): addresses of this host, of private networks and of the
 * cloud's metadata service. Checked when a subscription is written and again before every attempt,
 * on every address the name resolves to; the attempt then connects to the address checked (the
 * connection is pinned), so a DNS answer that changes in between (rebinding) cannot slip through.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services)
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed inside some networks)
  ['2002::', 16], // 6to4: embeds an IPv4 address, private ones included
  ['2001::', 32], // Teredo: tunnels to an embedded IPv4 address
  ['ff00::', 8], // multicast
  ['64:ff9b:1::', 48], // local-use NAT64
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address an IPv6 one embeds (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`), if any. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return undefined;
  const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Whether an IP address is loopback, private, link-local, unspecified, multicast or reserved. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    return v4 !== undefined ? blocked.check(v4, 'ipv4') : blocked.check(address, 'ipv6');
  }
  return true; // not an address at all
}

export class TargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefused';
  }
}

export interface CheckedTarget {
  url: URL;
  /** The address to connect to (checked). */
  address: string;
  family: 4 | 6;
}

export type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;

/**
 * At most this many name lookups in flight per process. `dns.lookup` runs on one of libuv's four
 * threadpool threads and cannot be cancelled: a name whose server never answers holds its thread for
 * the resolver's own timeouts. Bounding the lookups in flight keeps such names (a tenant admin chooses
 * them) from taking the threads the file system, crypto and the database's own lookups need; a caller
 * over the bound waits its turn, within its own time bound (checkTargetWithin).
 */
const LOOKUPS_IN_FLIGHT = 2;
let inFlight = 0;
const waiting: (() => void)[] = [];
const resolveAll: Resolve = async (hostname) => {
  if (inFlight >= LOOKUPS_IN_FLIGHT) await new Promise<void>((turn) => waiting.push(turn));
  inFlight += 1;
  try {
    return await lookup(hostname, { all: true, verbatim: true });
  } finally {
    inFlight -= 1;
    waiting.shift()?.();
  }
};

/**
 * Checks a subscription URL and resolves its host: https (http too when private targets are allowed),
 * no user info, and every address the host resolves to public unless `allowPrivate`. Throws
 * TargetRefused with a message for the API client; answers the address to connect to. A name that does
 * not resolve is refused unless `unresolved: 'accept'` (a subscription may be written before its DNS
 * record exists: it can reach nothing, and every attempt checks again); the answer then has no address.
 */
export async function checkTarget(
  text: string,
  allowPrivate: boolean,
  resolve: Resolve = resolveAll,
  unresolved: 'refuse' | 'accept' = 'refuse',
): Promise<CheckedTarget | undefined> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetRefused('url must be an absolute URL, e.g. https://hooks.example.com/sales');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw new TargetRefused('url must use https');
  if (url.username || url.password) throw new TargetRefused('url must not carry a user name or password');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) {
      if (unresolved === 'accept') return undefined;
      throw new TargetRefused(`url's host ${host} does not resolve`);
    }
  }
  if (!allowPrivate) {
    const bad = addresses.find((a) => isBlockedAddress(a.address));
    if (bad) {
      throw new TargetRefused(
        `url must point to a public address: ${host === bad.address ? host : `${host} resolves to ${bad.address}`}, a loopback, private, link-local or reserved address`,
      );
    }
  }
  const first = addresses[0];
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/**
 * checkTarget within `ms`: past it, a TargetRefused (the lookup itself cannot be cancelled; its late
 * answer is ignored). With `unresolved: 'accept'`, a name that did not resolve in time counts as one
 * that does not resolve yet.
 */
export async function checkTargetWithin(
  text: string,
  allowPrivate: boolean,
  ms: number,
  unresolved: 'refuse' | 'accept' = 'refuse',
  resolve: Resolve = resolveAll,
): Promise<CheckedTarget | undefined> {
  const late = Symbol('late');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof late>((done) => {
    timer = setTimeout(() => done(late), ms);
  });
  try {
    const answer = await Promise.race([checkTarget(text, allowPrivate, resolve, unresolved), deadline]);
    if (answer !== late) return answer;
    if (unresolved === 'accept') return undefined;
    throw new TargetRefused(`the host name did not resolve within ${ms} ms`);
  } finally {
    clearTimeout(timer);
  }
}
