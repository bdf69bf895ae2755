/**
 * Waiting for approval: the calls that wait for a person now, live, each with Allow and Deny. The server
 * lists an administrator every waiting call and anyone else their own (admin/approvals.ts); with none
 * waiting the card is not shown at all.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { verbKind } from '../../../server/src/approvals/actions.js';
import { decideApproval, followApprovals, type ApprovalRow, type ApprovalsAnswer } from '../data/approvals';
import { messageOf } from '../format';
import { localize } from '../localize';
import { sharedStyles } from './styles';

/** "1:48" */
const clock = (ms: number) => {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
};

/**
 * What the call would do, to what, in the viewer's language: "unlock Front Door", "Haustür entriegeln"; the
 * tool's name when it names no entity. A verb the panel has no words for is shown as the server wrote it.
 */
export function whatOf(row: ApprovalRow): string {
  const what = row.entities.length > 0 ? row.entities.map((e) => e.name).join(', ') : `(${row.tool})`;
  const kind = verbKind(row.verb);
  if ('call' in kind) return localize('approvals.actions.call', { action: kind.call, what });
  if ('action' in kind) return localize(`approvals.actions.${kind.action}`, { what });
  return localize('approvals.what', { verb: kind.other, what });
}

@customElement('ha-mcp-approvals')
export class HaMcpApprovals extends LitElement {
  @state() private _rows: ApprovalRow[] = [];
  /** The browser's clock minus the server's, so the time left is the server's. */
  @state() private _skew = 0;
  @state() private _now = Date.now();
  /** Answers on their way, by approval id: their buttons wait. */
  @state() private _deciding = new Set<string>();
  @state() private _error?: string;
  private _stop?: () => void;
  private _tick?: number;

  override connectedCallback(): void {
    super.connectedCallback();
    this._stop = followApprovals((answer) => this._take(answer));
  }

  override disconnectedCallback(): void {
    this._stop?.();
    window.clearInterval(this._tick);
    this._tick = undefined;
    super.disconnectedCallback();
  }

  private _take(answer: ApprovalsAnswer): void {
    this._skew = Date.now() - answer.now;
    this._rows = answer.approvals;
    this._now = Date.now();
    const waiting = answer.approvals.length > 0;
    if (waiting && this._tick === undefined) {
      this._tick = window.setInterval(() => (this._now = Date.now()), 1_000);
    } else if (!waiting) {
      window.clearInterval(this._tick);
      this._tick = undefined;
    }
  }

  /** The button's row names the approval, its value the answer. */
  private async _handleDecide(event: Event): Promise<void> {
    const button = event.currentTarget as HTMLButtonElement;
    const id = button.closest<HTMLElement>('[data-approval]')?.dataset.approval;
    if (!id) return;
    const allow = button.value === 'allow';
    this._error = undefined;
    this._deciding = new Set([...this._deciding, id]);
    try {
      await decideApproval(id, allow);
      this._rows = this._rows.filter((r) => r.id !== id);
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._deciding = new Set([...this._deciding].filter((d) => d !== id));
    }
  }

  override render() {
    if (this._rows.length === 0 && !this._error) return nothing;
    const now = this._now - this._skew;
    return html`<section class="card" aria-labelledby="approvals-heading" data-testid="approvals">
      <h2 id="approvals-heading">
        ${localize('approvals.heading')} <span class="chip">${this._rows.length}</span>
      </h2>
      ${this._error ? html`<p class="alert error" role="alert">${this._error}</p>` : nothing}
      <ul>
        ${this._rows.map((row) => {
          const busy = this._deciding.has(row.id);
          const what = whatOf(row);
          return html`<li data-approval=${row.id}>
            <div class="what">
              <div>
                ${localize('approvals.asks', {
                  client: row.clientName ?? localize('approvals.unnamed_client'),
                })} <strong>${what}</strong>
              </div>
              <div class="muted small">
                ${localize('approvals.for', { user: row.userName })} ·
                <code>${row.tool}</code>
              </div>
            </div>
            <span
              class="chip left"
              title=${localize('approvals.left_help')}
              aria-label=${localize('approvals.left', { time: clock(row.expiresAt - now) })}
              >${clock(row.expiresAt - now)}</span
            >
            <button
              class="secondary"
              value="deny"
              ?disabled=${busy}
              aria-label=${localize('approvals.deny_for', { what })}
              @click=${this._handleDecide}
            >
              ${localize('approvals.deny')}
            </button>
            <button
              value="allow"
              ?disabled=${busy}
              aria-label=${localize('approvals.allow_for', { what })}
              @click=${this._handleDecide}
            >
              ${localize('approvals.allow')}
            </button>
          </li>`;
        })}
      </ul>
      <p class="muted small">${localize('approvals.help')}</p>
    </section>`;
  }

  static override styles = [
    sharedStyles,
    css`
      .card {
        border-inline-start: 4px solid var(--warning-color);
      }
      h2 {
        display: flex;
        align-items: center;
        gap: var(--ha-space-2, 8px);
      }
      h2 .chip {
        font-size: var(--ha-font-size-m, 14px);
      }
      ul {
        list-style: none;
        margin: 0 0 var(--ha-space-2, 8px);
        padding: 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--ha-space-2, 8px) var(--ha-space-3, 12px);
        padding: var(--ha-space-3, 12px) 0;
        border-bottom: 1px solid var(--divider-color);
      }
      li:last-child {
        border-bottom: none;
      }
      .what {
        flex: 1 1 16em;
        min-width: 0;
      }
      .left {
        font-variant-numeric: tabular-nums;
        background: color-mix(in srgb, var(--warning-color) 20%, transparent);
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-approvals': HaMcpApprovals;
  }
}
