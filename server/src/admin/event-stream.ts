/**
 * The panel's live streams (the request log's tail, the calls waiting for approval) as Server-Sent Events,
 * with what both need: `retry`, a named `ready` event sent before anything else (a panel that has not had it
 * within a few seconds knows the stream is held back on the way, as Home Assistant's ingress did before
 * Core 2026.3, and polls instead), a keep-alive comment while the client keeps up, and an end when the
 * client goes away or the listener stops. What each stream sends is its own (`open`).
 */

export interface EventSink {
  /** Queues SSE text for the client. */
  send(text: string): void;
  /** Events the client has room for before it falls behind (the stream's queue, by count). */
  readonly room: number;
  /** Whether the stream has ended: nothing more is sent. */
  readonly closed: boolean;
}

export interface EventStreamOptions {
  keepAliveMs?: number;
  /** Events held for a slow client; past it, `room` is 0 (the stream decides what to leave out). */
  maxQueued?: number;
  /** Aborted when the listener stops. */
  signal?: AbortSignal;
  /** Starts sending, right after `ready`; returns what stops it (an unsubscribe). */
  open(sink: EventSink): () => void;
}

const encoder = new TextEncoder();

/** One event as SSE text. */
export const sseEvent = (name: string, data: unknown, id?: number) =>
  `${id === undefined ? '' : `id: ${id}\n`}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

export function eventStreamResponse(options: EventStreamOptions): Response {
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let closed = false;
        const sink: EventSink = {
          send: (text) => controller.enqueue(encoder.encode(text)),
          get room() {
            return controller.desiredSize ?? 0;
          },
          get closed() {
            return closed;
          },
        };
        const keepAlive = setInterval(() => {
          if (sink.room > 0) sink.send(': keep-alive\n\n');
        }, keepAliveMs);
        keepAlive.unref();
        const onAbort = () => {
          stop();
          try {
            controller.close();
          } catch {
            // already closed or errored
          }
        };
        let unsubscribe = () => {};
        stop = () => {
          if (closed) return;
          closed = true;
          unsubscribe();
          clearInterval(keepAlive);
          options.signal?.removeEventListener('abort', onAbort);
        };
        options.signal?.addEventListener('abort', onAbort, { once: true });
        sink.send('retry: 5000\n' + sseEvent('ready', {}));
        unsubscribe = options.open(sink);
        if (options.signal?.aborted) onAbort();
      },
      cancel() {
        stop();
      },
    },
    new CountQueuingStrategy({ highWaterMark: options.maxQueued ?? 1_000 })
  );
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    },
  });
}
