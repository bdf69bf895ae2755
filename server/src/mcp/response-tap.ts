/**
 * Watches a response go by, for the request log: counts its bytes and keeps the last JSON-RPC response it
 * carries (a JSON body, or the `data:` of SSE events), without holding any byte back from the client.
 */

export interface TappedResponse {
  bytes: number;
  /** The last JSON-RPC response in the body (the answer to the request), if one was seen. */
  message?: unknown;
}

/**
 * JSON bodies larger than this are counted but not parsed: the log needs the outcome, not the answer, and
 * only results grow this large (tool results report their outcome to the record themselves: server.ts).
 */
export const MAX_PARSED_JSON_BYTES = 64 * 1024;

const isResponseMessage = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && 'id' in value && ('result' in value || 'error' in value);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Finds JSON-RPC responses in an SSE stream as it arrives, one event (blank-line separated) at a time. */
class SseWatcher {
  private pending = '';
  last: unknown;

  push(text: string): void {
    this.pending += text;
    const events = this.pending.split(/\r?\n\r?\n/);
    this.pending = events.pop() ?? '';
    for (const event of events) this.event(event);
  }

  end(): void {
    if (this.pending.trim()) this.event(this.pending);
    this.pending = '';
  }

  private event(block: string): void {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (!data) return;
    const message = parseJson(data);
    if (isResponseMessage(message)) this.last = message;
  }
}

/**
 * A whole JSON answer, read at once (the SDK builds it in memory anyway): its size and, when it is small
 * enough to be worth it, the JSON-RPC response it carries. The returned response sends the same bytes.
 */
export async function readJsonAnswer(
  response: Response
): Promise<{ response: Response; seen: TappedResponse }> {
  const body = await response.arrayBuffer();
  const bytes = body.byteLength;
  const message = bytes <= MAX_PARSED_JSON_BYTES ? parseJson(Buffer.from(body).toString('utf8')) : undefined;
  return {
    response: new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    }),
    seen: { bytes, ...(isResponseMessage(message) && { message }) },
  };
}

/** The same response, whose body reports to `done` (once) when it has been read to its end or cancelled. */
export function tapResponse(response: Response, done: (seen: TappedResponse) => void): Response {
  if (!response.body) {
    done({ bytes: 0 });
    return response;
  }
  const type = response.headers.get('content-type') ?? '';
  const sse = type.startsWith('text/event-stream') ? new SseWatcher() : undefined;
  const json = type.startsWith('application/json') ? ([] as Uint8Array[]) : undefined;
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  let bytes = 0;
  let reported = false;

  const report = () => {
    if (reported) return;
    reported = true;
    let message: unknown;
    if (sse) {
      sse.push(decoder.decode());
      sse.end();
      message = sse.last;
    } else if (json && bytes <= MAX_PARSED_JSON_BYTES) {
      message = parseJson(Buffer.concat(json).toString('utf8'));
    }
    done({ bytes, message: isResponseMessage(message) ? message : undefined });
  };

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (ended) {
          report();
          controller.close();
          return;
        }
        bytes += value.byteLength;
        if (sse) sse.push(decoder.decode(value, { stream: true }));
        else if (json && bytes <= MAX_PARSED_JSON_BYTES) json.push(value);
        controller.enqueue(value);
      } catch (err) {
        report();
        controller.error(err);
      }
    },
    cancel(reason) {
      report();
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
