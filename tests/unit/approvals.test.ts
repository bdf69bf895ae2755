/**
 * Approvals (issue 20), the pure parts and the engine on a fake clock-free footing: which calls wait (the
 * policy and what a call would change), and how a waiting call ends — allowed, denied, timed out, cancelled,
 * refused over the bounds — with answers that are single-use and only the user's own (or an administrator's
 * in the panel).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Approvals,
  type ApprovalCall,
  type Ask,
  type WaitingApproval,
} from '../../server/src/approvals/engine.js';
import {
  ApprovalGate,
  type PhoneQuestions,
  questionOf,
  refusalText,
} from '../../server/src/approvals/gate.js';
import { DEFAULT_APPROVAL_DOMAINS, needsApproval, rulesOf } from '../../server/src/approvals/policy.js';
import { actionTargets, intentTargets } from '../../server/src/approvals/targets.js';
import type { Principal } from '../../server/src/ha/principals.js';
import type { Tool } from '../../server/src/llm/api.js';
import { quiet, smallHome } from '../support/admin-fixture.js';
import { unlockCall } from '../support/approval-call.js';

const rules = rulesOf(DEFAULT_APPROVAL_DOMAINS);

function home() {
  const h = smallHome();
  h.applyStates({
    a: {
      'cover.garage_door': { s: 'closed', a: { friendly_name: 'Garage Door', device_class: 'garage' } },
      'cover.blinds': { s: 'open', a: { friendly_name: 'Blinds', device_class: 'blind' } },
    },
  });
  h.setExposure(['lock.front_door', 'cover.garage_door', 'cover.blinds'], true);
  return h;
}

/** The next call that starts waiting. */
const nextWaiting = (approvals: Approvals) =>
  new Promise<WaitingApproval>((resolve) => {
    const stop = approvals.onChange((change) => {
      if (change.kind !== 'added') return;
      stop();
      resolve(change.approval);
    });
  });

const owner: Principal = {
  userId: 'u-owner',
  name: 'Olivia',
  isAdmin: true,
  authKind: 'oauth_grant',
  token: 't',
  tokenHash: 'client-1',
};

const call = (over: Partial<ApprovalCall> = {}): ApprovalCall =>
  unlockCall({ userId: owner.userId, userName: owner.name }, over);

/** A channel that hands its answer function to the test. */
function handChannel() {
  const asked: { id: string; answer: Parameters<Ask>[1]; signal: AbortSignal }[] = [];
  const ask: Ask = async (approval, answer, signal) => {
    asked.push({ id: approval.id, answer, signal });
    return true;
  };
  return { ask, asked };
}

const engine = (timeoutMs = 60_000, bounds: { maxPerClient?: number; maxTotal?: number } = {}) =>
  new Approvals({ timeoutMs: () => timeoutMs, log: quiet, ...bounds });

describe('which entities need approval', () => {
  it('locks, alarm panels, valves, and garage doors, gates and doors by default; other covers not', () => {
    const h = home();
    const needs = (id: string) => needsApproval(h.get(id)!, rules);
    assert.equal(needs('lock.front_door'), true);
    assert.equal(needs('cover.garage_door'), true);
    assert.equal(needs('cover.blinds'), false);
    assert.equal(needs('light.lamp'), false);
    assert.equal(needsApproval(h.get('light.lamp')!, rulesOf(['light'])), true);
  });
});

describe('what a call would change', () => {
  it('an intent: the exposed entities its slots can match, by name, area, floor, domain and device class', () => {
    const h = home();
    const ids = (intent: string, args: Record<string, unknown>) =>
      intentTargets(h, intent, args).entities.map((e) => e.entity_id);
    assert.deepEqual(ids('HassTurnOff', { name: 'front door' }), ['lock.front_door']);
    assert.deepEqual(ids('HassTurnOn', { name: 'Reading Lamp' }), ['light.lamp']);
    assert.deepEqual(ids('HassTurnOn', { area: 'lounge' }), ['light.lamp']);
    assert.deepEqual(ids('HassTurnOn', { domain: ['cover'], device_class: ['garage'] }), [
      'cover.garage_door',
    ]);
    assert.deepEqual(ids('HassTurnOn', { floor: 'First Floor' }), []);
    assert.equal(intentTargets(h, 'HassTurnOff', { name: 'Front Door' }).verb, 'unlock');
    assert.equal(intentTargets(h, 'HassTurnOn', { name: 'Garage Door' }).verb, 'open');
    assert.equal(intentTargets(h, 'HassTurnOn', { name: 'Lamp' }).verb, 'turn on');
  });

  it('an action: the entities it names, and its domain when it names none the model knows', () => {
    const h = home();
    const named = actionTargets(h, {
      action: 'homeassistant.turn_off',
      target: { entity_id: 'lock.front_door' },
    });
    assert.deepEqual([named.entities.map((e) => e.entity_id), named.domains], [['lock.front_door'], []]);
    const byArea = actionTargets(h, { action: 'light.turn_on', target: { area_id: 'kitchen' } });
    assert.deepEqual(
      byArea.entities.map((e) => e.entity_id),
      ['light.kitchen']
    );
    assert.deepEqual(actionTargets(h, { action: 'lock.unlock' }).domains, ['lock']);
    assert.deepEqual(actionTargets(h, { action: 'lock.unlock', data: { entity_id: '{{ x }}' } }).domains, [
      'lock',
    ]);
    assert.deepEqual(actionTargets(h, { action: 'script.open_up' }).scripts, ['script.open_up']);
  });
});

