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

export interface GrantRow {
  id: string;
  clientId: string;
  clientName: string | null;
  userId: string;
  userName: string;
  readOnly: boolean;
  created: number;
  lastUsed: number | null;
}

export const fetchClients = async () => (await api<{ clients: ClientRow[] }>('/clients')).clients;

export const fetchGrants = async () => (await api<{ grants: GrantRow[] }>('/grants')).grants;

export const revokeGrant = (id: string) => api(`/grants/${encodeURIComponent(id)}`, { method: 'DELETE' });
