/**
 * The Assist API's intent tools, as Home Assistant 2026.11 offers them over MCP (verified against HA's own
 * `tools/list` in tests/ha/side-by-side.test.ts): intent, owning domain (the name prefix from 2026.9),
 * title, annotations, slot schema, and the domains whose exposed entities make HA offer it (`platforms`;
 * none means always). Names, schemas and annotations are interfaces and match HA's; the descriptions are
 * this project's own words.
 */
import type { JsonSchemaObject, ToolAnnotations } from '../api.js';

export interface IntentSpec {
  intent: string;
  owner: string;
  title: string;
  description: string;
  annotations: ToolAnnotations;
  inputSchema: JsonSchemaObject;
  platforms?: string[];
}

const TURN_DEVICE_CLASSES = [
  'identify',
  'restart',
  'update',
  'awning',
  'blind',
  'curtain',
  'damper',
  'door',
  'garage',
  'gate',
  'shade',
  'shutter',
  'window',
  'tv',
  'speaker',
  'receiver',
  'projector',
  'outlet',
  'switch',
  'water',
  'gas',
];
const POSITION_DEVICE_CLASSES = [
  'awning',
  'blind',
  'curtain',
  'damper',
  'door',
  'garage',
  'gate',
  'shade',
  'shutter',
  'window',
  'water',
  'gas',
];
const MEDIA_DEVICE_CLASSES = ['tv', 'speaker', 'receiver', 'projector'];

const str = { type: 'string' };

/** The slots every targeting intent takes: name, area, floor, domain and (optionally) device class. */
function targets(options: { domains?: string[]; deviceClasses?: string[] } = {}): Record<string, unknown> {
  const domainItems = options.domains ? { type: 'string', enum: options.domains } : str;
  return {
    name: str,
    area: str,
    floor: str,
    domain: { type: 'array', items: domainItems },
    ...(options.deviceClasses
      ? { device_class: { type: 'array', items: { type: 'string', enum: options.deviceClasses } } }
      : {}),
  };
}

const nameAreaFloor = { name: str, area: str, floor: str };

function schema(properties: Record<string, unknown>, required?: string[]): JsonSchemaObject {
  return { type: 'object', properties, ...(required ? { required } : {}) };
}

const action = (idempotent: boolean, destructive = true): ToolAnnotations => ({
  readOnlyHint: false,
  destructiveHint: destructive,
  idempotentHint: idempotent,
  openWorldHint: false,
});

const percent = (description?: string) => ({
  allOf: [{ type: 'integer' }, { type: 'number', minimum: 0, maximum: 100 }],
  ...(description ? { description } : {}),
});

const media = (
  intent: string,
  title: string,
  description: string,
  idempotent: boolean,
  extra: Record<string, unknown> = {},
  required?: string[]
): IntentSpec => ({
  intent,
  owner: 'media_player',
  title,
  description,
  annotations: action(idempotent),
  inputSchema: schema(
    { ...targets({ domains: ['media_player'], deviceClasses: MEDIA_DEVICE_CLASSES }), ...extra },
    required
  ),
  platforms: ['media_player'],
});

const listItem = (intent: string, title: string, description: string, destructive: boolean): IntentSpec => ({
  intent,
  owner: 'todo',
  title,
  description,
  annotations: action(false, destructive),
  inputSchema: schema({ item: str, name: str }, ['item', 'name']),
  platforms: ['todo'],
});

