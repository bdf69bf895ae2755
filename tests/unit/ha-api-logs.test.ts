/**
 * The log tools of the "Home Assistant" LLM API (system_log__get_entries, system_log__get_logs,
 * hassio__get_logs) without a Home Assistant: their pure parts against what the pinned HA's own functions
 * answer, recorded in tests/fixtures/logs-golden.json (regenerate with tests/support/ha/logs-golden.ts) —
 * credential masking, records, shortening, time parsing and formatting, reading the log file, whole queries
 * with paging and completeness, the system log's entries — then the HTTP side against stand-ins: the log file
 * in byte ranges (large files are bisected, not read whole) and the Supervisor's logs through HA's proxy.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { after, describe, it } from 'node:test';
import { Home } from '../../server/src/ha/home.js';
import { errorLogProbe, hasErrorLog, readErrorLog } from '../../server/src/ha/logs.js';
import type { Principal } from '../../server/src/ha/principals.js';
import type { UserSessions } from '../../server/src/ha/user-sessions.js';
import type { Tool } from '../../server/src/llm/api.js';
import type { HaApiContext } from '../../server/src/llm/homeassistant/context.js';
import { parseArguments } from '../../server/src/llm/homeassistant/parameters.js';
import { getLogsParameters } from '../../server/src/llm/homeassistant/tool-parameters.js';
import { readCoreLog, WHOLE_BYTES } from '../../server/src/llm/homeassistant/tools/core-log.js';
import { LogSourceError, queryLogs } from '../../server/src/llm/homeassistant/tools/get-logs.js';
import {
  localIsoMs,
  parseHaTime,
  PythonOverflowError,
  utcIsoFromTimestamp,
} from '../../server/src/llm/homeassistant/tools/ha-time.js';
import { hassioTools, journalTime } from '../../server/src/llm/homeassistant/tools/hassio.js';
import {
  fileLines,
  linesFrom,
  LogRecordTimeError,
  maskSecrets,
  parseRecords,
  pythonSplitLines,
  shorten,
} from '../../server/src/llm/homeassistant/tools/log-records.js';
import { systemLogTools } from '../../server/src/llm/homeassistant/tools/system-log.js';
import { coreConfig } from '../support/core-config.js';

interface GeneratedSource {
  base: string;
  count: number;
  step: number;
  per?: number;
  group?: number;
  logger: string;
  pad?: number;
  traceback?: number;
  late?: number;
}
type Source = string[] | GeneratedSource | null;
type Outcome<T> = { value: T } | { raises: string };

const golden = JSON.parse(readFileSync(new URL('../fixtures/logs-golden.json', import.meta.url), 'utf8')) as {
  homeassistant: string;
  zone: string;
  mask: [string, string][];
  records: ({ line: string } & Outcome<{ time: string; level: number | null; message: string } | null>)[];
  runs: { lines: string[]; records: { time: string; level: number | null; message: string }[] }[];
  shorten: [string, string][];
  times: Record<string, [string, Outcome<string | null>][]>;
  local: Record<string, [string, string][]>;
  timestamps: [number, string][];
  journal: [string, string][];
  reads: { bytes: string; start: string; lines: number; result: string[] }[];
  splitlines: [string, string[]][];
  entries: unknown[];
  entryQueries: ({ args: Record<string, unknown> } & ({ data: unknown } | { invalid: string }))[];
  sources: Record<string, Record<string, Source>>;
  queries: {
    sources: string;
    args: Record<string, unknown>;
    data: Record<string, unknown>;
    error: boolean;
  }[];
};

/** An instant as Python's `astimezone(UTC).isoformat()` writes it. */
function utcIso(instant: bigint): string {
  const micro = Number(((instant % 1_000_000n) + 1_000_000n) % 1_000_000n);
  const text = new Date(Number((instant - BigInt(micro)) / 1000n)).toISOString().slice(0, 19);
  return `${text}${micro ? `.${String(micro).padStart(6, '0')}` : ''}+00:00`;
}

