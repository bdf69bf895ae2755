/** One logged request in full: who, which client, what was asked, how it ended and how long it took. */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LogRow } from '../data/logs';
import { milliseconds, seconds, when } from '../format';
import { localize } from '../localize';
import { fireEvent } from './fire-event';
import { sharedStyles } from './styles';

const pretty = (json: string | null) => {
  if (!json) return '—';
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
};

/** How a call that waited for a person ended: "Allowed · in this panel · by Ada · waited 12.3 s". */
const approvalOf = (row: LogRow) =>
  [
    localize(`logs.detail.approval_outcomes.${row.approval}`),
    row.approvalChannel ? localize(`logs.detail.approval_channels.${row.approvalChannel}`) : '',
    row.approvalBy ? localize('logs.detail.approval_by', { name: row.approvalBy }) : '',
    row.approvalMs !== null ? localize('logs.detail.approval_waited', { time: waited(row.approvalMs) }) : '',
  ]
    .filter(Boolean)
    .join(' · ');

/** Seconds for a person's wait (milliseconds() is for the server's own times). */
const waited = (ms: number) => (ms < 1_000 ? milliseconds(ms) : seconds(ms));

@customElement('ha-mcp-log-detail')
export class HaMcpLogDetail extends LitElement {
  @property({ attribute: false }) row!: LogRow;

  /** Moves focus here (which also scrolls the detail into view). */
  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('section')?.focus();
  }

  private _handleKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') this._handleClose();
  }

  private _handleClose(): void {
    fireEvent(this, 'closed');
  }

  private _facts(row: LogRow): [string, string][] {
    const outcome = [
      localize(`logs.outcomes.${row.outcome}`),
      row.httpStatus ? `HTTP ${row.httpStatus}` : '',
      row.errorCode !== null ? String(row.errorCode) : '',
    ];
    return [
      [localize('logs.time'), when(row.time)],
      [localize('logs.user'), `${row.userName ?? '—'}${row.userId ? ` (${row.userId})` : ''}`],
      [localize('logs.client'), `${row.clientName ?? '—'} ${row.clientVersion ?? ''}`.trim()],
      [localize('logs.detail.agent'), row.userAgent ?? '—'],
      [localize('logs.detail.address'), row.address ?? '—'],
      [localize('logs.detail.auth'), row.auth ?? '—'],
      [localize('logs.detail.protocol'), row.protocolVersion ?? '—'],
      [localize('logs.request'), `${row.method ?? '—'}${row.target ? ` ${row.target}` : ''}`],
      [localize('logs.outcome'), outcome.filter(Boolean).join(' · ')],
      ...(row.approval ? [[localize('logs.detail.approval'), approvalOf(row)] as [string, string]] : []),
      [localize('logs.latency'), milliseconds(row.latencyMs)],
      [
        localize('logs.detail.size'),
        row.responseBytes === null ? '—' : localize('logs.detail.bytes', { count: row.responseBytes }),
      ],
    ];
  }

  override render() {
    const row = this.row;
    return html`<section
      class="card"
      aria-labelledby="detail-heading"
      data-testid="log-detail"
      tabindex="-1"
      @keydown=${this._handleKeydown}
    >
      <div class="row card-header">
        <h2 id="detail-heading">${localize('logs.detail.heading')}</h2>
        <span class="spacer"></span>
        <button class="secondary" @click=${this._handleClose}>${localize('common.close')}</button>
      </div>
      <table class="facts">
        ${this._facts(row).map(
          ([name, value]) =>
            html`<tr>
              <th scope="row">${name}</th>
              <td>${value}</td>
            </tr>`
        )}
      </table>
      <h3>${localize('logs.detail.arguments')}</h3>
      <pre>${pretty(row.arguments)}</pre>
      ${
        row.error
          ? html`<h3>${localize('logs.detail.error')}</h3>
              <pre data-testid="log-error">${row.error}</pre>`
          : html`<h3>${localize('logs.detail.result')}</h3>
              <p class="muted">${localize('logs.detail.result_not_kept')}</p>`
      }
    </section>`;
  }

  static override styles = [
    sharedStyles,
    css`
      h3 {
        margin: var(--ha-space-3, 12px) 0 var(--ha-space-2, 8px);
        font-size: var(--ha-font-size-l, 16px);
        font-weight: var(--ha-font-weight-medium, 500);
      }
      table.facts th {
        width: 12em;
        font-size: inherit;
      }
      table.facts tr {
        height: auto;
      }
      table.facts tr:hover {
        background: none;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-log-detail': HaMcpLogDetail;
  }
}
