/**
 * The body limit every public door has (server/src/http/body-limit.ts): a declared length over the limit
 * is refused before a byte is read, a body without one is counted as it comes and no more than the limit
 * is read, a body under the limit reaches the handler whole, a body that breaks off is the door's 400, and
 * a failure after the body passed is not mistaken for one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { limitBody } from '../../server/src/http/body-limit.js';

const LIMIT = 1024;

function app(maxBytes = LIMIT) {
  const app = new Hono();
  app.onError((err, c) => c.text(`error: ${err.message}`, 500));
  app.use(
    '*',
    limitBody({
      maxBytes,
      refuse: (c, max) => c.text(`over ${max}`, 413),
      unreadable: (c) => c.text('unreadable', 400),
    })
  );
  app.post('/echo', async (c) => c.text(await c.req.text()));
  app.post('/fails', async (c) => {
    await c.req.text();
    throw new Error('the handler failed');
  });
  return app;
}

/** A body of `chunks` chunks of `size` bytes (endless when `chunks` is Infinity), counting what was read. */
function streamed(chunks: number, size = 256) {
  const read = { bytes: 0 };
  let left = chunks;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left-- <= 0) return controller.close();
      read.bytes += size;
      controller.enqueue(new Uint8Array(size).fill(0x62));
    },
  });
  return { body, read };
}

const post = (path: string, body: ReadableStream | string, headers: Record<string, string> = {}) =>
  new Request(`http://localhost${path}`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);

describe('the body limit', () => {
  it('refuses a declared length over the limit without reading the body', async () => {
    const { body, read } = streamed(Infinity);
    const res = await app().request(post('/echo', body, { 'content-length': String(LIMIT + 1) }));
    assert.equal(res.status, 413);
    assert.equal(await res.text(), `over ${LIMIT}`);
    assert.ok(read.bytes <= 256, `read ${read.bytes} bytes`);
  });

  it('counts a body without a declared length and stops reading at the first chunk over the limit', async () => {
    const { body, read } = streamed(Infinity);
    const res = await app().request(post('/echo', body));
    assert.equal(res.status, 413);
    assert.ok(read.bytes <= LIMIT + 2 * 256, `read ${read.bytes} bytes of an endless body`);
  });

  it('hands a body up to the limit to the handler whole, declared or not', async () => {
    const { body } = streamed(LIMIT / 256);
    const res = await app().request(post('/echo', body));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'b'.repeat(LIMIT));
    const declared = await app().request(
      post('/echo', 'a'.repeat(LIMIT), { 'content-length': String(LIMIT) })
    );
    assert.equal(await declared.text(), 'a'.repeat(LIMIT));
  });

  it('answers a body that breaks off as unreadable', async () => {
    const broken = new ReadableStream({
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    const res = await app().request(post('/echo', broken));
    assert.equal(res.status, 400);
    assert.equal(await res.text(), 'unreadable');
  });

  it('leaves a failure after the body passed to the app’s error handler', async () => {
    const { body } = streamed(2);
    const res = await app().request(post('/fails', body));
    assert.equal(res.status, 500);
    assert.equal(await res.text(), 'error: the handler failed');
  });

  it('lets what the handler throws past it, even a value Hono does not take for an error', async () => {
    const odd = app();
    odd.post('/odd', async (c) => {
      await c.req.text();
      throw 'not an Error';
    });
    await assert.rejects(
      Promise.resolve(odd.request(post('/odd', streamed(2).body))),
      (thrown: unknown) => thrown === 'not an Error'
    );
  });

  it('leaves a refusal that throws to the app’s error handler, not as unreadable', async () => {
    const throwing = new Hono();
    throwing.onError((err, c) => c.text(`error: ${err.message}`, 413));
    throwing.use(
      '*',
      limitBody({
        maxBytes: 1,
        refuse: () => {
          throw new Error('too large');
        },
        unreadable: (c) => c.text('unreadable', 400),
      })
    );
    throwing.post('/', (c) => c.text('ok'));
    for (const headers of [{}, { 'content-length': '2' }] as Record<string, string>[]) {
      const res = await throwing.request(post('/', 'ab', headers));
      assert.equal(await res.text(), 'error: too large', JSON.stringify(headers));
    }
  });

  it('with a limit of 0 takes requests without a body and refuses any body', async () => {
    const none = app(0);
    none.get('/doc', (c) => c.text('doc'));
    assert.equal(await (await none.request('/doc')).text(), 'doc');
    assert.equal((await none.request(post('/echo', ''))).status, 200);
    assert.equal((await none.request(post('/echo', 'x'))).status, 413);
  });

  it('refuses a limit that is not a whole number of bytes when it is made', () => {
    for (const maxBytes of [-1, 1.5, Number.NaN, Infinity]) {
      assert.throws(
        () => limitBody({ maxBytes, refuse: (c) => c.text(''), unreadable: (c) => c.text('') }),
        /a body limit is a whole number of bytes/
      );
    }
  });
});
