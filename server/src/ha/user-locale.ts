/**
 * An HA user's language and number and time formats, as their profile page saves them: HA's frontend keeps
 * them in the user's frontend data under `language` (`frontend/set_user_data`), as
 * `{ language, number_format, time_format, date_format, time_zone, first_weekday }`. A user who never chose
 * has none, and HA's frontend then uses the browser's language; so does the panel.
 *
 * Two ways to read them: over a WebSocket the user's own (`frontend/get_user_data` answers only for the
 * connection's user), or from HA's storage file for that user (`.storage/frontend.user_data_<user id>`) in
 * HA's config folder, which is how an add-on reads the profile of whoever opened its panel.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Send } from './commands.js';
import { HaRefusedError } from './errors.js';

/** HA frontend's number formats (`NumberFormat` in its data/translation.ts). */
export const NUMBER_FORMATS = [
  'language',
  'system',
  'comma_decimal',
  'decimal_comma',
  'quote_decimal',
  'space_comma',
  'none',
] as const;
export type NumberFormat = (typeof NUMBER_FORMATS)[number];

/** HA frontend's time formats: the language's, the browser's, or a 12 or 24 hour clock. */
export const TIME_FORMATS = ['language', 'system', '12', '24'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

export interface UserLocale {
  /** A BCP 47 tag as HA names its languages (`de`, `en-GB`, `zh-Hant`). */
  language: string;
  numberFormat: NumberFormat;
  timeFormat: TimeFormat;
}

const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{2,8}){0,3}$/;
/** HA's user ids are 32 hex digits; nothing with a dot or a slash ever becomes part of a file name. */
const USER_ID = /^[\w-]{1,64}$/;

const oneOf = <T extends string>(allowed: readonly T[], value: unknown, fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

/** The profile's choice from the stored value; null when there is none or it is not one. */
export function userLocaleOf(value: unknown): UserLocale | null {
  if (typeof value !== 'object' || value === null) return null;
  const saved = value as Record<string, unknown>;
  if (typeof saved.language !== 'string' || !LANGUAGE_TAG.test(saved.language)) return null;
  return {
    language: saved.language.replaceAll('_', '-'),
    numberFormat: oneOf(NUMBER_FORMATS, saved.number_format, 'language'),
    timeFormat: oneOf(TIME_FORMATS, saved.time_format, 'language'),
  };
}

/** The panel draws nothing until it knows its language: a Home Assistant that hangs is not waited for long. */
export const OWN_LOCALE_TIMEOUT_MS = 2_000;

/**
 * The profile of the user the connection is (standalone: the token's user).
 *
 * @returns null when the user never chose, or HA has no frontend to ask
 * @throws {HaAwayError} when HA is away or has not answered within OWN_LOCALE_TIMEOUT_MS
 */
export async function ownUserLocale(send: Send): Promise<UserLocale | null> {
  try {
    const answer = await send<{ value: unknown }>(
      { type: 'frontend/get_user_data', key: 'language' },
      OWN_LOCALE_TIMEOUT_MS
    );
    return userLocaleOf(answer?.value);
  } catch (err) {
    if (err instanceof HaRefusedError) return null;
    throw err;
  }
}

/**
 * Another user's profile, from HA's storage in its config folder (an add-on's `homeassistant_config` map).
 * HA writes the file whole and renames it into place, so a read never sees half of it.
 *
 * @returns null when the user never chose, the id is not an HA user id, or the file cannot be read
 */
export async function storedUserLocale(configDir: string, userId: string): Promise<UserLocale | null> {
  if (!USER_ID.test(userId)) return null;
  let text: string;
  try {
    text = await readFile(join(configDir, '.storage', `frontend.user_data_${userId}`), 'utf8');
  } catch {
    return null;
  }
  try {
    const stored = JSON.parse(text) as { data?: { language?: unknown } };
    return userLocaleOf(stored.data?.language);
  } catch {
    return null;
  }
}
