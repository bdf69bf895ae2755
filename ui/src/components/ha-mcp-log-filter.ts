/**
 * The request log's filters, the store's own (server/src/admin/log-filter.ts): free text, tool, outcome,
 * user, client and a time range. Sends the whole filter up with `filter-changed` on every change.
 */
import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { OUTCOMES, type LogFilter } from '../data/logs';
import { localize } from '../localize';
import { fireEvent } from './fire-event';
import { sharedStyles } from './styles';

@customElement('ha-mcp-log-filter')
export class HaMcpLogFilter extends LitElement {
  @property({ attribute: false }) filter!: LogFilter;
  /** Tool names to suggest (the tools offered now). */
  @property({ attribute: false }) tools: string[] = [];
  /** Users seen in the log. */
  @property({ attribute: false }) users: { id: string; name: string }[] = [];

  /** Each control's id is the filter it sets. */
  private _handleChange(event: Event): void {
    const control = event.target as HTMLInputElement | HTMLSelectElement;
    const key = control.id as keyof LogFilter;
    fireEvent(this, 'filter-changed', { ...this.filter, [key]: control.value.trim() });
  }

  private _text(key: 'q' | 'tool' | 'client', type: 'search' | 'text', list?: string) {
    return html`<label>
      <span class="muted">${localize(`logs.filter.${key}`)}</span>
      <input
        type=${type}
        id=${key}
        list=${list ?? ''}
        .value=${this.filter[key]}
        @input=${this._handleChange}
      />
    </label>`;
  }

  /** A labelled select with "Any" first (the label is outside, so the options are not part of its name). */
  private _select(key: 'outcome' | 'user', options: { value: string; text: string }[]) {
    return html`<span class="filter">
      <label class="muted" for=${key}>${localize(`logs.filter.${key}`)}</label>
      <select id=${key} @change=${this._handleChange}>
        <option value="">${localize('logs.any')}</option>
        ${options.map(
          (o) => html`<option value=${o.value} ?selected=${this.filter[key] === o.value}>${o.text}</option>`
        )}
      </select>
    </span>`;
  }

  private _time(key: 'from' | 'to') {
    return html`<label>
      <span class="muted">${localize(`logs.filter.${key}`)}</span>
      <input
        type="datetime-local"
        id=${key}
        step="1"
        .value=${this.filter[key]}
        @change=${this._handleChange}
      />
    </label>`;
  }

  override render() {
    return html`<div class="row" role="search" aria-label=${localize('logs.filter.label')}>
      ${this._text('q', 'search')} ${this._text('tool', 'text', 'tool-names')}
      <datalist id="tool-names">${this.tools.map((t) => html`<option value=${t}></option>`)}</datalist>
      ${this._select(
        'outcome',
        OUTCOMES.map((o) => ({ value: o, text: localize(`logs.outcomes.${o}`) }))
      )}
      ${this._select(
        'user',
        this.users.map((u) => ({ value: u.id, text: u.name }))
      )}
      ${this._text('client', 'text')} ${this._time('from')} ${this._time('to')}
    </div>`;
  }

  static override styles = sharedStyles;
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-log-filter': HaMcpLogFilter;
  }
}
