/** POST /connection-test: the add-on checks an MCP URL (and a token) the way a client would. */
import { api } from './api';

export interface ConnectionCheck {
  name: string;
  ok: boolean;
  /** What was found, in words the owner can act on. */
  detail: string;
}

export interface ConnectionTest {
  url: string;
  ok: boolean;
  checks: ConnectionCheck[];
}

export const testConnection = (url: string, token?: string) =>
  api<ConnectionTest>('/connection-test', { json: { url, ...(token && { token }) } });
