/**
 * @module
 * The one bound on request bodies at the public doors (the MCP endpoints, the legacy SSE pair, OAuth and its
 * discovery documents), in front of anything that reads or parses them. It is Hono's `bodyLimit`: a body
 * that declares its length is judged by the header before a byte is read (Node never delivers more than
 * the declared length); a chunked body is counted as it streams in and refused at the first byte over the
 * limit, holding at most `maxBytes` meanwhile. What a refused client still sends is not buffered:
 * @hono/node-server drains an unread body for a moment and then closes the connection. A body that breaks
 * off while it is counted (the client went away, a malformed chunk) is the client's failure, not the
 * server's: answered as the door answers a body it cannot parse, never as a 500.
 */
import type { Context, Env, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export interface BodyLimitOptions<E extends Env> {
  /** The largest body accepted, in bytes (0: none at all). */
  maxBytes: number;
  /** The refusal in the door's own words (an OAuth error, a JSON-RPC error, HA's plain text): thrown or returned. */
  refuse(c: Context<E>, maxBytes: number): Response | Promise<Response>;
  /** The answer to a body that broke off while it was read (a 400 in the door's words): thrown or returned. */
  unreadable(c: Context<E>): Response | Promise<Response>;
}

/**
 * @param options.maxBytes - the largest body accepted
 * @param options.refuse - answers a body over the limit (413 by convention)
 * @param options.unreadable - answers a body that could not be read to its end
 * @returns {MiddlewareHandler}
 * @throws {Error} when `maxBytes` is not a whole number of bytes
 * @example
 * app.use('/oauth/*', limitBody({ maxBytes: 8192, refuse: () => tooLarge(), unreadable: () => cannotRead() }))
 */
export const limitBody = <E extends Env = Env>(options: BodyLimitOptions<E>): MiddlewareHandler<E> => {
  const { maxBytes, refuse, unreadable } = options;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new Error(`a body limit is a whole number of bytes, not ${maxBytes}`);
  }
  return async function limitBody(c, next) {
    // What threw: counting the body, the refusal, or what comes after; only the first is ours to answer.
    let stage: 'reading' | 'refused' | 'passed' = 'reading';
    const limit = bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        stage = 'refused';
        return refuse(c, maxBytes);
      },
    });
    try {
      return await limit(c as Context, () => {
        stage = 'passed';
        return next();
      });
    } catch (err) {
      if (stage !== 'reading') throw err;
      return unreadable(c);
    }
  };
};
