/**
 * The person's phones as a way to approve a call: an actionable notification through the Home Assistant
 * companion app ("Claude wants to unlock Front door", Allow / Deny) to every phone the HA user registered,
 * answered by the app's `mobile_app_notification_action` event, cleared once the approval is decided.
 *
 * Which phones are the user's. HA keeps the user who registered a phone only in the registration's config
 * entry data, which no WebSocket or REST command shows (`config_entries/get`, templates and diagnostics leave
 * `data` out; the `mobile_app/*` commands serve the phone's own user only). What HA does expose is what it
 * does with it: registering a phone adds the phone's device tracker to the person linked to that user
 * (mobile_app's config flow). So a user's phones are the `mobile_app` device trackers of the person whose
 * `user_id` is the user (`person/list`), their devices (entity registry), and for each the notify action HA
 * made for its name, when HA has one (only phones that can receive pushes get one). A user without a person
 * has no phones here; an admin who edits a person's trackers changes who is asked.
 *
 * Who answered does not rest on that: HA fires the event in the context of the user who registered the
 * phone, so an answer counts only when `context.user_id` is the user asked. A phone listed on the wrong
 * person may show the question, but its answer is ignored. And it must have come in over HTTP (origin
 * `REMOTE`, as a webhook's event does): one a script, an automation or WebSocket `fire_event` fires in
 * the user's name is `LOCAL`, so a model acting as the user cannot answer for them that way.
 *
 * One subscription to the event serves every question (home-assistant-js-websocket renews it after a
 * reconnect); each question is listened for until it is answered or its signal aborts, when its
 * notification is cleared on every phone it went to.
 */
import type { Send } from '../ha/commands.js';
import {
  clearNotification,
  getTrackerEntries,
  listNotifyServices,
  listPersons,
  listPhoneDevices,
  notifyPhone,
  notifyServiceOf,
  NOTIFICATION_ACTION_EVENT,
  type PhoneNotification,
} from '../ha/mobile-app-commands.js';
import type { Logger } from '../log.js';

export interface PhoneQuestion {
  /** The approval's id (random, url-safe, ≤ 40 chars): action ids are MCP_ALLOW_<id> / MCP_DENY_<id>, the tag mcp-approval-<id>. */
  id: string;
  /** The HA user who must answer: only that user's devices are asked, and only their answer counts. */
  userId: string;
  /** e.g. "Claude wants to unlock Front door" */
  title: string;
  /** e.g. "Allow within 120 seconds? Asked through the MCP Server add-on." */
  message: string;
  /** The buttons' words, in the user's language (phone-words.ts). */
  allow: string;
  deny: string;
}

export interface PhoneAnswer {
  allow: boolean;
  deviceName: string;
  userId: string;
}

export interface Phone {
  /** The device's name as the user sees it. */
  name: string;
  /** Its notify action, in domain `notify`. */
  notifyService: string;
}

export interface PhoneChannel {
  /** The user's phones (mobile_app devices whose registration belongs to userId) that can get notifications. */
  devicesOf(userId: string): Promise<Phone[]>;
  /**
   * Sends the question to every phone of the user; resolves true when at least one was sent. `onAnswer` is
   * called once, with the first answer for this id from a phone of this user (answerOf); answers for another
   * id, from another user or fired inside HA are ignored. Once answered, or when `signal` aborts, the
   * notification is cleared on every phone it was sent to and the question no longer listened for.
   */
  ask(
    question: PhoneQuestion,
    onAnswer: (answer: PhoneAnswer) => void,
    signal: AbortSignal
  ): Promise<boolean>;
}

/**
 * Subscribes to one event type over the add-on's link (home-assistant-js-websocket's `subscribeEvents`,
 * renewed after a reconnect) and resolves with the way to stop.
 */
export type SubscribeEvents = <E>(
  eventType: string,
  onEvent: (event: E) => void
) => Promise<() => Promise<void>>;

export interface PhoneChannelDeps {
  send: Send;
  subscribe: SubscribeEvents;
  log: Logger;
}

