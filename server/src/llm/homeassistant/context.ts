/**
 * What the "Home Assistant" API's tools are given: the live model (which integrations are loaded, the time
 * zone), and Home Assistant as the calling user (a WebSocket session and REST with the user's own token),
 * so HA enforces that user's rights and names them in its logbook.
 */
import { isTokenRefused } from '../../ha/errors.js';
import type { Home } from '../../ha/home.js';
import type { Principal } from '../../ha/principals.js';
import type { UserSession, UserSessions } from '../../ha/user-sessions.js';

export interface HaApiContext {
  home: Home;
  sessions: UserSessions;
  /** Where Core answers users' tokens, for REST calls as the user. */
  coreUrl: () => Promise<string>;
  /**
   * Whether HA writes a log file (`system_log__get_logs` reads it), as last found out; undefined while not
   * known, when the tool is offered as HA offers it by default (ha/logs.ts's errorLogProbe finds out).
   */
  writesLogFile?: () => boolean | undefined;
  /**
   * HA answered 401 to a user's token over REST: accepted before, revoked since. HA counted a failed login
   * against the add-on's address for it (login-attempts.ts `failedLater`).
   */
  onRefused?: (token: string) => void;
}

/** Tells `onRefused` when `err` is HA refusing the user's token itself (401) on a REST call. */
export function noteRefusal(ctx: Pick<HaApiContext, 'onRefused'>, token: string, err: unknown): void {
  if (isTokenRefused(err)) ctx.onRefused?.(token);
}

/** The caller's session: every command a tool sends goes through it. */
export const sessionOf = (ctx: HaApiContext, principal: Principal): UserSession =>
  ctx.sessions.session(principal.token);
