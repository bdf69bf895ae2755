/**
 * The person's phone as a way to approve, against the real HA: two stand-in companion apps registered
 * through mobile_app's own API (one the owner's, one the guest's) with HA's local push, and the phone
 * channel over a WebSocket link as the add-on's. Only the asked user's phone gets the question, only
 * their answer for that approval counts, and the question comes off the phone once it no longer waits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import {
  phoneChannel,
  type PhoneAnswer,
  type PhoneChannel,
} from '../../server/src/approvals/phone-channel.js';
import { linkSend } from '../../server/src/ha/command.js';
import { createLogger } from '../../server/src/log.js';
import { testHa, type TestHaInfo } from '../support/ha/fixture.js';
import { command, connectWs } from '../support/ha/ha-api.js';
import { registerPhone, type StandInPhone } from '../support/ha/mobile-app-device.js';
import { PLAIN_USER } from '../support/ha/onboard.js';

const suffix = Math.random().toString(36).slice(2, 7);
const OWNER_PHONE = `Owner Phone ${suffix}`;
const GUEST_PHONE = `Guest's Phone ${suffix}`;

async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('approving on the phone, with the companion app', () => {
  let ha: TestHaInfo;
  let link: Connection;
  let ownerId: string;
  let ownerPhone: StandInPhone;
  let guestPhone: StandInPhone;
  let guestPersonId: string | undefined;
  /** The owner's person as it was, to put back the trackers HA adds on registration. */
  let ownerPerson: { id: string; device_trackers: string[] } | undefined;
  let channel: PhoneChannel;
  const logs: string[] = [];

  before(async () => {
    ha = await testHa();
    link = await connectWs(ha.url, ha.adminToken);
    ownerId = (await command<{ id: string }>(link, { type: 'auth/current_user' })).id;
    // HA adds a registered phone to its user's person; onboarding made the owner's, the guest (made without
    // the UI) gets one as the UI's "add person" would make it.
    const persons = await command<{
      storage: { id: string; user_id: string | null; device_trackers: string[] }[];
    }>(link, { type: 'person/list' });
    ownerPerson = persons.storage.find((p) => p.user_id === ownerId);
    if (!persons.storage.some((p) => p.user_id === ha.userId)) {
      const created = await command<{ id: string }>(link, {
        type: 'person/create',
        name: PLAIN_USER.name,
        user_id: ha.userId,
      });
      guestPersonId = created.id;
    }
    ownerPhone = await registerPhone(ha.url, ha.adminToken, OWNER_PHONE);
    guestPhone = await registerPhone(ha.url, ha.userToken, GUEST_PHONE);
    await ownerPhone.connectPush();
    await guestPhone.connectPush();
    channel = phoneChannel({
      send: linkSend(() => link),
      subscribe: (eventType, onEvent) => link.subscribeEvents(onEvent, eventType),
      log: createLogger('debug', (line) => logs.push(line)),
    });
  });

  after(async () => {
    await ownerPhone?.remove(ha.adminToken);
    await guestPhone?.remove(ha.adminToken);
    if (guestPersonId) await command(link, { type: 'person/delete', person_id: guestPersonId });
    if (ownerPerson)
      await command(link, {
        type: 'person/update',
        person_id: ownerPerson.id,
        device_trackers: ownerPerson.device_trackers,
      });
    link?.close();
  });

  /** Asks the owner; the answers the channel hands on, and the way to end the question. */
  async function askOwner(id: string) {
    const answers: PhoneAnswer[] = [];
    const done = new AbortController();
    const sent = await channel.ask(
      {
        id,
        userId: ownerId,
        title: 'Claude wants to unlock Front door',
        message: 'Allow within 2 minutes?',
        allow: 'Allow',
        deny: 'Deny',
      },
      (answer) => answers.push(answer),
      done.signal
    );
    return { sent, answers, done };
  }

  it('finds each user’s own phone, with the notify action HA made for it', async () => {
    const ownerService = 'mobile_app_owner_phone_' + suffix;
    const guestService = 'mobile_app_guest_s_phone_' + suffix;
    const owners = await eventually('the owner’s phone', async () => {
      const phones = await channel.devicesOf(ownerId);
      return phones.length > 0 ? phones : undefined;
    });
    assert.deepEqual(owners, [{ name: OWNER_PHONE, notifyService: ownerService }]);
    assert.deepEqual(await channel.devicesOf(ha.userId), [
      { name: GUEST_PHONE, notifyService: guestService },
    ]);
    assert.deepEqual(await channel.devicesOf('no-such-user'), []);
  });

  it('asks on the owner’s phone only, with Allow and Deny, and Allow allows', async () => {
    const { sent, answers, done } = await askOwner('allow-1');
    assert.equal(sent, true);
    const got = await ownerPhone.waitFor((n) => n.data?.tag === 'mcp-approval-allow-1');
    assert.equal(got.title, 'Claude wants to unlock Front door');
    assert.equal(got.message, 'Allow within 2 minutes?');
    assert.deepEqual(
      got.data?.actions?.map((a) => [a.action, a.title]),
      [
        ['MCP_ALLOW_allow-1', 'Allow'],
        ['MCP_DENY_allow-1', 'Deny'],
      ]
    );
    await ownerPhone.press('MCP_ALLOW_allow-1');
    await eventually('the answer', () => answers[0]);
    assert.deepEqual(answers, [{ allow: true, deviceName: OWNER_PHONE, userId: ownerId }]);
    assert.deepEqual(guestPhone.notifications, [], 'the guest’s phone is not asked');
    done.abort();
  });

  it('Deny denies', async () => {
    const { answers, done } = await askOwner('deny-1');
    await ownerPhone.waitFor((n) => n.data?.tag === 'mcp-approval-deny-1');
    await ownerPhone.press('MCP_DENY_deny-1');
    await eventually('the answer', () => answers[0]);
    assert.deepEqual(answers, [{ allow: false, deviceName: OWNER_PHONE, userId: ownerId }]);
    done.abort();
  });

  it('ignores an answer for another approval, and one from another user’s phone', async () => {
    const { answers, done } = await askOwner('mixed-1');
    await ownerPhone.waitFor((n) => n.data?.tag === 'mcp-approval-mixed-1');
    await ownerPhone.press('MCP_ALLOW_other-approval');
    await guestPhone.press('MCP_ALLOW_mixed-1');
    await ownerPhone.press('MCP_DENY_mixed-1');
    await ownerPhone.press('MCP_ALLOW_mixed-1');
    await eventually('the answer', () => answers[0]);
    // Events arrive in order: the owner's Deny is the first that counts, and the only one.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(answers, [{ allow: false, deviceName: OWNER_PHONE, userId: ownerId }]);
    assert.ok(logs.some((l) => /WARNING: ignored an approval answer from a phone of another user/.test(l)));
    done.abort();
  });

  it('ignores the owner’s own answer fired inside HA, as a script or a model acting as them could', async () => {
    const { answers, done } = await askOwner('inside-1');
    await ownerPhone.waitFor((n) => n.data?.tag === 'mcp-approval-inside-1');
    // The owner's own token, over WebSocket (as an automation or script's `event:` step fires it: LOCAL).
    const asOwner = await connectWs(ha.url, ha.adminToken);
    try {
      await command(asOwner, {
        type: 'fire_event',
        event_type: 'mobile_app_notification_action',
        event_data: { action: 'MCP_ALLOW_inside-1' },
      });
    } finally {
      asOwner.close();
    }
    await ownerPhone.press('MCP_DENY_inside-1');
    await eventually('the answer', () => answers[0]);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(answers, [{ allow: false, deviceName: OWNER_PHONE, userId: ownerId }]);
    assert.ok(logs.some((l) => /WARNING: ignored an approval answer fired inside Home Assistant/.test(l)));
    done.abort();
  });

  it('takes the question off the phone once it no longer waits, and hears no answer after', async () => {
    const { answers, done } = await askOwner('abort-1');
    await ownerPhone.waitFor((n) => n.data?.tag === 'mcp-approval-abort-1');
    done.abort();
    const cleared = await ownerPhone.waitFor(
      (n) => n.message === 'clear_notification' && n.data?.tag === 'mcp-approval-abort-1'
    );
    assert.deepEqual(cleared.data, { tag: 'mcp-approval-abort-1' });
    await ownerPhone.press('MCP_ALLOW_abort-1');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(answers, []);
    assert.deepEqual(guestPhone.notifications, [], 'the guest’s phone is never asked');
  });

  it('asks nobody, and says so, for a user without phones or once aborted', async () => {
    const aborted = new AbortController();
    aborted.abort();
    const q = { id: 'none-1', title: 't', message: 'm', allow: 'Allow', deny: 'Deny' };
    assert.equal(
      await channel.ask({ ...q, userId: 'no-such-user' }, () => {}, new AbortController().signal),
      false
    );
    assert.equal(await channel.ask({ ...q, userId: ownerId }, () => {}, aborted.signal), false);
  });
});
