import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../server/src/options.js';
import { DEFAULT_ADMIN_PORT, DEFAULT_MCP_PORT, loadServerConfig } from '../../server/src/server-config.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'ha-mcp-config-'));

describe('server configuration', () => {
  it('standalone: reads HA_URL, HA_TOKEN and ports, binds the admin listener to loopback', () => {
    const dataDir = tempDir();
    const config = loadServerConfig({
      HA_URL: 'http://ha.local:8123/',
      HA_TOKEN: 'secret',
      MCP_PORT: '9999',
      ADMIN_PORT: '9998',
      DATA_DIR: dataDir,
    });
    assert.equal(config.mode, 'standalone');
    assert.equal(config.haUrl, 'http://ha.local:8123');
    assert.equal(config.haToken, 'secret');
    assert.deepEqual(config.mcp, { host: '127.0.0.1', port: 9999 });
    assert.deepEqual(config.admin, { host: '127.0.0.1', port: 9998 });
    assert.equal(config.dataDir, dataDir);
    assert.equal(config.options.log_level, 'info');
  });

  it('standalone: HA_CA_FILE names the CA to trust for a self-signed Home Assistant', () => {
    const config = loadServerConfig({ HA_URL: 'https://ha:8123', HA_TOKEN: 't', HA_CA_FILE: 'certs/ca.pem' });
    assert.equal(config.haCaFile, join(process.cwd(), 'certs/ca.pem'));
    assert.equal(loadServerConfig({ HA_URL: 'https://ha:8123', HA_TOKEN: 't' }).haCaFile, undefined);
  });

  it('standalone: reads the options file in DATA_DIR when there is one', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'options.json'), JSON.stringify({ control_home_assistant: false }));
    const config = loadServerConfig({ HA_URL: 'http://ha:8123', HA_TOKEN: 't', DATA_DIR: dataDir });
    assert.equal(config.options.control_home_assistant, false);
    assert.equal(config.mcp.port, DEFAULT_MCP_PORT);
    assert.equal(config.admin.port, DEFAULT_ADMIN_PORT);
  });

  it('add-on: uses the Supervisor proxy and token and the add-on options file', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'options.json'), JSON.stringify({ tool_naming: 'prefixed' }));
    const config = loadServerConfig({ SUPERVISOR_TOKEN: 'sup', DATA_DIR: dataDir, HA_URL: 'http://ignored' });
    assert.equal(config.mode, 'addon');
    assert.equal(config.haUrl, 'http://supervisor/core');
    assert.equal(config.haToken, 'sup');
    assert.equal(config.mcp.host, '0.0.0.0');
    assert.equal(config.options.tool_naming, 'prefixed');
  });

  it('add-on: a missing options file is an error (the Supervisor always writes one)', () => {
    assert.throws(
      () => loadServerConfig({ SUPERVISOR_TOKEN: 'sup', DATA_DIR: tempDir() }),
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
        () => loadServerConfig({ DATA_DIR: tempDir(), ...env }),
        (err: unknown) => err instanceof ConfigError && message.test(err.message)
      );
    });
  }

  it('refuses an options file that is not JSON, naming the file', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'options.json'), '{ nope');
    assert.throws(
      () => loadServerConfig({ HA_URL: 'http://ha', HA_TOKEN: 't', DATA_DIR: dataDir }),
      new RegExp(`${join(dataDir, 'options.json').replace(/[/.]/g, '\\$&')} is not valid JSON`)
    );
  });
});
