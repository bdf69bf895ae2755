/**
 * The Home Assistant API's tools tell the server when HA refuses a user's token on REST (401: revoked since
 * it was accepted), so the failed login HA counted against the add-on's address is counted here too
 * (login-attempts.ts `failedLater`). Anything else HA refuses is the tool's own business.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { HaAwayError, HaRefusedError } from '../../server/src/ha/errors.js';
import type { Principal } from '../../server/src/ha/principals.js';
import type { Tool } from '../../server/src/llm/api.js';
import { refusalsNoted } from '../../server/src/llm/homeassistant/api.js';
import type { HaApiContext } from '../../server/src/llm/homeassistant/context.js';

const principal = { userId: 'u', name: 'U', isAdmin: true, token: 'the-token' } as Principal;

function failingTool(err: Error): Tool {
  return {
    name: 'homeassistant__t',
    description: 't',
    inputSchema: { type: 'object', properties: {} },
    run: async () => {
      throw err;
    },
  };
}

it('tells onRefused of a 401 with the caller’s token, and of nothing else; the error goes on', async () => {
  const refused: string[] = [];
  const ctx = { onRefused: (token: string) => refused.push(token) } as unknown as HaApiContext;
  for (const err of [
    new HaRefusedError('Home Assistant answered 401', { status: 401 }),
    new HaRefusedError('Home Assistant answered 400', { status: 400 }),
    new HaRefusedError('Home Assistant refused', { code: 'unauthorized' }),
    new HaAwayError(),
  ]) {
    await assert.rejects(refusalsNoted(failingTool(err), ctx).run({}, { principal }), err);
  }
  assert.deepEqual(refused, ['the-token']);
});

it('leaves a tool as it is when nobody listens', () => {
  const tool = failingTool(new Error('x'));
  assert.equal(refusalsNoted(tool, {} as HaApiContext), tool);
});
