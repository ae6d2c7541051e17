import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * Community ID flow hashing, version 1 (https://github.com/corelight/community-id-spec): the same
 * flow gets the same ID in every tool that implements it (Zeek, Suricata, Elastic's community_id
 * ingest processor). No npm package implements it, so it is written here from the spec, and tested
 * against the spec's published baseline.
 */

const TCP = 6;
const UDP = 17;
const SCTP = 132;
const ICMP = 1;
const ICMP6 = 58;

// ICMP types whose counterpart makes the pair two-way, as the spec (after Zeek) maps them.
const ICMP4_COUNTERPART: Record<number, number> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 10: 9, 9: 10, 17: 18, 18: 17 };
const ICMP6_COUNTERPART: Record<number, number> = {
  128: 129,
  129: 128,
  133: 134,
  134: 133,
  135: 136,
  136: 135,
  130: 131,
  131: 130,
  139: 140,
  140: 139,
  144: 145,
  145: 144,
};

/** The 4 or 16 bytes of an address (an IPv4-mapped IPv6 address counts as IPv4); undefined if not one. */
export function addressBytes(address: string): Buffer | undefined {
  const zone = address.indexOf('%');
  const a = zone < 0 ? address : address.slice(0, zone);
  if (isIPv4(a)) return Buffer.from(a.split('.').map(Number));
  if (!isIPv6(a)) return undefined;
  let text = a;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1].split('.').map(Number);
    text = `${text.slice(0, -v4[1].length)}${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const bytes = Buffer.alloc(16);
  all.forEach((g, i) => bytes.writeUInt16BE(parseInt(g, 16), 2 * i));
  const mapped = bytes.subarray(0, 10).every((x) => x === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? Buffer.from(bytes.subarray(12)) : bytes;
}

export interface Flow {
  /** IANA protocol number. */
  protocol: number;
  sourceAddress: string;
  destinationAddress: string;
  /** TCP, UDP, SCTP: the ports; ICMP and ICMPv6: the type and code. Others: ignored. */
  sourcePort?: number;
  destinationPort?: number;
}

/** The flow's Community ID (`1:` and the base64 SHA-1), or undefined when an address is not one. */
export function communityId(flow: Flow, seed = 0): string | undefined {
  let src = addressBytes(flow.sourceAddress);
  let dst = addressBytes(flow.destinationAddress);
  if (!src || !dst || src.length !== dst.length) return undefined;
  const proto = flow.protocol;
  const hasPorts = proto === TCP || proto === UDP || proto === SCTP || proto === ICMP || proto === ICMP6;
  let sport = flow.sourcePort ?? 0;
  let dport = flow.destinationPort ?? 0;
  if (hasPorts && (flow.sourcePort === undefined || flow.destinationPort === undefined)) return undefined;
  let oneWay = false;
  if (proto === ICMP || proto === ICMP6) {
    const counterpart = (proto === ICMP ? ICMP4_COUNTERPART : ICMP6_COUNTERPART)[sport];
    if (counterpart === undefined) oneWay = true;
    else dport = counterpart;
  }
  const order = Buffer.compare(src, dst);
  if (!oneWay && (order > 0 || (order === 0 && hasPorts && sport > dport))) {
    [src, dst] = [dst, src];
    [sport, dport] = [dport, sport];
  }
  const head = Buffer.alloc(2);
  head.writeUInt16BE(seed);
  const parts = [head, src, dst, Buffer.from([proto, 0])];
  if (hasPorts) {
    const ports = Buffer.alloc(4);
    ports.writeUInt16BE(sport & 0xffff, 0);
    ports.writeUInt16BE(dport & 0xffff, 2);
    parts.push(ports);
  }
  return `1:${createHash('sha1').update(Buffer.concat(parts)).digest('base64')}`;
}
