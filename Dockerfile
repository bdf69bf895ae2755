# MCP Server for Home Assistant: two stages on the same Home Assistant base image, so the native module
# built in the first (better-sqlite3) matches the musl and Node of the second.
# The base is pinned to a dated release of home-assistant/docker-base (<alpine>-<release>: Alpine 3.24, the
# newest line, release 2026.10.0), so a rebuild gets the same image; build.yaml names the same tag per arch.
ARG BUILD_FROM=ghcr.io/home-assistant/base:3.24-2026.10.0

FROM ${BUILD_FROM} AS build
# Node from Alpine's packages; build-base and python3 for node-gyp (musl prebuilds are not always there).
RUN apk add --no-cache nodejs npm build-base python3 bash
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN bash scripts/build-addon.sh /app

FROM ${BUILD_FROM}
RUN apk add --no-cache nodejs
COPY --from=build /app /app
COPY run.sh /run.sh
RUN chmod a+x /run.sh
# s6-overlay (the base image's init) kills the server this long after the stop signal, 3 s by default: the
# server's stop (server/src/stop-budget.ts: drain, checkpoint, flush the request log) fits inside it, and it
# inside the Supervisor's 10 s stop timeout.
ENV S6_KILL_GRACETIME=7000

# curl comes with the base image. While starting, the check runs every 2 s (--start-interval), so the add-on
# shows healthy seconds after it listens instead of "starting" until the first 30 s tick. The flag needs
# Docker 25 or newer to build (Home Assistant OS ships newer; Docker 24's builder rejects it).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --start-interval=2s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8099/healthz || exit 1

ARG BUILD_ARCH
ARG BUILD_VERSION
LABEL \
  io.hass.name="MCP Server" \
  io.hass.description="MCP endpoint and admin panel for Home Assistant" \
  io.hass.type="app" \
  io.hass.arch="${BUILD_ARCH}" \
  io.hass.version="${BUILD_VERSION}" \
  org.opencontainers.image.title="MCP Server for Home Assistant" \
  org.opencontainers.image.licenses="Apache-2.0"

CMD ["/run.sh"]
