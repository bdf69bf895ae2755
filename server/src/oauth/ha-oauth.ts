/**
 * The add-on as an OAuth client of Home Assistant (IndieAuth: its client id is its own public URL, and the
 * redirect back is on the same host, so HA accepts it without fetching anything). Codes are exchanged and
 * tokens refreshed server to server, at Core's `/auth/token`; tokens never reach the browser or a log.
 */

export interface HaTokens {
  access_token: string;
  refresh_token?: string;
  /** Seconds. */
  expires_in: number;
}

export class HaOAuthError extends Error {
  override name = 'HaOAuthError';
  constructor(
    message: string,
    /** HA refused (the code or refresh token is no good), as opposed to HA being away. */
    readonly refused: boolean
  ) {
    super(message);
  }
}

export interface HaOAuth {
  exchangeCode(code: string, clientId: string): Promise<HaTokens>;
  refresh(refreshToken: string, clientId: string): Promise<HaTokens>;
  revoke(refreshToken: string): Promise<void>;
}

export function haOAuth(coreUrl: string | (() => Promise<string>), timeoutMs = 10_000): HaOAuth {
  const base = async () => (typeof coreUrl === 'string' ? coreUrl : coreUrl());
  const post = async (path: string, form: Record<string, string>) => {
    let res: Response;
    try {
      res = await fetch(`${await base()}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new HaOAuthError('Home Assistant is unavailable', false);
    }
    const text = await res.text();
    if (!res.ok) {
      const refused = res.status === 400 || res.status === 401 || res.status === 403;
      throw new HaOAuthError(`Home Assistant refused (HTTP ${res.status})`, refused);
    }
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  return {
    async exchangeCode(code, clientId) {
      return (await post('/auth/token', {
        grant_type: 'authorization_code',
        code,
        client_id: clientId,
      })) as HaTokens;
    },
    async refresh(refreshToken, clientId) {
      return (await post('/auth/token', {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
      })) as HaTokens;
    },
    async revoke(refreshToken) {
      await post('/auth/revoke', { token: refreshToken }).catch(() => undefined);
    },
  };
}
