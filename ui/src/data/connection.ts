/** POST /connection-test: the add-on checks an MCP URL (and a token) the way a client would. */
import { api } from './api';
import type { ConnectionTestAnswer, ConnectionTestBody } from '../../../server/src/admin/contract';

export type { ConnectionCheck, ConnectionTestAnswer } from '../../../server/src/admin/contract';

export const testConnection = (url: string, token?: string) =>
  api<ConnectionTestAnswer>('/connection-test', {
    json: { url, ...(token && { token }) } satisfies ConnectionTestBody,
  });