/** The event as HA sends it to a subscriber: the app puts the button's id in `data.action`. */
export interface NotificationActionEvent {
  data?: { action?: unknown; sourceDeviceName?: unknown } | null;
  /** `REMOTE` for an event that came in over HTTP (a phone's webhook), `LOCAL` for one HA fired itself. */
  origin?: string;
  context?: { user_id?: string | null } | null;
}

const ALLOW = 'MCP_ALLOW_';
const DENY = 'MCP_DENY_';
const ID = /^[A-Za-z0-9_-]{1,40}$/;

export const allowAction = (id: string) => `${ALLOW}${id}`;
export const denyAction = (id: string) => `${DENY}${id}`;
export const approvalTag = (id: string) => `mcp-approval-${id}`;

/** The approval and the decision a button's action id stands for; undefined for any other action. */
export function parseApprovalAction(action: unknown): { id: string; allow: boolean } | undefined {
  if (typeof action !== 'string') return undefined;
  const allow = action.startsWith(ALLOW);
  if (!allow && !action.startsWith(DENY)) return undefined;
  const id = action.slice(allow ? ALLOW.length : DENY.length);
  return ID.test(id) ? { id, allow } : undefined;
}

/** The notification a question becomes: Allow asks iOS to unlock the phone first, Deny is marked as such. */
export function notificationOf(question: PhoneQuestion): PhoneNotification {
  return {
    title: question.title,
    message: question.message,
    tag: approvalTag(question.id),
    actions: [
      { action: allowAction(question.id), title: question.allow, authenticationRequired: true },
      { action: denyAction(question.id), title: question.deny, destructive: true },
    ],
  };
}

/** Who asked what, while it waits for an answer. */
interface Waiting {
  userId: string;
  /** The phones it is sent to. */
  phones: Phone[];
  answer(allow: boolean, deviceName: string): void;
}

/**
 * The answer an event gives a waiting question, or why it gives none: the event must name a waiting
 * question's id, come from the user that question was put to, and have come in over HTTP as a phone's
 * webhook does. Events a script, an automation or the WebSocket `fire_event` fire in the user's name are
 * `LOCAL`: so a model acting as the user cannot answer for them that way.
 */
export function answerOf(
  event: NotificationActionEvent,
  waiting: (id: string) => { userId: string; phones: Phone[] } | undefined
): { id: string; answer: PhoneAnswer } | { ignored: 'unknown_id' | 'other_user' | 'not_remote' } | undefined {
  const parsed = parseApprovalAction(event.data?.action);
  if (!parsed) return undefined;
  const question = waiting(parsed.id);
  if (!question) return { ignored: 'unknown_id' };
  const from = event.context?.user_id;
  if (typeof from !== 'string' || from !== question.userId) return { ignored: 'other_user' };
  if (event.origin !== 'REMOTE') return { ignored: 'not_remote' };
  const named = event.data?.sourceDeviceName;
  const deviceName =
    typeof named === 'string' && named !== ''
      ? named
      : question.phones.map((p) => p.name).join(' or ') || 'phone';
  return { id: parsed.id, answer: { allow: parsed.allow, deviceName, userId: from } };
}

const reason = (err: unknown) => (err instanceof Error ? err.message : JSON.stringify(err));