/** logs-golden.py's `generated()`: the same lines from the same description. */
function generated(spec: GeneratedSource): string[] {
  const offset = spec.base.slice(-6);
  const base = Date.parse(spec.base.replace(' ', 'T'));
  const shift =
    (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4))) * 60_000;
  const lines: string[] = [];
  for (let i = 0; i < spec.count; i++) {
    const place = Math.floor((Math.floor(i / (spec.group ?? 1)) * spec.step) / (spec.per ?? 1));
    const ms = place - (i === spec.count - 1 ? (spec.late ?? 0) : 0);
    const stamp = new Date(base + shift + ms).toISOString().replace('T', ' ').slice(0, 23) + offset;
    const level = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'][i % 5];
    const pad = spec.pad ? ` ${'p'.repeat(spec.pad)}` : '';
    lines.push(`${stamp} ${level} (MainThread) [${spec.logger}] record ${i}${pad}`);
    if (spec.traceback && i % spec.traceback === 0)
      lines.push('Traceback (most recent call last):', `ValueError: ${i}`);
  }
  return lines;
}

const linesOf = (source: Source): string[] =>
  source === null ? [] : Array.isArray(source) ? source : generated(source);

describe('the log tools’ text handling, as HA’s own functions answer', () => {
  it(`masks credentials as _mask_secrets does (${golden.mask.length} lines)`, () => {
    const wrong = golden.mask.filter(([line, masked]) => maskSecrets(line) !== masked);
    assert.deepEqual(
      wrong.slice(0, 5).map(([line, masked]) => [line, masked, maskSecrets(line)]),
      []
    );
  });

  it('reads a line into a record as _parse_log_records does: time, level, message, or the ValueError', () => {
    for (const { line, ...outcome } of golden.records) {
      // The recording converts times to UTC, where year 9999's last hour overflows: HA never does.
      if ('raises' in outcome && outcome.raises === 'OverflowError') continue;
      let ours: unknown;
      try {
        const [record] = parseRecords([line]);
        ours = {
          value: record
            ? { time: String(record.time), level: record.level ?? null, message: record.message }
            : null,
        };
      } catch (err) {
        assert.ok(err instanceof LogRecordTimeError, line);
        ours = { raises: 'ValueError' };
      }
      assert.deepEqual(ours, outcome, line);
    }
  });

  it('groups lines into records: continuation lines, and records without an offset skipped with theirs', () => {
    for (const { lines, records } of golden.runs) {
      const ours = parseRecords(lines).map((r) => ({
        time: String(r.time),
        level: r.level ?? null,
        message: r.message,
      }));
      assert.deepEqual(ours, records);
    }
  });

  it('shortens long messages in the middle, counting code points', () => {
    for (const [message, short] of golden.shorten)
      assert.equal(shorten(message), short, message.slice(0, 20));
  });

  it('splits the Supervisor’s text as str.splitlines() does', () => {
    for (const [text, lines] of golden.splitlines)
      assert.deepEqual(pythonSplitLines(text), lines, JSON.stringify(text));
  });

  it('reads the log file’s bytes as _read_log_file does: UTF-8 with replacements, universal newlines, the BOM kept', () => {
    for (const read of golden.reads) {
      const bytes = new Uint8Array(Buffer.from(read.bytes, 'base64'));
      const ours = linesFrom(fileLines(bytes), parseHaTime(read.start, 'UTC')!, read.lines);
      assert.deepEqual(
        ours,
        read.result,
        `${JSON.stringify(Buffer.from(bytes).toString('latin1'))} from ${read.start}`
      );
    }
  });
});

