"""Views that pass MCP, the legacy SSE pair and OAuth from HA's URL to the add-on.

`/api/mcp_addon/<path>` on Home Assistant is `<add-on URL>/<path>`: method, path and
query as they came, the few headers MCP and OAuth read, the body once it is known to be
small enough. The answer streams back chunk by chunk, never compressed and never held
back, so that events reach the client as the add-on sends them. The add-on authenticates
every request itself, so the views ask Home Assistant for none
(`requires_auth = False`), and a refusal from the add-on is passed on as an answer,
never raised: Home Assistant counts a raised 401 as a failed login of the client's
address.

OAuth clients find the add-on's metadata at the well-known URLs RFC 8414 and RFC 9728
derive from an issuer and a resource with a path: `/.well-known/<document>` followed by
that path, on Home Assistant's origin. Those views pass on to the add-on's own
`/.well-known/<document>`; Home Assistant's root-level documents stay its own.

With each request the add-on learns where the client was: Home Assistant's scheme and
host as the client used them, and the prefix (`X-Forwarded-Proto`, `-Host`, `-Prefix`),
so that the URLs it hands out (issuer, endpoints, the legacy SSE message path) stay on
Home Assistant's URL. It believes them only from Home Assistant's address.
"""

from __future__ import annotations

from http import HTTPStatus
import json
import logging
import re
from typing import Any
from urllib.parse import unquote

import aiohttp
from aiohttp import hdrs, web
from multidict import CIMultiDict
from yarl import URL

from homeassistant.components.http import HomeAssistantView

from .const import (
    CONNECT_TIMEOUT,
    MAX_BODY_BYTES,
    MAX_CONNECTIONS,
    PROXY_PATH,
    READ_TIMEOUT,
)

_LOGGER = logging.getLogger(__name__)

# What the add-on's MCP and OAuth routes read of a request. Nothing else of the client's
# goes on: not Home Assistant's own cookies, nor forwarding headers the client made up.
FORWARDED_HEADERS = (
    hdrs.AUTHORIZATION,
    hdrs.CONTENT_TYPE,
    hdrs.ACCEPT,
    "Mcp-Session-Id",
    "MCP-Protocol-Version",
    "Last-Event-ID",
    hdrs.ORIGIN,
    hdrs.USER_AGENT,
)

# Headers of one connection rather than of the answer (RFC 9110, 7.6.1); Home
# Assistant's connection to the client has its own.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)

# The add-on's doors for clients: MCP (`/api/mcp`, `/api/mcp/<API>`), the legacy SSE
# pair, OAuth and its discovery documents. Nothing else of the add-on's is reached
# through Home Assistant, whatever listener the entry's URL names.
PUBLIC_DOORS = re.compile(
    r"\A(?:api/mcp(?:/.*)?|mcp_server/.+|oauth/.+|\.well-known/.+)\Z"
)

# RFC 8414 / RFC 9728 documents of an issuer or resource under the prefix, on Home
# Assistant's origin: the add-on serves each at `/.well-known/<document>[/<path>]`.
WELL_KNOWN_DOCUMENTS = (
    "oauth-protected-resource",
    "oauth-authorization-server",
    "openid-configuration",
)

# JSON-RPC error codes: a transport-level refusal (as the add-on's own) and an internal
# error.
TRANSPORT_ERROR = -32000
INTERNAL_ERROR = -32603


class AddonProxy:
    """Where the views send requests: the add-on while an entry is loaded."""

    def __init__(self) -> None:
        """Start with no add-on: the views answer 404 until an entry is set up."""
        self.base: URL | None = None
        self.session: aiohttp.ClientSession | None = None
        self._reachable = True

    def start(self, url: str) -> None:
        """Send requests to the add-on at `url`, over a connection pool of its own."""
        self.base = URL(url)
        self._reachable = True
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=MAX_CONNECTIONS),
            timeout=aiohttp.ClientTimeout(
                total=None, connect=CONNECT_TIMEOUT, sock_read=READ_TIMEOUT
            ),
            # Bodies pass through as the add-on wrote them, with their own encoding
            # headers.
            auto_decompress=False,
        )

    async def stop(self) -> None:
        """Answer 404 from now on; exchanges still under way end with the pool."""
        session, self.session, self.base = self.session, None, None
        if session is not None:
            await session.close()

    def failed(self, message: str) -> None:
        """Say once, not at every request, that the add-on cannot be reached."""
        if self._reachable:
            _LOGGER.warning("The MCP Server add-on is not reachable: %s", message)
        self._reachable = False

    def answered(self) -> None:
        """Say once that the add-on answers again."""
        if not self._reachable:
            _LOGGER.info("The MCP Server add-on answers again")
        self._reachable = True


