/**
 * The phone channel's flow, over a scripted `send` and `subscribe` (what HA answers is pinned against the real
 * HA in tests/ha/phone-approval.test.ts): which phones it picks, one subscription for every question, what
 * happens when a phone or the subscription fails, and clearing when a question ends while it is being sent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageBase } from 'home-assistant-js-websocket';
import {
  phoneChannel,
  type NotificationActionEvent,
  type PhoneAnswer,
} from '../../server/src/approvals/phone-channel.js';
import { HaAwayError, HaRefusedError } from '../../server/src/ha/errors.js';
import { createLogger } from '../../server/src/log.js';

interface World {
  persons?: { user_id: string | null; device_trackers: string[] }[];
  entries?: Record<string, { platform: string; device_id: string | null } | null>;
  devices?: { id: string; name: string | null; name_by_user: string | null; disabled_by: string | null }[];
  notify?: string[];
  /** Fails the notify call to this action, or holds it until the returned promise settles. */
  onNotify?: (service: string) => Promise<void> | void;
  subscribeFails?: number;
}

const HOME: Required<Pick<World, 'persons' | 'entries' | 'devices' | 'notify'>> = {
  persons: [
    {
      user_id: 'owner',
      device_trackers: ['device_tracker.pixel', 'device_tracker.ipad', 'device_tracker.gps'],
    },
    { user_id: 'guest', device_trackers: ['device_tracker.guest'] },
  ],
  entries: {
    'device_tracker.pixel': { platform: 'mobile_app', device_id: 'd-pixel' },
    'device_tracker.ipad': { platform: 'mobile_app', device_id: 'd-ipad' },
    'device_tracker.gps': { platform: 'gpslogger', device_id: 'd-gps' },
    'device_tracker.guest': { platform: 'mobile_app', device_id: 'd-guest' },
  },
  devices: [
    { id: 'd-pixel', name: 'Pixel 8', name_by_user: 'My Pixel', disabled_by: null },
    { id: 'd-ipad', name: 'iPad', name_by_user: null, disabled_by: null },
    { id: 'd-gps', name: 'gps', name_by_user: null, disabled_by: null },
    { id: 'd-guest', name: 'Guest phone', name_by_user: null, disabled_by: null },
  ],
  notify: [
    'mobile_app_pixel_8',
    'mobile_app_ipad',
    'mobile_app_guest_phone',
    'mobile_app',
    'persistent_notification',
  ],
};

function world(overrides: World = {}) {
  const w = { ...HOME, ...overrides };
  const sent: { service: string; data: Record<string, unknown> }[] = [];
  const listeners: ((event: NotificationActionEvent) => void)[] = [];
  let subscriptions = 0;
  let subscribeFails = overrides.subscribeFails ?? 0;
  const logs: string[] = [];
  const send = async <T>(message: MessageBase): Promise<T> => {
    switch (message.type) {
      case 'person/list':
        return { storage: w.persons, config: [] } as T;
      case 'config/entity_registry/get_entries':
        return Object.fromEntries(
          (message.entity_ids as string[]).map((id) => [id, w.entries[id] ?? null])
        ) as T;
      case 'config/device_registry/list':
        return w.devices as T;
      case 'get_services':
        return { notify: Object.fromEntries(w.notify.map((s) => [s, {}])) } as T;
      case 'call_service': {
        const service = message.service as string;
        const data = message.service_data as Record<string, unknown>;
        if (data.message !== 'clear_notification') await overrides.onNotify?.(service);
        sent.push({ service, data });
        return { context: {} } as T;
      }
    }
    throw new Error(`unexpected ${message.type}`);
  };
  const channel = phoneChannel({
    send: send as never,
    subscribe: async <E>(eventType: string, onEvent: (event: E) => void) => {
      assert.equal(eventType, 'mobile_app_notification_action');
      if (subscribeFails-- > 0) throw new HaAwayError();
      subscriptions++;
      listeners.push(onEvent as (event: NotificationActionEvent) => void);
      return async () => {};
    },
    log: createLogger('debug', (line) => logs.push(line)),
  });
  const fire = (action: string, userId: string) => {
    for (const listener of listeners)
      listener({ data: { action }, origin: 'REMOTE', context: { user_id: userId } });
  };
  const cleared = () => sent.filter((s) => s.data.message === 'clear_notification').map((s) => s.service);
  const asked = () => sent.filter((s) => s.data.message !== 'clear_notification').map((s) => s.service);
  return { channel, fire, cleared, asked, logs, subscriptions: () => subscriptions };
}

