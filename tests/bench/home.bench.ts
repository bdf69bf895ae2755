/**
 * The Home model's cost: time from connecting to a complete model, and the heap the model holds, at 50,
 * 1,000 and 5,000 entities (state-only sensors added over REST to the test HA, on top of the demo home).
 * Targets (issue 3): sync of 5,000 entities under 2 s; model heap under 50 MB at 5,000 entities.
 */
import { Home } from '../../server/src/ha/home.js';
import { connectLink } from '../../server/src/ha/link.js';
import { HomeSync } from '../../server/src/ha/sync.js';
import { createLogger } from '../../server/src/log.js';
import { startTestHa } from '../support/ha/harness.js';
import type { Benchmark } from './report.js';
import { addSensors } from './sensors.js';

const quiet = createLogger('error', () => {});

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

const bench: Benchmark = {
  name: 'Home model (issue 3)',
  async run({ report }) {
    const ha = await startTestHa();
    try {
      let present = 0;
      for (const target of [50, 1_000, 5_000]) {
        present = await addSensors(ha.url, ha.adminToken, present, target);
        const before = heapUsed();
        const started = performance.now();
        const home = new Home();
        const conn = await connectLink({ url: ha.url, token: ha.adminToken, log: quiet });
        const sync = new HomeSync(conn, home, quiet);
        await sync.start();
        const ms = performance.now() - started;
        const heapMb = (heapUsed() - before) / 2 ** 20;
        const total = home.states.size;
        report({
          name: `sync, ${target} added entities (${total} total)`,
          value: ms,
          unit: 'ms',
          ...(target === 5_000 ? { target: { op: '<=' as const, value: 2_000 } } : {}),
        });
        report({
          name: `model heap, ${target} added entities (${total} total)`,
          value: heapMb,
          unit: 'MB',
          ...(target === 5_000 ? { target: { op: '<=' as const, value: 50 } } : {}),
        });
        sync.stop();
        conn.close();
      }
    } finally {
      await ha.stop();
    }
  },
};

export default bench;