describe('times, as HA’s util/dt.py reads and writes them', () => {
  // Node's time zone data merged Amsterdam's history into Brussels' (tzdata 2022b); the pinned HA's still
  // has Amsterdam's own offsets before 1940. Times that old are no log's.
  const TZ_DATA_DIFFERS = new Set([
    '1900-01-01T00:00',
    '1800-06-01T12:00',
    '1937-06-30T23:59',
    '1937-07-01T00:00:28',
  ]);
  const OLD_INSTANTS = new Set([
    '1800-06-01T12:00:00+00:00',
    '1937-06-30T23:00:00+00:00',
    '0002-01-01T00:00:00+00:00',
    '0999-01-01T00:00:00+00:00',
  ]);

  it('parses start_time and end_time as _parse_time does, in five time zones (gaps and overlaps take fold=0)', () => {
    for (const [zone, cases] of Object.entries(golden.times)) {
      for (const [text, outcome] of cases) {
        if (zone === 'Europe/Amsterdam' && TZ_DATA_DIFFERS.has(text)) continue;
        let ours: unknown;
        try {
          const instant = parseHaTime(text, zone);
          ours = { value: instant === undefined ? null : utcIso(instant) };
        } catch (err) {
          assert.ok(err instanceof PythonOverflowError, `${zone} ${JSON.stringify(text)}: ${String(err)}`);
          ours = { raises: 'OverflowError' };
        }
        assert.deepEqual(ours, outcome, `${zone} ${JSON.stringify(text)}`);
      }
    }
  });

  it('writes local times with milliseconds (truncated) and the zone’s offset, seconds included', () => {
    for (const [zone, cases] of Object.entries(golden.local)) {
      for (const [instant, local] of cases) {
        if (zone === 'Europe/Amsterdam' && OLD_INSTANTS.has(instant)) continue;
        assert.equal(localIsoMs(parseHaTime(instant, 'UTC')!, zone), local, `${zone} ${instant}`);
      }
    }
  });

  it('writes the system log’s float timestamps as datetime.fromtimestamp(ts, UTC).isoformat() does', () => {
    for (const [timestamp, text] of golden.timestamps)
      assert.equal(utcIsoFromTimestamp(timestamp), text, String(timestamp));
  });

  it('asks the journal for the start time in seconds with six decimals', () => {
    for (const [instant, text] of golden.journal)
      assert.equal(journalTime(parseHaTime(instant, 'UTC')!), text);
  });
});

describe('whole get_logs queries, as HA’s SystemLogGetLogsTool answers them', () => {
  for (const query of golden.queries) {
    it(`${query.sources}: ${JSON.stringify(query.args)}`, async () => {
      const sources = golden.sources[query.sources]!;
      const parameters = getLogsParameters(
        Object.keys(sources).map((name) => ({ name, description: name })),
        ['core']
      );
      const parsed = parseArguments(parameters, query.args);
      assert.ok(parsed.ok);
      const result = await queryLogs(parsed.value, {
        defaults: ['core'],
        timeZone: golden.zone,
        now: 0n,
        read: async (name, _start, _end, lines) => {
          if (sources[name] === null) throw new LogSourceError(`Could not read the ${name} log`);
          return linesOf(sources[name]!).slice(0, lines);
        },
      });
      assert.equal(result.isError ?? false, query.error);
      const data = JSON.parse(result.text) as Record<string, unknown>;
      if ('sha256' in query.data) {
        // A long answer was recorded as its ends and a digest of HA's whole text, which ours must equal.
        const { records, ...rest } = data as { records: unknown[] };
        const { sha256, ...ends } = query.data;
        assert.deepEqual(
          { ...rest, count: records.length, first: records.slice(0, 3), last: records.slice(-3) },
          ends
        );
        assert.equal(createHash('sha256').update(result.text).digest('hex'), sha256);
      } else assert.deepEqual(data, query.data);
    });
  }
});

// ---- the tools, against stand-ins ------------------------------------------------------------------------

const principal = {
  userId: 'u',
  name: 'Admin',
  isAdmin: true,
  authKind: 'ha',
  token: 'admin-token',
  tokenHash: 'h',
} as unknown as Principal;

function homeWith(components: string[]): Home {
  const home = new Home();
  home.setConfig(coreConfig({ components, time_zone: golden.zone }));
  home.status = 'ready';
  return home;
}

/** Sessions whose commands answer from `answers` by type (a function may refuse by throwing). */
function sessionsAnswering(
  answers: Record<string, (message: Record<string, unknown>) => unknown>
): UserSessions & { sent: Record<string, unknown>[] } {
  const sent: Record<string, unknown>[] = [];
  return {
    sent,
    session: () => ({
      send: async <T>(message: { type: string }) => {
        sent.push(message);
        const answer = answers[message.type];
        if (!answer) throw new Error(`no answer for ${message.type}`);
        return answer(message) as T;
      },
      firstEvent: () => Promise.reject(new Error('no subscriptions here')),
    }),
    close() {},
  };
}