const q = (id: string, userId = 'owner') => ({
  id,
  userId,
  title: 'Claude wants to unlock Front door',
  message: 'Allow?',
  allow: 'Allow',
  deny: 'Deny',
});
const tick = () => new Promise((r) => setImmediate(r));

describe('the phone channel', () => {
  it('picks the user’s phones: mobile_app trackers of their person, with a notify action, not disabled', async () => {
    const { channel } = world({
      devices: HOME.devices.map((d) => (d.id === 'd-ipad' ? { ...d, disabled_by: 'user' } : d)),
    });
    assert.deepEqual(await channel.devicesOf('owner'), [
      { name: 'My Pixel', notifyService: 'mobile_app_pixel_8' },
    ]);
    assert.deepEqual(await channel.devicesOf('guest'), [
      { name: 'Guest phone', notifyService: 'mobile_app_guest_phone' },
    ]);
    assert.deepEqual(await channel.devicesOf('nobody'), []);
  });

  it('skips a phone HA made no notify action for, and one whose name it cannot spell as HA does', async () => {
    const { channel, logs } = world({
      notify: ['mobile_app_pixel_8', 'mobile_app'],
      devices: HOME.devices.map((d) => (d.id === 'd-pixel' ? { ...d, name: 'Телефон' } : d)),
    });
    assert.deepEqual(await channel.devicesOf('owner'), []);
    assert.ok(logs.some((l) => /cannot tell the notify action of the phone "Телефон"/.test(l)));
  });

  it('keeps one subscription for every question, and hands on each question’s own answer once', async () => {
    const { channel, fire, asked, subscriptions } = world();
    const answers: [string, PhoneAnswer][] = [];
    const a = new AbortController();
    const b = new AbortController();
    assert.equal(await channel.ask(q('a'), (x) => answers.push(['a', x]), a.signal), true);
    assert.equal(await channel.ask(q('b'), (x) => answers.push(['b', x]), b.signal), true);
    assert.equal(subscriptions(), 1);
    assert.deepEqual(asked(), [
      'mobile_app_pixel_8',
      'mobile_app_ipad',
      'mobile_app_pixel_8',
      'mobile_app_ipad',
    ]);
    fire('MCP_DENY_b', 'owner');
    fire('MCP_ALLOW_b', 'owner');
    fire('MCP_ALLOW_a', 'guest');
    fire('MCP_ALLOW_a', 'owner');
    assert.deepEqual(answers, [
      ['b', { allow: false, deviceName: 'My Pixel or iPad', userId: 'owner' }],
      ['a', { allow: true, deviceName: 'My Pixel or iPad', userId: 'owner' }],
    ]);
  });

  it('takes an answered question off every phone it went to, once, however it ends after', async () => {
    const { channel, fire, cleared } = world();
    const done = new AbortController();
    await channel.ask(q('a'), () => {}, done.signal);
    fire('MCP_ALLOW_a', 'owner');
    await tick();
    done.abort();
    await tick();
    assert.deepEqual(cleared(), ['mobile_app_pixel_8', 'mobile_app_ipad']);
  });

  it('clears what was sent when the question ends while the notifications are on their way', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { channel, cleared } = world({ onNotify: () => held });
    const done = new AbortController();
    const asking = channel.ask(q('a'), () => {}, done.signal);
    await tick();
    done.abort();
    release();
    assert.equal(await asking, true);
    await tick();
    assert.deepEqual(cleared(), ['mobile_app_pixel_8', 'mobile_app_ipad']);
  });

  it('says it asked when one phone got it, and clears only that one', async () => {
    const { channel, cleared, logs } = world({
      onNotify: (service) => {
        if (service === 'mobile_app_ipad')
          throw new HaRefusedError('Home Assistant refused call_service: not connected', {
            code: 'home_assistant_error',
          });
      },
    });
    const done = new AbortController();
    assert.equal(await channel.ask(q('a'), () => {}, done.signal), true);
    done.abort();
    await tick();
    assert.deepEqual(cleared(), ['mobile_app_pixel_8']);
    assert.ok(logs.some((l) => /could not notify iPad/.test(l)));
  });

  it('says it did not ask when no phone got it, nor when it cannot listen (and listens on the next try)', async () => {
    const failing = world({
      onNotify: () => {
        throw new HaAwayError();
      },
    });
    assert.equal(await failing.channel.ask(q('a'), () => {}, new AbortController().signal), false);
    const deaf = world({ subscribeFails: 1 });
    assert.equal(await deaf.channel.ask(q('a'), () => {}, new AbortController().signal), false);
    assert.deepEqual(deaf.asked(), []);
    assert.equal(await deaf.channel.ask(q('b'), () => {}, new AbortController().signal), true);
    assert.equal(deaf.subscriptions(), 1);
  });
});
