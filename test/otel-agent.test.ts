// examples/otel-agent ships events with the official OpenTelemetry JS SDK (its own dependencies,
// installed here as a user would); a local OTLP/HTTP endpoint decodes every request that arrives and
// every field of every log record is checked against the events it came from.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toOtelLogRecord, type BlockEvent } from '../dist/index.js';
import { collect, fixture, tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

type AnyValue = { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean };
const plain = (v: AnyValue) => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.doubleValue ?? v.boolValue));

describe('examples/otel-agent', () => {
  it('delivers every event as an OTLP log record with every field, over OTLP/HTTP', async () => {
    const dir = tempDir();
    cpSync(path.join(ROOT, 'examples', 'otel-agent'), dir, { recursive: true });
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    pkg.dependencies['wfp-blocks'] = `file:${ROOT}`;
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
    execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], { cwd: dir, stdio: 'pipe' });

    const requests: Array<{ path: string | undefined; type: string | undefined; body: any }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push({ path: req.url, type: req.headers['content-type'], body: JSON.parse(body) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/logs`;
    const file = fixture('otrf-50c132c2.xml');
    try {
      const child = spawn(process.execPath, ['agent.mjs', '--endpoint', url, '--replay', file, '--include-allowed'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      expect(stderr).toBe('');
      expect(code).toBe(0);
    } finally {
      server.close();
    }

    const { events } = await collect({ source: { replay: file }, includeAllowed: true });
    expect(events.length).toBeGreaterThan(50);
    expect(requests.length).toBeGreaterThan(0);
    const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    const records: any[] = [];
    for (const r of requests) {
      expect(r.path).toBe('/v1/logs');
      expect(r.type).toMatch(/^application\/json/);
      for (const rl of r.body.resourceLogs) {
        const resource = Object.fromEntries(rl.resource.attributes.map((a: { key: string; value: AnyValue }) => [a.key, plain(a.value)]));
        expect(resource['service.name']).toBe('wfp-blocks');
        expect(typeof resource['host.name']).toBe('string');
        for (const sl of rl.scopeLogs) {
          expect(sl.scope).toMatchObject({ name: 'wfp-blocks', version });
          records.push(...sl.logRecords);
        }
      }
    }
    expect(records).toHaveLength(events.length);
    const byId = new Map(
      records.map((r) => [Number(plain(r.attributes.find((a: { key: string }) => a.key === 'wfp.record_id').value)), r]),
    );
    for (const e of events as BlockEvent[]) {
      const expected = toOtelLogRecord(e);
      const got = byId.get(e.recordId);
      expect(got, `record ${e.recordId}`).toBeDefined();
      expect(BigInt(String(got.timeUnixNano))).toBe(BigInt(expected.timestamp) * 1_000_000n);
      expect(got.severityNumber).toBe(expected.severityNumber);
      expect(got.severityText).toBe(expected.severityText);
      expect(got.body).toEqual({ stringValue: expected.body });
      expect(got.eventName).toBe(expected.eventName);
      const attributes = Object.fromEntries(got.attributes.map((a: { key: string; value: AnyValue }) => [a.key, plain(a.value)]));
      expect(attributes).toEqual(expected.attributes);
    }
  }, 240_000);
});
