/**
 * Exposed entities: every entity and whether Assist (so every MCP client) may see it, written to Home
 * Assistant's own exposure setting. Search by name, alias or entity id; filter by domain, area, exposure;
 * switch one, or select several and switch them together. What the exposed entities cost a model in tokens
 * is shown on top and beside each entity, and counted again after every change of exposure made here.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  exposeEntities,
  fetchEntities,
  setExposeNew,
  type EntitiesAnswer,
  type EntityFilter,
  type EntityRow,
} from '../data/entities';
import {
  byTokens,
  fetchTokenCost,
  sharesById,
  type TokenCostAnswer,
  type TokenCostEntity,
} from '../data/token-cost';
import { fireEvent, type PanelEvent } from '../components/fire-event';
import { count, messageOf } from '../format';
import { localize } from '../localize';
import { sharedStyles } from '../components/styles';
import '../components/ha-mcp-entity-filter';
import '../components/ha-mcp-token-cost';

/** How often, and how many times, to look again while the server's model catches up with a write. */
const SETTLE_EVERY_MS = 1_000;
const SETTLE_TRIES = 12;

/** The entity a control in a table row is about (each row carries its entity id). */
const entityOf = (event: Event) =>
  (event.target as HTMLElement).closest<HTMLElement>('tr[data-entity]')?.dataset.entity;

const isChecked = (event: Event) => (event.target as HTMLInputElement).checked;

