// Builds the .evtx files `npm run bench` reads: real chunks of the repository's Security logs
// (test/fixtures/evtx), each whole chunk whose records checksum holds, repeated round-robin to the
// size asked for, every record renumbered (its header's identifier and its EventRecordID value) and
// every checksum made valid again. Written into the benchmark's temporary folder, never committed.
import { closeSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'evtx');
const CHUNK = 65536;
const HEADER = 4096;
export const SECURITY_LOGS = [
  'Velocidex-evtx--Security.evtx',
  'omerbenamram-evtx--Security_with_size_t.evtx',
  'omerbenamram-evtx--post-Security.evtx',
  'omerbenamram-evtx--Security_short_selected.evtx',
  'mdecrevoisier-EVTX-to-MITRE-Attack--ID4719-Audit-policy_deactivated.evtx',
  'mdecrevoisier-EVTX-to-MITRE-Attack--ID4719-Audit_policy_deactivation.evtx',
  'log2timeline-plaso--System2.evtx', // a Security log despite its name
];

const TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  return c;
});
function crc32(...parts) {
  if (zlib.crc32) return parts.reduce((crc, p) => zlib.crc32(p, crc), 0);
  let crc = ~0;
  for (const p of parts) for (const b of p) crc = TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** The whole chunks of the repository's Security logs whose records checksum holds. */
export function securityChunks() {
  const chunks = [];
  for (const name of SECURITY_LOGS) {
    const file = zlib.gunzipSync(readFileSync(path.join(FIXTURES, `${name}.gz`)));
    for (let at = HEADER; at + CHUNK <= file.length; at += CHUNK) {
      const c = file.subarray(at, at + CHUNK);
      if (c.toString('latin1', 0, 8) !== 'ElfChnk\0') continue;
      const free = c.readUInt32LE(48);
      if (free < 512 || free > CHUNK || crc32(c.subarray(512, free)) !== c.readUInt32LE(52)) continue;
      chunks.push(Buffer.from(c));
    }
  }
  return chunks;
}

// The EventRecordID of a record is the template value equal to its header's identifier.
function renumberValue(c, from, end, old, id) {
  let p = from;
  while (p < end && c[p] === 0x0f) p += 4;
  if (c[p] !== 0x0c) return;
  const def = c.readUInt32LE(p + 6);
  p += 10;
  if (def === p) p += 24 + c.readUInt32LE(p + 20);
  const count = c.readUInt32LE(p);
  let data = p + 4 + 4 * count;
  for (let i = 0; i < count && data <= end; i++) {
    const size = c.readUInt16LE(p + 4 + 4 * i);
    const type = c[p + 4 + 4 * i + 2];
    if (type === 0x0a && size === 8 && c.readBigUInt64LE(data) === old) {
      c.writeBigUInt64LE(id, data);
      return;
    }
    data += size;
  }
}

function renumber(chunk, firstId) {
  const c = Buffer.from(chunk);
  const free = c.readUInt32LE(48);
  let id = firstId;
  for (let at = 512; at + 28 <= free && c.readUInt32LE(at) === 0x2a2a; ) {
    const size = c.readUInt32LE(at + 4);
    const old = c.readBigUInt64LE(at + 8);
    c.writeBigUInt64LE(id, at + 8);
    renumberValue(c, at + 24, at + size - 4, old, id);
    id++;
    at += size;
  }
  for (const o of [8, 24]) c.writeBigUInt64LE(firstId, o);
  for (const o of [16, 32]) c.writeBigUInt64LE(id - 1n, o);
  c.writeUInt32LE(crc32(c.subarray(512, free)), 52);
  c.writeUInt32LE(crc32(c.subarray(0, 120), c.subarray(128, 512)), 124);
  return { chunk: c, next: id };
}

/**
 * Writes `count` chunks (round-robin over `chunks`) as one .evtx file, its records numbered from
 * `firstId`; returns its record count.
 */
export function writeEvtx(file, chunks, count, firstId = 1n) {
  const header = Buffer.alloc(HEADER);
  header.write('ElfFile\0', 0, 'latin1');
  header.writeBigUInt64LE(BigInt(count - 1), 16);
  header.writeUInt32LE(128, 32);
  header.writeUInt16LE(1, 36);
  header.writeUInt16LE(3, 38);
  header.writeUInt16LE(HEADER, 40);
  header.writeUInt16LE(Math.min(count, 0xffff), 42);
  const fd = openSync(file, 'w');
  let id = firstId;
  try {
    writeSync(fd, header);
    for (let i = 0; i < count; i++) {
      const r = renumber(chunks[i % chunks.length], id);
      id = r.next;
      writeSync(fd, r.chunk);
    }
    header.writeBigUInt64LE(id, 24);
    header.writeUInt32LE(crc32(header.subarray(0, 120)), 124);
    writeSync(fd, header, 0, HEADER, 0);
  } finally {
    closeSync(fd);
  }
  return Number(id - firstId);
}

export const CHUNK_SIZE = CHUNK;