class AddonProxyView(HomeAssistantView):
    """`/api/mcp_addon` and everything under it, passed to the add-on."""

    name = "api:mcp_server_addon"
    url = PROXY_PATH
    extra_urls = [PROXY_PATH + "/{path:.*}"]
    requires_auth = False
    cors_allowed = False

    def __init__(self, proxy: AddonProxy) -> None:
        """Serve through `proxy`, which knows whether an entry is loaded."""
        self._proxy = proxy

    async def _handle(self, request: web.Request, path: str = "") -> web.StreamResponse:
        """Pass one request to the add-on's `/<path>` and its answer back."""
        raw_path = request.rel_url.raw_path[len(PROXY_PATH) :] or "/"
        return await _forward(self._proxy, request, path, raw_path)

    get = _handle
    post = _handle
    delete = _handle


class AddonMetadataView(HomeAssistantView):
    """`/.well-known/<document>/api/mcp_addon[/<path>]`: the add-on's discovery documents."""

    name = "api:mcp_server_addon:well-known"
    url = "/.well-known/{document}" + PROXY_PATH
    extra_urls = ["/.well-known/{document}" + PROXY_PATH + "/{path:.*}"]
    requires_auth = False
    cors_allowed = False

    def __init__(self, proxy: AddonProxy) -> None:
        """Serve through `proxy`, which knows whether an entry is loaded."""
        self._proxy = proxy

    async def get(
        self, request: web.Request, document: str, path: str = ""
    ) -> web.StreamResponse:
        """Pass a request for one of the add-on's documents on as `/.well-known/...`."""
        if document not in WELL_KNOWN_DOCUMENTS:
            return _error(HTTPStatus.NOT_FOUND, "Not found", json_rpc=False)
        marker = f"/.well-known/{document}{PROXY_PATH}"
        rest = request.rel_url.raw_path[len(marker) :]
        door = f".well-known/{document}" + (f"/{path}" if path else "")
        return await _forward(
            self._proxy, request, door, f"/.well-known/{document}{rest}"
        )


async def _forward(
    proxy: AddonProxy, request: web.Request, door: str, raw_path: str
) -> web.StreamResponse:
    """Pass one request to the add-on at `raw_path` (the door it names) and back."""
    base, session = proxy.base, proxy.session
    json_rpc = request.method == hdrs.METH_POST and _is_mcp_endpoint(door)
    if base is None or session is None:
        return _error(
            HTTPStatus.NOT_FOUND,
            "The MCP Server add-on's integration is not set up in Home Assistant",
            json_rpc,
        )

    if not _is_public_door(door):
        return _error(
            HTTPStatus.NOT_FOUND,
            "Not found: Home Assistant passes only MCP and OAuth to the add-on",
            json_rpc,
        )

    body: bytes | None = None
    if request.method != hdrs.METH_GET and request.body_exists:
        body = await _read_bounded(request)
        if body is None:
            return _error(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                "Request body too large: Home Assistant passes at most "
                f"{MAX_BODY_BYTES} bytes to the MCP Server add-on",
                json_rpc,
                code=TRANSPORT_ERROR,
            )

    try:
        upstream = await session.request(
            request.method,
            _upstream_url(base, raw_path, request.rel_url.raw_query_string),
            headers=_upstream_headers(request),
            data=body,
            allow_redirects=False,
            skip_auto_headers=(hdrs.ACCEPT, hdrs.CONTENT_TYPE, hdrs.USER_AGENT),
        )
    except (aiohttp.ClientError, TimeoutError) as err:
        status, message = _failure(err)
        proxy.failed(message)
        return _error(status, message, json_rpc, request_id=_request_id(body))

    proxy.answered()
    try:
        return await _relay(request, upstream)
    finally:
        upstream.release()


def _is_mcp_endpoint(path: str) -> bool:
    """`/api/mcp` and the per-API `/api/mcp/<id>`, which answer in JSON-RPC."""
    return path == "api/mcp" or path.startswith("api/mcp/")


def _is_public_door(path: str) -> bool:
    """A path the add-on serves clients at, with no `.` or `..` segment to leave it."""
    segments = unquote(path).split("/")
    return bool(PUBLIC_DOORS.match(path)) and not any(
        s in (".", "..") for s in segments
    )


