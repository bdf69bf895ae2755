"""MCP Server add-on companion: reach the add-on through Home Assistant's own URL.

The add-on listens on a port of its own, which Home Assistant Cloud and most reverse
proxies never reach. This integration adds one thing to Home Assistant: views under
`/api/mcp_addon` that pass MCP, the legacy SSE pair and OAuth to the add-on over the
internal network, and the OAuth discovery documents of that path at
`/.well-known/<document>/api/mcp_addon` (http.py). The add-on does all the rest,
authentication included.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from .const import CONF_URL, DOMAIN
from .http import AddonMetadataView, AddonProxy, AddonProxyView


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Pass requests to the add-on at the entry's URL."""
    proxy: AddonProxy | None = hass.data.get(DOMAIN)
    if proxy is None:
        # Home Assistant cannot take a view back, so the views are registered once and
        # answer 404 while no entry is loaded.
        proxy = hass.data[DOMAIN] = AddonProxy()
        hass.http.register_view(AddonProxyView(proxy))
        hass.http.register_view(AddonMetadataView(proxy))
    proxy.start(entry.data[CONF_URL])
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Stop passing requests: the views answer 404 until the entry is loaded again."""
    proxy: AddonProxy = hass.data[DOMAIN]
    await proxy.stop()
    return True
