#!/usr/bin/with-contenv bashio
# shellcheck shell=bash
# Starts the server in the add-on container. with-contenv passes SUPERVISOR_TOKEN; the server reads
# /data/options.json itself, so options have one parser and one set of error messages.
set -e

bashio::log.info "Starting MCP Server for Home Assistant (log level $(bashio::config 'log_level'))"
cd /app
# Node's flags: server/src/node-flags.ts says why (a test keeps the two in step).
exec node --optimize-for-size /app/server/dist/main.js
