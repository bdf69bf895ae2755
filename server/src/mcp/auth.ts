/**
 * Every MCP request carries `Authorization: Bearer <token>`; the token becomes a principal through
 * `authenticate` (principals.ts caches Home Assistant's answers and limits failures per address). Refusals
 * follow RFC 6750 and RFC 9728: a 401 names the protected-resource metadata so OAuth clients can find the
 * authorization server, and says `invalid_token` only when a token was sent. The request log counts a 401
 * as `auth_failed`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Authentication } from '../ha/principals.js';
import type { McpEnv } from './env.js';
import { Refusal } from './errors.js';
import { SCOPES } from '../oauth/metadata.js';

export interface BearerAuthOptions {
  authenticate(token: string, address: string): Promise<Authentication>;
  /** The RFC 9728 metadata URL for the `WWW-Authenticate` challenge. */
  resourceMetadataUrl(c: Context): string;
}

const BEARER = /^Bearer +(\S+) *$/i;

export const bearerAuth = (options: BearerAuthOptions): MiddlewareHandler<McpEnv> =>
  async function bearerAuth(c, next) {
    const record = c.get('record');
    const challenge = (error?: string, description?: string) =>
      `Bearer ${error ? `error="${error}", ` : ''}${description ? `error_description="${description.replace(/["\\]/g, '')}", ` : ''}resource_metadata="${options.resourceMetadataUrl(c)}", scope="${SCOPES.join(' ')}"`;
    const token = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) {
      throw new Refusal(401, 'An Authorization: Bearer token is required', {
        body: { kind: 'oauth', error: 'unauthorized' },
        headers: { 'www-authenticate': challenge() },
        outcome: 'auth_failed',
      });
    }
    const answer = await options.authenticate(token, record.address);
    if (!answer.ok) {
      switch (answer.status) {
        case 401: {
          // The reason says which (refused by HA, unknown, expired: refresh it) and never repeats the token.
          const reason = answer.reason.charAt(0).toUpperCase() + answer.reason.slice(1);
          throw new Refusal(401, reason, {
            body: { kind: 'oauth', error: 'invalid_token' },
            headers: { 'www-authenticate': challenge('invalid_token', answer.reason) },
            outcome: 'auth_failed',
          });
        }
        case 429:
          throw new Refusal(429, 'Too many failed authentications from this address; try again later', {
            body: { kind: 'oauth', error: 'too_many_requests' },
            headers: { 'retry-after': String(Math.max(1, Math.ceil(answer.retryAfterSeconds ?? 60))) },
          });
        default:
          throw new Refusal(503, 'Home Assistant is unavailable', {
            body: { kind: 'oauth', error: 'temporarily_unavailable' },
            headers: answer.retryAfterSeconds ? { 'retry-after': String(answer.retryAfterSeconds) } : {},
          });
      }
    }
    c.set('principal', answer.principal);
    record.setPrincipal(answer.principal);
    await next();
  };
