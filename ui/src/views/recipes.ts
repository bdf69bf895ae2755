/**
 * Client setup, in the shapes Home Assistant's own documentation gives for its built-in server
 * (../shared/reference/client-recipes.md; VS Code's from its MCP configuration reference), with this
 * installation's URL. Tokens stay placeholders: the panel never sees a user's token.
 */
import { localize } from '../localize';

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

export function recipes(url: string): Recipe[] {
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
      // ChatGPT reaches the server from OpenAI's cloud: only a public https address is worth pasting.
      ...(url.startsWith('https://') && { code: url }),
      note: text('chatgpt', 'note'),
    },
  ];
}
