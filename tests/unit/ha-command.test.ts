import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERR_CONNECTION_LOST, type Connection } from 'home-assistant-js-websocket';
/**
 * The one way a WebSocket command goes to Home Assistant (server/src/ha/command.ts): HA's result, or one of
 * the two kinds of failure, within a time limit.
 */
import { commandFailure, linkSend } from '../../server/src/ha/command.js';
import { HaAwayError, HaRefusedError } from '../../server/src/ha/errors.js';

/** Just enough of a connection: whether it is up, and what it answers. */
const connection = (connected: boolean, answer: (message: unknown) => Promise<unknown>) =>
  ({ connected, sendMessagePromise: answer }) as unknown as Connection;

describe('WebSocket commands as the add-on', () => {
  it('answers with HA’s result', async () => {
    const command = linkSend(() => connection(true, async () => ({ expose_new: true })));
    assert.deepEqual(await command({ type: 'homeassistant/expose_new_entities/get' }), { expose_new: true });
  });

  it('says HA is unavailable before the first connection, while the link is down, and when it drops', async () => {
    await assert.rejects(linkSend(() => undefined)({ type: 'config/auth/list' }), HaAwayError);
    const down = connection(false, async () => assert.fail('nothing is sent on a closed link'));
    await assert.rejects(linkSend(() => down)({ type: 'config/auth/list' }), HaAwayError);
    assert.ok(commandFailure('x', ERR_CONNECTION_LOST) instanceof HaAwayError);
    const dropped = {
      type: 'result',
      success: false,
      error: { code: ERR_CONNECTION_LOST, message: 'Connection lost' },
    };
    assert.ok(commandFailure('x', dropped) instanceof HaAwayError);
  });

  it('turns HA’s error answer into an error that names the command and keeps HA’s words', () => {
    const err = commandFailure('homeassistant/expose_entity', {
      code: 'not_allowed',
      message: 'Cannot expose',
    });
    assert.ok(err instanceof HaRefusedError);
    assert.deepEqual(err.refusal, {
      command: 'homeassistant/expose_entity',
      code: 'not_allowed',
      reason: 'Cannot expose',
    });
    assert.equal(err.message, 'Home Assistant refused homeassistant/expose_entity: Cannot expose');
  });

  it('gives up on a command HA never answers', async () => {
    const silent = connection(true, () => new Promise(() => {}));
    await assert.rejects(linkSend(() => silent, 20)({ type: 'config/auth/list' }), /did not answer within/);
  });
});
