/**
 * The add-on as an OAuth client of Home Assistant (IndieAuth: its client id is its own public URL, and the
 * redirect back is on the same host, so HA accepts it without fetching anything). Codes are exchanged and
 * tokens refreshed server to server, at Core's `/auth/token`, through the door to HA (ha/http.ts); tokens
 * never reach the browser or a log.
 */
import { HaError, HaRefusedError } from '../ha/errors.js';
import { haJson } from '../ha/http.js';

export interface HaTokens {
  access_token: string;
  refresh_token?: string;
  /** Seconds. */
  expires_in: number;
}

export interface HaOAuth {
  exchangeCode(code: string, clientId: string): Promise<HaTokens>;
  refresh(refreshToken: string, clientId: string): Promise<HaTokens>;
  revoke(refreshToken: string): Promise<void>;
}

/** HA's answers that mean the code or refresh token is no good (as opposed to HA being away or failing). */
const REFUSING = new Set([400, 401, 403]);

/**
 * Whether Home Assistant said no to a sign-in: it refused the code or refresh token, or its answer made no
 * sense for one (no refresh token, a user it does not know). Anything else from HA means it is away.
 */
export function haRefusedSignIn(err: unknown): boolean {
  return (
    err instanceof HaRefusedError && (err.refusal.status === undefined || REFUSING.has(err.refusal.status))
  );
}

/** Whether Home Assistant could not be asked about a sign-in (away, or failing in a way that is not a no). */
export const haAwayFromSignIn = (err: unknown): boolean => err instanceof HaError && !haRefusedSignIn(err);

export function haOAuth(coreUrl: string | (() => Promise<string>), timeoutMs = 10_000): HaOAuth {
  const base = async () => (typeof coreUrl === 'string' ? coreUrl : coreUrl());
  const post = async <T>(path: string, form: Record<string, string>) =>
    haJson<T>(`${await base()}${path}`, { form, timeoutMs });
  return {
    exchangeCode(code, clientId) {
      return post<HaTokens>('/auth/token', { grant_type: 'authorization_code', code, client_id: clientId });
    },
    refresh(refreshToken, clientId) {
      return post<HaTokens>('/auth/token', {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
      });
    },
    async revoke(refreshToken) {
      await post('/auth/revoke', { token: refreshToken }).catch(() => undefined);
    },
  };
}
