// A FIFO or a pipe as a replay path (`mkfifo`, `<(command)`): records arrive as the writer writes
// them, close() settles while the writer is silent (or never came), and the CLI stops on SIGINT. The
// tests wait for records and for close(), never for time: the writer stays open until they are done.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchBlocks, type BlockEvent } from '../dist/index.js';
import { fixture, numberedLines, tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');

function fifo(): string {
  const file = path.join(tempDir(), 'records.fifo');
  execFileSync('mkfifo', [file]);
  return file;
}

const nextEvent = (watcher: ReturnType<typeof watchBlocks>) => new Promise<BlockEvent>((resolve) => watcher.once('block', resolve));

describe.skipIf(process.platform === 'win32')('pipes as replay paths', () => {
  it('a FIFO delivers each record while its writer is still writing, then the watcher closes at its end', async () => {
    const file = fifo();
    const watcher = watchBlocks({ source: { replay: file }, includeAllowed: true });
    const ids: number[] = [];
    watcher.on('block', (e) => ids.push(e.recordId));
    const closed = once(watcher, 'close');
    const writer = createWriteStream(file);
    for (const [i, line] of numberedLines(1, 5).entries()) {
      const arrived = nextEvent(watcher);
      writer.write(`${line}\n`);
      expect((await arrived).recordId).toBe(i + 1); // before the next record is written
    }
    writer.end();
    await closed;
    expect(ids).toEqual([1, 2, 3, 4, 5]);
  });

  it('close() settles while the FIFO writer is silent, and when no writer ever opened it', async () => {
    const silent = fifo();
    const watcher = watchBlocks({ source: { replay: silent }, includeAllowed: true });
    const writer = createWriteStream(silent);
    const first = nextEvent(watcher);
    writer.write(`${numberedLines(1, 1)[0]}\n`);
    await first;
    await watcher.close(); // the writer is still open
    expect(writer.closed).toBe(false);
    writer.end();

    const never = watchBlocks({ source: { replay: [fifo(), fixture('otrf-50c132c2.xml')] }, includeAllowed: true });
    const events: BlockEvent[] = [];
    never.on('block', (e) => events.push(e));
    await never.close();
    expect(events).toEqual([]); // it was still waiting at the FIFO, which comes first
  });

  it('the records of several writes are delivered in order, whatever the pieces', async () => {
    const file = fifo();
    const lines = numberedLines(100, 40);
    const watcher = watchBlocks({ source: { replay: file }, includeAllowed: true });
    const ids: number[] = [];
    watcher.on('block', (e) => ids.push(e.recordId));
    const closed = once(watcher, 'close');
    const writer = createWriteStream(file);
    const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(''));
    for (let at = 0; at < bytes.length; at += 777) writer.write(bytes.subarray(at, at + 777));
    writer.end();
    await closed;
    expect(ids).toEqual(lines.map((_, i) => 100 + i));
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'the CLI given <(cat records; sleep 20) prints a record as it arrives and stops on %s with status %i',
    async (stopSignal, status) => {
      const record = path.join(tempDir(), 'one.xml');
      execFileSync('cp', [fixture('otrf-50c132c2.xml'), record]);
      const child = spawn(
        'bash',
        ['-c', `exec "${process.execPath}" dist/cli.js replay --include-allowed --format json <(cat "${record}"; sleep 20)`],
        { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      try {
        let out = '';
        await new Promise<void>((resolve) =>
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            if (out.split('\n').length > 77) resolve(); // every record of the file, while sleep still holds the pipe
          }),
        );
        const exited = once(child, 'exit');
        child.kill(stopSignal);
        const [code, signal] = await exited;
        expect(signal).toBeNull();
        expect(code, `the shell status for ${stopSignal}`).toBe(status);
        expect(out.trim().split('\n')).toHaveLength(77);
        expect(JSON.parse(out.split('\n')[0]).recordId).toBe(
          JSON.parse(readFileSync(record, 'utf8').match(/<EventRecordID>(\d+)</)?.[1] ?? '0'),
        );
      } finally {
        try {
          process.kill(-(child.pid as number), 'SIGKILL'); // the sleep behind the pipe
        } catch {
          // already gone
        }
      }
    },
  );
});
