/**
 * Request-log rows as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma,
 * a quote or a line break, quotes doubled). Arguments and errors come from MCP clients, so a text cell that
 * a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is prefixed
 * with an apostrophe, as OWASP advises; numbers are written as numbers.
 */
import type { LoggedRequest } from '../store/log-entry.js';

export const CSV_COLUMNS = [
  'id',
  'time',
  'address',
  'userId',
  'userName',
  'auth',
  'clientName',
  'clientVersion',
  'userAgent',
  'protocolVersion',
  'method',
  'target',
  'arguments',
  'outcome',
  'httpStatus',
  'errorCode',
  'error',
  'latencyMs',
  'responseBytes',
  'approval',
  'approvalChannel',
  'approvalBy',
  'approvalMs',
] as const satisfies readonly (keyof LoggedRequest)[];

/** Opens the file: a byte-order mark (so spreadsheet programs read UTF-8 as UTF-8) and the header row. */
export const CSV_HEADER = '\ufeff' + CSV_COLUMNS.join(',') + '\r\n';

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row, time as an ISO date (what a spreadsheet reads), ending with CRLF. */
export function csvRow(row: LoggedRequest): string {
  return (
    CSV_COLUMNS.map((column) =>
      column === 'time' ? new Date(row.time).toISOString() : csvCell(row[column])
    ).join(',') + '\r\n'
  );
}
