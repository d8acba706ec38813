/**
 * Client addresses as X-Forwarded-For carries them, reduced to one spelling each, and the unit a
 * per-address limit counts (tests/security/addresses.test.ts attacks both):
 *  - a proxy may append `address:port` (`203.0.113.7:51234`, `[2001:db8::7]:443`): the port is
 *    dropped, or every connection would be a new address;
 *  - IPv6 has many spellings (`2001:0DB8::1` = `2001:db8::1`): the URL parser's IPv6 serialiser
 *    (WHATWG URL, RFC 5952 form) gives the one canonical text, and an IPv4-mapped address
 *    (`::ffff:203.0.113.7`, RFC 4291 §2.5.5.2) is its IPv4 client;
 *  - one IPv6 subscriber is routinely given a whole /64 (RFC 6177), so a limit keyed on the /128 gave
 *    them 2^64 buckets: limits count an IPv6 client by its /64.
 * Web APIs only (the URL parser), so the Edge tree can use it too.
 */

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const IPV4_WITH_PORT = /^([\d.]+):\d{1,5}$/;
const BRACKETED_IPV6 = /^\[([0-9a-fA-F:.]+)\](?::\d{1,5})?$/;
const IPV6_CHARACTERS = /^[0-9a-fA-F:.]+$/;
const IPV4_MAPPED = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;
/** Longer than any address with a port; anything longer is not one. */
const MAX_ADDRESS_LENGTH = 64;
const IPV6_GROUPS = 8;
const PREFIX_GROUPS = 4;

function canonicalIpv6(text: string): string | null {
  if (!text.includes(":") || !IPV6_CHARACTERS.test(text)) return null;
  let host: string;
  try {
    host = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
  const mapped = IPV4_MAPPED.exec(host);
  if (!mapped) return host;
  const high = parseInt(mapped[1]!, 16);
  const low = parseInt(mapped[2]!, 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

/** One address in its canonical text, without a port; null when it is not an IPv4 or IPv6 address. */
export function parseIpAddress(raw: string): string | null {
  const text = raw.trim();
  if (text.length === 0 || text.length > MAX_ADDRESS_LENGTH) return null;
  const bracketed = BRACKETED_IPV6.exec(text);
  if (bracketed) return canonicalIpv6(bracketed[1]!);
  const address = IPV4_WITH_PORT.exec(text)?.[1] ?? text;
  if (IPV4.test(address)) return address;
  return canonicalIpv6(address);
}

/** The eight groups of a canonical IPv6 text (at most one `::`, no embedded IPv4). */
function groupsOf(ipv6: string): string[] {
  const [head = "", tail] = ipv6.split("::");
  const left = head ? head.split(":") : [];
  if (tail === undefined) return left;
  const right = tail ? tail.split(":") : [];
  return [...left, ...Array<string>(IPV6_GROUPS - left.length - right.length).fill("0"), ...right];
}

/** What a per-address limit counts: an IPv4 address, or the /64 of an IPv6 one (parseIpAddress's output). */
export function addressBucket(ip: string | null): string {
  if (ip === null) return "unknown";
  if (!ip.includes(":")) return ip;
  const prefix = groupsOf(ip).slice(0, PREFIX_GROUPS);
  const network = [...prefix, ...Array<string>(IPV6_GROUPS - PREFIX_GROUPS).fill("0")].join(":");
  return `${canonicalIpv6(network)}/64`;
}
