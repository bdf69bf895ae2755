/**
 * Client setup, in the shapes Home Assistant's own documentation gives for its built-in server
 * (../shared/reference/client-recipes.md; VS Code's from its MCP configuration reference), with this
 * installation's URL, for both ways of signing in: OAuth at Home Assistant's login page (DOCS.md,
 * "Connecting with OAuth"), or a long-lived token, which stays a placeholder: the panel never sees one.
 */
import { localize } from '../localize';

export type SignIn = 'oauth' | 'token';

export interface Recipe {
  id: string;
  /** The client's product name. */
  client: string;
  where: string;
  code?: string;
  note?: string;
}

export const TOKEN_PLACEHOLDER = 'YOUR_LONG_LIVED_ACCESS_TOKEN';

const json = (value: unknown) => JSON.stringify(value, null, 2);
const text = (id: string, part: 'where' | 'note') => localize(`connect.recipes.${id}.${part}`);
const oauthText = (id: string, part: 'client' | 'where' | 'note') =>
  localize(`connect.oauth_recipes.${id}.${part}`);

/** Loopback: the one place clients accept OAuth over plain http. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Whether clients on other machines will run OAuth against this URL (the specification wants https). */
export const oauthReady = (url: string): boolean => url.startsWith('https://') || isLoopbackUrl(url);

export function recipes(url: string, signIn: SignIn): Recipe[] {
  return signIn === 'oauth' ? oauthRecipes(url) : tokenRecipes(url);
}

function oauthRecipes(url: string): Recipe[] {
  // Cloud clients reach the server from their own servers: only a public https address is worth pasting.
  const publicUrl = url.startsWith('https://') && !isLoopbackUrl(url) ? { code: url } : {};
  const remoteArgs = [
    '-y',
    'mcp-remote',
    url,
    ...(url.startsWith('http://') && !isLoopbackUrl(url) ? ['--allow-http'] : []),
  ];
  return [
    {
      id: 'claude',
      client: 'Claude (web, Desktop, mobile)',
      where: oauthText('claude', 'where'),
      ...publicUrl,
      note: oauthText('claude', 'note'),
    },
    {
      id: 'chatgpt',
      client: 'ChatGPT',
      where: oauthText('chatgpt', 'where'),
      ...publicUrl,
      note: localize('connect.oauth_recipes.chatgpt.note', { base: url.replace(/\/api\/mcp$/, '') }),
    },
    {
      id: 'claude-code',
      client: 'Claude Code',
      where: oauthText('claude_code', 'where'),
      code: `claude mcp add --transport http home-assistant ${url}`,
      note: oauthText('claude_code', 'note'),
    },
    {
      id: 'mcp-remote',
      client: oauthText('mcp_remote', 'client'),
      where: oauthText('mcp_remote', 'where'),
      code: json({ mcpServers: { 'Home Assistant': { command: 'npx', args: remoteArgs } } }),
      note: oauthText('mcp_remote', 'note'),
    },
    {
      id: 'cursor',
      client: 'Cursor',
      where: oauthText('cursor', 'where'),
      code: json({ mcpServers: { 'Home Assistant': { url } } }),
    },
    {
      id: 'vscode',
      client: 'VS Code',
      where: oauthText('vscode', 'where'),
      code: json({ servers: { 'home-assistant': { type: 'http', url } } }),
    },
    {
      id: 'gemini-cli',
      client: 'gemini-cli',
      where: oauthText('gemini_cli', 'where'),
      code: json({ mcpServers: { homeassistant: { httpUrl: url } } }),
      note: oauthText('gemini_cli', 'note'),
    },
  ];
}

function tokenRecipes(url: string): Recipe[] {
  // Claude Desktop and Cursor start a local stdio gateway; without --transport it would speak SSE.
  const proxy = json({
    mcpServers: {
      'Home Assistant': {
        command: 'mcp-proxy',
        args: ['--transport=streamablehttp', '--stateless', url],
        env: { API_ACCESS_TOKEN: TOKEN_PLACEHOLDER },
      },
    },
  });
  return [
    {
      id: 'claude-desktop',
      client: 'Claude Desktop',
      where: text('claude_desktop', 'where'),
      code: proxy,
      note: text('claude_desktop', 'note'),
    },
    {
      id: 'claude-code',
      client: 'Claude Code',
      where: text('claude_code', 'where'),
      code: `claude mcp add --transport http home-assistant ${url} --header "Authorization: Bearer ${TOKEN_PLACEHOLDER}"`,
    },
    { id: 'cursor', client: 'Cursor', where: text('cursor', 'where'), code: proxy },
    {
      id: 'vscode',
      client: 'VS Code',
      where: text('vscode', 'where'),
      code: json({
        inputs: [
          { type: 'promptString', id: 'ha-token', description: 'Home Assistant token', password: true },
        ],
        servers: {
          'home-assistant': { type: 'http', url, headers: { Authorization: 'Bearer ${input:ha-token}' } },
        },
      }),
    },
    {
      id: 'gemini-cli',
      client: 'gemini-cli',
      where: text('gemini_cli', 'where'),
      code: json({
        mcpServers: {
          homeassistant: { httpUrl: url, headers: { Authorization: 'Bearer ${HOMEASSISTANT_TOKEN}' } },
        },
      }),
    },
    {
      id: 'chatgpt',
      client: 'ChatGPT',
      where: text('chatgpt', 'where'),
      note: text('chatgpt', 'note'),
    },
  ];
}
