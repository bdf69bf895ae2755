import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Principal } from '../../server/src/ha/principals.js';
import type { LlmApi, Tool } from '../../server/src/llm/api.js';
import { ApiRegistry, prefixedNames, READ_ONLY_REFUSAL } from '../../server/src/llm/registry.js';
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

  it('merges several APIs as HA does: namespaced tools, one prompt with a section each', () => {
    const instance = registry({ llm_apis: ['assist', 'other'] }).r.instanceFor(principal);
    assert.deepEqual(
      instance.tools.map((t) => t.name),
      ['device_control__read', 'device_control__write', 'other_api__read', 'other_api__write']
    );
    assert.equal(instance.prompt.name, 'Merged LLM API');
    assert.match(
      instance.prompt.text,
      /Follow these instructions for tools from "device_control":\nprompt of Device control/
    );
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
});
