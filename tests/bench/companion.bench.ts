/**
 * What the companion integration costs (issue 19, point 6): `tools/list` straight to the server and through
 * Home Assistant's `/api/mcp_addon/api/mcp`, alternating round by round at 1,000 exposed entities, and Home
 * Assistant's resident memory before the companion is set up and after it has carried the load.
 *
 * Targets: the proxy adds under 5 ms to the p50; Home Assistant grows by under 10 MB with it loaded. Load stays
 * on loopback, bounded in count, and stops by itself.
 */
import { readFileSync } from 'node:fs';
import { COMPANION, PROXY_PATH, setUpCompanion } from '../support/ha/companion.js';
import { startTestHa } from '../support/ha/harness.js';
import { postMcp } from '../support/mcp-post.js';
import { startServer } from '../support/server-process.js';
import { percentile, type Benchmark } from './report.js';
import { addSensors } from './sensors.js';

const EXPOSED = 1_000;
const ROUNDS = 10;
const PER_ROUND = 30;

/** Resident memory of Home Assistant's process, in MB (NaN when the harness cannot name that process). */
function rssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('homeassistant')) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

async function timed(baseUrl: string, token: string, path: string): Promise<number> {
  const started = performance.now();
  const res = await postMcp(baseUrl, token, 'tools/list', undefined, path);
  const text = await res.text();
  if (res.status !== 200)
    throw new Error(`tools/list via ${baseUrl}${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return performance.now() - started;
}

/** The server must see every bench sensor before anything is measured. */
async function waitForExposed(mcpUrl: string, token: string, count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const res = await postMcp(mcpUrl, token, 'tools/call', {
      name: 'homeassistant__GetLiveContext',
      arguments: { domain: 'sensor' },
    });
    if (((await res.text()).match(/Bench sensor/g) ?? []).length >= count) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the server did not expose ${count} bench sensors`);
}

const bench: Benchmark = {
  name: 'The companion integration: the add-on through Home Assistant’s URL (issue 19)',
  async run(ctx) {
    const ha = await startTestHa({ customComponents: [COMPANION] });
    try {
      const token = ha.adminToken;
      // The demo home exposes about 40 entities; state-only sensors make up the rest.
      const sensors = EXPOSED - 40;
      await addSensors(ha.url, token, 0, sensors);
      const server = await startServer({ HA_URL: ha.url, HA_TOKEN: token });
      try {
        await server.waitForLog(/Home Assistant model ready/);
        await waitForExposed(server.mcpUrl, token, sensors);
        for (let i = 0; i < PER_ROUND; i++) await timed(server.mcpUrl, token, '/api/mcp');
        const without = rssMb(ha.pid?.());
        ctx.report({
          name: `HA RSS without the companion loaded, ${EXPOSED} exposed`,
          value: without,
          unit: 'MB',
        });

        await setUpCompanion(ha.url, token, server.mcpUrl);
        const proxied = `${PROXY_PATH}/api/mcp`;
        for (let i = 0; i < PER_ROUND; i++) await timed(ha.url, token, proxied);
        const loaded = rssMb(ha.pid?.());
        ctx.report({ name: 'HA RSS with the companion loaded', value: loaded, unit: 'MB' });

        const answer = await postMcp(ha.url, token, 'tools/list', undefined, proxied);
        ctx.report({
          name: 'tools/list answer',
          value: (await answer.arrayBuffer()).byteLength / 1024,
          unit: 'KiB',
        });

        const direct: number[] = [];
        const through: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          for (let i = 0; i < PER_ROUND; i++) direct.push(await timed(server.mcpUrl, token, '/api/mcp'));
          for (let i = 0; i < PER_ROUND; i++) through.push(await timed(ha.url, token, proxied));
        }
        direct.sort((a, b) => a - b);
        through.sort((a, b) => a - b);
        const tag = `tools/list @${EXPOSED}`;
        ctx.report({
          name: `${tag}: direct p50`,
          value: percentile(direct, 50),
          unit: `ms (p95 ${percentile(direct, 95).toFixed(1)})`,
        });
        ctx.report({
          name: `${tag}: through the companion p50`,
          value: percentile(through, 50),
          unit: `ms (p95 ${percentile(through, 95).toFixed(1)})`,
        });
        ctx.report({
          name: `${tag}: p50 added by the companion`,
          value: percentile(through, 50) - percentile(direct, 50),
          unit: 'ms',
          target: { op: '<=', value: 5 },
        });

        const after = rssMb(ha.pid?.());
        ctx.report({
          name: `HA RSS after ${ROUNDS * PER_ROUND + PER_ROUND} requests through the companion`,
          value: after,
          unit: 'MB',
        });
        ctx.report({
          name: 'HA RSS grown with the companion loaded and used',
          value: after - without,
          unit: 'MB',
          target: { op: '<=', value: 10 },
        });
      } finally {
        await server.stop();
      }
    } finally {
      await ha.stop();
    }
  },
};

export default bench;
