/**
 * Home Assistant Cloud's remote address, as HA itself finds it (cloud's `async_remote_ui_url`): only while
 * the owner is logged in to the Cloud and has remote access on, at `https://<instance domain>` (the one in
 * the preferences while the remote backend has not started). `cloud/status` answers any administrator; a
 * Home Assistant without the `cloud` integration answers `unknown_command`, which is no Cloud either.
 */
import type { MessageBase } from 'home-assistant-js-websocket';
import type { Send } from './commands.js';
import { HaRefusedError } from './errors.js';

/** The fields of `cloud/status` read here. */
export interface CloudStatus {
  logged_in: boolean;
  remote_domain?: string | null;
  prefs?: { remote_enabled?: boolean; remote_domain?: string | null };
}

export const cloudStatusMessage = (): MessageBase => ({ type: 'cloud/status' });

/** `https://<domain>` when remote access is on; null otherwise. */
export function remoteUiUrl(status: CloudStatus): string | null {
  if (!status.logged_in || !status.prefs?.remote_enabled) return null;
  const domain = status.remote_domain || status.prefs.remote_domain;
  return domain ? `https://${domain}` : null;
}

/** The Cloud's remote address now; null without one, or without the cloud integration. */
export async function cloudRemoteUrl(send: Send): Promise<string | null> {
  try {
    return remoteUiUrl(await send<CloudStatus>(cloudStatusMessage()));
  } catch (err) {
    if (err instanceof HaRefusedError) return null;
    throw err;
  }
}
