import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERR_CONNECTION_LOST, type Connection } from 'home-assistant-js-websocket';
import { commandFailure, HaCommandError, linkCommand } from '../../server/src/admin/ha-command.js';
import { HaUnavailableError } from '../../server/src/ha/errors.js';

/** Just enough of a connection: whether it is up, and what it answers. */
const connection = (connected: boolean, answer: (message: unknown) => Promise<unknown>) =>
  ({ connected, sendMessagePromise: answer }) as unknown as Connection;

describe('WebSocket commands as the add-on', () => {
  it('answers with HA’s result', async () => {
    const command = linkCommand(() => connection(true, async () => ({ expose_new: true })));
    assert.deepEqual(await command({ type: 'homeassistant/expose_new_entities/get' }), { expose_new: true });
  });

  it('says HA is unavailable before the first connection, while the link is down, and when it drops', async () => {
    await assert.rejects(linkCommand(() => undefined)({ type: 'config/auth/list' }), HaUnavailableError);
    const down = connection(false, async () => assert.fail('nothing is sent on a closed link'));
    await assert.rejects(linkCommand(() => down)({ type: 'config/auth/list' }), HaUnavailableError);
    assert.ok(commandFailure('x', ERR_CONNECTION_LOST) instanceof HaUnavailableError);
    const dropped = {
      type: 'result',
      success: false,
      error: { code: ERR_CONNECTION_LOST, message: 'Connection lost' },
    };
    assert.ok(commandFailure('x', dropped) instanceof HaUnavailableError);
  });

  it('turns HA’s error answer into an error that names the command and keeps HA’s words', () => {
    const err = commandFailure('homeassistant/expose_entity', {
      code: 'not_allowed',
      message: 'Cannot expose',
    });
    assert.ok(err instanceof HaCommandError);
    assert.equal(err.code, 'not_allowed');
    assert.equal(err.message, 'Home Assistant refused homeassistant/expose_entity: Cannot expose');
  });

  it('gives up on a command HA never answers', async () => {
    const silent = connection(true, () => new Promise(() => {}));
    await assert.rejects(
      linkCommand(() => silent, 20)({ type: 'config/auth/list' }),
      /did not answer within/
    );
  });
});
