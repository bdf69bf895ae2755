/**
 * OAuth with the official MCP SDK's client and its OAuth provider interface, as an application built on the
 * SDK runs it: the first connect meets the 401, discovers the authorization server from the
 * protected-resource metadata, registers, and hands over an authorization URL; a person signs in at Home
 * Assistant and allows (Chromium); the redirect comes back to the application's loopback callback, and
 * `finishAuth` exchanges the code (PKCE, `iss` checked). The next connect lists tools and calls one.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { callbackServer, TestProvider } from '../support/browser/sdk-oauth-client.js';
import { ADMIN } from '../support/ha/onboard.js';
import { signInAtHa, useOAuthWorld } from '../support/browser/ha-sign-in.js';
import { skipWithoutChromium } from '../support/browser/panel-fixture.js';

describe('OAuth in a browser, with the MCP SDK’s client', { skip: skipWithoutChromium }, () => {
  const world = useOAuthWorld();
  let callback: Server | undefined;
  after(() => callback?.close());

  it('runs the flow from the 401, signs in at Home Assistant, and then lists and calls tools', async () => {
    const { ha, server, browser } = world;
    const back = await callbackServer();
    callback = back.server;
    const provider = new TestProvider(back.url);
    const endpoint = new URL(`${server.mcpUrl}/api/mcp`);

    const first = new StreamableHTTPClientTransport(endpoint, { authProvider: provider });
    await assert.rejects(
      new Client({ name: 'sdk-oauth-test', version: '1' }).connect(first),
      UnauthorizedError
    );
    // Registered dynamically, and sent to this server's authorize endpoint with PKCE S256 and the resource.
    assert.ok(provider.information?.client_id);
    const authorizeUrl = await provider.authorizationUrl;
    assert.equal(authorizeUrl.origin + authorizeUrl.pathname, `${server.mcpUrl}/oauth/authorize`);
    assert.equal(authorizeUrl.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorizeUrl.searchParams.get('resource'), endpoint.toString());

    const page = await browser.newPage();
    await signInAtHa(page, authorizeUrl.toString(), {
      haUrl: ha.url,
      user: ADMIN,
      shownAs: /Demo Owner/,
      label: 'oauth-sdk-client',
    });
    const params = await back.returned;
    assert.equal(params.get('iss'), server.mcpUrl);
    await first.finishAuth(params);
    assert.match(provider.saved?.access_token ?? '', /^hamcp_at_/);
    assert.ok(provider.saved?.refresh_token);

    const client = new Client({ name: 'sdk-oauth-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(endpoint, { authProvider: provider }));
    try {
      const { tools } = await client.listTools();
      assert.ok(
        tools.some((t) => t.name === 'intent__HassTurnOn'),
        tools.map((t) => t.name).join(', ')
      );
      const called = await client.callTool({ name: 'homeassistant__GetLiveContext', arguments: {} });
      assert.equal(called.isError, false);
      assert.match((called.content as { text: string }[])[0]!.text, /Live Context/);
    } finally {
      await client.close();
    }
  });
});
