/**
 * The request log on a real full disk (a small tmpfs) and a real read-only one (a read-only bind mount).
 * Each scenario runs in a child process inside its own mount namespace (`unshare --mount`), so the mounts
 * vanish with it; this file is also that child's program (STORE_DISK_SCENARIO set). Needs root, as the
 * tests run; skipped with the reason otherwise.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../server/src/log.js';
import type { RequestLogEntry } from '../../server/src/store/log-entry.js';
import { openStore } from '../../server/src/store/store.js';

interface Outcome {
  steps: Record<string, unknown>;
  lines: string[];
}

const entry = (i: number, pad = 0): RequestLogEntry => ({
  time: Date.now(),
  target: `t${i}`,
  arguments: pad ? { pad: 'z'.repeat(pad) } : undefined,
  outcome: 'ok',
  latencyMs: 1,
});

function storeIn(dataDir: string, lines: string[]) {
  return openStore({
    dataDir,
    options: { log_retention_days: 30, log_max_rows: 100_000 },
    log: createLogger('debug', (l) => lines.push(l)),
    // Retries only when the scenario flushes, so each step is deterministic.
    tuning: { retentionFirstMs: 3_600_000, writer: { retryMinMs: 3_600_000, retryMaxMs: 3_600_000 } },
  });
}

/** The child: runs one scenario in `dir` (already mounted by the parent's shell) and prints what happened. */
async function scenario(name: string, dir: string): Promise<Outcome> {
  const lines: string[] = [];
  const steps: Record<string, unknown> = {};
  const store = storeIn(dir, lines);
  const count = async () => (await store.queries.page({}, { limit: 500 })).rows.length;
  if (name === 'full') {
    for (let i = 0; i < 5; i++) store.requestLog.record(entry(i));
    steps.beforeFull = store.requestLog.flush();
    const filler = join(dir, 'filler');
    const fd = openSync(filler, 'w');
    try {
      for (const size of [65_536, 4_096, 512, 1]) {
        const chunk = Buffer.alloc(size, 1);
        try {
          for (;;) writeSync(fd, chunk);
        } catch (err) {
          steps.fill = (err as NodeJS.ErrnoException).code;
        }
      }
    } finally {
      closeSync(fd);
    }
    for (let i = 5; i < 105; i++) store.requestLog.record(entry(i, 3_000));
    steps.whileFull = [store.requestLog.flush(), store.requestLog.flush()];
    steps.failing = store.requestLog.stats().failing;
    rmSync(filler);
    steps.afterFreed = store.requestLog.flush();
    steps.rows = await count();
  } else {
    for (let i = 1; i < 4; i++) store.requestLog.record(entry(i));
    steps.whileReadOnly = [store.requestLog.flush(), store.requestLog.flush()];
    steps.failing = store.requestLog.stats().failing;
    execFileSync('mount', ['-o', 'remount,rw,bind', dir]);
    steps.afterRemount = store.requestLog.flush();
    steps.rows = await count();
  }
  await store.close();
  return { steps, lines: lines.map((l) => l.replace(/^\S+ \S+ /, '')) };
}

if (process.env.STORE_DISK_SCENARIO) {
  const outcome = await scenario(process.env.STORE_DISK_SCENARIO, process.env.STORE_DISK_DIR!);
  process.stdout.write(JSON.stringify(outcome) + '\n');
} else {
  const canMount = process.getuid?.() === 0 && spawnSync('unshare', ['--mount', 'true']).status === 0;
  const skip = canMount
    ? false
    : 'needs root and unshare --mount to mount a tmpfs and a read-only bind mount';
  const root = mkdtempSync(join(tmpdir(), 'store-disk-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  /** Runs this file as the child, after `mount` (a shell snippet using $D) in a private mount namespace. */
  const runChild = (name: string, dir: string, mount: string): Outcome => {
    const env: NodeJS.ProcessEnv = { ...process.env, STORE_DISK_SCENARIO: name, STORE_DISK_DIR: dir, D: dir };
    delete env.NODE_TEST_CONTEXT;
    const child = spawnSync(
      'unshare',
      [
        '--mount',
        '--propagation',
        'private',
        'sh',
        '-c',
        `${mount} && exec "$0" --import tsx "$1"`,
        process.execPath,
        fileURLToPath(import.meta.url),
      ],
      { env, encoding: 'utf8', timeout: 120_000 }
    );
    assert.equal(child.status, 0, `child failed: ${child.stderr}\n${child.stdout}`);
    return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Outcome;
  };

  describe('the request log on a real disk', { skip }, () => {
    it('survives a full disk: rows wait in memory, one warning, then all are written once there is room', () => {
      const dir = join(root, 'full');
      mkdirSync(dir);
      const { steps, lines } = runChild('full', dir, 'mount -t tmpfs -o size=1m tmpfs "$D"');
      assert.equal(steps.beforeFull, true);
      assert.equal(steps.fill, 'ENOSPC');
      assert.deepEqual(steps.whileFull, [false, false]);
      assert.match(String(steps.failing), /SQLITE_FULL/);
      assert.equal(steps.afterFreed, true);
      assert.equal(steps.rows, 105);
      const warnings = lines.filter((l) => l.startsWith('WARNING'));
      assert.equal(warnings.length, 1, lines.join('\n'));
      assert.match(warnings[0]!, /cannot write to the database \(SQLITE_FULL/);
      assert.ok(lines.includes('INFO: request log: writing to the database again'), lines.join('\n'));
    });

    it('survives a read-only disk: one warning, then the rows are written once it is writable again', async () => {
      const dir = join(root, 'read-only');
      const lines: string[] = [];
      const store = storeIn(dir, lines);
      store.requestLog.record(entry(0));
      await store.close();
      const child = runChild('read-only', dir, 'mount --bind "$D" "$D" && mount -o remount,ro,bind "$D"');
      assert.deepEqual(child.steps.whileReadOnly, [false, false]);
      assert.match(String(child.steps.failing), /READONLY|CANTOPEN|WAL mode/);
      assert.equal(child.steps.afterRemount, true);
      assert.equal(child.steps.rows, 4);
      assert.equal(child.lines.filter((l) => l.startsWith('WARNING')).length, 1, child.lines.join('\n'));
      assert.ok(
        child.lines.includes('INFO: request log: writing to the database again'),
        child.lines.join('\n')
      );
    });
  });
}
