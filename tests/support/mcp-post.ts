/**
 * One JSON-RPC request to an MCP server's `/api/mcp` (ours or HA's), or another of its endpoints (`path`,
 * e.g. a per-API `/api/mcp/homeassistant`), as a plain HTTP client sends it.
 */
export function postMcp(
  baseUrl: string,
  token: string,
  method: string,
  params?: Record<string, unknown>,
  path = '/api/mcp'
): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params ? { params } : {}) }),
  });
}
