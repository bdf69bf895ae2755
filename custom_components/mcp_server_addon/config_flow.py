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
# RFC 9728's document for the add-on's /api/mcp: only its MCP listener serves it.
PROTECTED_RESOURCE = "/.well-known/oauth-protected-resource/api/mcp"


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
        """None when the add-on's MCP listener answers at `url`, else the error's key.

        Its /healthz says the add-on is up; its protected-resource metadata tells the
        MCP listener from the add-on's admin listener, which answers /healthz too.
        """
        health = await self._json(f"{url}/healthz")
        if health is None:
            return "cannot_connect"
        if not isinstance(health, dict) or health.get("status") != "ok":
            return "not_the_addon"
        resource = await self._json(f"{url}{PROTECTED_RESOURCE}")
        if not isinstance(resource, dict) or "resource" not in resource:
            return "not_the_addon"
        return None

    async def _json(self, url: str) -> Any:
        """The JSON at `url`; False when the answer is not JSON, None when none came."""
        session = async_get_clientsession(self.hass)
        try:
            async with session.get(
                url,
                timeout=aiohttp.ClientTimeout(total=HEALTH_TIMEOUT),
                allow_redirects=False,
            ) as response:
                if not response.ok:
                    return False
                return await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError) as err:
            _LOGGER.debug("No answer from %s: %s", url, err)
            return None
        except ValueError:
            return False
