import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  fileOptionsStore,
  OPTIONS_FILE,
  supervisorOptionsStore,
} from '../../server/src/admin/options-store.js';
import { OptionsSaveError } from '../../server/src/admin/errors.js';
import { createLogger } from '../../server/src/log.js';
import { parseOptions, type Options } from '../../server/src/options.js';
import { tempDirs } from '../support/temp-dirs.js';
import { adminWorld, memoryOptions, quiet } from '../support/admin-fixture.js';

interface SettingsAnswer {
  options: Options;
  apis: { id: string; name: string }[];
  mode: string;
}
interface Refusal {
  error: string;
  field: string | null;
  issues: { field: string; message: string }[];
}

const dirs = tempDirs('admin-settings');
const defaults = parseOptions({}, 'test');

describe('GET/PUT /api/admin/settings', () => {
  it('shows the options in force and the LLM APIs to choose from', async () => {
    const { call } = adminWorld({ options: memoryOptions({ log_level: 'warning' }) });
    const res = await call('/api/admin/settings', { user: 'guest' });
    const body = (await res.json()) as SettingsAnswer;
    assert.equal(body.options.log_level, 'warning');
    assert.deepEqual(body.apis, [
      { id: 'assist', name: 'Assist' },
      { id: 'homeassistant', name: 'Home Assistant' },
    ]);
    assert.equal(body.mode, 'addon');
  });

  it('saves valid options, fills defaults, answers what is now in force', async () => {
    const { call, options } = adminWorld();
    const res = await call('/api/admin/settings', {
      method: 'PUT',
      json: {
        control_home_assistant: false,
        log_retention_days: 7,
        external_url: 'https://mcp.example.com/',
      },
      user: 'owner',
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as SettingsAnswer;
    assert.deepEqual(body.options, {
      ...defaults,
      control_home_assistant: false,
      log_retention_days: 7,
      external_url: 'https://mcp.example.com',
    });
    assert.deepEqual(options.saved, [body.options]);
  });

  it('applies saved options at once: the tools offered follow "Control Home Assistant"', async () => {
    const { call } = adminWorld();
    const tools = async () =>
      ((await (await call('/api/admin/overview', { user: 'guest' })).json()) as { tools: string[] }).tools;
    assert.deepEqual(await tools(), ['GetLiveContext', 'HassTurnOn', 'homeassistant__render_template']);
    await call('/api/admin/settings', {
      method: 'PUT',
      json: { control_home_assistant: false },
      user: 'owner',
    });
    assert.deepEqual(await tools(), ['GetLiveContext', 'homeassistant__render_template']);
  });

  it('refuses a bad value with a 400 that names the field, and saves nothing', async () => {
    const { call, options } = adminWorld();
    const cases: [unknown, string][] = [
      [{ log_level: 'loud' }, 'log_level'],
      [{ log_retention_days: 0 }, 'log_retention_days'],
      [{ log_max_rows: 'many' }, 'log_max_rows'],
      [{ external_url: 'ftp://example.com' }, 'external_url'],
      [{ llm_apis: [] }, 'llm_apis'],
      [{ llm_apis: ['assist', 'nonsense'] }, 'llm_apis.1'],
      [{ log_levle: 'debug' }, 'log_levle'],
      [['not', 'an', 'object'], ''],
    ];
    for (const [json, field] of cases) {
      const res = await call('/api/admin/settings', { method: 'PUT', json, user: 'owner' });
      assert.equal(res.status, 400, JSON.stringify(json));
      const body = (await res.json()) as Refusal;
      assert.equal(body.field ?? '', field, JSON.stringify(json));
      if (field) assert.ok(body.error.startsWith(`${field}: `), body.error);
      assert.ok(body.issues.length >= 1);
    }
    const unknownApi = (await (
      await call('/api/admin/settings', { method: 'PUT', json: { llm_apis: ['nonsense'] }, user: 'owner' })
    ).json()) as Refusal;
    assert.match(unknownApi.error, /unknown LLM API 'nonsense'; available: assist/);
    assert.deepEqual(options.saved, []);
  });

  it('answers 502 with the reason when the options could not be saved', async () => {
    const failing = memoryOptions();
    failing.save = async () => {
      throw new OptionsSaveError('the Supervisor did not save the options: disk full');
    };
    const { call } = adminWorld({ options: failing });
    const res = await call('/api/admin/settings', { method: 'PUT', json: {}, user: 'owner' });
    assert.equal(res.status, 502);
    assert.match(((await res.json()) as Refusal).error, /disk full/);
  });
});

describe('options saved standalone: DATA_DIR/options.json', () => {
  it('writes the file whole (no temporary file left), then applies the options', async () => {
    const dataDir = dirs();
    let current = defaults;
    const applied: Options[] = [];
    const store = fileOptionsStore({
      dataDir,
      log: quiet,
      current: () => current,
      apply: (next) => {
        applied.push(next);
        current = next;
      },
    });
    const next = { ...defaults, log_level: 'debug' as const, llm_apis: ['assist'] };
    assert.deepEqual(await store.save(next), next);
    assert.deepEqual(applied, [next]);
    const file = join(dataDir, OPTIONS_FILE);
    assert.deepEqual(parseOptions(JSON.parse(readFileSync(file, 'utf8')), file), next);
    assert.deepEqual(readdirSync(dataDir), [OPTIONS_FILE]);

    // Two saves at once run one after the other: the last one wins, whole.
    const a = { ...next, log_retention_days: 1 };
    const b = { ...next, log_retention_days: 2 };
    await Promise.all([store.save(a), store.save(b)]);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), b);
    assert.deepEqual(readdirSync(dataDir), [OPTIONS_FILE]);
  });

  it('applies nothing when the file cannot be written', async () => {
    const blocked = join(dirs(), 'not-a-directory');
    writeFileSync(blocked, '');
    const applied: Options[] = [];
    const store = fileOptionsStore({
      dataDir: blocked,
      log: quiet,
      current: () => defaults,
      apply: (o) => applied.push(o),
    });
    await assert.rejects(store.save(defaults), OptionsSaveError);
    assert.deepEqual(applied, []);
    assert.equal(existsSync(join(blocked, OPTIONS_FILE)), false);
  });
});

