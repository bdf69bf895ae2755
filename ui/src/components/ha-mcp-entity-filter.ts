/**
 * The entity list's filters: a search over names, aliases and entity ids, and menus of the domains and
 * areas there are (with their counts). Sends the whole filter up with `entity-filter-changed` on every
 * change; the view decides when to load.
 */
import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { EntityFacets, EntityFilter } from '../data/entities';
import { count } from '../format';
import { localize } from '../localize';
import { fireEvent } from './fire-event';
import { sharedStyles } from './styles';

@customElement('ha-mcp-entity-filter')
export class HaMcpEntityFilter extends LitElement {
  @property({ attribute: false }) filter!: EntityFilter;
  @property({ attribute: false }) facets!: EntityFacets;

  /** Each control's id is the filter it sets. */
  private _handleChange(event: Event): void {
    const control = event.target as HTMLInputElement | HTMLSelectElement;
    const key = control.id as keyof EntityFilter;
    fireEvent(this, 'entity-filter-changed', { ...this.filter, [key]: control.value });
  }

  override render() {
    const filter = this.filter;
    return html`<div class="row" role="search">
      <label>
        <span class="muted">${localize('entities.search')}</span>
        <input type="search" id="search" .value=${filter.search} @input=${this._handleChange} />
      </label>
      <span class="filter">
        <label class="muted" for="domain">${localize('entities.domain')}</label>
        <select id="domain" @change=${this._handleChange}>
          <option value="">${localize('entities.any')}</option>
          ${this.facets.domains.map(
            (d) =>
              html`<option value=${d.id} ?selected=${filter.domain === d.id}>
                ${d.id} (${count(d.count)})
              </option>`
          )}
        </select>
      </span>
      <span class="filter">
        <label class="muted" for="area">${localize('entities.area')}</label>
        <select id="area" @change=${this._handleChange}>
          <option value="">${localize('entities.any')}</option>
          ${this.facets.areas.map(
            (a) =>
              html`<option value=${a.id} ?selected=${filter.area === a.id}>
                ${a.name} (${count(a.count)})
              </option>`
          )}
        </select>
      </span>
      <span class="filter">
        <label class="muted" for="exposed">${localize('entities.exposed')}</label>
        <select id="exposed" @change=${this._handleChange}>
          <option value="">${localize('entities.any')}</option>
          <option value="true" ?selected=${filter.exposed === 'true'}>${localize('entities.yes')}</option>
          <option value="false" ?selected=${filter.exposed === 'false'}>${localize('entities.no')}</option>
        </select>
      </span>
    </div>`;
  }

  static override styles = sharedStyles;
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-entity-filter': HaMcpEntityFilter;
  }
}
