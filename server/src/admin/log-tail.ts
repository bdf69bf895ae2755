/**
 * The live request log as Server-Sent Events: each row the store commits (and the filter matches) is sent
 * as it comes.
 *
 * (event names and data: contract.ts `LogTailEvents`)
 *   event: ready    data: {}                      once, at once: the subscription is in place
 *   event: row      data: <a LoggedRequest>       id: the row's id
 *   event: gap      data: { "dropped": n }        rows left out because the client read too slowly
 *   : keep-alive                                  a comment every keepAliveMs, so proxies keep it open
 *
 * `X-Accel-Buffering: no` asks proxies (and the Supervisor's ingress) not to hold events back, but not every
 * one listens: Home Assistant's ingress compressed event streams until Core 2026.3 (core#160704), and the
 * compressor held events back until kilobytes had piled up or the stream ended. `ready` is a named event, not a comment (EventSource shows
 * comments to no one), sent before anything else: a panel that has not had it within a few seconds knows the
 * stream is held back on the way and polls the log instead (ui/src/data/logs.ts). The stream
 * unsubscribes when the client goes away or the listener stops. A client that stops reading cannot make
 * the server queue without bound: past `maxQueued` events, rows are counted and dropped, then reported.
 */
import type { LiveTail } from '../store/live-tail.js';
import type { LoggedRequest } from '../store/log-entry.js';
import type { LogFilter } from '../store/queries.js';
import type { LogTailEvents } from './contract.js';
import { eventStreamResponse, sseEvent } from './event-stream.js';
import { rowMatches } from './log-filter.js';

export interface TailOptions {
  keepAliveMs?: number;
  maxQueued?: number;
  signal?: AbortSignal;
}

/** One event as SSE text, its data shaped as the contract says. */
const event = <K extends keyof LogTailEvents>(name: K, data: LogTailEvents[K], id?: number) =>
  sseEvent(name, data, id);

export function tailResponse(
  tail: Pick<LiveTail, 'subscribe'>,
  filter: LogFilter,
  options: TailOptions
): Response {
  return eventStreamResponse({
    ...options,
    open(sink) {
      let dropped = 0;
      return tail.subscribe((row: LoggedRequest) => {
        if (sink.closed || !rowMatches(row, filter)) return;
        if (sink.room <= 0) {
          dropped++;
          return;
        }
        if (dropped) {
          sink.send(event('gap', { dropped }));
          dropped = 0;
        }
        sink.send(event('row', row, row.id));
      });
    },
  });
}
