// Each case runs in its own Node process with a timeout, so hangs, crashes and exits are observed
// from outside. Exit status 124-like outcomes (killed by the timeout) fail the test.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const TIMEOUT_MS = 20_000;

function run(script: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(__dirname, 'lifecycle', script), ...args], {
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

describe('lifecycle, each in a child process', () => {
  it("an unref'd watcher lets the process exit while it waits for records", () => {
    const r = run('unref.cjs');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('exited');
  });

  it("a ref'd watcher keeps the process alive until close()", () => {
    const r = run('ref.cjs');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('still-alive\nclosed\n');
  });

  it('close() during a follow wait settles and nothing is delivered after it', () => {
    const r = run('close-follow.cjs');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ closed: true, afterClose: 0 });
  });

  it('watchers on streams destroyed without an error, or ended or destroyed before, close and let the process exit', () => {
    const r = run('stream-ends.cjs');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('all closed\n');
  });

  it('a watcher inside a worker survives worker.terminate(), while streaming and while waiting', () => {
    const r = run('worker-terminate.cjs', '10');
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.stdout).toBe('survived 10\n');
  });

  it('a worker terminated inside construction (each option read), delivery, closing, or at random points survives', () => {
    const r = run('terminate-anywhere.cjs', 'all', '40');
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('survived 62\n');
  });

  it("a worker's process.exit() while its watcher streams leaves the parent alive", () => {
    const r = run('worker-exit.cjs', '10');
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.stdout).toBe('survived 10\n');
  });

  it('process.exit() while events stream exits cleanly with its code', () => {
    const r = run('exit-while-streaming.cjs');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('exiting\n');
    expect(r.stderr).toBe('');
  });

  it("an exception thrown by a 'block' listener reaches the process as uncaught", () => {
    const r = run('listener-throws.cjs');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('listener failed on record 319457771');
  });

  it('an uncaughtException handler sees every such exception, and nothing is lost', () => {
    const r = run('listener-throws.cjs', 'handled');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'caught listener failed on record 319457771\ncaught listener failed on record 319457855\ncaught listener failed on record 319457856\n',
    );
  });
});
