/**
 * What the phone channel asks of Home Assistant's `mobile_app` integration (the companion apps), typed by HA's
 * answers: the people with their device trackers (`person/list`, administrators only), notifying one phone
 * through its legacy notify action, and clearing a notification by its tag.
 *
 * HA names a phone's notify action `notify.mobile_app_<slug of the registration's device_name>` (one per
 * registration that can receive pushes, cloud or local), and its `data` goes to the app as it is: `actions`
 * (buttons, each an `action` id and a `title`) and `tag` (a later notification with the same tag replaces
 * it; the message `clear_notification` with that tag removes it). A button pressed fires
 * `mobile_app_notification_action` through the app's webhook, in the context of the user who registered
 * the app (mobile_app's `registration_context`), with the button's `action` in the event data.
 */
import type { MessageBase } from 'home-assistant-js-websocket';
import { callServiceMessage } from './action-commands.js';
import type { Send } from './commands.js';
import * as messages from './messages.js';

/** The event a companion app fires when a notification's button is pressed. */
export const NOTIFICATION_ACTION_EVENT = 'mobile_app_notification_action';

/** The message the companion apps read as "remove the notification with this tag". */
export const CLEAR_NOTIFICATION = 'clear_notification';

/** A person as `person/list` gives it (storage and YAML alike). */
export interface Person {
  id: string;
  name: string;
  user_id: string | null;
  device_trackers: string[];
}

export const listPersonsMessage = (): MessageBase => ({ type: 'person/list' });

/** Every person, those made in the UI (`storage`) and those in YAML (`config`). */
export const listPersons = (send: Send) =>
  send<{ storage: Person[]; config: Person[] }>(listPersonsMessage());

/** The registry entries of device trackers: `platform` says which are phones, `device_id` which phone. */
export const getTrackerEntries = (send: Send, entityIds: string[]) =>
  send<Record<string, { platform: string; device_id: string | null } | null>>(
    messages.getEntityRegistryEntries(entityIds)
  );

/** A device as `config/device_registry/list` gives it (the fields the phone channel reads). */
export interface PhoneDevice {
  id: string;
  name: string | null;
  name_by_user: string | null;
  disabled_by: string | null;
}

export const listPhoneDevices = (send: Send) => send<PhoneDevice[]>(messages.listDevices());

/** The names of the actions in domain `notify` (one per phone that can receive pushes, among others). */
export const listNotifyServices = async (send: Send): Promise<Set<string>> =>
  new Set(
    Object.keys((await send<Record<string, Record<string, unknown>>>(messages.getServices())).notify ?? {})
  );

/** A button of an actionable notification: iOS also reads `destructive` and `authenticationRequired`. */
export interface NotificationAction {
  action: string;
  title: string;
  destructive?: boolean;
  authenticationRequired?: boolean;
}

export interface PhoneNotification {
  title: string;
  message: string;
  tag: string;
  actions: NotificationAction[];
}

/** Letters HA spells out in ASCII (its slugify transliterates) that taking accents off leaves alone. */
const SPELLED: [RegExp, string][] = [
  [/[ßẞ]/g, 'ss'],
  [/[æÆ]/g, 'ae'],
  [/[œŒ]/g, 'oe'],
  [/[øØ]/g, 'o'],
  [/[łŁ]/g, 'l'],
  [/[đĐ]/g, 'd'],
  [/[þÞ]/g, 'th'],
];

/** Latin text as ASCII: accents off and the letters above spelled out; other scripts are left as they are. */
function toAscii(text: string): string {
  let ascii = text;
  for (const [letter, spelled] of SPELLED) ascii = ascii.replace(letter, spelled);
  return ascii.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

/**
 * HA's `slugify` (python-slugify: transliterated to ASCII, lower case, every run of other characters one
 * `_`, none at the ends, `unknown` when nothing is left), for text in Latin script.
 */
export function slugify(text: string): string {
  const slug = toAscii(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return slug === '' ? 'unknown' : slug;
}

/**
 * The notify action (in domain `notify`) HA registers for a phone registered under this device name; none
 * for a name with letters of another script, which HA transliterates (Телефон becomes telefon) and this does
 * not: guessing could name another phone's action, or `notify.mobile_app` itself, which notifies every phone.
 */
export function notifyServiceOf(deviceName: string): string | undefined {
  if (/[^\x00-\x7f]/.test(toAscii(deviceName).replace(/[^\p{L}\p{N}]/gu, ''))) return undefined;
  const service = slugify(`mobile_app_${deviceName}`);
  return service.startsWith('mobile_app_') ? service : undefined;
}

export const notifyPhoneMessage = (service: string, notification: PhoneNotification): MessageBase =>
  callServiceMessage({
    domain: 'notify',
    service,
    serviceData: {
      title: notification.title,
      message: notification.message,
      data: {
        tag: notification.tag,
        actions: notification.actions,
        // Seen at once: iOS shows it through Focus, Android with sound and heads-up, and never late.
        push: { 'interruption-level': 'time-sensitive' },
        priority: 'high',
        ttl: 0,
      },
    },
    returnResponse: false,
  });

export const clearNotificationMessage = (service: string, tag: string): MessageBase =>
  callServiceMessage({
    domain: 'notify',
    service,
    serviceData: { message: CLEAR_NOTIFICATION, data: { tag } },
    returnResponse: false,
  });

export const notifyPhone = (send: Send, service: string, notification: PhoneNotification) =>
  send<unknown>(notifyPhoneMessage(service, notification));

export const clearNotification = (send: Send, service: string, tag: string) =>
  send<unknown>(clearNotificationMessage(service, tag));
