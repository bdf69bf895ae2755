/**
 * A first-in first-out queue of fixed capacity (a ring), where a push into a full queue drops the oldest
 * item: pushing and dropping cost the same whatever the length, so the request path never pays for a
 * backlog. Items are read with peek() and removed with discard() once they are safely written.
 */
export class BoundedQueue<T> {
  readonly #items: (T | undefined)[];
  #head = 0;
  #length = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.#items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** Adds an item; returns true when the queue was full and its oldest item was dropped to make room. */
  push(item: T): boolean {
    const cap = this.capacity;
    if (this.#length === cap) {
      this.#items[this.#head] = item;
      this.#head = (this.#head + 1) % cap;
      return true;
    }
    this.#items[(this.#head + this.#length) % cap] = item;
    this.#length++;
    return false;
  }

  /** The oldest `count` items (fewer if the queue is shorter), left in the queue. */
  peek(count: number): T[] {
    const n = Math.min(count, this.#length);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = this.#items[(this.#head + i) % this.capacity] as T;
    return out;
  }

  /** Removes the oldest `count` items. */
  discard(count: number): void {
    const n = Math.min(count, this.#length);
    for (let i = 0; i < n; i++) this.#items[(this.#head + i) % this.capacity] = undefined;
    this.#head = (this.#head + n) % this.capacity;
    this.#length -= n;
  }
}
