/**
 * What waiting for a person costs beyond the person's own time (issue 20): the same change (turning a demo
 * light on) through two servers against one real Home Assistant, one whose `approval_domains` names lights
 * and one whose does not. The person answers at once: at the client (an SDK client's elicitation handler
 * that accepts), or on the phone (a stand-in companion app that presses Allow as the notification arrives).
 * The added latency is the p50 with approval minus the p50 without.
 *
 * Target: under 100 ms added. Load stays on loopback, bounded in count, and stops by itself.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestHa } from '../support/ha/harness.js';
import { registerPhone } from '../support/ha/mobile-app-device.js';
import { startServer, type RunningServer } from '../support/server-process.js';
import { percentile, type Benchmark } from './report.js';

const CALLS = 30;
const LIGHT = { name: 'intent__HassTurnOn', arguments: { name: 'Kitchen Lights' } };

async function connect(server: RunningServer, token: string, elicit: boolean): Promise<Client> {
  const client = new Client(
    { name: 'Bench Client', version: '1.0.0' },
    { capabilities: elicit ? { elicitation: { form: {} } } : {} }
  );
  if (elicit) client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: {} }));
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.mcpUrl}/api/mcp`), {
      authProvider: { token: async () => token },
    })
  );
  return client;
}

/** Sorted latencies of `CALLS` calls, after a few to warm up. */
async function latencies(client: Client): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < CALLS + 3; i++) {
    const started = performance.now();
    const result = await client.callTool(LIGHT, { timeout: 60_000 });
    if (result.isError) throw new Error(`the call failed: ${JSON.stringify(result.content)}`);
    if (i >= 3) times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

const bench: Benchmark = {
  name: 'Approvals: what waiting for a person adds beyond their own time (issue 20)',
  async run(ctx) {
    const ha = await startTestHa();
    const token = ha.adminToken;
    const servers: RunningServer[] = [];
    const phone = await registerPhone(ha.url, token, 'Bench Phone');
    try {
      const plain = await startServer(
        { HA_URL: ha.url, HA_TOKEN: token },
        { options: { approval_domains: ['lock'] } }
      );
      servers.push(plain);
      const asking = await startServer(
        { HA_URL: ha.url, HA_TOKEN: token },
        { options: { approval_domains: ['light'] } }
      );
      servers.push(asking);
      await Promise.all(servers.map((s) => s.waitForLog(/Home Assistant model ready/)));
      await phone.connectPush();
      // The phone presses Allow the moment a question arrives: the person's own time is nil.
      const answered = new Set<string>();
      const pressing = setInterval(() => {
        for (const n of phone.notifications) {
          const allow = n.data?.actions?.find((a) => a.action.startsWith('MCP_ALLOW_'))?.action;
          if (allow && !answered.has(allow)) {
            answered.add(allow);
            void phone.press(allow);
          }
        }
      }, 1);

      const rows: [string, number[]][] = [];
      for (const [label, server, elicit] of [
        ['no approval', plain, false],
        ['approved at the client', asking, true],
        ['approved on the phone', asking, false],
      ] as const) {
        const client = await connect(server, token, elicit);
        try {
          rows.push([label, await latencies(client)]);
        } finally {
          await client.close();
        }
      }
      clearInterval(pressing);

      const base = percentile(rows[0]![1], 50);
      for (const [label, times] of rows) {
        ctx.report({
          name: `turn a light on, ${label}: p50`,
          value: percentile(times, 50),
          unit: `ms (p95 ${percentile(times, 95).toFixed(1)})`,
        });
      }
      for (const [label, times] of rows.slice(1)) {
        ctx.report({
          name: `added by waiting, ${label} (p50)`,
          value: percentile(times, 50) - base,
          unit: 'ms',
          target: { op: '<=', value: 100 },
        });
      }
    } finally {
      await phone.remove(token).catch(() => undefined);
      await Promise.all(servers.map((s) => s.stop()));
      await ha.stop();
    }
  },
};

export default bench;
