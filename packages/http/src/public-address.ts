import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { BlockList, isIP } from 'node:net';
import dns from 'node:dns';

/**
 * Guards outgoing requests to URLs that site owners give us (webhooks) from
 * reaching our own network: loopback, private, link-local (cloud metadata),
 * carrier-grade NAT, multicast and reserved ranges are refused unless the
 * operator allows them (WEBHOOK_ALLOW_PRIVATE, for tests and intranets).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP literal is loopback, private or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is the IPv4 address in disguise.
    const mapped = address.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
    if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * Checks a URL before we store it: http(s) only, and (unless `allowPrivate`)
 * neither the literal host nor any address it resolves to may be private.
 * Returns the reason it is refused, or null when it is fine.
 */
export async function checkOutgoingUrl(value: string, options: { allowPrivate: boolean }): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
  if (url.username || url.password) return 'must not contain credentials';
  if (options.allowPrivate) return null;
  const host = bareHost(url.hostname);
  if (isIP(host)) return isPrivateAddress(host) ? 'points to a loopback or private address' : null;
  if (host === 'localhost' || host.endsWith('.localhost')) return 'points to a loopback or private address';
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    return `host ${host} does not resolve`;
  }
  if (addresses.length === 0) return `host ${host} does not resolve`;
  return addresses.some((a) => isPrivateAddress(a.address)) ? 'resolves to a loopback or private address' : null;
}

/**
 * A `lookup` for http.request that refuses private addresses. The socket
 * connects to exactly the address checked here, so a DNS answer that changes
 * between our check and the connection (DNS rebinding) cannot slip through.
 */
export function publicOnlyLookup(options: { allowPrivate: boolean }): LookupFunction {
  return function lookupPublic(hostname, lookupOptions, callback) {
    dns.lookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as unknown as dns.LookupAddress[];
      const allowed = options.allowPrivate ? list : list.filter((a) => !isPrivateAddress(a.address));
      if (allowed.length === 0) {
        const refused = Object.assign(new Error(`${hostname} resolves to a loopback or private address`), {
          code: 'EPRIVATEADDRESS',
        });
        return callback(refused, '', 0);
      }
      if ((lookupOptions as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, allowed);
      const first = allowed[0]!;
      callback(null, first.address, first.family);
    });
  };
}
