"""Set up the companion with the one thing it needs: where HA reaches the add-on."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import voluptuous as vol
from yarl import URL

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .const import CONF_URL, DOMAIN, HEALTH_TIMEOUT, PROXY_PATH

_LOGGER = logging.getLogger(__name__)

EXAMPLE_URL = "http://local-ha-mcp-server:9123"


def _normalized(text: str) -> str | None:
    """An http(s) URL with a host and no query, without a trailing slash; else None."""
    try:
        url = URL(text.strip())
    except ValueError:
        return None
    if (
        url.scheme not in ("http", "https")
        or not url.host
        or url.query_string
        or url.fragment
    ):
        return None
    return str(url).rstrip("/")


class McpServerAddonConfigFlow(ConfigFlow, domain=DOMAIN):
    """Ask for the add-on's internal URL and check that the add-on answers there."""

    VERSION = 1

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The one step: the URL, checked with the add-on's /healthz."""
        errors: dict[str, str] = {}
        if user_input is not None:
            url = _normalized(user_input[CONF_URL])
            if url is None:
                errors[CONF_URL] = "invalid_url"
            elif (error := await self._check_health(url)) is not None:
                errors[CONF_URL] = error
            else:
                return self.async_create_entry(
                    title="MCP Server add-on", data={CONF_URL: url}
                )
        return self.async_show_form(
            step_id="user",
            data_schema=vol.Schema(
                {
                    vol.Required(
                        CONF_URL,
                        default=(user_input or {}).get(CONF_URL, vol.UNDEFINED),
                    ): str
                }
            ),
            errors=errors,
            description_placeholders={"example": EXAMPLE_URL, "path": PROXY_PATH},
        )

    async def _check_health(self, url: str) -> str | None:
        """None when the MCP Server add-on answers at `url`, else the error's key."""
        session = async_get_clientsession(self.hass)
        try:
            async with session.get(
                f"{url}/healthz",
                timeout=aiohttp.ClientTimeout(total=HEALTH_TIMEOUT),
                allow_redirects=False,
            ) as response:
                health = await response.json(content_type=None) if response.ok else None
        except (aiohttp.ClientError, TimeoutError) as err:
            _LOGGER.debug("No answer from %s/healthz: %s", url, err)
            return "cannot_connect"
        except ValueError:
            return "not_the_addon"
        if not isinstance(health, dict) or health.get("status") != "ok":
            return "not_the_addon"
        return None
