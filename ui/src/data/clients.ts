/** Clients seen in the request log, and OAuth sign-ins (grants) with their revocation. */
import { api } from './api';
import type {
  ClientsAnswer,
  GrantSettingsAnswer,
  GrantSettingsBody,
  GrantsAnswer,
  RevokeGrantAnswer,
} from '../../../server/src/admin/contract';

export type { ClientRow, GrantRow } from '../../../server/src/admin/contract';

export const fetchClients = async () => (await api<ClientsAnswer>('/clients')).clients;

export const fetchGrants = async () => (await api<GrantsAnswer>('/grants')).grants;

export const revokeGrant = (id: string) =>
  api<RevokeGrantAnswer>(`/grants/${encodeURIComponent(id)}`, { method: 'DELETE' });

/** A sign-in's "ask before any change": every change its client makes waits for a person. */
export const setGrantAsksEverything = (id: string, asksEverything: boolean) =>
  api<GrantSettingsAnswer>(`/grants/${encodeURIComponent(id)}`, {
    method: 'PUT',
    json: { asksEverything } satisfies GrantSettingsBody,
  });
