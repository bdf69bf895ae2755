# MCP Server for Home Assistant: two stages on the same Home Assistant base image, so the native module
# built in the first (better-sqlite3) matches the musl and Node of the second.
ARG BUILD_FROM=ghcr.io/home-assistant/base:3.23

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

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
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