export function phoneChannel({ send, subscribe, log }: PhoneChannelDeps): PhoneChannel {
  const waiting = new Map<string, Waiting>();
  let listening: Promise<unknown> | undefined;

  const onEvent = (event: NotificationActionEvent) => {
    const result = answerOf(event, (id) => waiting.get(id));
    if (!result) return;
    if ('ignored' in result) {
      // An old notification's button (decided elsewhere since), someone else's phone, or not a phone at all.
      if (result.ignored === 'other_user')
        log.warning('ignored an approval answer from a phone of another user', {
          user: event.context?.user_id,
        });
      else if (result.ignored === 'not_remote')
        log.warning(
          'ignored an approval answer fired inside Home Assistant (a script, an automation), not by a phone'
        );
      else log.info('ignored an answer to an approval that no longer waits');
      return;
    }
    waiting.get(result.id)?.answer(result.answer.allow, result.answer.deviceName);
  };

  /** The one subscription, made on the first question; a failed attempt is tried again on the next. */
  const listen = () => {
    listening ??= subscribe<NotificationActionEvent>(NOTIFICATION_ACTION_EVENT, onEvent).catch(
      (err: unknown) => {
        listening = undefined;
        throw err;
      }
    );
    return listening;
  };

  const clear = (phones: Phone[], id: string) => {
    for (const phone of phones)
      clearNotification(send, phone.notifyService, approvalTag(id)).catch((err: unknown) =>
        log.warning(`could not clear the approval notification on ${phone.name}: ${reason(err)}`)
      );
  };

  const devicesOf = async (userId: string): Promise<Phone[]> => {
    const persons = await listPersons(send);
    const trackers = [...persons.storage, ...persons.config]
      .filter((person) => person.user_id === userId)
      .flatMap((person) => person.device_trackers)
      .filter((entityId) => entityId.startsWith('device_tracker.'));
    if (trackers.length === 0) return [];
    const [entries, devices, notify] = await Promise.all([
      getTrackerEntries(send, trackers),
      listPhoneDevices(send),
      listNotifyServices(send),
    ]);
    const phones = new Map<string, Phone>();
    for (const entry of Object.values(entries)) {
      if (entry?.platform !== 'mobile_app' || !entry.device_id || phones.has(entry.device_id)) continue;
      const device = devices.find((d) => d.id === entry.device_id);
      // HA names the action after the name the app registered; the user's own name for it is for display.
      if (!device?.name || device.disabled_by) continue;
      const notifyService = notifyServiceOf(device.name);
      if (notifyService === undefined)
        log.warning(
          `cannot tell the notify action of the phone "${device.name}": give it a name in Latin letters`
        );
      else if (notify.has(notifyService))
        phones.set(device.id, { name: device.name_by_user ?? device.name, notifyService });
    }
    return [...phones.values()];
  };

  const ask = async (
    question: PhoneQuestion,
    onAnswer: (answer: PhoneAnswer) => void,
    signal: AbortSignal
  ): Promise<boolean> => {
    if (signal.aborted) return false;
    let phones: Phone[];
    try {
      phones = await devicesOf(question.userId);
      if (phones.length === 0) return false;
      // Listening before the first notification goes, so that no answer can come before it.
      await listen();
    } catch (err) {
      log.warning(`cannot ask on the phone: ${reason(err)}`);
      return false;
    }
    if (signal.aborted) return false;

    let finished = false;
    const sent: Phone[] = [];
    const entry: Waiting = {
      userId: question.userId,
      phones,
      answer(allow, deviceName) {
        finish();
        try {
          onAnswer({ allow, deviceName, userId: question.userId });
        } catch (err) {
          log.error(`taking the phone's answer failed: ${reason(err)}`, { approval: question.id });
        }
      },
    };
    // Decided here or elsewhere: no more answers, and the question comes off every phone it went to.
    const finish = () => {
      if (finished) return;
      finished = true;
      signal.removeEventListener('abort', finish);
      if (waiting.get(question.id) === entry) waiting.delete(question.id);
      clear(sent, question.id);
    };
    waiting.set(question.id, entry);
    signal.addEventListener('abort', finish, { once: true });

    const notification = notificationOf(question);
    const results = await Promise.allSettled(
      phones.map((phone) => notifyPhone(send, phone.notifyService, notification).then(() => phone))
    );
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') sent.push(result.value);
      else log.warning(`could not notify ${phones[i]!.name}: ${reason(result.reason)}`);
    });
    // Decided while the notifications were on their way: they come off again at once.
    if (finished) clear(sent, question.id);
    if (sent.length === 0) finish();
    else
      log.info('asked on the phone', { approval: question.id, phones: sent.map((p) => p.name).join(', ') });
    return sent.length > 0;
  };

  return { devicesOf, ask };
}