@customElement('ha-mcp-entities')
export class HaMcpEntities extends LitElement {
  @property({ type: Boolean }) readOnly = true;
  /** The tools offered now (from the overview), to show what the exposure yields. */
  @property({ attribute: false }) tools: string[] | null = null;
  @state() private _listing?: EntitiesAnswer;
  @state() private _error?: string;
  @state() private _actionError?: string;
  @state() private _busy = false;
  @state() private _selected = new Set<string>();
  @state() private _filter: EntityFilter = { search: '', domain: '', area: '', exposed: '' };
  @state() private _cost?: TokenCostAnswer;
  @state() private _costError?: string;
  @state() private _costLoading = false;
  /** From an exposure change until the figures counted after it arrive: the shares shown are the old ones. */
  @state() private _costStale = false;
  /** The list costliest first (a click on the tokens column), else in the server's order. */
  @state() private _sortByTokens = false;
  /** The figures' shares by entity id, for the table's column. */
  private _shares = new Map<string, TokenCostEntity>();
  /** Bumped per request, so an older answer that arrives late does not replace a newer one. */
  private _costRequest = 0;
  private _searchTimer?: number;
  private _settleTimer?: number;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
    void this._loadCost();
  }

  override disconnectedCallback(): void {
    window.clearTimeout(this._searchTimer);
    window.clearTimeout(this._settleTimer);
    super.disconnectedCallback();
  }

  private async _load(): Promise<void> {
    try {
      this._listing = await fetchEntities(this._filter);
      this._error = undefined;
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  private async _loadCost(): Promise<void> {
    const request = ++this._costRequest;
    this._costLoading = true;
    try {
      const cost = await fetchTokenCost();
      if (request !== this._costRequest) return;
      this._cost = cost;
      this._shares = sharesById(cost);
      this._costError = undefined;
    } catch (err) {
      if (request === this._costRequest) this._costError = messageOf(err);
    } finally {
      if (request === this._costRequest) this._costLoading = false;
    }
  }

  /**
   * After a write, the switches already show it, but the tools offered follow HA's exposure only once the
   * server's model has heard of it (an event, or its next poll): look again until it has, then tell the
   * panel, which reads the tool list anew. The token cost is counted again then too: the server counts
   * afresh once its model has the change.
   */
  private _settle(triesLeft = SETTLE_TRIES): void {
    window.clearTimeout(this._settleTimer);
    if (!this._listing?.settling || triesLeft === 0) {
      fireEvent(this, 'changed');
      void this._loadCost().then(() => (this._costStale = false));
      return;
    }
    this._settleTimer = window.setTimeout(async () => {
      await this._load();
      this._settle(triesLeft - 1);
    }, SETTLE_EVERY_MS);
  }

  private _setFilter(filter: EntityFilter, debounce: boolean): void {
    this._filter = filter;
    window.clearTimeout(this._searchTimer);
    if (debounce) this._searchTimer = window.setTimeout(() => void this._load(), 200);
    else void this._load();
  }

  private async _expose(entityIds: string[], shouldExpose: boolean): Promise<void> {
    this._busy = true;
    this._actionError = undefined;
    try {
      await exposeEntities(entityIds, shouldExpose);
      this._costStale = true;
      this._selected = new Set();
      await this._load();
      this._settle();
    } catch (err) {
      this._actionError = messageOf(err);
    } finally {
      this._busy = false;
    }
  }

  private async _handleExposeNew(event: Event): Promise<void> {
    this._actionError = undefined;
    try {
      await setExposeNew(isChecked(event));
      await this._load();
    } catch (err) {
      this._actionError = messageOf(err);
    }
  }

  private _handleFilter(event: PanelEvent<'entity-filter-changed'>): void {
    const next = event.detail.value;
    // Typing in the search box loads once the typing pauses; a menu choice loads at once.
    this._setFilter(next, next.search !== this._filter.search);
  }

  private _handleExposeSelected(): void {
    void this._expose([...this._selected], true);
  }

  private _handleUnexposeSelected(): void {
    void this._expose([...this._selected], false);
  }

  private _handleSelectAll(event: Event): void {
    const shown = this._listing?.entities ?? [];
    this._selected = isChecked(event) ? new Set(shown.map((row) => row.entityId)) : new Set();
  }

  private _handleSelect(event: Event): void {
    const entityId = entityOf(event);
    if (!entityId) return;
    const next = new Set(this._selected);
    if (isChecked(event)) next.add(entityId);
    else next.delete(entityId);
    this._selected = next;
  }

  private _handleSortByTokens(): void {
    this._sortByTokens = !this._sortByTokens;
  }

  private _handleExposeOne(event: Event): void {
    const entityId = entityOf(event);
    if (entityId) void this._expose([entityId], isChecked(event));
  }

  override render() {
    if (this._error) return html`<p class="alert error" role="alert">${this._error}</p>`;
    const listing = this._listing;
    if (!listing) return html`<p class="muted" aria-busy="true">${localize('common.loading')}</p>`;
    return html`
      ${this._renderSummary(listing)}
      <ha-mcp-token-cost
        .cost=${this._cost}
        .error=${this._costError}
        ?updating=${(this._costLoading || this._costStale) && this._cost !== undefined}
      ></ha-mcp-token-cost>
      <section class="card">
        <ha-mcp-entity-filter
          .filter=${this._filter}
          .facets=${listing.facets}
          @entity-filter-changed=${this._handleFilter}
        ></ha-mcp-entity-filter>
        ${this._renderBulkActions()}
        ${this._actionError ? html`<p class="alert error" role="alert">${this._actionError}</p>` : nothing}
        ${
          listing.entities.length === 0
            ? html`<p class="muted">${localize('entities.none')}</p>`
            : this._renderTable(listing.entities)
        }
        <p class="muted small">${localize('entities.matching', { count: listing.counts.matching })}</p>
      </section>
    `;
  }

  /** The counts, what they yield in tools, and "expose new entities". */
  private _renderSummary(listing: EntitiesAnswer) {
    return html`<section class="card">
      <div class="row card-header">
        <h2>${localize('entities.heading')}</h2>
        <span class="spacer"></span>
        <span class="muted" data-testid="exposure-counts">
          ${localize('entities.counts', { exposed: listing.counts.exposed, total: listing.counts.total })}
          ${
            this.tools
              ? html` ·
                  <span data-testid="tools-offered"
                    >${
                      listing.settling
                        ? localize('entities.tools_updating')
                        : localize('entities.tools', { count: this.tools.length })
                    }</span
                  >`
              : nothing
          }
        </span>
      </div>
      <p class="muted small">${localize('entities.help')}</p>
      ${this.readOnly ? html`<p class="alert info">${localize('entities.read_only')}</p>` : nothing}
      <label>
        <input
          class="switch"
          type="checkbox"
          id="expose-new"
          .checked=${listing.exposeNew}
          ?disabled=${this.readOnly || this._busy}
          @change=${this._handleExposeNew}
        />
        ${localize('entities.expose_new')}
      </label>
    </section>`;
  }

  private _renderBulkActions() {
    const off = this.readOnly || this._busy || this._selected.size === 0;
    return html`<div class="row toolbar">
      <span class="muted">${localize('entities.selected', { count: this._selected.size })}</span>
      <button ?disabled=${off} @click=${this._handleExposeSelected}>
        ${localize('entities.expose_selected')}
      </button>
      <button class="secondary" ?disabled=${off} @click=${this._handleUnexposeSelected}>
        ${localize('entities.unexpose_selected')}
      </button>
    </div>`;
  }

  private _renderTable(shown: EntityRow[]) {
    const allSelected = shown.every((row) => this._selected.has(row.entityId));
    return html`<div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>
              <input
                type="checkbox"
                aria-label=${localize('entities.select_all')}
                .checked=${allSelected}
                ?disabled=${this.readOnly}
                @change=${this._handleSelectAll}
              />
            </th>
            <th>${localize('entities.name')}</th>
            <th>${localize('entities.entity_id')}</th>
            <th>${localize('entities.area')}</th>
            <th
              class="num"
              title=${localize('token_cost.column_help')}
              aria-sort=${this._sortByTokens ? 'descending' : 'none'}
            >
              <button class="sort" data-testid="sort-by-tokens" @click=${this._handleSortByTokens}>
                ${localize('token_cost.tokens')}${this._sortByTokens ? ' ↓' : ''}
              </button>
            </th>
            <th>${localize('entities.exposed')}</th>
          </tr>
        </thead>
        <tbody>
          ${(this._sortByTokens ? byTokens(shown, this._shares) : shown).map((row) => this._renderRow(row))}
        </tbody>
      </table>
    </div>`;
  }

  private _renderRow(row: EntityRow) {
    return html`<tr data-entity=${row.entityId}>
      <td>
        <input
          type="checkbox"
          aria-label=${localize('entities.select', { name: row.name })}
          .checked=${this._selected.has(row.entityId)}
          ?disabled=${this.readOnly}
          @change=${this._handleSelect}
        />
      </td>
      <td>
        ${row.name}
        ${row.aliases.length ? html`<div class="muted small">${row.aliases.join(', ')}</div>` : nothing}
      </td>
      <td><code class="small">${row.entityId}</code></td>
      <td>
        ${row.area?.name ?? '—'}${row.floor ? html`<div class="muted small">${row.floor.name}</div>` : nothing}
      </td>
      <td class="num" data-testid="entity-tokens">${this._renderTokens(row)}</td>
      <td>
        <input
          class="switch"
          type="checkbox"
          data-testid="expose-switch"
          aria-label=${localize('entities.expose_one', { name: row.name })}
          .checked=${row.exposed}
          ?disabled=${this.readOnly || this._busy}
          @change=${this._handleExposeOne}
        />
      </td>
    </tr>`;
  }

  /** The entity's share: a number when exposed and counted, — when not exposed, … while being counted. */
  private _renderTokens(row: EntityRow) {
    if (!row.exposed) return '—';
    const share = this._shares.get(row.entityId);
    if (share) return count(share.tokens);
    return this._costLoading || this._costStale || !this._cost ? html`<span class="muted">…</span>` : '—';
  }

  static override styles = [
    sharedStyles,
    css`
      .toolbar {
        margin: var(--ha-space-3, 12px) 0;
      }
      .num {
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      /* A column header that sorts: reads as a header, not as a button. */
      button.sort {
        background: none;
        color: inherit;
        font-size: inherit;
        padding: 0;
        min-height: 0;
        border-radius: var(--ha-border-radius-sm, 4px);
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-entities': HaMcpEntities;
  }
}