interface Seen {
  path: string;
  range: string | undefined;
  encoding: string | undefined;
  authorization: string | undefined;
}

/** A stand-in for HA's REST side: `/api/error_log` (with byte ranges, as aiohttp's FileResponse) and the Supervisor proxy. */
async function standInHa(options: {
  log?: () => Buffer;
  hassio?: (request: IncomingMessage) => { status: number; body: string };
}) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({
      path: req.url!,
      range: req.headers.range,
      encoding: req.headers['accept-encoding'],
      authorization: req.headers.authorization,
    });
    if (req.headers.authorization !== `Bearer ${principal.token}`)
      return res.writeHead(401).end('401: Unauthorized');
    if (req.url === '/api/error_log') {
      if (!options.log) return res.writeHead(404).end('404: Not Found');
      const file = options.log();
      const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (!range) return res.writeHead(200).end(file);
      const from = Number(range[1]);
      const to = Math.min(Number(range[2]), file.length - 1);
      if (from >= file.length) return res.writeHead(416, { 'content-range': `bytes */${file.length}` }).end();
      res.writeHead(206, { 'content-range': `bytes ${from}-${to}/${file.length}` });
      return res.end(file.subarray(from, to + 1));
    }
    if (req.url!.startsWith('/api/hassio/') && options.hassio) {
      const { status, body } = options.hassio(req);
      return res.writeHead(status).end(body);
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

function context(
  url: string,
  components: string[],
  sessions: UserSessions,
  writesLogFile?: () => boolean | undefined
): HaApiContext {
  return {
    home: homeWith(components),
    sessions,
    coreUrl: async () => url,
    ...(writesLogFile && { writesLogFile }),
  };
}

/** A log file of `count` records, 1 s apart from 2026-11-30 12:00 UTC, with a traceback now and then. */
function logFile(count: number, lineEnd = '\n'): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const stamp = new Date(Date.UTC(2026, 10, 30, 12) + i * 1000)
      .toISOString()
      .replace('T', ' ')
      .slice(0, 23);
    lines.push(`${stamp}+00:00 INFO (MainThread) [homeassistant.demo] record ${i} ${'é'.repeat(i % 40)}`);
    if (i % 50 === 0) lines.push('Traceback (most recent call last):', `ValueError: token=secret${i}`);
  }
  return Buffer.from(lines.join(lineEnd) + lineEnd);
}

const at = (seconds: number) => BigInt(Date.UTC(2026, 10, 30, 12) + seconds * 1000) * 1000n;

