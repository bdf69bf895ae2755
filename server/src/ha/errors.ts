/** Home Assistant cannot be reached (or is not synced yet): callers answer with this, clearly. */
export class HaUnavailableError extends Error {
  override name = 'HaUnavailableError';
  constructor(message = 'Home Assistant is unavailable') {
    super(message);
  }
}

/** The add-on's own credential (Supervisor token or HA_TOKEN) was refused: nothing can work. */
export class InvalidAdminTokenError extends Error {
  override name = 'InvalidAdminTokenError';
}
