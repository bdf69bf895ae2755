/** Clients seen in the request log, and OAuth sign-ins (grants) with their revocation. */
import { api } from './api';
import type { ClientsAnswer, GrantsAnswer, RevokeGrantAnswer } from '../../../server/src/admin/contract';

export type { ClientRow, GrantRow } from '../../../server/src/admin/contract';

export const fetchClients = async () => (await api<ClientsAnswer>('/clients')).clients;

export const fetchGrants = async () => (await api<GrantsAnswer>('/grants')).grants;

export const revokeGrant = (id: string) =>
  api<RevokeGrantAnswer>(`/grants/${encodeURIComponent(id)}`, { method: 'DELETE' });
