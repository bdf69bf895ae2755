/**
 * The system_log tools of the "Home Assistant" LLM API (system_log__get_entries, system_log__get_logs) side
 * by side with HA's own at `/api/mcp/homeassistant`, on the same test HA, as the same admin: the same text
 * for the same call, errors included. The test writes its own records (`system_log.write`, under a logger of
 * its own): warnings with credentials in them, one twice, an error too long for a page's taste, a critical
 * one; HA's log file and its in-memory system log then hold them both.
 *
 * hassio__get_logs needs a Supervisor, which the test HA has not: tests/unit/ha-api-logs.test.ts runs it
 * against a stand-in.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { errorLogProbe, hasErrorLog } from '../../server/src/ha/logs.js';
import type { Tool, ToolResult } from '../../server/src/llm/api.js';
import { restJson } from '../support/ha/ha-api.js';
import { homeAssistantApiWorld, type HomeAssistantApiWorld } from '../support/ha/home-assistant-api-world.js';
import { type TestHaInfo } from '../support/ha/fixture.js';
import { postMcp } from '../support/mcp-post.js';

const PATH = '/api/mcp/homeassistant';
const ENTRIES = 'system_log__get_entries';
const LOGS = 'system_log__get_logs';

interface McpResult {
  content: { text: string }[];
  isError: boolean;
}

describe('the system_log tools side by side with HA’s own', () => {
  /** This run's mark, in its loggers' names and its messages. */
  const run = randomUUID().slice(0, 8);
  const logger = `ha_mcp_logs.t${run}`;
  let ha: TestHaInfo;
  /** Our tools, run as the admin; and what to close after. */
  let ours: (name: string, args: Record<string, unknown>) => Promise<ToolResult>;
  let tools: Tool[];
  let close: () => void;
  /** The times (local ISO with milliseconds, as get_logs writes them) of the first and last record written. */
  let first: string;
  let last: string;

  /** HA's own tool, called at its per-API endpoint. */
  const theirs = async (name: string, args: Record<string, unknown>): Promise<ToolResult> => {
    const answer = await postMcp(ha.url, ha.adminToken, 'tools/call', { name, arguments: args }, PATH);
    const { content, isError } = ((await answer.json()) as { result: McpResult }).result;
    return { text: content[0]!.text, isError };
  };
  /**
   * Ours and HA's answers to the same call: the same text, error or not. HA may log something between the
   * two calls (a whole system log, a window that reaches now), so a differing pair is asked again, up to
   * three times.
   */
  async function same(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    for (let attempt = 1; ; attempt++) {
      const [mine, ref] = [await ours(name, args), await theirs(name, args)];
      if (mine.text !== ref.text && attempt < 3) continue;
      const what = `${name} ${JSON.stringify(args)}`;
      assert.equal(mine.isError ?? false, ref.isError, `${what}: isError`);
      if (!ref.text.startsWith('Error calling tool: '))
        assert.deepEqual(JSON.parse(mine.text), JSON.parse(ref.text), what);
      assert.equal(mine.text, ref.text, `${what}: text`);
      return mine;
    }
  }
  const write = (message: string, level: string, name = logger) =>
    restJson(ha.url, '/api/services/system_log/write', {
      token: ha.adminToken,
      json: { message, level, logger: name },
    });

  before(async () => {
    const world = await homeAssistantApiWorld((started) => ({
      writesLogFile: errorLogProbe(async () => started.url, started.adminToken),
    }));
    ({ ha } = world);
    close = () => world.close();
    const admin = world.admin;
    tools = world.tools('system_log__');
    ours = (name, args) => tools.find((t) => t.name === name)!.run(args, { principal: admin });

    await write(`first ${run}: token=abc123 and Authorization: Bearer eyJ.abc-def`, 'warning');
    await write(`second ${run}: password: "hunter2" ${'x'.repeat(1500)} end`, 'error', `${logger}.long`);
    await write(`first ${run}: token=abc123 and Authorization: Bearer eyJ.abc-def`, 'warning');
    await write(`third ${run}: api_key='k' secret=s`, 'critical');
    // HA's log file is written by a thread of its own: wait until HA's own tool reads all four records.
    const deadline = Date.now() + 15_000;
    let records: { time: string }[] = [];
    while (records.length < 4 && Date.now() < deadline) {
      records = JSON.parse((await theirs(LOGS, { contains: run })).text).records as { time: string }[];
    }
    assert.equal(records.length, 4, 'HA’s log file holds the four records');
    [first, last] = [records[0]!.time, records.at(-1)!.time];
  });
  after(() => close?.());

  it('offers both tools, in HA’s order, as HA writes a log file and has no Supervisor', async () => {
    assert.equal(await hasErrorLog(ha.url, ha.adminToken), true);
    const res = await postMcp(ha.url, ha.adminToken, 'tools/list', {}, PATH);
    const listed = ((await res.json()) as { result: { tools: { name: string }[] } }).result.tools;
    assert.deepEqual(
      tools.map((t) => t.name),
      listed.map((t) => t.name).filter((name) => name.startsWith('system_log__'))
    );
    assert.deepEqual(
      tools.map((t) => t.name),
      [ENTRIES, LOGS]
    );
  });

  describe('system_log__get_entries', () => {
    it('lists this run’s records as HA keeps them: one entry per logger and place, its messages and count', async () => {
      const { result } = JSON.parse((await same(ENTRIES, { logger: run })).text) as {
        result: { name: string; message: string[]; count: number }[];
      };
      assert.deepEqual(
        result.map(({ name, message, count }) => ({ name, messages: message.length, count })),
        [
          { name: logger, messages: 2, count: 3 },
          { name: `${logger}.long`, messages: 1, count: 1 },
        ]
      );
    });

    it('filters by level, logger (trimmed, any case) and limit, and gives tracebacks only when asked', async () => {
      await same(ENTRIES, { logger: run, level: 'CRITICAL' });
      await same(ENTRIES, { logger: `  ${logger.toUpperCase()}.LONG `, include_traceback: 'yes' });
      await same(ENTRIES, { logger: run, limit: '2', include_traceback: true });
      await same(ENTRIES, { level: 'warning', logger: 'no such logger' });
    });

    it('answers the whole system log as HA does', async () => {
      await same(ENTRIES, {});
      await same(ENTRIES, { include_traceback: true, limit: 50 });
    });

    it('refuses bad arguments in HA’s words', async () => {
      for (const args of [
        { limit: 51 },
        { limit: 0 },
        { limit: 'abc' },
        { include_traceback: 'maybe' },
        { level: 3 },
        { level: 'info' },
        { logger: 3 },
        { loger: 'x' },
      ]) {
        const answer = await same(ENTRIES, args);
        assert.ok(answer.isError && answer.text.startsWith('Error calling tool: '), answer.text);
      }
    });
  });

  describe('system_log__get_logs', () => {
    it('reads this run’s records from HA’s log file, credentials masked and the long one shortened', async () => {
      const answer = await same(LOGS, { contains: run, start_time: first, end_time: last });
      const { records } = JSON.parse(answer.text) as { records: { message: string }[] };
      assert.equal(records.length, 4);
      assert.match(records[0]!.message, /token=\*\*\* and Authorization: Bearer \*\*\*$/);
      assert.match(records[1]!.message, /password: "\*\*\*" x+\n… \d+ characters left out …\nx+ end$/);
    });

    it('filters by level and text, and pages with next_start_time', async () => {
      await same(LOGS, { contains: run, start_time: first, end_time: last, level: 'ERROR' });
      await same(LOGS, { contains: `THIRD ${run}`.toUpperCase(), start_time: first, end_time: last });
      const page = JSON.parse(
        (await same(LOGS, { contains: run, start_time: first, end_time: last, limit: 1 })).text
      );
      assert.ok(page.next_start_time, 'a next page');
      await same(LOGS, { contains: run, start_time: page.next_start_time, end_time: last, limit: 2 });
    });

    it('reads times without an offset in HA’s time zone, and with Z in UTC', async () => {
      const naive = first.slice(0, 23);
      await same(LOGS, { contains: run, start_time: naive, end_time: last.slice(0, 23) });
      const utc = new Date(Date.parse(first)).toISOString();
      await same(LOGS, {
        contains: run,
        start_time: utc,
        end_time: new Date(Date.parse(last)).toISOString(),
      });
      await same(LOGS, { contains: run });
    });

    it('reads the file from its top as HA does, in pages of its size', async () => {
      const top = await same(LOGS, { start_time: '2000-01-01', end_time: last, limit: 500 });
      assert.ok(JSON.parse(top.text).records.length > 3);
      await same(LOGS, { start_time: '2000-01-01', end_time: last, level: 'warning' });
    });

    it('answers bad times and bad arguments in HA’s words', async () => {
      for (const args of [
        { start_time: 'yesterday' },
        { end_time: 'now' },
        { start_time: last, end_time: first, contains: run },
        { start_time: '2026-13-01' },
        { limit: 0 },
        { limit: 501 },
        { source: ['x'] },
        { source: [] },
        { source: 'core' },
        { level: 'trace' },
        { contains: 5 },
      ]) {
        await same(LOGS, args);
      }
    });
  });
});
