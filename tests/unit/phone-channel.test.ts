/** The phone channel's pure parts: action ids, the notification, reading an answer, HA's names and messages. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allowAction,
  answerOf,
  approvalTag,
  denyAction,
  notificationOf,
  parseApprovalAction,
} from '../../server/src/approvals/phone-channel.js';
import {
  clearNotificationMessage,
  notifyPhoneMessage,
  notifyServiceOf,
  slugify,
} from '../../server/src/ha/mobile-app-commands.js';

const question = {
  id: 'a1_B-2',
  userId: 'owner',
  title: 'Claude wants to unlock Front door',
  message: 'Allow?',
  allow: 'Allow',
  deny: 'Deny',
};
const phones = [{ name: 'Pixel', notifyService: 'mobile_app_pixel' }];

describe('approval action ids', () => {
  it('name the approval and the decision, and read back', () => {
    assert.equal(allowAction('a1_B-2'), 'MCP_ALLOW_a1_B-2');
    assert.equal(denyAction('a1_B-2'), 'MCP_DENY_a1_B-2');
    assert.equal(approvalTag('a1_B-2'), 'mcp-approval-a1_B-2');
    assert.deepEqual(parseApprovalAction('MCP_ALLOW_a1_B-2'), { id: 'a1_B-2', allow: true });
    assert.deepEqual(parseApprovalAction('MCP_DENY_a1_B-2'), { id: 'a1_B-2', allow: false });
  });

  it('are nothing else: other actions, empty or odd ids, non-strings', () => {
    for (const action of [
      'MCP_ALLOW_',
      'MCP_MAYBE_x',
      'mcp_allow_x',
      'ALLOW_x',
      'MCP_ALLOW_x y',
      'MCP_ALLOW_x/..',
      'MCP_ALLOW_' + 'x'.repeat(41),
      undefined,
      42,
      null,
    ])
      assert.equal(parseApprovalAction(action), undefined, String(action));
    assert.deepEqual(parseApprovalAction('MCP_ALLOW_' + 'x'.repeat(40)), { id: 'x'.repeat(40), allow: true });
  });
});

describe('the notification a question becomes', () => {
  it('has the title, the message, the tag and Allow / Deny for this approval', () => {
    assert.deepEqual(notificationOf(question), {
      title: 'Claude wants to unlock Front door',
      message: 'Allow?',
      tag: 'mcp-approval-a1_B-2',
      actions: [
        { action: 'MCP_ALLOW_a1_B-2', title: 'Allow', authenticationRequired: true },
        { action: 'MCP_DENY_a1_B-2', title: 'Deny', destructive: true },
      ],
    });
  });

  it('goes to the phone’s notify action with the buttons and tag in data, and is cleared by its tag', () => {
    const message = notifyPhoneMessage('mobile_app_pixel', notificationOf(question));
    assert.equal(message.type, 'call_service');
    assert.equal(message.domain, 'notify');
    assert.equal(message.service, 'mobile_app_pixel');
    const data = (message.service_data as { title: string; message: string; data: Record<string, unknown> })
      .data;
    assert.equal(data.tag, 'mcp-approval-a1_B-2');
    assert.deepEqual(data.actions, notificationOf(question).actions);
    assert.deepEqual(clearNotificationMessage('mobile_app_pixel', 'mcp-approval-a1_B-2'), {
      type: 'call_service',
      domain: 'notify',
      service: 'mobile_app_pixel',
      service_data: { message: 'clear_notification', data: { tag: 'mcp-approval-a1_B-2' } },
      return_response: false,
    });
  });
});

describe('reading an answer', () => {
  const waiting = (id: string) => (id === 'a1_B-2' ? { userId: 'owner', phones } : undefined);
  const event = (action: unknown, userId: string | null = 'owner', extra: Record<string, unknown> = {}) => ({
    data: { action, ...extra },
    origin: 'REMOTE',
    context: { user_id: userId },
  });

  it('counts the asked user’s Allow or Deny for a waiting approval', () => {
    assert.deepEqual(answerOf(event('MCP_ALLOW_a1_B-2'), waiting), {
      id: 'a1_B-2',
      answer: { allow: true, deviceName: 'Pixel', userId: 'owner' },
    });
    assert.deepEqual(answerOf(event('MCP_DENY_a1_B-2', 'owner', { sourceDeviceName: 'iPhone' }), waiting), {
      id: 'a1_B-2',
      answer: { allow: false, deviceName: 'iPhone', userId: 'owner' },
    });
  });

  it('ignores another user, no user, another approval, and other buttons', () => {
    assert.deepEqual(answerOf(event('MCP_ALLOW_a1_B-2', 'guest'), waiting), { ignored: 'other_user' });
    assert.deepEqual(answerOf(event('MCP_ALLOW_a1_B-2', null), waiting), { ignored: 'other_user' });
    assert.deepEqual(answerOf({ data: { action: 'MCP_ALLOW_a1_B-2' }, origin: 'REMOTE' }, waiting), {
      ignored: 'other_user',
    });
    assert.deepEqual(answerOf(event('MCP_ALLOW_other'), waiting), { ignored: 'unknown_id' });
    assert.equal(answerOf(event('OPEN_GARAGE'), waiting), undefined);
    assert.equal(answerOf({}, waiting), undefined);
  });

  it('ignores the user’s answer fired inside HA (a script, an automation, WebSocket fire_event)', () => {
    assert.deepEqual(answerOf({ ...event('MCP_ALLOW_a1_B-2'), origin: 'LOCAL' }, waiting), {
      ignored: 'not_remote',
    });
    assert.deepEqual(answerOf({ ...event('MCP_ALLOW_a1_B-2'), origin: undefined }, waiting), {
      ignored: 'not_remote',
    });
  });
});

describe('HA’s names for phones', () => {
  it('slugify as HA does, so the notify action is found', () => {
    assert.equal(notifyServiceOf('Pixel 8'), 'mobile_app_pixel_8');
    assert.equal(notifyServiceOf("Guest's Phone"), 'mobile_app_guest_s_phone');
    assert.equal(notifyServiceOf('  iPhone (Jürgen) '), 'mobile_app_iphone_jurgen');
    assert.equal(notifyServiceOf('Straße'), 'mobile_app_strasse');
    assert.equal(notifyServiceOf('Æbleø Łódź'), 'mobile_app_aebleo_lodz');
    assert.equal(notifyServiceOf('a__b--c'), 'mobile_app_a_b_c');
    assert.equal(slugify('!!!'), 'unknown');
  });

  it('give no action for a name HA would transliterate from another script, nor for an empty one', () => {
    // HA makes these mobile_app_telefon and mobile_app_pixel_telefon; a guess could reach another phone.
    assert.equal(notifyServiceOf('Телефон'), undefined);
    assert.equal(notifyServiceOf('Pixel Телефон'), undefined);
    assert.equal(notifyServiceOf('!!!'), undefined);
  });
});
