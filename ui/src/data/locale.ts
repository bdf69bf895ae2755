/** The viewer's Home Assistant profile language (server/src/admin/locale.ts), and HA's choice in this browser. */
import type { LocaleAnswer } from '../../../server/src/admin/contract';
import { api } from './api';

export const fetchProfileLocale = () => api<LocaleAnswer>('/locale');

/**
 * The language HA's frontend keeps in local storage (`selectedLanguage`, a JSON string) when a user picks
 * one on a device: the panel shares HA's origin through ingress, so it sees the same storage.
 */
export function haSelectedLanguage(): string | null {
  try {
    const stored = localStorage.getItem('selectedLanguage');
    const value: unknown = stored === null ? null : JSON.parse(stored);
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}
