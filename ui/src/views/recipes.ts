/**
 * Client setup, in the shapes Home Assistant's own documentation gives for its built-in server
 * (../shared/reference/client-recipes.md), with this installation's URL. Tokens stay placeholders: the
 * panel never sees a user's token.
 */
export interface Recipe {
  id: string;
  client: string;
  where: string;
  code?: string;
  note?: string;
}

export const TOKEN_PLACEHOLDER = 'YOUR_LONG_LIVED_ACCESS_TOKEN';

const json = (value: unknown) => JSON.stringify(value, null, 2);

export function recipes(url: string): Recipe[] {
  const proxy = {
    mcpServers: {
      'Home Assistant': {
        command: 'mcp-proxy',
        args: ['--transport=streamablehttp', '--stateless', url],
        env: { API_ACCESS_TOKEN: TOKEN_PLACEHOLDER },
      },
    },
  };
  return [
    {
      id: 'claude-desktop',
      client: 'Claude Desktop',
      where:
        'claude_desktop_config.json (Settings → Developer → Edit config), through mcp-proxy (uv tool install mcp-proxy).',
      code: json(proxy),
      note: 'Restart Claude Desktop afterwards. "Could not start MCP server" means mcp-proxy is not installed or not on the PATH.',
    },
    {
      id: 'claude-code',
      client: 'Claude Code',
      where: 'In a terminal:',
      code: `claude mcp add --transport http home-assistant ${url} --header "Authorization: Bearer ${TOKEN_PLACEHOLDER}"`,
    },
    {
      id: 'cursor',
      client: 'Cursor',
      where: 'mcp.json (Cursor Settings → MCP), through mcp-proxy:',
      code: json(proxy),
    },
    {
      id: 'vscode',
      client: 'VS Code',
      where: '.vscode/mcp.json in your workspace (VS Code asks for the token once and keeps it):',
      code: json({
        inputs: [
          { type: 'promptString', id: 'ha-token', description: 'Home Assistant token', password: true },
        ],
        servers: {
          'home-assistant': {
            type: 'http',
            url,
            headers: { Authorization: 'Bearer ${input:ha-token}' },
          },
        },
      }),
    },
    {
      id: 'gemini-cli',
      client: 'gemini-cli',
      where: '~/.gemini/settings.json, with the token in the HOMEASSISTANT_TOKEN environment variable:',
      code: json({
        mcpServers: {
          homeassistant: { httpUrl: url, headers: { Authorization: 'Bearer ${HOMEASSISTANT_TOKEN}' } },
        },
      }),
    },
    {
      id: 'chatgpt',
      client: 'ChatGPT',
      where:
        'ChatGPT connects from OpenAI’s cloud: it needs this server at a public HTTPS address (set it as External URL in Settings) and signs in with OAuth.',
      note: 'Settings → Apps → Create, with the MCP server URL set to the public address ending in /api/mcp.',
    },
  ];
}