describe('the log file read over HTTP', () => {
  it('reads a small file in one request, whole and uncompressed', async () => {
    const file = logFile(100);
    const ha = await standInHa({ log: () => file });
    const lines = await readCoreLog((range) => readErrorLog(ha.url, principal.token, range), at(10));
    assert.deepEqual(lines, linesFrom(fileLines(new Uint8Array(file)), at(10)));
    assert.equal(ha.seen.length, 1);
    assert.equal(ha.seen[0]!.encoding, 'identity');
  });

  it('bisects a large file instead of reading it whole, and finds the same lines HA’s reader finds', async () => {
    const starts = { '\n': [-5, 7, 45_678, 59_990, 70_000], '\r\n': [7, 45_678] };
    for (const [lineEnd, seconds] of Object.entries(starts)) {
      const file = logFile(60_000, lineEnd);
      assert.ok(file.length > 3 * WHOLE_BYTES, 'the file is large');
      const ha = await standInHa({ log: () => file });
      const whole = [...fileLines(new Uint8Array(file))];
      for (const second of seconds) {
        ha.seen.length = 0;
        const ours = await readCoreLog((range) => readErrorLog(ha.url, principal.token, range), at(second));
        assert.deepEqual(ours, linesFrom(whole, at(second)), `from ${second} s, ${JSON.stringify(lineEnd)}`);
        assert.ok(ha.seen.length < 30, `${ha.seen.length} requests`);
      }
    }
  });

  it('reads an empty file as no lines, and says when HA writes no log file', async () => {
    const empty = await standInHa({ log: () => Buffer.alloc(0) });
    assert.deepEqual(
      await readCoreLog((range) => readErrorLog(empty.url, principal.token, range), at(0)),
      []
    );
    assert.equal(await hasErrorLog(empty.url, principal.token), true);
    assert.deepEqual(empty.seen.at(-1)!.range, 'bytes=0-0');
    const none = await standInHa({});
    assert.equal(await hasErrorLog(none.url, principal.token), false);
  });

  it('offers system_log__get_logs as HA does: not on a Supervisor install, nor once HA is known to write no log file', async () => {
    const names = (components: string[], writes?: () => boolean | undefined) =>
      systemLogTools(context('http://unused', components, sessionsAnswering({}), writes)).map((t) => t.name);
    assert.deepEqual(names(['system_log']), ['system_log__get_entries', 'system_log__get_logs']);
    assert.deepEqual(
      names(['system_log'], () => undefined),
      ['system_log__get_entries', 'system_log__get_logs']
    );
    assert.deepEqual(
      names(['system_log'], () => false),
      ['system_log__get_entries']
    );
    assert.deepEqual(names(['system_log', 'hassio']), ['system_log__get_entries']);

    const none = await standInHa({});
    const probe = errorLogProbe(async () => none.url, principal.token);
    assert.equal(probe(), undefined, 'not known before HA answers');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(probe(), false);
  });

  it('answers from the file as the calling user, and says the file could not be read where HA refuses it', async () => {
    const file = logFile(100);
    const ha = await standInHa({ log: () => file });
    const tool = systemLogTools(context(ha.url, ['system_log'], sessionsAnswering({}))).at(-1)!;
    const answer = await tool.run(
      { start_time: '2026-11-30T13:00:05+01:00', end_time: '2026-11-30T13:00:06+01:00' },
      { principal }
    );
    assert.deepEqual(JSON.parse(answer.text), {
      records: [5, 6].map((i) => ({
        time: `2026-11-30T13:00:0${i}.000+01:00`,
        source: 'core',
        message: `INFO (MainThread) [homeassistant.demo] record ${i} ${'é'.repeat(i)}`,
      })),
    });
    const away = await standInHa({});
    const refused = systemLogTools(context(away.url, ['system_log'], sessionsAnswering({}))).at(-1)!;
    assert.deepEqual(JSON.parse((await refused.run({}, { principal })).text), {
      records: [],
      errors: { core: 'Could not read the log file' },
    });
    assert.equal(
      (await refused.run({ limit: 0 }, { principal })).text,
      "Error calling tool: value must be at least 1 at 'limit'"
    );
  });
});

describe('system_log__get_entries, as HA’s SystemLogGetEntriesTool answers', () => {
  const sessions = sessionsAnswering({ 'system_log/list': () => structuredClone(golden.entries) });
  const tool = systemLogTools(context('http://unused', ['system_log'], sessions))[0]!;
  for (const query of golden.entryQueries) {
    it(JSON.stringify(query.args), async () => {
      const answer = await tool.run(query.args, { principal });
      if ('invalid' in query)
        assert.deepEqual(answer, { text: `Error calling tool: ${query.invalid}`, isError: true });
      else assert.deepEqual(JSON.parse(answer.text), query.data);
    });
  }
});

