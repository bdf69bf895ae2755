/** Clients seen in the request log, and OAuth sign-ins (grants) with their revocation. */
import { api } from './api';

export interface ClientRow {
  userId: string | null;
  userName: string | null;
  name: string | null;
  version: string | null;
  userAgent: string | null;
  firstSeen: number | null;
  lastSeen: number;
  total: { calls: number; errors: number } | null;
  range: { calls: number; errors: number; lastSeen: number; p50Ms: number; p95Ms: number } | null;
}

// A sign-in as the server summarises it (a file of plain types).
export type { GrantSummary as GrantRow } from '../../../server/src/oauth/grant-summary';
import type { GrantSummary as GrantRow } from '../../../server/src/oauth/grant-summary';

export const fetchClients = async () => (await api<{ clients: ClientRow[] }>('/clients')).clients;

export const fetchGrants = async () => (await api<{ grants: GrantRow[] }>('/grants')).grants;

export const revokeGrant = (id: string) => api(`/grants/${encodeURIComponent(id)}`, { method: 'DELETE' });
