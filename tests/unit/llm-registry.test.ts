/**
 * Pins the LLM API registry (server/src/llm/registry.ts): which APIs are served and how several merge, and
 * read-only mode, exactly which tools are listed and which are refused when called by name, for the global
 * setting and for a read-only grant. Also the tool naming that follows the connected HA's version.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Principal } from '../../server/src/ha/principals.js';
import { ApiUnauthorizedError, type LlmApi, type Tool } from '../../server/src/llm/api.js';
import {
  ApiRegistry,
  mergeInstances,
  namingFor,
  prefixedNames,
  READ_ONLY_REFUSAL,
  apiSlug,
} from '../../server/src/llm/registry.js';
import type { Home } from '../../server/src/ha/home.js';
import { createLogger } from '../../server/src/log.js';
import { parseOptions, type Options } from '../../server/src/options.js';

const principal: Principal = {
  userId: 'u',
  name: 'U',
  isAdmin: false,
  authKind: 'long_lived_token',
  token: 't',
  tokenHash: 'h',
};
const tool = (name: string, readOnly: boolean): Tool => ({
  name,
  description: name,
  inputSchema: { type: 'object', properties: {} },
  annotations: { readOnlyHint: readOnly },
  run: async () => ({ text: `${name} ran` }),
});
const api = (id: string, name: string): LlmApi => ({
  id,
  name,
  instance: () => ({
    tools: [tool('read', true), tool('write', false)],
    prompt: { name, description: name, text: `prompt of ${name}` },
    resources: [],
  }),
});

function registry(options: Partial<Options>) {
  const opts = parseOptions(options, 'test');
  const warnings: string[] = [];
  const r = new ApiRegistry(
    () => opts,
    createLogger('warning', (l) => warnings.push(l))
  )
    .register(api('assist', 'Device control'))
    .register(api('other', 'Other API'));
  return { r, warnings };
}

describe('LLM API registry', () => {
  it('serves one selected API as it is', () => {
    const instance = registry({ llm_apis: ['assist'] }).r.instanceFor(principal);
    assert.deepEqual(
      instance.tools.map((t) => t.name),
      ['read', 'write']
    );
    assert.equal(instance.prompt.name, 'Device control');
  });

  it('merges several APIs as HA 2026.11 does: names kept, shared tools once, clashes namespaced', () => {
    const dateTime = { ...tool('llm__GetDateTime', true), shared: 'GetDateTime' };
    const made = (id: string, tools: Tool[], text: string, requiresAdmin = false): LlmApi => ({
      id,
      name: id.toUpperCase(),
      requiresAdmin,
      instance: () => ({ tools, prompt: { name: id, description: id, text }, resources: [] }),
    });
    const merged = mergeInstances(
      [
        made('assist', [tool('HassTurnOn', false), { ...dateTime }, tool('read', true)], 'assist says'),
        made('home_api', [tool('render', true), { ...dateTime }, tool('read', true)], '', true),
      ].map((api) => ({ api, instance: api.instance(principal) }))
    );
    assert.deepEqual(
      merged.tools.map((t) => t.name),
      ['HassTurnOn', 'llm__GetDateTime', 'assist__read', 'home-api__read', 'render']
    );
    assert.equal(merged.prompt.name, 'Merged LLM API');
    assert.equal(merged.prompt.description, 'Default prompt for Home Assistant Merged LLM API API');
    assert.equal(
      merged.prompt.text,
      'Follow these instructions for tools from "assist" (HassTurnOn, llm__GetDateTime, assist__read):\n' +
        'assist says\n\n' +
        'Follow these instructions for tools from "home-api" (render, llm__GetDateTime, home-api__read):\n' +
        '\n\n'
    );
  });

  it('keeps an API for administrators from anyone else, alone or merged, and tells who may use it', () => {
    const r = registry({ llm_apis: ['assist', 'other'] }).r;
    r.register({ ...api('admin_only', 'Admin'), requiresAdmin: true });
    const admin = { ...principal, isAdmin: true };
    assert.equal(r.allows(principal), true);
    assert.equal(r.allows(principal, 'admin_only'), false);
    assert.equal(r.allows(admin, 'admin_only'), true);
    assert.throws(() => r.instanceFor(principal, 'admin_only'), ApiUnauthorizedError);
    assert.equal(r.instanceFor(admin, 'admin_only').prompt.name, 'Admin');
    assert.equal(r.instanceFor(principal, 'assist').prompt.name, 'Device control');
    const both = registry({ llm_apis: ['assist', 'admin_only'] }).r;
    both.register({ ...api('admin_only', 'Admin'), requiresAdmin: true });
    assert.equal(both.allows(principal), false);
    assert.throws(() => both.instanceFor(principal), { message: 'Unauthorized' });
    assert.equal(both.instanceFor(admin).prompt.name, 'Merged LLM API');
  });

  it('with control off, lists only read-only tools and refuses the others when called by name', async () => {
    const instance = registry({ control_home_assistant: false }).r.instanceFor(principal);
    assert.deepEqual(
      instance.tools.map((t) => t.name),
      ['read']
    );
    const write = instance.unlisted?.find((t) => t.name === 'write');
    assert.ok(write);
    assert.deepEqual(await write.run({}, { principal }), { text: READ_ONLY_REFUSAL, isError: true });
  });

  it('ignores an unknown API with one warning', () => {
    const { r, warnings } = registry({ llm_apis: ['nope', 'assist'] });
    r.instanceFor(principal);
    r.instanceFor(principal);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /the LLM API 'nope' in the options does not exist/);
  });

  it('names tools as the connected HA does unless told otherwise', () => {
    assert.equal(prefixedNames('auto', '2026.8.3'), false);
    assert.equal(prefixedNames('auto', '2026.9.0'), true);
    assert.equal(prefixedNames('auto', '2027.1.0'), true);
    assert.equal(prefixedNames('bare', '2026.11.0'), false);
    assert.equal(prefixedNames('prefixed', '2025.1.0'), true);
  });

  it('names tools by the year and month of the connected HA, whatever the month in other years', () => {
    assert.equal(prefixedNames('auto', '2026.1.0'), false);
    assert.equal(prefixedNames('auto', '2025.10.0'), false);
    assert.equal(prefixedNames('auto', '2025.12.1'), false);
    assert.equal(prefixedNames('auto', '2026.10.0'), true);
    assert.equal(prefixedNames('auto', '2027.0'), true);
    assert.equal(prefixedNames('auto', '2026'), false);
    assert.equal(prefixedNames('auto', ''), false);
    assert.equal(prefixedNames('bare', '2027.1.0'), false);
    assert.equal(prefixedNames('prefixed', ''), true);
  });

  it('reads the naming option and the HA version anew each time it is asked', () => {
    const home = { haVersion: '2026.8.0' } as Home;
    let naming: Options['tool_naming'] = 'auto';
    const prefixed = namingFor(home, () => parseOptions({ tool_naming: naming }, 'test'));
    assert.equal(prefixed(), false);
    home.haVersion = '2026.9.1';
    assert.equal(prefixed(), true);
    naming = 'bare';
    assert.equal(prefixed(), false);
  });
});

describe('API ids as merge namespaces', () => {
  it('are written as python-slugify writes them: lower case, other characters as one hyphen', () => {
    assert.equal(apiSlug('assist'), 'assist');
    assert.equal(apiSlug('homeassistant'), 'homeassistant');
    assert.equal(apiSlug('my_api'), 'my-api');
    assert.equal(apiSlug('  Ünïcode Café - API! '), 'unicode-cafe-api');
    assert.equal(apiSlug('a--b  c'), 'a-b-c');
  });
});

describe('LLM API selection', () => {
  it('lists every registered API by id and name', () => {
    assert.deepEqual(registry({}).r.available(), [
      { id: 'assist', name: 'Device control' },
      { id: 'other', name: 'Other API' },
    ]);
  });

  it('selects the APIs of the options in their order, skipping unknown ones', () => {
    const { r } = registry({ llm_apis: ['other', 'nope', 'assist'] });
    assert.deepEqual(
      r.selected().map((a) => a.id),
      ['other', 'assist']
    );
  });

  it('warns once per unknown API, naming the known ones', () => {
    const { r, warnings } = registry({ llm_apis: ['nope', 'gone', 'assist'] });
    r.selected();
    r.selected();
    assert.deepEqual(
      warnings.map((w) => w.replace(/^\S+ \S+ /, '')),
      [
        "WARNING: the LLM API 'nope' in the options does not exist; known: assist, other",
        "WARNING: the LLM API 'gone' in the options does not exist; known: assist, other",
      ]
    );
  });

  it('offers nothing, under the merged prompt, when no selected API exists', () => {
    const instance = registry({ llm_apis: ['nope'] }).r.instanceFor(principal);
    assert.deepEqual(instance.tools, []);
    assert.deepEqual(instance.resources, []);
    assert.equal(instance.prompt.name, 'Merged LLM API');
    assert.equal(instance.prompt.text, '');
  });
});

describe('merging several APIs', () => {
  const resource = (uri: string) => ({
    uri,
    name: uri,
    description: uri,
    mimeType: 'text/plain',
    read: async () => uri,
  });
  const withResource = (id: string, name: string, uri: string): LlmApi => ({
    id,
    name,
    instance: () => ({
      tools: [tool(`${id}-tool`, true)],
      prompt: { name, description: name, text: `prompt of ${name}` },
      resources: [resource(uri)],
    }),
  });

  it('keeps one API instance as it is, prompt and resources included', () => {
    const a = withResource('a', 'A', 'x://a');
    const instance = a.instance(principal);
    assert.equal(mergeInstances([{ api: a, instance }]), instance);
  });

  it('writes one prompt with a section per API, in order, and keeps every resource', () => {
    const a = withResource('a', 'First API', 'x://a');
    const b = withResource('b', 'Second-API', 'x://b');
    const merged = mergeInstances([
      { api: a, instance: a.instance(principal) },
      { api: b, instance: b.instance(principal) },
    ]);
    assert.deepEqual(merged.prompt, {
      name: 'Merged LLM API',
      description: 'Default prompt for Home Assistant Merged LLM API API',
      text:
        'Follow these instructions for tools from "a" (a-tool):\nprompt of First API\n\n' +
        'Follow these instructions for tools from "b" (b-tool):\nprompt of Second-API\n\n',
    });
    assert.deepEqual(
      merged.resources.map((r) => r.uri),
      ['x://a', 'x://b']
    );
    assert.deepEqual(
      merged.tools.map((t) => [t.name, t.description]),
      [
        ['a-tool', 'a-tool'],
        ['b-tool', 'b-tool'],
      ]
    );
  });
});

describe('read-only mode', () => {
  const readOnlyGrant: Principal = { ...principal, readOnly: true };
  const bare: Tool = {
    name: 'bare',
    description: 'no annotations',
    inputSchema: { type: 'object', properties: { x: { type: 'string' } } },
    run: async () => ({ text: 'bare ran' }),
  };
  const mixed = (options: Partial<Options>) => {
    const opts = parseOptions(options, 'test');
    return new ApiRegistry(
      () => opts,
      createLogger('error', () => {})
    ).register({
      id: 'assist',
      name: 'Assist',
      instance: () => ({
        tools: [tool('read', true), tool('write', false), bare, tool('look', true)],
        prompt: { name: 'Assist', description: 'd', text: 'the prompt' },
        resources: [],
      }),
    });
  };

  it('holds on a per-API endpoint too, unlike HA’s, for the option and for a read-only grant', async () => {
    const off = mixed({ control_home_assistant: false, llm_apis: ['assist'] }).instanceFor(
      principal,
      'assist'
    );
    assert.deepEqual(
      off.tools.map((t) => t.name),
      ['read', 'look']
    );
    const grant = mixed({ control_home_assistant: true }).instanceFor(readOnlyGrant, 'assist');
    assert.deepEqual(
      grant.tools.map((t) => t.name),
      ['read', 'look']
    );
  });

  it('serves every tool, and nothing unlisted, when control is on and the grant is not read-only', async () => {
    const instance = mixed({ control_home_assistant: true }).instanceFor(principal);
    assert.deepEqual(
      instance.tools.map((t) => t.name),
      ['read', 'write', 'bare', 'look']
    );
    assert.equal(instance.unlisted, undefined);
    assert.deepEqual(await instance.tools[1]!.run({}, { principal }), { text: 'write ran' });
  });

  for (const [why, options, caller] of [
    ['control is off', { control_home_assistant: false }, principal],
    ['the grant is read-only', { control_home_assistant: true }, readOnlyGrant],
    ['both', { control_home_assistant: false }, readOnlyGrant],
  ] as const) {
    it(`lists only tools marked read-only when ${why}, and refuses the rest by name`, async () => {
      const instance = mixed(options).instanceFor(caller);
      assert.deepEqual(
        instance.tools.map((t) => t.name),
        ['read', 'look']
      );
      assert.deepEqual(await instance.tools[0]!.run({}, { principal: caller }), { text: 'read ran' });
      assert.deepEqual(
        instance.unlisted?.map((t) => t.name),
        ['write', 'bare']
      );
      for (const refused of instance.unlisted!) {
        assert.deepEqual(await refused.run({}, { principal: caller }), {
          text: 'Home Assistant is read-only for MCP clients: this tool changes things and is not allowed',
          isError: true,
        });
      }
      // The refused tools keep their description and schema; the prompt stays.
      assert.equal(instance.unlisted![1]!.description, 'no annotations');
      assert.deepEqual(instance.unlisted![1]!.inputSchema, bare.inputSchema);
      assert.equal(instance.prompt.text, 'the prompt');
    });
  }

  it('refuses in the exact words clients see', () => {
    assert.equal(
      READ_ONLY_REFUSAL,
      'Home Assistant is read-only for MCP clients: this tool changes things and is not allowed'
    );
  });
});