describe('hassio__get_logs through HA’s Supervisor proxy (a stand-in: no real Supervisor here)', () => {
  const apps = [
    { slug: 'core_ssh', name: 'Advanced SSH & Web Terminal', state: 'started' },
    { slug: 'mosquitto', name: 'Mosquitto broker', state: 'started' },
  ];
  const journal = (lines: string[]) => lines.join('\n') + '\n';

  async function supervisor(answer: (path: string) => { status: number; body: string }) {
    const ha = await standInHa({ hassio: (req) => answer(req.url!.split('?')[0]!) });
    const sessions = sessionsAnswering({ 'supervisor/api': () => ({ addons: apps }) });
    const ctx = context(ha.url, ['hassio', 'system_log'], sessions);
    return { ha, sessions, ctx, tool: (): Tool => hassioTools(ctx)[0]! };
  }

  it('reads core and the Supervisor by default, each with its format, the journal range and the user’s token', async () => {
    const { ha, tool } = await supervisor((path) => ({
      status: 200,
      body:
        path === '/api/hassio/core/logs'
          ? journal([
              '2026-11-30 13:00:01.000+01:00 INFO (MainThread) [homeassistant.core] Started',
              'api_key=abc',
            ])
          : journal(['2026-11-30 12:00:01.500+00:00 INFO (MainThread) [supervisor.core] Bearer abc.def']),
    }));
    const answer = await tool().run(
      { start_time: '2026-11-30T13:00:00.123456+01:00', end_time: '2026-11-30T13:10:00.9+01:00' },
      { principal }
    );
    assert.deepEqual(JSON.parse(answer.text), {
      records: [
        {
          time: '2026-11-30T13:00:01.000+01:00',
          source: 'core',
          message: 'INFO (MainThread) [homeassistant.core] Started\napi_key=***',
        },
        {
          time: '2026-11-30T13:00:01.500+01:00',
          source: 'supervisor',
          message: 'INFO (MainThread) [supervisor.core] Bearer ***',
        },
      ],
    });
    const requests = ha.seen.map(({ path, range, authorization }) => ({ path, range, authorization }));
    const range = 'realtime=1796040000.123456:1796040601:2000';
    assert.deepEqual(requests, [
      {
        path: '/api/hassio/core/logs?format=plain&no_colors=',
        range,
        authorization: `Bearer ${principal.token}`,
      },
      {
        path: '/api/hassio/supervisor/logs?format=plain&no_colors=',
        range,
        authorization: `Bearer ${principal.token}`,
      },
    ]);
  });

  it('lists the system’s sources and, once it has seen them, the installed apps; reads an app’s verbose log', async () => {
    const { ha, tool } = await supervisor(() => ({
      status: 200,
      body: journal(['2026-11-30 12:00:02.000+00:00 a0d7c954-ssh sshd[42]: Accepted password for root']),
    }));
    const sourcesOf = (t: Tool) =>
      (t.inputSchema.properties as Record<string, { items: { enum: string[] } }>).source!.items.enum;
    assert.deepEqual(sourcesOf(tool()), ['core', 'supervisor', 'host', 'dns', 'audio', 'multicast']);
    const answer = await tool().run(
      { source: ['app:mosquitto'], start_time: '2026-11-30T12:00:00Z', end_time: '2026-11-30T12:05:00Z' },
      { principal }
    );
    assert.deepEqual(JSON.parse(answer.text).records, [
      {
        time: '2026-11-30T13:00:02.000+01:00',
        source: 'app:mosquitto',
        message: 'a0d7c954-ssh sshd[42]: Accepted password for root',
      },
    ]);
    assert.equal(ha.seen.at(-1)!.path, '/api/hassio/addons/mosquitto/logs?format=verbose&no_colors=');
    assert.deepEqual(sourcesOf(tool()).slice(6), ['app:core_ssh', 'app:mosquitto']);
  });

  it('says which sources could not be read, as HA’s client fails on anything but 200', async () => {
    const { tool } = await supervisor((path) =>
      path === '/api/hassio/dns/logs'
        ? { status: 500, body: '{"result": "error", "message": "boom"}' }
        : { status: 206, body: '' }
    );
    const answer = await tool().run(
      { source: ['dns', 'host', 'audio'], end_time: '2026-11-30T12:05:00Z' },
      { principal }
    );
    assert.deepEqual(JSON.parse(answer.text), {
      records: [],
      errors: {
        dns: 'Could not read the dns log',
        host: 'Could not read the host log',
        audio: 'Could not read the audio log',
      },
    });
  });

  it('refuses an app it does not know, in HA’s words', async () => {
    const { tool } = await supervisor(() => ({ status: 200, body: '' }));
    assert.deepEqual(await tool().run({ source: ['app:nope'] }, { principal }), {
      text: "Error calling tool: value must be one of ['app:core_ssh', 'app:mosquitto', 'audio', 'core', 'dns', 'host', 'multicast', 'supervisor'] at 'source[0]'",
      isError: true,
    });
  });
});
