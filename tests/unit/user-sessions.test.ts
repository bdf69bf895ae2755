/**
 * Sessions as the calling user (server/src/ha/user-sessions.ts), against a stand-in for HA's WebSocket API:
 * one connection per token, reused while in use and closed after the idle time; a bound on how many are
 * open; subscriptions that end at their first settled event and are unsubscribed; refusals and silence
 * turned into the door's two kinds of errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HaAwayError, HaRefusedError } from '../../server/src/ha/errors.js';
import { userSessions } from '../../server/src/ha/user-sessions.js';
import { fakeHaWs, type FakeHaWs } from '../support/fake-ha-ws.js';
import { waitFor } from '../support/wait.js';

const until = (ha: FakeHaWs, what: string, done: () => boolean) =>
  waitFor((notify) => ha.onChange(notify), done, 5_000, what);

describe('sessions as the calling user', () => {
  it('sends a user’s commands over one connection of their own, and another user’s over another', async () => {
    const ha = await fakeHaWs(['alice', 'bob'], {
      get_config: (_m, reply) => reply.result({ version: '2026.11.0' }),
    });
    const sessions = userSessions({ coreUrl: ha.url });
    try {
      await sessions.session('alice').send({ type: 'get_config' });
      await sessions.session('alice').send({ type: 'get_config' });
      await sessions.session('bob').send({ type: 'get_config' });
      assert.equal(ha.opened, 2);
      assert.deepEqual(
        ha.messages.filter((m) => m.message.type === 'get_config').map((m) => m.token),
        ['alice', 'alice', 'bob']
      );
    } finally {
      sessions.close();
    }
  });

  it('closes a connection once it has been idle, and opens a new one when needed again', async () => {
    const ha = await fakeHaWs(['alice'], { ping: (_m, reply) => reply.result(null) });
    const sessions = userSessions({ coreUrl: ha.url, idleMs: 50 });
    try {
      await sessions.session('alice').send({ type: 'ping' });
      assert.equal(ha.open(), 1);
      await until(ha, 'the idle connection to close', () => ha.open() === 0);
      await sessions.session('alice').send({ type: 'ping' });
      assert.equal(ha.opened, 2);
    } finally {
      sessions.close();
    }
  });

  it('keeps at most the bound open, closing the least recently used idle one to make room', async () => {
    const ha = await fakeHaWs(['a', 'b', 'c'], { ping: (_m, reply) => reply.result(null) });
    const sessions = userSessions({ coreUrl: ha.url, maxSessions: 2 });
    try {
      await sessions.session('a').send({ type: 'ping' });
      await sessions.session('b').send({ type: 'ping' });
      await sessions.session('a').send({ type: 'ping' });
      await sessions.session('c').send({ type: 'ping' });
      await until(ha, 'b’s connection to close', () => ha.open() === 2);
      // a was used last before c: it is still open, so no new connection.
      await sessions.session('a').send({ type: 'ping' });
      assert.equal(ha.opened, 3);
    } finally {
      sessions.close();
    }
  });

  it('ends a subscription at its first settled event, and unsubscribes', async () => {
    const ha = await fakeHaWs(['alice'], {
      render_template: (_m, reply) => {
        reply.result(null);
        reply.event({ result: 'skip me' });
        reply.event({ result: 'take me' });
      },
    });
    const sessions = userSessions({ coreUrl: ha.url });
    try {
      const value = await sessions
        .session('alice')
        .firstEvent({ type: 'render_template', template: '{{ 1 }}' }, (event) => {
          const result = (event as { result: string }).result;
          return result === 'take me' ? result : undefined;
        });
      assert.equal(value, 'take me');
      await until(ha, 'the unsubscription', () =>
        ha.messages.some((m) => m.message.type === 'unsubscribe_events')
      );
      const subscribe = ha.messages.find((m) => m.message.type === 'render_template');
      assert.equal(
        ha.messages.find((m) => m.message.type === 'unsubscribe_events')!.message.subscription,
        subscribe!.message.id
      );
    } finally {
      sessions.close();
    }
  });

  it('says when HA refuses a token it is given (HA counts that as a failed login from the add-on)', async () => {
    const ha = await fakeHaWs(['alice'], {
      get_config: (_m, reply) => reply.result({ version: '2026.11.0' }),
    });
    let refused = 0;
    const sessions = userSessions({ coreUrl: ha.url, onRefused: () => refused++ });
    try {
      await sessions.session('alice').send({ type: 'get_config' });
      assert.equal(refused, 0);
      await assert.rejects(
        sessions.session('revoked').send({ type: 'get_config' }),
        (err: Error) => err instanceof HaRefusedError && err.refusal.code === 'invalid_auth'
      );
      assert.equal(refused, 1);
    } finally {
      sessions.close();
    }
  });

  it('turns a refused subscription into HA’s refusal, and silence into HaAwayError at the time limit', async () => {
    const ha = await fakeHaWs(['alice'], {
      render_template: (_m, reply) =>
        reply.error('template_error', 'Exceeded maximum execution time of 3.0s'),
    });
    const sessions = userSessions({ coreUrl: ha.url });
    try {
      await assert.rejects(
        sessions.session('alice').firstEvent({ type: 'render_template' }, () => 1),
        (err: unknown) =>
          err instanceof HaRefusedError &&
          err.refusal.code === 'template_error' &&
          /Exceeded maximum execution time of 3\.0s/.test(err.message)
      );
      await assert.rejects(
        sessions.session('alice').firstEvent({ type: 'silence' }, () => 1, 100),
        (err: unknown) => err instanceof HaAwayError && /within 0\.1 s/.test(err.message)
      );
      // A command given its own time limit (an action that runs a script) is held to that one.
      await assert.rejects(
        sessions.session('alice').send({ type: 'silence' }, 150),
        (err: unknown) => err instanceof HaAwayError && /within 0\.15 s/.test(err.message)
      );
    } finally {
      sessions.close();
    }
  });

  it('refuses a token HA refuses, and says HA is away when it cannot be reached', async () => {
    const ha = await fakeHaWs(['alice'], {});
    const sessions = userSessions({ coreUrl: ha.url });
    const gone = userSessions({ coreUrl: 'http://127.0.0.1:9', connectTimeoutMs: 500 });
    try {
      await assert.rejects(
        sessions.session('mallory').send({ type: 'ping' }),
        (err: unknown) => err instanceof HaRefusedError && err.refusal.code === 'invalid_auth'
      );
      await assert.rejects(gone.session('alice').send({ type: 'ping' }), HaAwayError);
    } finally {
      sessions.close();
      gone.close();
    }
  });
});
