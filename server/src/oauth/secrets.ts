/**
 * The add-on's own tokens and the secrets it keeps. Tokens are opaque random strings with a prefix that
 * says what they are (so they are never mistaken for Home Assistant's and sent there), stored only as
 * SHA-256 hashes. Home Assistant's refresh tokens, which the add-on needs to act as the user, are sealed
 * with AES-256-GCM under a key kept in the data directory (readable by the add-on only).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_PREFIX = { access: 'hamcp_at_', refresh: 'hamcp_rt_', code: 'hamcp_ac_' } as const;
export type TokenKind = keyof typeof TOKEN_PREFIX;

/** A new token of this kind: the prefix and 256 random bits. */
export const newToken = (kind: TokenKind): string =>
  `${TOKEN_PREFIX[kind]}${randomBytes(32).toString('base64url')}`;

/** An id or a one-time value that only has to be unguessable (a client id, a sign-in's id, a CSRF token). */
export const randomId = (bytes = 24): string => randomBytes(bytes).toString('base64url');

export const isOwnToken = (token: string): boolean =>
  Object.values(TOKEN_PREFIX).some((prefix) => token.startsWith(prefix));

export const KEY_FILE = 'oauth.key';

/** The sealing key: read from the data directory, or made there (mode 0600) on first use. */
export function loadKey(dataDir: string): Buffer {
  const file = join(dataDir, KEY_FILE);
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 256-bit key`);
    return key;
  }
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  return key;
}

/** `iv.tag.ciphertext`, base64url: what a grant stores for Home Assistant's refresh token. */
export function seal(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
}

/** The sealed text, or an error when it was altered or sealed under another key. */
export function unseal(key: Buffer, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !body) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
