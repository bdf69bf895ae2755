/**
 * Counts tokens in a worker thread, started on the first count and stopped after a minute without one: the
 * tokenizer's vocabulary (tens of megabytes, token-cost-tokenizer.ts) is loaded only while the panel is
 * asking, and counting a home of thousands of entities never blocks the server's event loop.
 *
 * The thread's code is the few lines of `THREAD` below, so it runs the same from source (under tsx) and
 * built; it imports the tokenizer by the file this module resolves. A thread that fails or exits fails the
 * counts it owed; the next count starts a new one.
 */
import { Worker } from 'node:worker_threads';

interface CountRequest {
  id: number;
  texts: string[];
}

interface CountAnswer {
  id: number;
  counts: number[];
}

/**
 * The thread: `{ id, texts }` in, `{ id, counts }` out, one count per text. Text that happens to spell a
 * special token (`<|endoftext|>`) is counted as the text it is, as a model's API counts a user's text.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const tokenizer = import(workerData.tokenizer);
const asText = { disallowedSpecial: new Set() };
parentPort.on('message', async ({ id, texts }) => {
  const { countTokens } = await tokenizer;
  parentPort.postMessage({ id, counts: texts.map((t) => (t === '' ? 0 : countTokens(t, asText))) });
});
`;

export interface CountsTokens {
  /** One count per text, in order. */
  count(texts: string[]): Promise<number[]>;
}

export interface TokenCounterOptions {
  /** How long the thread stays after its last count (default 60 s). */
  idleMs?: number;
  /** Told each time a thread has ended, for whatever reason. */
  onEnded?: () => void;
}

interface Owed {
  resolve: (counts: number[]) => void;
  reject: (err: Error) => void;
}

export class TokenCounter implements CountsTokens {
  private worker: Worker | undefined;
  private readonly owed = new Map<number, Owed>();
  private lastId = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: TokenCounterOptions = {}) {}

  /** Whether the thread is running now (for tests and the bench). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  count(texts: string[]): Promise<number[]> {
    if (texts.length === 0) return Promise.resolve([]);
    clearTimeout(this.idleTimer);
    const worker = this.start();
    // While counts are owed the thread keeps the process alive; idle, it never does.
    worker.ref();
    const id = ++this.lastId;
    return new Promise<number[]>((resolve, reject) => {
      this.owed.set(id, { resolve, reject });
      worker.postMessage({ id, texts } satisfies CountRequest);
    });
  }

  /** Stops the thread now; counts still owed fail. */
  async stop(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    if (!worker) return;
    this.forget(worker, new Error('the token counter was stopped'));
    await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(THREAD, {
      eval: true,
      execArgv: [],
      workerData: { tokenizer: import.meta.resolve('gpt-tokenizer/encoding/o200k_base') },
    });
    worker.on('message', ({ id, counts }: CountAnswer) => {
      const owed = this.owed.get(id);
      this.owed.delete(id);
      owed?.resolve(counts);
      if (this.owed.size === 0) this.idle(worker);
    });
    worker.on('error', (err) => this.forget(worker, err));
    worker.on('exit', (code) => {
      this.forget(worker, new Error(`the token counter exited (code ${code})`));
      this.options.onEnded?.();
    });
    this.worker = worker;
    return worker;
  }

  private idle(worker: Worker): void {
    worker.unref();
    this.idleTimer = setTimeout(() => void this.stop(), this.options.idleMs ?? 60_000);
    this.idleTimer.unref();
  }

  /** The thread is gone (or going): what it owed fails, and the next count starts another. */
  private forget(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const owed of this.owed.values()) owed.reject(err);
    this.owed.clear();
  }
}
