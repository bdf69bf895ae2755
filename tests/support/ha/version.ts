/** The Home Assistant release every test, the benchmark and the demo run against. */
export const HA_VERSION = '2026.11.0';
