import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApprovalsAnswer, ApprovalEvents } from '../../server/src/admin/contract.js';
import { Approvals, type ApprovalCall, type ApprovalOutcome } from '../../server/src/approvals/engine.js';
import { adminWorld, quiet, USERS, type UserName } from '../support/admin-fixture.js';
import { unlockCall } from '../support/approval-call.js';

/** A call of the guest's client to unlock the front door, waiting in a real engine. */
const unlock = (over: Partial<ApprovalCall> = {}): ApprovalCall =>
  unlockCall({ userId: USERS.guest.id, userName: USERS.guest.display }, { clientKey: 'grant-1', ...over });

function world() {
  const approvals = new Approvals({ timeoutMs: () => 60_000, log: quiet });
  const w = adminWorld({ overrides: { approvals } });
  /** Starts a call waiting; its outcome once someone decides. */
  const wait = (call: ApprovalCall = unlock()) => {
    const outcome = approvals.request(call, []);
    const [waiting] = approvals.waiting({ userId: call.userId, isAdmin: false }).slice(-1);
    assert.ok(waiting);
    return { id: waiting.id, outcome };
  };
  const list = async (user: UserName) => {
    const res = await w.call('/api/admin/approvals', { user });
    assert.equal(res.status, 200);
    return (await res.json()) as ApprovalsAnswer;
  };
  const answer = (id: string, user: UserName, allow: boolean) =>
    w.call(`/api/admin/approvals/${id}`, { user, json: { allow } });
  return { ...w, approvals, wait, list, answer };
}

describe('GET /api/admin/approvals', () => {
  it('shows a waiting call to its own user and to administrators, to no one else', async () => {
    const w = world();
    const { id, outcome } = w.wait();
    for (const user of ['guest', 'owner', 'admin'] as const) {
      const { approvals, enabled } = await w.list(user);
      assert.equal(enabled, true);
      assert.deepEqual(
        approvals.map((a) => [a.id, a.userId, a.clientName, a.verb, a.entities]),
        [[id, USERS.guest.id, 'Claude', 'unlock', [{ entityId: 'lock.front_door', name: 'Front Door' }]]],
        user
      );
      assert.ok(approvals[0]!.expiresAt - approvals[0]!.askedAt === 60_000);
    }
    w.wait(unlock({ userId: USERS.owner.id, userName: USERS.owner.display, clientKey: 'grant-2' }));
    assert.equal((await w.list('guest')).approvals.length, 1, 'the owner’s call is not the guest’s to see');
    assert.equal((await w.list('admin')).approvals.length, 2);
    w.approvals.stop();
    assert.equal((await outcome).outcome, 'cancelled');
  });

  it('does not show the call’s arguments, only what it would do', async () => {
    const w = world();
    w.wait();
    const [row] = (await w.list('admin')).approvals;
    assert.equal('args' in row!, false);
    w.approvals.stop();
  });

  it('says so when nothing can wait here (no engine)', async () => {
    const w = adminWorld();
    const res = await w.call('/api/admin/approvals', { user: 'guest' });
    assert.deepEqual(
      { ...((await res.json()) as ApprovalsAnswer), now: 0 },
      {
        approvals: [],
        now: 0,
        enabled: false,
      }
    );
  });
});

describe('POST /api/admin/approvals/:id', () => {
  it('lets the call’s own user, who is no administrator, allow it: logged as theirs, through the panel', async () => {
    const w = world();
    const { id, outcome } = w.wait();
    const res = await w.answer(id, 'guest', true);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { decided: true, allow: true });
    const settled: ApprovalOutcome = await outcome;
    assert.equal(settled.outcome, 'allowed');
    assert.equal('channel' in settled && settled.channel, 'panel');
    assert.equal('decidedBy' in settled && settled.decidedBy, USERS.guest.display);
    assert.deepEqual((await w.list('guest')).approvals, []);
  });

  it('lets an administrator deny another user’s call', async () => {
    const w = world();
    const { id, outcome } = w.wait();
    const res = await w.answer(id, 'admin', false);
    assert.equal(res.status, 200);
    const settled = await outcome;
    assert.equal(settled.outcome, 'denied');
    assert.equal('decidedBy' in settled && settled.decidedBy, USERS.admin.display);
  });

  it('is a 404 to a stranger, and the call goes on waiting', async () => {
    const w = world();
    const { id } = w.wait(unlock({ userId: USERS.owner.id, userName: USERS.owner.display }));
    const res = await w.answer(id, 'guest', true);
    assert.equal(res.status, 404);
    assert.equal((await w.list('admin')).approvals.length, 1);
    w.approvals.stop();
  });

  it('is a 404 once decided: an answer is single-use', async () => {
    const w = world();
    const { id, outcome } = w.wait();
    assert.equal((await w.answer(id, 'guest', false)).status, 200);
    await outcome;
    assert.equal((await w.answer(id, 'admin', true)).status, 404);
    assert.equal((await w.answer('no-such-id', 'admin', true)).status, 404);
  });

  it('takes only { allow: boolean } as JSON', async () => {
    const w = world();
    const { id } = w.wait();
    assert.equal((await w.answer(id, 'guest', 'yes' as unknown as boolean)).status, 400);
    const form = await w.call(`/api/admin/approvals/${id}`, {
      user: 'guest',
      body: 'allow=true',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.status, 415, 'a cross-site form cannot answer');
    assert.equal((await w.list('admin')).approvals.length, 1);
    w.approvals.stop();
  });

  it('is the only change open to a user who is not an administrator', async () => {
    const w = world();
    const res = await w.call('/api/admin/approvals/x/more', { user: 'guest', json: { allow: true } });
    assert.equal(res.status, 403);
    const grants = await w.call('/api/admin/grants/x', { user: 'guest', method: 'PUT', json: {} });
    assert.equal(grants.status, 403);
  });
});

describe('GET /api/admin/approvals/stream', () => {
  it('sends ready and the list at once, then the list again as calls start and stop waiting', async () => {
    const w = world();
    const res = await w.call('/api/admin/approvals/stream', { user: 'guest' });
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const events: { name: string; data: unknown }[] = [];
    const next = async () => {
      for (;;) {
        const end = text.indexOf('\n\n');
        if (end >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name) return { name, data: JSON.parse(data ?? 'null') as unknown };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        text += value;
      }
    };
    events.push(await next(), await next());
    assert.deepEqual(
      events.map((e) => e.name),
      ['ready', 'approvals']
    );
    assert.deepEqual((events[1]!.data as ApprovalsAnswer).approvals, []);
    // Another user's call: the guest's stream says the list (still empty for them) again.
    w.wait(unlock({ userId: USERS.owner.id, userName: USERS.owner.display, clientKey: 'grant-2' }));
    const other = (await next()).data as ApprovalEvents['approvals'];
    assert.deepEqual(other.approvals, []);
    const { id } = w.wait();
    const added = (await next()).data as ApprovalEvents['approvals'];
    assert.deepEqual(
      added.approvals.map((a) => a.id),
      [id]
    );
    await w.answer(id, 'guest', true);
    const settled = (await next()).data as ApprovalEvents['approvals'];
    assert.deepEqual(settled.approvals, []);
    await reader.cancel();
    w.approvals.stop();
  });
});