describe('options saved in an add-on: the Supervisor API', () => {
  interface Received {
    method: string;
    url: string;
    authorization: string | undefined;
    body: unknown;
  }

  /** A Supervisor on a loopback port that answers each request with the next of `answers`. */
  async function fakeSupervisor(answers: { status: number; body: unknown }[]) {
    const received: Received[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        received.push({
          method: req.method!,
          url: req.url!,
          authorization: req.headers.authorization,
          body: JSON.parse(text),
        });
        const answer = answers.shift() ?? { status: 500, body: {} };
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    after(() => server.close());
    return { received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  it('posts {options} to /addons/self/options with the add-on’s token, then applies them', async () => {
    const supervisor = await fakeSupervisor([{ status: 200, body: { result: 'ok', data: {} } }]);
    const applied: Options[] = [];
    const store = supervisorOptionsStore({
      token: 'supervisor-secret',
      baseUrl: supervisor.url,
      log: quiet,
      current: () => applied.at(-1) ?? defaults,
      apply: (o) => applied.push(o),
    });
    const next = { ...defaults, tool_naming: 'prefixed' as const };
    assert.deepEqual(await store.save(next), next);
    assert.deepEqual(supervisor.received, [
      {
        method: 'POST',
        url: '/addons/self/options',
        authorization: 'Bearer supervisor-secret',
        body: { options: next },
      },
    ]);
    assert.deepEqual(applied, [next]);
  });

  it('reports the Supervisor’s refusal in its words, applies nothing, and never repeats the token', async () => {
    const supervisor = await fakeSupervisor([
      { status: 400, body: { result: 'error', message: 'Missing option external_url' } },
    ]);
    const lines: string[] = [];
    const applied: Options[] = [];
    const options = supervisorOptionsStore({
      token: 'supervisor-secret',
      baseUrl: supervisor.url,
      log: createLogger('debug', (line) => lines.push(line)),
      current: () => defaults,
      apply: (o) => applied.push(o),
    });
    const { call } = adminWorld({
      options: Object.assign(options, { saved: [] }),
      overrides: { log: createLogger('debug', (line) => lines.push(line)) },
    });
    const res = await call('/api/admin/settings', { method: 'PUT', json: {}, user: 'owner' });
    assert.equal(res.status, 502);
    const text = await res.text();
    assert.match(text, /the Supervisor did not save the options: Missing option external_url/);
    assert.deepEqual(applied, []);
    assert.doesNotMatch(text + lines.join('\n'), /supervisor-secret/);
  });

  it('says so when the Supervisor cannot be reached', async () => {
    const store = supervisorOptionsStore({
      token: 't',
      baseUrl: 'http://127.0.0.1:9',
      log: quiet,
      current: () => defaults,
      apply: () => assert.fail('nothing to apply'),
    });
    await assert.rejects(store.save(defaults), /the Supervisor cannot be reached/);
  });
});
