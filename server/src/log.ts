/**
 * One-line logs in the add-on log style (`2026-11-23 20:00:00 INFO: message key=value`). Values of keys
 * that look secret are replaced, so a token passed by mistake never reaches the log.
 */
import type { LogLevel } from './options.js';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warning: 30, error: 40 };
const SECRET_KEY = /token|secret|password|authorization|cookie|api[-_]?key|code_verifier/i;

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warning(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  setLevel(level: LogLevel): void;
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'string') return /^[\w.:/@-]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? 'undefined';
}

export function formatFields(fields: LogFields | undefined): string {
  if (!fields) return '';
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}=${SECRET_KEY.test(key) ? '[redacted]' : formatValue(value)}`)
    .join('');
}

export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stdout.write(line + '\n')
): Logger {
  let threshold = ORDER[level];
  const log = (at: LogLevel) => (message: string, fields?: LogFields) => {
    if (ORDER[at] < threshold) return;
    const time = new Date().toISOString().replace('T', ' ').slice(0, 19);
    write(`${time} ${at.toUpperCase()}: ${message}${formatFields(fields)}`);
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warning: log('warning'),
    error: log('error'),
    setLevel(next) {
      threshold = ORDER[next];
    },
  };
}
