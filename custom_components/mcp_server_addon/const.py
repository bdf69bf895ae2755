"""Constants of the MCP Server add-on's companion integration."""

from typing import Final

DOMAIN: Final = "mcp_server_addon"

# The config entry's one setting: where Home Assistant reaches the add-on's MCP
# listener.
CONF_URL: Final = "url"

# Where the views answer on Home Assistant's own HTTP server: the add-on's paths follow
# this prefix.
PROXY_PATH: Final = "/api/mcp_addon"

# The add-on refuses larger MCP bodies itself (1 MiB); the companion refuses them before
# they travel on.
MAX_BODY_BYTES: Final = 1024 * 1024

# Seconds to open a connection to the add-on; past that it counts as not reachable.
CONNECT_TIMEOUT: Final = 10

# Seconds the add-on may stay silent on an open exchange. Its event streams send a
# comment every 15 s, so only an add-on that hangs is cut off; a tool call that takes
# minutes still gets its answer.
READ_TIMEOUT: Final = 300

# Connections to the add-on held at once. The add-on keeps at most 100 legacy SSE
# streams open; the rest leaves room for requests. The proxy has a pool of its own so
# that streams never hold Home Assistant's shared pool, which every other integration
# uses.
MAX_CONNECTIONS: Final = 200

# Seconds the setup waits for the add-on's /healthz.
HEALTH_TIMEOUT: Final = 10