describe('a waiting call', () => {
  it('runs once its user allows it in one channel; the other channels stop asking', async () => {
    const approvals = engine();
    const first = handChannel();
    const waiting = approvals.request(call(), [first.ask]);
    assert.equal(approvals.waiting({ userId: 'someone', isAdmin: false }).length, 0);
    const [listed] = approvals.waiting({ userId: owner.userId, isAdmin: false });
    assert.ok(listed);
    await Promise.resolve();
    first.asked[0]!.answer({ allow: true, channel: 'client', by: { userId: owner.userId, name: 'Olivia' } });
    const outcome = await waiting;
    assert.equal(outcome.outcome, 'allowed');
    assert.equal(first.asked[0]!.signal.aborted, true);
    // Single use: the same answer again decides nothing.
    assert.equal(
      approvals.decide(listed.id, {
        allow: false,
        channel: 'panel',
        by: { userId: owner.userId, name: 'x' },
      }),
      false
    );
    assert.equal(approvals.waiting({ userId: owner.userId, isAdmin: true }).length, 0);
  });

  it('takes an answer only from its user, or from an administrator in the panel', async () => {
    const approvals = engine();
    const waiting = approvals.request(call(), []);
    const [approval] = approvals.waiting({ userId: owner.userId, isAdmin: true });
    const stranger = { userId: 'u-guest', name: 'Guest' };
    assert.equal(approvals.decide(approval!.id, { allow: true, channel: 'phone', by: stranger }), false);
    assert.equal(approvals.decide(approval!.id, { allow: true, channel: 'panel', by: stranger }), false);
    assert.equal(
      approvals.decide(approval!.id, { allow: false, channel: 'panel', by: { ...stranger, isAdmin: true } }),
      true
    );
    assert.deepEqual(await waiting, {
      outcome: 'denied',
      channel: 'panel',
      decidedBy: 'Guest',
      waitedMs: (await waiting).waitedMs,
    });
  });

  it('times out, is cancelled when its client goes away, and is not allowed when the server stops', async () => {
    assert.equal((await engine(10).request(call(), [])).outcome, 'timed_out');
    const gone = new AbortController();
    const approvals = engine();
    const cancelled = approvals.request(call(), [], gone.signal);
    gone.abort();
    assert.equal((await cancelled).outcome, 'cancelled');
    const waiting = approvals.request(call(), []);
    approvals.stop();
    assert.equal((await waiting).outcome, 'cancelled');
    assert.deepEqual(await approvals.request(call(), []), {
      outcome: 'refused',
      reason: 'the server is stopping',
      waitedMs: 0,
    });
  });

  it('is refused beyond the calls one client, and all clients, may have waiting', async () => {
    const approvals = engine(60_000, { maxPerClient: 2, maxTotal: 3 });
    const held = [approvals.request(call(), []), approvals.request(call(), [])];
    assert.equal((await approvals.request(call(), [])).outcome, 'refused');
    held.push(approvals.request(call({ clientKey: 'client-2' }), []));
    const refused = await approvals.request(call({ clientKey: 'client-3' }), []);
    assert.deepEqual(refused, {
      outcome: 'refused',
      reason: '3 calls are already waiting for approval',
      waitedMs: 0,
    });
    approvals.stop();
    await Promise.all(held);
  });

  it('asks the first channel that can, and tells the panel what waits and when it ends', async () => {
    const approvals = engine();
    const changes: string[] = [];
    approvals.onChange((c) => changes.push(c.kind));
    const tried: string[] = [];
    const cannot: Ask = async () => {
      tried.push('client');
      return false;
    };
    const phone: Ask = async () => {
      tried.push('phone');
      return true;
    };
    const never: Ask = async () => {
      tried.push('never');
      return true;
    };
    const waiting = approvals.request(call(), [cannot, phone, never]);
    const [approval] = approvals.waiting({ userId: owner.userId, isAdmin: false });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(tried, ['client', 'phone']);
    approvals.decide(approval!.id, {
      allow: true,
      channel: 'panel',
      by: { userId: owner.userId, name: 'Olivia' },
    });
    await waiting;
    assert.deepEqual(changes, ['added', 'settled']);
  });
});

