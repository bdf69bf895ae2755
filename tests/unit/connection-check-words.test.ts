/**
 * The connection test's findings in the panel's English (ui/src/translations/en.json `connect.test.checks`)
 * read exactly as the API's English words (admin/connection-check-words.ts), for every finding: the two
 * cannot drift apart, and no finding the server can report lacks the panel's words.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  CHECK_WORDS,
  type CheckCode,
  type CheckParams,
} from '../../server/src/admin/connection-check-words.js';
import { panelText } from '../support/panel-words.js';

/** Values for every finding's placeholders, as the server passes them (ports and statuses as text). */
const SAMPLE: { [C in CheckCode]: CheckParams[C] } = {
  url_not_http: {},
  url_cloud: { host: 'abc.ui.nabu.casa' },
  url_path_ok: { path: '/api/mcp' },
  url_path_wrong: { path: '/api/mcp', actual: '/mcp' },
  port_unpublished: { port: '9583' },
  port_mismatch: { port: '9583', actual: '8123' },
  port_ok: { port: '9583' },
  unreachable_refused: { where: 'homeassistant.local:9583' },
  unreachable_unresolved: { host: 'nowhere.example' },
  unreachable_timeout: { where: '10.0.0.2:9583', seconds: 5 },
  unreachable_reset: { where: '10.0.0.2:443' },
  unreachable_other: { where: '10.0.0.2:443', cause: 'EHOSTUNREACH' },
  reachable_redirect: { status: '301', location: 'https://elsewhere.example/api/mcp' },
  reachable_ok: {},
  reachable_not_found: { host: '10.0.0.2:8123', path: '/api/mcp' },
  reachable_other: { host: '10.0.0.2:8123', status: '500' },
  token_ok: { count: 32 },
  token_refused: {},
  token_rate_limited: { seconds: '30' },
  token_rate_limited_later: {},
  token_unavailable: {},
  token_not_admin: {},
  token_http: { status: '418' },
};

it('words every finding in the panel’s English exactly as the API does', () => {
  const english = panelText('en');
  const differ: string[] = [];
  for (const code of Object.keys(CHECK_WORDS) as CheckCode[]) {
    const params = SAMPLE[code] as Record<string, string | number>;
    const api = (CHECK_WORDS[code] as (p: typeof params) => string)(params);
    const panel = english(`connect.test.checks.${code}`, params);
    if (panel !== api) differ.push(`${code}:\n  panel ${panel}\n  api   ${api}`);
  }
  assert.deepEqual(differ, []);
  assert.equal(
    english('connect.test.checks.token_ok', { count: 1 }),
    CHECK_WORDS.token_ok({ count: 1 }),
    'one tool'
  );
});
