/**
 * Exposed entities: every entity and whether Assist (so every MCP client) may see it, written to Home
 * Assistant's own exposure setting. Search by name, alias or entity id; filter by domain, area, exposure;
 * switch one, or select several and switch them together.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  exposeEntities,
  fetchEntities,
  setExposeNew,
  type EntityFilter,
  type EntitiesAnswer,
} from '../data/entities';
import { fireEvent } from '../components/fire-event';
import { messageOf } from '../format';
import { localize } from '../localize';
import { panelStyles } from '../components/styles';

type Filter = EntityFilter;

/** How often, and how many times, to look again while the server's model catches up with a write. */
const SETTLE_EVERY_MS = 1_000;
const SETTLE_TRIES = 12;

@customElement('ha-mcp-entities')
export class EntitiesView extends LitElement {
  @property({ type: Boolean }) readOnly = true;
  /** The tools offered now (from the overview), to show what the exposure yields. */
  @property({ attribute: false }) tools: string[] | null = null;
  @state() private _listing?: EntitiesAnswer;
  @state() private _error?: string;
  @state() private _actionError?: string;
  @state() private _busy = false;
  @state() private _selected = new Set<string>();
  @state() private _filter: Filter = { search: '', domain: '', area: '', exposed: '' };
  private _searchTimer?: number;
  private _settleTimer?: number;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
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

  /**
   * After a write, the switches already show it, but the tools offered follow HA's exposure only once the
   * server's model has heard of it (an event, or its next poll): look again until it has, then tell the
   * panel, which reads the tool list anew.
   */
  private _settle(triesLeft = SETTLE_TRIES): void {
    window.clearTimeout(this._settleTimer);
    if (!this._listing?.settling || triesLeft === 0) {
      fireEvent(this, 'changed');
      return;
    }
    this._settleTimer = window.setTimeout(async () => {
      await this._load();
      this._settle(triesLeft - 1);
    }, SETTLE_EVERY_MS);
  }

  private _setFilter(patch: Partial<Filter>, debounce = false): void {
    this._filter = { ...this._filter, ...patch };
    window.clearTimeout(this._searchTimer);
    if (debounce) this._searchTimer = window.setTimeout(() => void this._load(), 200);
    else void this._load();
  }

  private async _expose(entityIds: string[], shouldExpose: boolean): Promise<void> {
    this._busy = true;
    this._actionError = undefined;
    try {
      await exposeEntities(entityIds, shouldExpose);
      this._selected = new Set();
      await this._load();
      this._settle();
    } catch (err) {
      this._actionError = messageOf(err);
    } finally {
      this._busy = false;
    }
  }

  private async _exposeNew(on: boolean): Promise<void> {
    this._actionError = undefined;
    try {
      await setExposeNew(on);
      await this._load();
    } catch (err) {
      this._actionError = messageOf(err);
    }
  }

  private _toggleSelected(entityId: string, on: boolean): void {
    const next = new Set(this._selected);
    if (on) next.add(entityId);
    else next.delete(entityId);
    this._selected = next;
  }

