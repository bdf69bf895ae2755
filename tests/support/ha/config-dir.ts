/**
 * Seeds a Home Assistant config directory for a headless, loopback-only test instance, as a real home's:
 * `default_config:` and the automation, script and scene includes HA writes into a new install's
 * configuration.yaml, plus what the tests need (the demo, a template lock, scripts with fields, a
 * short-lived recorder, the logger levels the harness reads, a fixed place and time zone).
 *
 * `default_config:` in 2026.11 loads assist_pipeline, bluetooth, cloud, conversation, dhcp, energy, file,
 * go2rtc, history, homeassistant_alerts, logbook, media_source, mobile_app, my, ssdp, stream, sun,
 * usage_prediction, usb, webhook and zeroconf (and, through them, api, config, frontend, onboarding,
 * person, recorder, search, system_log, ...). All of them start here, headless and without internet
 * beyond PyPI; what they cannot do they only log: no ffmpeg, no libturbojpeg, no libpcap for dhcp, no
 * DNS for homeassistant_alerts (and for met.no and radio_browser, which onboarding adds). go2rtc
 * does nothing outside Docker unless configured; bluetooth finds no adapter. None is disabled.
 * Their requirements (openai, av, aiodhcpwatcher, go2rtc-client, ...) are installed by the warm-up start
 * (warm-up.ts), which is keyed by this configuration.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export const TIME_ZONE = 'Europe/Amsterdam';

const configuration = `# Written by the ha-mcp test harness.
homeassistant:
  name: Demo Home
  unit_system: metric
  currency: EUR
  country: NL
  language: en
  time_zone: ${TIME_ZONE}
  latitude: 52.3731
  longitude: 4.8922
  elevation: 0

# Loads default set of integrations. Do not remove.
default_config:

automation: !include automations.yaml
script: !include scripts.yaml
scene: !include scenes.yaml

# The demo integration's YAML setup imports its config entry: lights, covers, climate, fans, locks,
# media players, sensors and more, each on a device.
demo:

# One day of history, committed every 5 s.
recorder:
  purge_keep_days: 1
  commit_interval: 5

# A lock with a registry entry (the demo's locks have none), so it can have an area and an alias.
template:
  - lock:
      - name: Back Door
        unique_id: ha_mcp_demo_back_door
        optimistic: true
        lock: []
        unlock: []

logger:
  default: warning
  logs:
    homeassistant.bootstrap: info
    homeassistant.setup: info
`;

/** Scripts with fields: the Assist API turns each exposed one into a tool with a JSON schema. */
const scripts = `# Written by the ha-mcp test harness.
good_night:
  alias: Good night
  description: Turns off the living room lights and locks the front door.
  sequence:
    - action: light.turn_off
      target:
        entity_id: light.living_room_rgbww_lights
    - action: lock.lock
      target:
        entity_id: lock.front_door

set_living_room_mood:
  alias: Set living room mood
  description: Sets the living room lights to a mood at a brightness.
  fields:
    mood:
      name: Mood
      description: The mood to set.
      required: true
      selector:
        select:
          options: [relax, focus, party]
    brightness:
      name: Brightness
      description: Brightness in percent.
      selector:
        number:
          min: 1
          max: 100
  sequence:
    - action: light.turn_on
      target:
        entity_id: light.living_room_rgbww_lights
      data:
        brightness_pct: "{{ brightness | default(60) }}"

announce:
  alias: Announce
  description: Announces a message on the kitchen speaker.
  fields:
    message:
      description: What to say.
      required: true
      selector:
        text:
  sequence:
    - action: media_player.volume_set
      target:
        entity_id: media_player.kitchen
      data:
        volume_level: 0.5

vacation_mode:
  alias: Vacation mode
  description: Switches everything off for a holiday.
  sequence:
    - action: switch.turn_off
      target:
        entity_id: switch.decorative_lights
`;

/** Where HA serves: an address other than loopback, over TLS with the certificate in `tls/` when asked. */
export interface HttpSettings {
  host?: string;
  tls?: { cert: string; key: string };
  /** Where HA sees the config directory (runtime.ts's configPath), for the certificate's paths. */
  configPath?: string;
  /** Ban an address at this many failed logins (`ip_ban_enabled`, `login_attempts_threshold`); default off. */
  banThreshold?: number;
}

/**
 * HA 2026.8+ keeps its HTTP settings in `.storage/http` (a YAML `http:` block starts a pending trial that
 * reverts and restarts HA five minutes later). Written before the first start; the port is rewritten if
 * a later start needs another one.
 */
function httpStore(port: number, http: HttpSettings) {
  return {
    version: 3,
    minor_version: 1,
    key: 'http',
    data: {
      stable: {
        server_host: [http.host ?? '127.0.0.1'],
        server_port: port,
        ...(http.tls && {
          ssl_certificate: `${http.configPath}/tls/cert.pem`,
          ssl_key: `${http.configPath}/tls/key.pem`,
        }),
        cors_allowed_origins: [],
        use_x_forwarded_for: false,
        login_attempts_threshold: http.banThreshold ?? -1,
        ip_ban_enabled: http.banThreshold !== undefined,
        ssl_profile: 'intermediate_v6',
        use_x_frame_options: true,
        created_at: new Date().toISOString(),
        error: null,
        error_message: null,
      },
      pending: null,
      yaml_migration_done: true,
    },
  };
}

/**
 * Names this configuration (a short hash of the files seedConfigDir writes): an install warmed up for one
 * configuration may lack the requirements of the integrations another one loads.
 */
export function configKey(): string {
  return createHash('sha256').update(configuration).update(scripts).digest('hex').slice(0, 12);
}

/**
 * Writes a new configuration (or keeps the one there), the HTTP settings and the certificate.
 * `extraScripts` is YAML appended to a new configuration's scripts.yaml (same integrations, so the same
 * warm-up).
 */
export function seedConfigDir(dir: string, port: number, http: HttpSettings = {}, extraScripts = ''): void {
  mkdirSync(join(dir, '.storage'), { recursive: true });
  if (!existsSync(join(dir, 'configuration.yaml'))) {
    writeFileSync(join(dir, 'configuration.yaml'), configuration);
    writeFileSync(join(dir, 'scripts.yaml'), `${scripts}${extraScripts}`);
    // As HA writes them for a new install: no automations, no scenes.
    writeFileSync(join(dir, 'automations.yaml'), '[]');
    writeFileSync(join(dir, 'scenes.yaml'), '');
  }
  if (http.tls) {
    mkdirSync(join(dir, 'tls'), { recursive: true });
    writeFileSync(join(dir, 'tls', 'cert.pem'), http.tls.cert);
    writeFileSync(join(dir, 'tls', 'key.pem'), http.tls.key, { mode: 0o600 });
  }
  writeFileSync(join(dir, '.storage', 'http'), JSON.stringify(httpStore(port, http), null, 2));
}

/** The port a config directory was last started on, if it has one. */
export function configuredPort(dir: string): number | undefined {
  try {
    const store = JSON.parse(readFileSync(join(dir, '.storage', 'http'), 'utf8'));
    const port = store?.data?.stable?.server_port;
    return typeof port === 'number' ? port : undefined;
  } catch {
    return undefined;
  }
}
