/**
 * Onboards a fresh Home Assistant over REST (no browser), then makes the long-lived tokens the tests use:
 * one for the owner (admin) and one for a plain user who is not an admin.
 */
import { command, connectWs, restJson } from './ha-api.js';
import { step } from './log.js';

export interface TestUsers {
  adminToken: string;
  userToken: string;
  userId: string;
}

export const ADMIN = { name: 'Demo Owner', username: 'owner', password: 'demo-owner-password' };
export const PLAIN_USER = { name: 'Guest', username: 'guest', password: 'demo-guest-password' };

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
}

async function exchangeCode(baseUrl: string, clientId: string, code: string): Promise<TokenResponse> {
  return restJson<TokenResponse>(baseUrl, '/auth/token', {
    form: { grant_type: 'authorization_code', code, client_id: clientId },
  });
}

/** Logs in through HA's login flow, as the frontend does, and returns an access token. */
export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const clientId = new URL('/', baseUrl).toString();
  const flow = await restJson<{ flow_id: string }>(baseUrl, '/auth/login_flow', {
    json: {
      client_id: clientId,
      handler: ['homeassistant', null],
      redirect_uri: `${clientId}?auth_callback=1`,
    },
  });
  const done = await restJson<{ type: string; result?: string; errors?: unknown }>(
    baseUrl,
    `/auth/login_flow/${flow.flow_id}`,
    { json: { client_id: clientId, username, password } }
  );
  if (done.type !== 'create_entry' || !done.result) {
    throw new Error(`login for ${username} failed: ${JSON.stringify(done.errors ?? done.type)}`);
  }
  return (await exchangeCode(baseUrl, clientId, done.result)).access_token;
}

async function longLivedToken(baseUrl: string, accessToken: string, clientName: string): Promise<string> {
  const conn = await connectWs(baseUrl, accessToken);
  try {
    return await command<string>(conn, {
      type: 'auth/long_lived_access_token',
      client_name: clientName,
      lifespan: 3650,
    });
  } finally {
    conn.close();
  }
}

export async function onboard(baseUrl: string): Promise<TestUsers> {
  const clientId = new URL('/', baseUrl).toString();
  step('onboarding: creating the owner account');
  const { auth_code } = await restJson<{ auth_code: string }>(baseUrl, '/api/onboarding/users', {
    json: {
      client_id: clientId,
      name: ADMIN.name,
      username: ADMIN.username,
      password: ADMIN.password,
      language: 'en',
    },
  });
  const owner = await exchangeCode(baseUrl, clientId, auth_code);
  const token = owner.access_token;
  await restJson(baseUrl, '/api/onboarding/core_config', { token, json: {} });
  await restJson(baseUrl, '/api/onboarding/analytics', { token, json: {} });
  await restJson(baseUrl, '/api/onboarding/integration', {
    token,
    json: { client_id: clientId, redirect_uri: `${clientId}?auth_callback=1` },
  });
  const adminToken = await longLivedToken(baseUrl, token, 'ha-mcp tests (owner)');

  step('onboarding: creating a plain user who is not an admin');
  const conn = await connectWs(baseUrl, adminToken);
  let userId: string;
  try {
    const created = await command<{ user: { id: string } }>(conn, {
      type: 'config/auth/create',
      name: PLAIN_USER.name,
      group_ids: ['system-users'],
    });
    userId = created.user.id;
    await command(conn, {
      type: 'config/auth_provider/homeassistant/create',
      user_id: userId,
      username: PLAIN_USER.username,
      password: PLAIN_USER.password,
    });
  } finally {
    conn.close();
  }
  const userAccess = await login(baseUrl, PLAIN_USER.username, PLAIN_USER.password);
  const userToken = await longLivedToken(baseUrl, userAccess, 'ha-mcp tests (guest)');
  return { adminToken, userToken, userId };
}