describe('the gate', () => {
  const tool = (over: Partial<Tool>): Tool => ({
    name: 'HassTurnOff',
    description: '',
    inputSchema: { type: 'object', properties: {} },
    run: async () => ({ text: 'done' }),
    ...over,
  });

  const gateFor = (approvals: Approvals, related: string[] = []) =>
    new ApprovalGate({
      home: home(),
      approvals,
      rules: () => rules,
      related: async () => related,
      timeoutSeconds: () => 120,
    });

  it('lets reads and harmless changes through without asking anyone', async () => {
    const approvals = engine();
    const gate = gateFor(approvals);
    const h = home();
    const read = tool({
      annotations: { readOnlyHint: true },
      changes: () => intentTargets(h, 'HassTurnOff', { name: 'Front Door' }),
    });
    assert.equal(
      await gate.check({ tool: read, args: {}, principal: owner, clientName: 'Claude' }),
      undefined
    );
    const lamp = tool({ changes: (args) => intentTargets(h, 'HassTurnOn', args) });
    assert.equal(
      await gate.check({ tool: lamp, args: { name: 'Lamp' }, principal: owner, clientName: 'Claude' }),
      undefined
    );
  });

  it('holds a change to a lock, and tells the model a person declined and not to retry', async () => {
    const approvals = engine();
    const gate = gateFor(approvals);
    const h = home();
    const unlock = tool({ changes: (args) => intentTargets(h, 'HassTurnOff', args) });
    const added = nextWaiting(approvals);
    const checked = gate.check({
      tool: unlock,
      args: { name: 'Front Door' },
      principal: owner,
      clientName: 'Claude',
    });
    const approval = await added;
    assert.deepEqual(approval.entities, [{ entityId: 'lock.front_door', name: 'Front Door' }]);
    approvals.decide(approval!.id, {
      allow: false,
      channel: 'panel',
      by: { userId: owner.userId, name: 'Olivia' },
    });
    const result = await checked;
    assert.equal(result?.outcome.outcome, 'denied');
    assert.equal(
      result?.refusal,
      'A person declined this action (Claude wants to unlock Front Door). Nothing was changed. Do not retry this on your own: tell the user, and let them ask again.'
    );
  });

  it('holds a script that Home Assistant relates to a garage door', async () => {
    const approvals = engine(10);
    const script = tool({
      name: 'open_up',
      changes: () => ({ entities: [], domains: [], verb: 'run', scripts: ['script.open_up'] }),
    });
    const result = await gateFor(approvals, ['cover.garage_door', 'light.lamp']).check({
      tool: script,
      args: {},
      principal: owner,
      clientName: 'Claude',
    });
    assert.equal(result?.outcome.outcome, 'timed_out');
    assert.match(
      result?.refusal ?? '',
      /^No one approved this action \(Claude wants to run Garage Door\) within 120 seconds/
    );
  });

  it('words the question and every ending', () => {
    assert.equal(
      questionOf('Claude', 'call lock.unlock on', [], ['lock']),
      'Claude wants to call lock.unlock on every lock'
    );
    assert.equal(
      refusalText({ outcome: 'allowed', channel: 'client', decidedBy: 'x', waitedMs: 1 }, 'q', 1),
      undefined
    );
    assert.match(refusalText({ outcome: 'cancelled', waitedMs: 1 }, 'q', 1)!, /ended before anyone answered/);
    assert.match(
      refusalText({ outcome: 'refused', reason: 'r', waitedMs: 0 }, 'q', 1)!,
      /needs a person's approval, but r/
    );
  });

  it('asks the user’s phone in the language of their profile, and in English without one', async () => {
    const h = home();
    const unlock = tool({ changes: (args) => intentTargets(h, 'HassTurnOff', args) });
    const asked = async (language: string | undefined) => {
      const approvals = engine(50);
      let question: Parameters<PhoneQuestions['ask']>[0] | undefined;
      const gate = new ApprovalGate({
        home: h,
        approvals,
        rules: () => rules,
        related: async () => [],
        timeoutSeconds: () => 120,
        phoneLanguage: async () => language,
        phone: {
          ask: async (q) => {
            question = q;
            return true;
          },
        },
      });
      await gate.check({ tool: unlock, args: { name: 'Front Door' }, principal: owner, clientName: null });
      return question;
    };
    const german = await asked('de-CH');
    assert.deepEqual(german, {
      id: german?.id,
      userId: owner.userId,
      title: 'Ein MCP-Client möchte: Front Door entriegeln',
      message: 'Innerhalb von 120 Sekunden erlauben? Gefragt über das Add-on MCP Server.',
      allow: 'Erlauben',
      deny: 'Ablehnen',
    });
    const english = await asked(undefined);
    assert.equal(english?.title, 'An MCP client wants to unlock Front Door');
    assert.deepEqual([english?.allow, english?.deny], ['Allow', 'Deny']);
    assert.equal((await asked('it'))?.title, english?.title, 'no words for Italian: English');
  });
});
