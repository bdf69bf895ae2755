/**
 * Pins the parameters of the "Home Assistant" LLM API's tools (server/src/llm/homeassistant/tool-parameters.ts,
 * built with parameters.ts) against what the pinned Home Assistant itself does, recorded from its own Python
 * in tests/fixtures/probatio-golden.json (regenerate with tests/support/ha/probatio-golden.ts): for every
 * recorded case the arguments parse to the same value, or fail with the same text; and every tool advertises
 * the same input schema, descriptions aside (ours are our own words).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  jsonSchemaOf,
  parseArguments,
  type Parameters,
} from '../../server/src/llm/homeassistant/parameters.js';
import {
  CALL_ACTION,
  CORE_LOG_SOURCES,
  GET_CONFIG_ENTRIES,
  GET_HISTORY,
  GET_LOG_ENTRIES,
  GET_SYSTEM_INFO,
  getLogsParameters,
  RELOAD_CONFIG_ENTRY,
  RENDER_TEMPLATE,
  SEARCH,
  SEARCH_ACTIONS,
  SEARCH_INTEGRATIONS,
  SUPERVISOR_DEFAULT_LOG_SOURCES,
  supervisorLogSources,
} from '../../server/src/llm/homeassistant/tool-parameters.js';

interface Golden {
  homeassistant: string;
  probatio: string;
  tools: Record<
    string,
    { name: string; inputSchema: Record<string, unknown>; apps?: Record<string, string> }
  >;
  cases: { tool: string; args: Record<string, unknown>; value?: Record<string, unknown>; error?: string }[];
}

const golden = JSON.parse(
  readFileSync(new URL('../fixtures/probatio-golden.json', import.meta.url), 'utf8')
) as Golden;

const FIXED: Record<string, Parameters> = {
  history__get_history: GET_HISTORY,
  homeassistant__render_template: RENDER_TEMPLATE,
  homeassistant__search_actions: SEARCH_ACTIONS,
  homeassistant__call_action: CALL_ACTION,
  search__search: SEARCH,
  config__get_config_entries: GET_CONFIG_ENTRIES,
  config__reload_config_entry: RELOAD_CONFIG_ENTRY,
  config__search_integrations: SEARCH_INTEGRATIONS,
  system_health__get_system_info: GET_SYSTEM_INFO,
  system_log__get_entries: GET_LOG_ENTRIES,
  system_log__get_logs: getLogsParameters(CORE_LOG_SOURCES, ['core']),
};

/** Our parameters for a recorded tool; the hassio variants differ by their installed apps. */
function parametersOf(variant: string): Parameters {
  const apps = golden.tools[variant]?.apps;
  if (apps) {
    const list = Object.entries(apps).map(([slug, name]) => ({ slug, name }));
    return getLogsParameters(supervisorLogSources(list), SUPERVISOR_DEFAULT_LOG_SOURCES);
  }
  const params = FIXED[variant];
  assert.ok(params, `no parameters declared for ${variant}`);
  return params;
}

/** The schema without its descriptions, and its text, which keeps the key order HA sends. */
function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'description')
      .map(([key, item]) => [key, withoutDescriptions(item)])
  );
}

const shortName = (args: unknown): string => {
  const text = JSON.stringify(args);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
};

describe(`tool parameters as Home Assistant ${golden.homeassistant} (probatio ${golden.probatio}) has them`, () => {
  it('declares every tool HA has, the twelve of the API', () => {
    const names = new Set(Object.values(golden.tools).map(({ name }) => name));
    assert.equal(names.size, 12);
    for (const variant of Object.keys(golden.tools)) parametersOf(variant);
  });

  for (const [variant, { inputSchema }] of Object.entries(golden.tools)) {
    it(`${variant} advertises HA's input schema, in HA's key order, with descriptions of its own`, () => {
      const ours = jsonSchemaOf(parametersOf(variant));
      assert.deepEqual(withoutDescriptions(ours), withoutDescriptions(inputSchema));
      assert.equal(
        JSON.stringify(withoutDescriptions(ours)),
        JSON.stringify(withoutDescriptions(inputSchema))
      );
      const theirs = inputSchema.properties as Record<string, { description?: string }>;
      for (const [name, property] of Object.entries(
        ours.properties as Record<string, { description?: string }>
      )) {
        assert.ok(property.description, `${variant}.${name} has a description`);
        assert.notEqual(
          property.description,
          theirs[name]?.description,
          `${variant}.${name} is in our words`
        );
      }
    });
  }

  const byTool = new Map<string, Golden['cases']>();
  for (const recorded of golden.cases)
    byTool.set(recorded.tool, [...(byTool.get(recorded.tool) ?? []), recorded]);
  for (const [variant, cases] of byTool) {
    describe(`${variant} arguments`, () => {
      for (const { args, value, error } of cases) {
        const expected = error === undefined ? { ok: true, value } : { ok: false, message: error };
        it(`${shortName(args)} → ${error ?? shortName(value)}`, () => {
          const parsed = parseArguments(parametersOf(variant), structuredClone(args));
          assert.deepEqual(parsed, expected);
          // Python keeps the given keys in their order and appends the defaults.
          assert.equal(JSON.stringify(parsed), JSON.stringify(expected));
        });
      }
    });
  }
});
