/**
 * How long a stop may take, and how it is spent. In the add-on, s6-overlay kills the server
 * `S6_KILL_GRACETIME` after the stop signal (3 s unless the Dockerfile sets it), and the Supervisor kills the
 * container 10 s after it (its stop timeout): a request still running, or a log row not yet written, is lost
 * past either. The Dockerfile's grace covers this budget (a unit test keeps them in step).
 */
export const STOP_BUDGET = {
  /** Requests in flight may finish; then their connections are cut. */
  drainMs: 4_000,
  /** The WAL checkpoint worker may finish its pass. */
  checkpointerMs: 1_000,
  /** Writing the queued log rows and closing the database, with room to spare. */
  flushMs: 1_000,
} as const;

export const STOP_BUDGET_MS = STOP_BUDGET.drainMs + STOP_BUDGET.checkpointerMs + STOP_BUDGET.flushMs;
