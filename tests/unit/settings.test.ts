import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../server/src/options.js';
import { DEFAULT_ADMIN_PORT, DEFAULT_MCP_PORT, loadSettings } from '../../server/src/settings.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'ha-mcp-settings-'));

describe('settings', () => {
  it('standalone: reads HA_URL, HA_TOKEN and ports, binds the admin listener to loopback', () => {
    const dataDir = tempDir();
    const settings = loadSettings({
      HA_URL: 'http://ha.local:8123/',
      HA_TOKEN: 'secret',
      MCP_PORT: '9999',
      ADMIN_PORT: '9998',
      DATA_DIR: dataDir,
    });
    assert.equal(settings.mode, 'standalone');
    assert.equal(settings.haUrl, 'http://ha.local:8123');
    assert.equal(settings.haToken, 'secret');
    assert.deepEqual(settings.mcp, { host: '127.0.0.1', port: 9999 });
    assert.deepEqual(settings.admin, { host: '127.0.0.1', port: 9998 });
    assert.equal(settings.dataDir, dataDir);
    assert.equal(settings.options.log_level, 'info');
  });

  it('standalone: reads the options file in DATA_DIR when there is one', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'options.json'), JSON.stringify({ control_home_assistant: false }));
    const settings = loadSettings({ HA_URL: 'http://ha:8123', HA_TOKEN: 't', DATA_DIR: dataDir });
    assert.equal(settings.options.control_home_assistant, false);
    assert.equal(settings.mcp.port, DEFAULT_MCP_PORT);
    assert.equal(settings.admin.port, DEFAULT_ADMIN_PORT);
  });

  it('add-on: uses the Supervisor proxy and token and the add-on options file', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'options.json'), JSON.stringify({ tool_naming: 'prefixed' }));
    const settings = loadSettings({ SUPERVISOR_TOKEN: 'sup', DATA_DIR: dataDir, HA_URL: 'http://ignored' });
    assert.equal(settings.mode, 'addon');
    assert.equal(settings.haUrl, 'http://supervisor/core');
    assert.equal(settings.haToken, 'sup');
    assert.equal(settings.mcp.host, '0.0.0.0');
    assert.equal(settings.options.tool_naming, 'prefixed');
  });

  it('add-on: a missing options file is an error (the Supervisor always writes one)', () => {
    assert.throws(
      () => loadSettings({ SUPERVISOR_TOKEN: 'sup', DATA_DIR: tempDir() }),
      /cannot read options from/
    );
  });

  const refusals: [string, Record<string, string>, RegExp][] = [
    ['no HA_URL or HA_TOKEN', {}, /HA_URL and HA_TOKEN must be set/],
    ['no HA_TOKEN', { HA_URL: 'http://ha:8123' }, /^HA_TOKEN must be set/],
    ['a HA_URL that is not a URL', { HA_URL: 'ha.local', HA_TOKEN: 't' }, /HA_URL must be a URL/],
    ['a HA_URL that is not http', { HA_URL: 'ws://ha.local', HA_TOKEN: 't' }, /HA_URL must start with http/],
    [
      'a port out of range',
      { HA_URL: 'http://ha', HA_TOKEN: 't', MCP_PORT: '70000' },
      /MCP_PORT must be a port/,
    ],
    [
      'a port that is not a number',
      { HA_URL: 'http://ha', HA_TOKEN: 't', ADMIN_PORT: 'abc' },
      /ADMIN_PORT must be/,
    ],
  ];
  for (const [what, env, message] of refusals) {
    it(`refuses ${what} with one clear message`, () => {
      assert.throws(
        () => loadSettings({ DATA_DIR: tempDir(), ...env }),
        (err: unknown) => err instanceof ConfigError && message.test(err.message)
      );
    });
  }

  it('refuses an options file that is not JSON, naming the file', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'options.json'), '{ nope');
    assert.throws(
      () => loadSettings({ HA_URL: 'http://ha', HA_TOKEN: 't', DATA_DIR: dataDir }),
      new RegExp(`${join(dataDir, 'options.json').replace(/[/.]/g, '\\$&')} is not valid JSON`)
    );
  });
});