async def _read_bounded(request: web.Request) -> bytes | None:
    """The request's body, or None when it is larger than the add-on takes.

    A declared length is judged before a byte is read; a chunked body is counted as it
    arrives and left unread from the first chunk over the limit.
    """
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_any():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _upstream_url(base: URL, raw_path: str, raw_query: str) -> URL:
    """The add-on's URL for a path on it (still percent-encoded as it came) and query."""
    target = f"{base.origin()}{base.raw_path.rstrip('/')}{raw_path}"
    return URL(f"{target}?{raw_query}" if raw_query else target, encoded=True)


def _upstream_headers(request: web.Request) -> dict[str, str]:
    """The client's headers the add-on reads, and the address the client came from."""
    headers = {
        name: ", ".join(request.headers.getall(name))
        for name in FORWARDED_HEADERS
        if name in request.headers
    }
    # Compression is for the internet, not for the add-on's network; uncompressed, an
    # event stream can pass on event by event.
    headers[hdrs.ACCEPT_ENCODING] = "identity"
    if request.remote:
        headers[hdrs.X_FORWARDED_FOR] = request.remote
    # Home Assistant's address as the client used it (after HA's own handling of a
    # trusted reverse proxy's headers), and where the add-on's paths begin on it.
    headers[hdrs.X_FORWARDED_PROTO] = request.scheme
    headers[hdrs.X_FORWARDED_HOST] = request.host
    headers["X-Forwarded-Prefix"] = PROXY_PATH
    return headers


def _failure(err: Exception) -> tuple[HTTPStatus, str]:
    """What to tell the client when the add-on gave no answer."""
    if isinstance(err, aiohttp.ClientConnectorError):
        return HTTPStatus.BAD_GATEWAY, f"The MCP Server add-on is not reachable: {err}"
    if isinstance(err, TimeoutError) and not isinstance(
        err, getattr(aiohttp, "ConnectionTimeoutError", ())
    ):
        return (
            HTTPStatus.GATEWAY_TIMEOUT,
            f"The MCP Server add-on did not answer within {READ_TIMEOUT} s",
        )
    if isinstance(err, TimeoutError):
        return (
            HTTPStatus.BAD_GATEWAY,
            "The MCP Server add-on is not reachable: "
            f"no connection within {CONNECT_TIMEOUT} s",
        )
    return HTTPStatus.BAD_GATEWAY, f"The MCP Server add-on is not reachable: {err}"


def _request_id(body: bytes | None) -> Any:
    """The id of the JSON-RPC request in `body`, for an error about it, or None."""
    if not body:
        return None
    try:
        message = json.loads(body)
    except ValueError:
        return None
    request_id = message.get("id") if isinstance(message, dict) else None
    if isinstance(request_id, bool) or not isinstance(request_id, (str, int)):
        return None
    return request_id


def _error(
    status: HTTPStatus,
    message: str,
    json_rpc: bool,
    *,
    code: int = INTERNAL_ERROR,
    request_id: Any = None,
) -> web.Response:
    """The proxy's own answer: a JSON-RPC error where MCP expects one, else JSON."""
    if json_rpc:
        body: dict[str, Any] = {
            "jsonrpc": "2.0",
            "id": request_id,
            "error": {"code": code, "message": message},
        }
    else:
        body = {"error": message}
    return web.json_response(body, status=status)


async def _relay(
    request: web.Request, upstream: aiohttp.ClientResponse
) -> web.StreamResponse:
    """Stream the add-on's answer to the client as it arrives."""
    headers = CIMultiDict(
        (name, value)
        for name, value in upstream.headers.items()
        if name.lower() not in HOP_BY_HOP
    )
    if request.method == hdrs.METH_HEAD or upstream.status in (204, 304):
        headers.popall(hdrs.CONTENT_LENGTH, None)
        return web.Response(status=upstream.status, headers=headers)

    response = web.StreamResponse(
        status=upstream.status, reason=upstream.reason, headers=headers
    )
    await response.prepare(request)
    try:
        async for data, _ in upstream.content.iter_chunks():
            await response.write(data)
        await response.write_eof()
    except (aiohttp.ClientError, TimeoutError) as err:
        # The add-on broke off (it stopped, or fell silent past READ_TIMEOUT): the
        # answer ends here.
        _LOGGER.debug(
            "The MCP Server add-on's answer to %s broke off: %s", request.path, err
        )
    except ConnectionResetError:
        # The client went away.
        pass
    return response
