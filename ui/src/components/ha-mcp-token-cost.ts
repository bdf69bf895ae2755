/**
 * The token cost of the home: per endpoint (/api/mcp and each LLM API's own), what an administrator, a
 * plain user and a read-only caller are sent before they ask anything (the tool list, the prompt, the live
 * context), and the exposed entities that cost most, with why, so an owner knows what to trim.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import {
  CALLER_KINDS,
  costReasons,
  costliest,
  reasonKey,
  shareEndpoint,
  shareOf,
  type TokenCostAnswer,
  type TokenCostApi,
  type TokenCostEntity,
  type TokenCostFigures,
} from '../data/token-cost';
import { ago, count } from '../format';
import { formatPercent } from '../locale';
import { localize } from '../localize';
import { sharedStyles } from './styles';

@customElement('ha-mcp-token-cost')
export class HaMcpTokenCost extends LitElement {
  @property({ attribute: false }) cost?: TokenCostAnswer;
  @property() error?: string;
  /** True while a fresh count is on its way (after an exposure change): the figures shown are the last. */
  @property({ type: Boolean }) updating = false;

  override render() {
    const cost = this.cost;
    return html`<section class="card" data-testid="token-cost" aria-busy=${this.updating ? 'true' : 'false'}>
      <div class="row card-header">
        <h2>${localize('token_cost.heading')}</h2>
        <span class="spacer"></span>
        ${
          cost
            ? html`<span class="muted small" data-testid="token-cost-when"
                >${
                  this.updating
                    ? localize('token_cost.updating')
                    : localize('token_cost.counted', { ago: ago(cost.computedAt) })
                }</span
              >`
            : nothing
        }
      </div>
      ${this.error ? html`<p class="alert error" role="alert">${this.error}</p>` : nothing}
      ${
        cost
          ? this._renderCost(cost)
          : this.error
            ? nothing
            : html`<p class="muted" aria-busy="true">${localize('common.loading')}</p>`
      }
    </section>`;
  }

  private _renderCost(cost: TokenCostAnswer) {
    return html`
      <p class="muted small">
        ${localize('token_cost.help')}
        <span data-testid="tokenizer"
          >${localize('token_cost.tokenizer', { name: cost.tokenizer.name })}</span
        >
        ${localize('token_cost.tokenizer_note')}
      </p>
      ${
        cost.controlHomeAssistant
          ? nothing
          : html`<p class="alert info">${localize('token_cost.control_off')}</p>`
      }
      <div class="apis">${cost.apis.map((api) => this._renderApi(api))}</div>
      ${this._renderCostliest(cost)}
    `;
  }

  private _renderApi(api: TokenCostApi) {
    return html`<div class="api" data-endpoint=${api.endpoint}>
      <h3>${api.name} <code class="small">${api.endpoint}</code></h3>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>${localize('token_cost.caller')}</th>
              <th class="num">${localize('token_cost.tools')}</th>
              <th class="num">${localize('token_cost.prompt')}</th>
              <th class="num">${localize('token_cost.live_context')}</th>
              <th class="num">${localize('token_cost.total')}</th>
            </tr>
          </thead>
          <tbody>
            ${CALLER_KINDS.map((kind) => this._renderCaller(kind, api.callers[kind]))}
          </tbody>
        </table>
      </div>
    </div>`;
  }

  private _renderCaller(kind: string, figures: TokenCostFigures) {
    const who = localize(`token_cost.callers.${kind}`);
    if (!figures.available)
      return html`<tr data-caller=${kind}>
        <td>${who}</td>
        <td class="muted" colspan="4">${localize('token_cost.not_available')}</td>
      </tr>`;
    return html`<tr data-caller=${kind}>
      <td>${who}</td>
      <td class="num">
        ${count(figures.tools)}
        <div class="muted small">${localize('token_cost.tool_count', { count: figures.toolCount })}</div>
      </td>
      <td class="num">${count(figures.prompt)}</td>
      <td class="num">${figures.liveContext ? count(figures.liveContext) : '—'}</td>
      <td class="num total" data-testid="caller-total">${count(figures.total)}</td>
    </tr>`;
  }

  private _renderCostliest(cost: TokenCostAnswer) {
    const top = costliest(cost);
    return html`<h3>${localize('token_cost.costliest')}</h3>
      <p class="muted small" data-testid="entity-totals">
        ${localize('token_cost.entity_totals', {
          tokens: count(cost.entityTotals.tokens),
          count: cost.entityTotals.count,
          endpoint: shareEndpoint(cost) ?? '—',
        })}
      </p>
      ${
        top.length === 0
          ? html`<p class="muted">${localize('token_cost.none_exposed')}</p>`
          : html`<div class="table-wrap">
              <table data-testid="costliest">
                <thead>
                  <tr>
                    <th>${localize('entities.name')}</th>
                    <th class="num">${localize('token_cost.tokens')}</th>
                    <th class="num">${localize('token_cost.share')}</th>
                    <th>${localize('token_cost.why')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${top.map((entity) => this._renderEntity(entity, cost))}
                </tbody>
              </table>
            </div>`
      }`;
  }

  private _renderEntity(entity: TokenCostEntity, cost: TokenCostAnswer) {
    const reasons = costReasons(entity);
    return html`<tr data-costly=${entity.entityId}>
      <td>
        ${entity.name}
        <div class="muted small"><code>${entity.entityId}</code></div>
      </td>
      <td class="num">${count(entity.tokens)}</td>
      <td class="num">${formatPercent(shareOf(entity, cost))}</td>
      <td class="small why">
        ${
          reasons.length
            ? reasons.map((reason) => localize(reasonKey(reason), { count: reason.count })).join(' · ')
            : html`<span class="muted">—</span>`
        }
        <div class="muted small">
          ${localize('token_cost.parts', {
            live: count(entity.liveContext),
            prompt: count(entity.prompt),
            tools: count(entity.tools),
          })}
        </div>
      </td>
    </tr>`;
  }

  static override styles = [
    sharedStyles,
    css`
      h3 {
        margin: var(--ha-space-4, 16px) 0 var(--ha-space-2, 8px);
        font-size: var(--ha-font-size-l, 16px);
        font-weight: var(--ha-font-weight-medium, 500);
      }
      .apis {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr));
        gap: 0 var(--ha-space-6, 24px);
      }
      .num {
        text-align: end;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      /* On a phone the table scrolls sideways rather than stacking the reasons a word per line. */
      td.why {
        min-width: 16em;
      }
      td.total {
        font-weight: var(--ha-font-weight-medium, 500);
      }
      /* Denser than the entity list: figures to read, not rows to act on. */
      thead tr {
        height: 40px;
      }
      tbody tr {
        height: 40px;
      }
      th,
      td {
        padding: var(--ha-space-1, 4px) var(--ha-space-3, 12px);
      }
      /* A phone: the totals, at the end of each row, stay in sight. */
      @media (max-width: 600px) {
        th,
        td {
          padding: var(--ha-space-1, 4px) var(--ha-space-1, 4px);
        }
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-token-cost': HaMcpTokenCost;
  }
}
