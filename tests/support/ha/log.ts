/** Harness progress lines: every step says what it is doing, so a failure names the step. */
const started = Date.now();

export function step(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[test-ha ${seconds}s] ${message}\n`);
}

export class HarnessError extends Error {
  constructor(
    readonly step: string,
    message: string,
    readonly logTail?: string
  ) {
    super(`${step}: ${message}${logTail ? `\n--- Home Assistant log (last lines) ---\n${logTail}` : ''}`);
    this.name = 'HarnessError';
  }
}
