/**
 * The busiest tools or clients of a time range: one horizontal bar each, its failed share in the error
 * colour. Each row can take focus; hover or focus shows its exact figures, and the rows read as a list.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { linear } from '../charts/scale';
import { OUTCOME_COLOURS, chartStyles } from '../charts/styles';
import { count, milliseconds } from '../format';
import { localize } from '../localize';
import { sharedStyles } from './styles';

export interface TopRow {
  label: string;
  calls: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
}

@customElement('ha-mcp-chart-top')
export class HaMcpChartTop extends LitElement {
  /** Busiest first; undefined while loading. */
  @property({ attribute: false }) rows?: TopRow[];
  @property() heading = '';
  @state() private _active?: number;

  override render() {
    const rows = this.rows;
    if (!rows) return html`<p class="muted" aria-busy="true">${localize('common.loading')}</p>`;
    if (!rows.length) return html`<p class="empty" data-testid="chart-empty">${localize('charts.empty')}</p>`;
    const x = linear([0, Math.max(...rows.map((r) => r.calls))], [0, 100]);
    return html`<ol class="chart" aria-label=${this.heading}>
      ${rows.map(
        (r, i) =>
          html`<li
            tabindex="0"
            data-label=${r.label}
            aria-label=${localize('charts.top.row', { name: r.label, calls: r.calls, errors: r.errors })}
            @mouseenter=${() => (this._active = i)}
            @focus=${() => (this._active = i)}
            @mouseleave=${this._handleLeave}
            @blur=${this._handleLeave}
          >
            <span class="name" title=${r.label}>${r.label}</span>
            <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
              <rect width=${x(r.calls - r.errors)} height="10" fill=${OUTCOME_COLOURS.ok}></rect>
              <rect
                x=${x(r.calls - r.errors)}
                width=${x(r.errors)}
                height="10"
                fill=${OUTCOME_COLOURS.http_error}
              ></rect>
            </svg>
            <span class="calls" aria-hidden="true">${count(r.calls)}</span>
            ${i === this._active ? this._tip(r) : nothing}
          </li>`
      )}
    </ol>`;
  }

  private _tip(r: TopRow) {
    const figures: [string, string][] = [
      [localize('charts.top.calls'), count(r.calls)],
      [localize('charts.top.errors'), count(r.errors)],
      [localize('charts.latency.p50Ms'), milliseconds(r.p50Ms)],
      [localize('charts.latency.p95Ms'), milliseconds(r.p95Ms)],
    ];
    return html`<div class="tip" data-testid="chart-tip" role="tooltip">
      <strong>${r.label}</strong>
      ${figures.map(([head, value]) => html`<div>${head} <b data-figure=${head}>${value}</b></div>`)}
    </div>`;
  }

  private readonly _handleLeave = () => {
    this._active = undefined;
  };

  static override styles = [
    sharedStyles,
    chartStyles,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        position: relative;
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 3fr) auto;
        gap: var(--ha-space-2, 8px);
        align-items: center;
        padding: var(--ha-space-1, 4px) 0;
        border-radius: var(--ha-border-radius-sm, 4px);
        outline: none;
      }
      li:hover,
      li:focus-visible {
        background: color-mix(in srgb, var(--primary-text-color) 4%, transparent);
      }
      li:focus-visible {
        outline: 2px solid var(--primary-color);
      }
      .name {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        font-size: var(--ha-font-size-s, 12px);
      }
      svg {
        width: 100%;
        height: 12px;
        border-radius: 2px;
      }
      .calls {
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      .tip {
        top: 100%;
        left: 50%;
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-chart-top': HaMcpChartTop;
  }
}