  override render() {
    if (this._error) return html`<p class="alert error" role="alert">${this._error}</p>`;
    const listing = this._listing;
    if (!listing) return html`<p class="muted" aria-busy="true">${localize('common.loading')}</p>`;
    const off = this.readOnly || this._busy;
    const shown = listing.entities;
    const allSelected = shown.length > 0 && shown.every((e) => this._selected.has(e.entityId));
    return html`
      <section class="card">
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
            ?disabled=${off}
            @change=${(e: Event) => void this._exposeNew((e.target as HTMLInputElement).checked)}
          />
          ${localize('entities.expose_new')}
        </label>
      </section>

      <section class="card">
        <div class="row" role="search">
          <label>
            <span class="muted">${localize('entities.search')}</span>
            <input
              type="search"
              id="search"
              .value=${this._filter.search}
              @input=${(e: Event) => this._setFilter({ search: (e.target as HTMLInputElement).value }, true)}
            />
          </label>
          <span class="filter">
            <label class="muted" for="domain">${localize('entities.domain')}</label>
            <select
              id="domain"
              @change=${(e: Event) => this._setFilter({ domain: (e.target as HTMLSelectElement).value })}
            >
              <option value="">${localize('entities.any')}</option>
              ${listing.facets.domains.map(
                (d) =>
                  html`<option value=${d.id} ?selected=${this._filter.domain === d.id}>
                    ${d.id} (${d.count})
                  </option>`
              )}
            </select>
          </span>
          <span class="filter">
            <label class="muted" for="area">${localize('entities.area')}</label>
            <select
              id="area"
              @change=${(e: Event) => this._setFilter({ area: (e.target as HTMLSelectElement).value })}
            >
              <option value="">${localize('entities.any')}</option>
              ${listing.facets.areas.map(
                (a) =>
                  html`<option value=${a.id} ?selected=${this._filter.area === a.id}>
                    ${a.name} (${a.count})
                  </option>`
              )}
            </select>
          </span>
          <span class="filter">
            <label class="muted" for="exposed">${localize('entities.exposed')}</label>
            <select
              id="exposed"
              @change=${(e: Event) => this._setFilter({ exposed: (e.target as HTMLSelectElement).value as Filter['exposed'] })}
            >
              <option value="">${localize('entities.any')}</option>
              <option value="true" ?selected=${this._filter.exposed === 'true'}>
                ${localize('entities.yes')}
              </option>
              <option value="false" ?selected=${this._filter.exposed === 'false'}>
                ${localize('entities.no')}
              </option>
            </select>
          </span>
        </div>

        <div class="row toolbar">
          <span class="muted">${localize('entities.selected', { count: this._selected.size })}</span>
          <button
            ?disabled=${off || this._selected.size === 0}
            @click=${() => void this._expose([...this._selected], true)}
          >
            ${localize('entities.expose_selected')}
          </button>
          <button
            class="secondary"
            ?disabled=${off || this._selected.size === 0}
            @click=${() => void this._expose([...this._selected], false)}
          >
            ${localize('entities.unexpose_selected')}
          </button>
        </div>
        ${this._actionError ? html`<p class="alert error" role="alert">${this._actionError}</p>` : nothing}
        ${
          shown.length === 0
            ? html`<p class="muted">${localize('entities.none')}</p>`
            : html`<div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>
                        <input
                          type="checkbox"
                          aria-label=${localize('entities.select_all')}
                          .checked=${allSelected}
                          ?disabled=${this.readOnly}
                          @change=${(e: Event) => {
                            const on = (e.target as HTMLInputElement).checked;
                            this._selected = on ? new Set(shown.map((r) => r.entityId)) : new Set();
                          }}
                        />
                      </th>
                      <th>${localize('entities.name')}</th>
                      <th>${localize('entities.entity_id')}</th>
                      <th>${localize('entities.area')}</th>
                      <th>${localize('entities.exposed')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${shown.map(
                      (row) =>
                        html`<tr data-entity=${row.entityId}>
                          <td>
                            <input
                              type="checkbox"
                              aria-label=${localize('entities.select', { name: row.name })}
                              .checked=${this._selected.has(row.entityId)}
                              ?disabled=${this.readOnly}
                              @change=${(e: Event) => this._toggleSelected(row.entityId, (e.target as HTMLInputElement).checked)}
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
                          <td>
                            <input
                              class="switch"
                              type="checkbox"
                              data-testid="expose-switch"
                              aria-label=${localize('entities.expose_one', { name: row.name })}
                              .checked=${row.exposed}
                              ?disabled=${off}
                              @change=${(e: Event) => void this._expose([row.entityId], (e.target as HTMLInputElement).checked)}
                            />
                          </td>
                        </tr>`
                    )}
                  </tbody>
                </table>
              </div>`
        }
        <p class="muted small">${localize('entities.matching', { count: listing.counts.matching })}</p>
      </section>
    `;
  }

  static override styles = panelStyles;
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-entities': EntitiesView;
  }
}
