/**
 * Waits for a condition that changes when something tells us (an event), with a deadline. The deadline is
 * the promise under test (e.g. "within 5 seconds"), not a way to synchronise.
 */
export function waitFor<T>(
  subscribe: (notify: () => void) => () => void,
  check: () => T | undefined | false,
  timeoutMs: number,
  what: string
): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (value: T) => {
      done = true;
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    };
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      unsubscribe();
      reject(new Error(`not within ${timeoutMs} ms: ${what}`));
    }, timeoutMs);
    const unsubscribe = subscribe(() => {
      if (done) return;
      const value = check();
      if (value) finish(value);
    });
    const now = check();
    if (now) finish(now);
  });
}
