/**
 * Why a call to Home Assistant or the Supervisor failed, in two kinds that every edge maps once: HA was
 * away (not reachable, not connected, silent past the time limit) or HA answered no (an HTTP error status,
 * a command's error code). What the caller asked for is in the message; a token never is.
 */
export class HaError extends Error {}

/** Home Assistant (or the Supervisor) could not be reached, or did not answer in time. */
export class HaAwayError extends HaError {
  override name = 'HaAwayError';
  constructor(message = 'Home Assistant is unavailable') {
    super(message);
  }
}

/** Home Assistant (or the Supervisor) answered, and refused: with an HTTP status, or a command's error code. */
export class HaRefusedError extends HaError {
  override name = 'HaRefusedError';
  constructor(
    message: string,
    readonly refusal: {
      status?: number;
      command?: string;
      code?: string;
      /** The answer's text (first 2,000 characters), and the refusal's reason in the answerer's own words. */
      answer?: string;
      reason?: string;
    } = {}
  ) {
    super(message);
  }
}

/** HA refused the credential itself (HTTP 401): it counted a failed login against the caller's address. */
export const isTokenRefused = (err: unknown): boolean =>
  err instanceof HaRefusedError && err.refusal.status === 401;

/** The add-on's own credential (Supervisor token or HA_TOKEN) was refused: nothing can work. */
export class InvalidAdminTokenError extends HaRefusedError {
  override name = 'InvalidAdminTokenError';
}