export const INTENTS: IntentSpec[] = [
  {
    intent: 'HassTurnOn',
    owner: 'intent',
    title: 'Turn on',
    description:
      'Switches on, opens or starts devices, and locks locks. Target them by name, or by area and domain.',
    annotations: action(false),
    inputSchema: schema(targets({ deviceClasses: TURN_DEVICE_CLASSES })),
  },
  {
    intent: 'HassTurnOff',
    owner: 'intent',
    title: 'Turn off',
    description:
      'Switches off, closes or stops devices, and unlocks locks. Target them by name, or by area and domain.',
    annotations: action(true),
    inputSchema: schema(targets({ deviceClasses: TURN_DEVICE_CLASSES })),
  },
  {
    intent: 'HassSetPosition',
    owner: 'intent',
    title: 'Set position',
    description: 'Moves a cover or valve to a position from 0 (closed) to 100 (open).',
    annotations: action(true),
    inputSchema: schema({ ...targets({ deviceClasses: POSITION_DEVICE_CLASSES }), position: percent() }, [
      'position',
    ]),
  },
  {
    intent: 'HassStopMoving',
    owner: 'intent',
    title: 'Stop moving',
    description: 'Stops a cover or valve that is moving.',
    annotations: action(true),
    inputSchema: schema(targets({ deviceClasses: POSITION_DEVICE_CLASSES })),
  },
  {
    intent: 'HassCancelAllTimers',
    owner: 'intent',
    title: 'Cancel all timers',
    description: 'Cancels every running timer, optionally only those in one area.',
    annotations: action(true),
    inputSchema: schema({ area: str }),
  },
  {
    intent: 'HassBroadcast',
    owner: 'assist_satellite',
    title: 'Broadcast message',
    description: 'Announces a message on the voice satellites in the home.',
    annotations: action(false, false),
    inputSchema: schema({ message: str }, ['message']),
  },
  {
    intent: 'HassClimateSetTemperature',
    owner: 'climate',
    title: 'Set temperature',
    description: 'Sets the target temperature of a thermostat or climate device.',
    annotations: action(true),
    inputSchema: schema({ temperature: { type: 'number' }, ...nameAreaFloor }, ['temperature']),
    platforms: ['climate'],
  },
  {
    intent: 'HassFanSetSpeed',
    owner: 'fan',
    title: 'Set fan speed',
    description: 'Sets how fast a fan turns, as a percentage.',
    annotations: action(true),
    inputSchema: schema(
      { ...targets({ domains: ['fan'] }), percentage: percent('Fan speed in percent, from 0 to 100.') },
      ['percentage']
    ),
    platforms: ['fan'],
  },
  {
    intent: 'HassHumidifierSetpoint',
    owner: 'humidifier',
    title: 'Set humidity',
    description: 'Sets the target humidity of a humidifier, in percent.',
    annotations: action(true),
    inputSchema: schema({ name: str, humidity: { type: 'integer', minimum: 0, maximum: 100 } }, [
      'name',
      'humidity',
    ]),
    platforms: ['humidifier'],
  },
  {
    intent: 'HassHumidifierMode',
    owner: 'humidifier',
    title: 'Set humidifier mode',
    description: 'Switches a humidifier to one of its modes.',
    annotations: action(true),
    inputSchema: schema({ name: str, mode: str }, ['name', 'mode']),
    platforms: ['humidifier'],
  },
  {
    intent: 'HassLightSet',
    owner: 'light',
    title: 'Set light',
    description: 'Changes the brightness, colour or colour temperature of lights.',
    annotations: action(true),
    inputSchema: schema({
      ...targets({ domains: ['light'] }),
      color: str,
      temperature: { type: 'integer', minimum: 0 },
      brightness: {
        type: 'integer',
        minimum: 0,
        maximum: 100,
        description: 'Brightness in percent: 0 is off, 100 is as bright as the light goes.',
      },
    }),
    platforms: ['light'],
  },
  media('HassMediaUnpause', 'Resume media', 'Resumes playback on a media player.', false),
  media('HassMediaPause', 'Pause media', 'Pauses playback on a media player.', true),
  media('HassMediaNext', 'Next track', 'Skips to the next item on a media player.', false),
  media('HassMediaPrevious', 'Previous track', 'Goes back to the previous item on a media player.', false),
  media(
    'HassSetVolume',
    'Set volume',
    'Sets the volume of a media player, in percent.',
    true,
    {
      volume_level: {
        type: 'integer',
        minimum: 0,
        maximum: 100,
        description: 'Volume in percent, from 0 to 100.',
      },
    },
    ['volume_level']
  ),
  {
    intent: 'HassSetVolumeRelative',
    owner: 'media_player',
    title: 'Change volume',
    description: 'Turns the volume of a media player up or down, by a step or a percentage.',
    annotations: action(false),
    inputSchema: schema(
      {
        volume_step: {
          anyOf: [
            { type: 'string', enum: ['down', 'up'] },
            { type: 'integer', minimum: -100, maximum: 100 },
          ],
        },
        ...nameAreaFloor,
      },
      ['volume_step']
    ),
    platforms: ['media_player'],
  },
  media('HassMediaPlayerMute', 'Mute player', 'Mutes a media player.', true, {
    is_volume_muted: { description: 'True to mute, false to unmute.' },
  }),
  media('HassMediaPlayerUnmute', 'Unmute player', 'Unmutes a media player.', true, {
    is_volume_muted: { description: 'True to mute, false to unmute.' },
  }),
  listItem('HassListAddItem', 'Add to-do list item', 'Adds an item to a to-do list.', false),
  listItem(
    'HassListCompleteItem',
    'Complete to-do list item',
    'Marks an item on a to-do list as done.',
    true
  ),
  listItem('HassListRemoveItem', 'Remove to-do list item', 'Removes an item from a to-do list.', true),
  {
    intent: 'HassVacuumStart',
    owner: 'vacuum',
    title: 'Start vacuum',
    description: 'Starts a robot vacuum cleaning.',
    annotations: action(false),
    inputSchema: schema(targets({ domains: ['vacuum'] })),
    platforms: ['vacuum'],
  },
  {
    intent: 'HassVacuumReturnToBase',
    owner: 'vacuum',
    title: 'Return vacuum to base',
    description: 'Sends a robot vacuum back to its dock.',
    annotations: action(false),
    inputSchema: schema(targets({ domains: ['vacuum'] })),
    platforms: ['vacuum'],
  },
  {
    intent: 'HassVacuumCleanArea',
    owner: 'vacuum',
    title: 'Clean area',
    description: 'Sends a robot vacuum to clean one area.',
    annotations: action(false),
    inputSchema: schema({ area: str, name: str }, ['area']),
    platforms: ['vacuum'],
  },
  {
    intent: 'HassLawnMowerStartMowing',
    owner: 'lawn_mower',
    title: 'Start mowing',
    description: 'Starts a robot lawn mower.',
    annotations: action(false),
    inputSchema: schema(targets({ domains: ['lawn_mower'] })),
    platforms: ['lawn_mower'],
  },
  {
    intent: 'HassLawnMowerDock',
    owner: 'lawn_mower',
    title: 'Dock lawn mower',
    description: 'Sends a robot lawn mower back to its dock.',
    annotations: action(false),
    inputSchema: schema(targets({ domains: ['lawn_mower'] })),
    platforms: ['lawn_mower'],
  },
];

/** The intents HA offers given the domains that have exposed entities (`platforms` none = always). */
export function offeredIntents(exposedDomains: ReadonlySet<string>): IntentSpec[] {
  return INTENTS.filter((spec) => !spec.platforms || spec.platforms.some((d) => exposedDomains.has(d)));
}
