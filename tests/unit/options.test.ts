import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseOptions } from '../../server/src/options.js';

describe('options', () => {
  it('fills every option with its default when none are given', () => {
    assert.deepEqual(parseOptions({}, 'test'), {
      control_home_assistant: true,
      require_admin: true,
      llm_apis: ['assist', 'homeassistant'],
      tool_naming: 'auto',
      approval_domains: ['lock', 'alarm_control_panel', 'valve', 'cover.garage', 'cover.gate', 'cover.door'],
      approval_timeout: 120,
      log_retention_days: 30,
      log_max_rows: 200_000,
      log_level: 'info',
    });
  });

  it('takes approval domains as a domain or a domain and a device class, and a bounded timeout', () => {
    const options = parseOptions(
      { approval_domains: ['lock', ' cover.garage '], approval_timeout: 30 },
      'test'
    );
    assert.deepEqual(options.approval_domains, ['lock', 'cover.garage']);
    for (const bad of [
      { approval_domains: ['Lock!'] },
      { approval_domains: ['a.b.c'] },
      { approval_timeout: 5 },
    ]) {
      assert.throws(() => parseOptions(bad, 'test'), ConfigError, JSON.stringify(bad));
    }
  });

  it('treats an empty external URL as unset and drops a trailing slash', () => {
    assert.equal(parseOptions({ external_url: '' }, 'test').external_url, undefined);
    assert.equal(
      parseOptions({ external_url: 'https://mcp.example.com/' }, 'test').external_url,
      'https://mcp.example.com'
    );
  });

  it('names every invalid option and the file in one message', () => {
    assert.throws(
      () => parseOptions({ log_level: 'loud', llm_apis: [], external_url: 'ftp://x' }, '/data/options.json'),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /^invalid options in \/data\/options\.json: /);
        assert.match(err.message, /log_level: /);
        assert.match(err.message, /llm_apis: select at least one LLM API/);
        assert.match(err.message, /external_url: must be an http:\/\/ or https:\/\/ URL/);
        return true;
      }
    );
  });
});
