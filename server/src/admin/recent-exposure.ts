/**
 * Exposure changes the panel made that the Home model has not caught up with yet. HA applies them at once,
 * but the model learns of them by an event (entities with a registry entry) or by its next exposure poll
 * (those without, up to a few seconds later). Until then, answers show what was written, so the panel does
 * not flip a switch back and forth; as soon as the model agrees, or after `holdMs`, the model is the truth
 * again (a change made meanwhile in HA's own UI then shows).
 */
export class RecentExposure {
  private readonly written = new Map<string, { exposed: boolean; until: number }>();

  constructor(
    private readonly holdMs = 10_000,
    private readonly now: () => number = Date.now
  ) {}

  record(entityIds: readonly string[], exposed: boolean): void {
    const until = this.now() + this.holdMs;
    for (const entityId of entityIds) this.written.set(entityId, { exposed, until });
  }

  /** Whether the entity is exposed, given the model's view of it. */
  exposed(entityId: string, inModel: boolean): boolean {
    const written = this.written.get(entityId);
    if (!written) return inModel;
    if (written.exposed === inModel || written.until <= this.now()) {
      this.written.delete(entityId);
      return inModel;
    }
    return written.exposed;
  }
}
