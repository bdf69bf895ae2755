/**
 * A stand-in for the Home Assistant companion app on a phone, against the real HA: it registers through
 * mobile_app's own registration API with its user's token (asking for local push, as the app does on a
 * network without cloud push), listens on HA's local push channel as the app does (WebSocket
 * `mobile_app/push_notification_channel` with its webhook id, as its user), records every notification it
 * gets, and presses a notification's button by firing `mobile_app_notification_action` through its webhook.
 *
 *   const phone = await registerPhone(ha.url, userToken, 'Pixel of the guest');
 *   await phone.connectPush();  ...  phone.notifications  ...  await phone.press('MCP_ALLOW_x');  await phone.remove(adminToken);
 */
import type { Connection } from 'home-assistant-js-websocket';
import { command, connectWs, restJson } from './ha-api.js';

/** A notification as HA pushes it on the local channel: the notify action's message, title and data. */
export interface ReceivedNotification {
  message: string;
  title?: string;
  data?: { tag?: string; actions?: { action: string; title: string }[]; [key: string]: unknown };
}

export interface StandInPhone {
  deviceName: string;
  webhookId: string;
  /** Everything pushed to it so far, in order. */
  readonly notifications: ReceivedNotification[];
  /** Opens the local push channel (HA registers the phone's notify action only for phones that can receive pushes). */
  connectPush(): Promise<void>;
  /** Resolves with the first notification (already received or to come) that `match` accepts. */
  waitFor(match: (n: ReceivedNotification) => boolean, timeoutMs?: number): Promise<ReceivedNotification>;
  /** Presses a button: the event the app fires through its webhook, with the button's action id. */
  press(action: string): Promise<void>;
  /** Closes the push channel and removes the registration (as an admin). */
  remove(adminToken: string): Promise<void>;
}

export async function registerPhone(
  baseUrl: string,
  token: string,
  deviceName: string
): Promise<StandInPhone> {
  const deviceId = `ha-mcp-test-${Math.random().toString(36).slice(2, 10)}`;
  const { webhook_id: webhookId } = await restJson<{ webhook_id: string }>(
    baseUrl,
    '/api/mobile_app/registrations',
    {
      token,
      json: {
        app_id: 'io.ha-mcp.test-phone',
        app_name: 'ha-mcp test phone',
        app_version: '1.0',
        device_id: deviceId,
        device_name: deviceName,
        manufacturer: 'ha-mcp',
        model: 'Stand-in',
        os_name: 'TestOS',
        os_version: '1',
        supports_encryption: false,
        app_data: { push_websocket_channel: true },
      },
    }
  );

  const notifications: ReceivedNotification[] = [];
  const waiters = new Set<() => void>();
  let conn: Connection | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;

  return {
    deviceName,
    webhookId,
    notifications,
    async connectPush() {
      conn = await connectWs(baseUrl, token);
      unsubscribe = await conn.subscribeMessage<ReceivedNotification>(
        (notification) => {
          notifications.push(notification);
          for (const wake of waiters) wake();
        },
        { type: 'mobile_app/push_notification_channel', webhook_id: webhookId },
        { resubscribe: false }
      );
    },
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = notifications.find(match);
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `${deviceName} got no such notification in ${timeoutMs} ms: ${JSON.stringify(notifications)}`
            )
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async press(action) {
      await restJson(baseUrl, `/api/webhook/${webhookId}`, {
        json: {
          type: 'fire_event',
          data: { event_type: 'mobile_app_notification_action', event_data: { action } },
        },
      });
    },
    async remove(adminToken) {
      await unsubscribe?.().catch(() => {});
      conn?.close();
      const admin = await connectWs(baseUrl, adminToken);
      try {
        const entries = await command<{ entry_id: string; title: string }[]>(admin, {
          type: 'config_entries/get',
          domain: 'mobile_app',
        });
        for (const entry of entries.filter((e) => e.title === deviceName))
          await restJson(baseUrl, `/api/config/config_entries/entry/${entry.entry_id}`, {
            method: 'DELETE',
            token: adminToken,
          });
      } finally {
        admin.close();
      }
    },
  };
}
