/**
 * The request log: a filtered table, newest first, with older pages on demand (keyset paging); a live
 * tail (Server-Sent Events) that puts new rows on top as they are written; a detail view of one request;
 * and export of the filtered rows as CSV or JSON. Anyone but an administrator gets only their own requests
 * from the server, everywhere (pages, exports, the tail), and a note here saying so.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { fetchClients } from '../data/clients';
import {
  fetchLogPage,
  followLog,
  logExportUrl,
  NO_FILTER,
  POLL_MS,
  type LiveState,
  type LogFilter,
  type LogRow,
} from '../data/logs';
import type { PanelEvent } from '../components/fire-event';
import { messageOf, milliseconds, when } from '../format';
import { localize } from '../localize';
import { sharedStyles } from '../components/styles';
import '../components/ha-mcp-log-filter';
import '../components/ha-mcp-log-detail';

/** Typing in a filter reloads once the typing pauses. */
const FILTER_PAUSE_MS = 250;

@customElement('ha-mcp-logs')
export class HaMcpLogs extends LitElement {
  /** The tools offered now, suggested in the tool filter. */
  @property({ attribute: false }) tools: string[] = [];
  /** The viewer sees only their own requests (not an administrator). */
  @property({ type: Boolean }) ownOnly = false;
  @state() private _rows: LogRow[] = [];
  @state() private _next: string | null = null;
  @state() private _loading = true;
  @state() private _error?: string;
  @state() private _filter: LogFilter = NO_FILTER;
  @state() private _users: { id: string; name: string }[] = [];
  @state() private _live = false;
  @state() private _liveState: LiveState | 'off' = 'off';
  @state() private _gap = 0;
  @state() private _detail?: LogRow;
  private _unfollow?: () => void;
  private _timer?: number;
  /** Only the answer to the latest request counts (filters change while a page is on its way). */
  private _loadSeq = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
    void this._loadUsers();
  }

  override disconnectedCallback(): void {
    window.clearTimeout(this._timer);
    this._stopTail();
    super.disconnectedCallback();
  }

  private async _load(more = false): Promise<void> {
    const seq = ++this._loadSeq;
    this._loading = true;
    try {
      const page = await fetchLogPage(this._filter, more ? (this._next ?? undefined) : undefined);
      if (seq !== this._loadSeq) return;
      const known = new Set(this._rows.map((r) => r.id));
      this._rows = more ? [...this._rows, ...page.rows.filter((r) => !known.has(r.id))] : page.rows;
      this._next = page.next;
      this._error = undefined;
    } catch (err) {
      if (seq === this._loadSeq) this._error = messageOf(err);
    } finally {
      if (seq === this._loadSeq) this._loading = false;
    }
  }

  /** The users the log knows, for the user filter (the clients list names them; a plain user, only them). */
  private async _loadUsers(): Promise<void> {
    try {
      const users = new Map<string, string>();
      for (const c of await fetchClients()) if (c.userId) users.set(c.userId, c.userName ?? c.userId);
      this._users = [...users].map(([id, name]) => ({ id, name }));
    } catch {
      this._users = [];
    }
  }

  private _handleFilter(event: PanelEvent<'filter-changed'>): void {
    this._filter = event.detail.value;
    window.clearTimeout(this._timer);
    this._timer = window.setTimeout(() => {
      void this._load();
      if (this._live) this._startTail();
    }, FILTER_PAUSE_MS);
  }

  /** New requests on top, as the tail brings them or, where the stream is held back, as polling finds them. */
  private _startTail(): void {
    this._stopTail();
    this._unfollow = followLog(this._filter, {
      rows: (rows) => {
        const known = new Set(this._rows.map((r) => r.id));
        const fresh = rows.filter((r) => !known.has(r.id));
        if (fresh.length) this._rows = [...fresh, ...this._rows];
      },
      gap: (dropped) => (this._gap += dropped),
      state: (state) => (this._liveState = state),
    });
  }

  private _stopTail(): void {
    this._unfollow?.();
    this._unfollow = undefined;
    this._liveState = 'off';
  }

  private _handleLive(event: Event): void {
    this._live = (event.target as HTMLInputElement).checked;
    if (this._live) this._startTail();
    else this._stopTail();
  }

  private _handleDetailClosed(): void {
    this._detail = undefined;
  }

  private _handleMore(): void {
    void this._load(true);
  }

  private _handleRowClick(event: Event): void {
    void this._open(event.currentTarget as HTMLElement);
  }

  private _handleRowKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    void this._open(event.currentTarget as HTMLElement);
  }

  /** Shows the request of a table row above the table and moves focus (and the scroll position) to it. */
  private async _open(tr: HTMLElement): Promise<void> {
    const row = this._rows.find((r) => String(r.id) === tr.dataset.row);
    if (!row) return;
    this._detail = row;
    await this.updateComplete;
    this.renderRoot.querySelector('ha-mcp-log-detail')?.focus();
  }

  override render() {
    return html`
      <section class="card">
        <div class="row card-header">
          <h2>${localize('logs.heading')}</h2>
          <span class="spacer"></span>
          <label>
            <input
              class="switch"
              type="checkbox"
              id="live"
              .checked=${this._live}
              @change=${this._handleLive}
            />
            ${localize('logs.live')}
          </label>
          <span class="muted small" role="status" data-testid="live-state">
            ${this._live ? localize(`logs.live_state.${this._liveState}`, { seconds: POLL_MS / 1000 }) : ''}
          </span>
          <a class="button secondary" href=${logExportUrl(this._filter, 'csv')} download
            >${localize('logs.export_csv')}</a
          >
          <a class="button secondary" href=${logExportUrl(this._filter, 'json')} download
            >${localize('logs.export_json')}</a
          >
        </div>
        ${
          this.ownOnly
            ? html`<p class="alert info" data-testid="own-only">${localize('logs.own_only')}</p>`
            : nothing
        }
        <ha-mcp-log-filter
          .filter=${this._filter}
          .tools=${this.tools}
          .users=${this._users}
          @filter-changed=${this._handleFilter}
        ></ha-mcp-log-filter>
      </section>

      ${this._error ? html`<p class="alert error" role="alert">${this._error}</p>` : nothing}
      ${this._gap ? html`<p class="alert warning">${localize('logs.gap', { count: this._gap })}</p>` : nothing}
      ${
        this._detail
          ? html`<ha-mcp-log-detail
              .row=${this._detail}
              @closed=${this._handleDetailClosed}
            ></ha-mcp-log-detail>`
          : nothing
      }
      <section class="card">${this._renderTable()}</section>
    `;
  }

  private _renderTable() {
    if (this._rows.length === 0) {
      return this._loading
        ? html`<p class="muted" aria-busy="true">${localize('common.loading')}</p>`
        : html`<p class="muted">${localize('logs.none')}</p>`;
    }
    return html`<div class="table-wrap">
        <table data-testid="log-table">
          <thead>
            <tr>
              <th>${localize('logs.time')}</th>
              <th>${localize('logs.user')}</th>
              <th>${localize('logs.client')}</th>
              <th>${localize('logs.request')}</th>
              <th>${localize('logs.outcome')}</th>
              <th>${localize('logs.latency')}</th>
            </tr>
          </thead>
          <tbody>
            ${this._rows.map((row) => this._renderRow(row))}
          </tbody>
        </table>
      </div>
      ${
        this._loading
          ? html`<p class="muted" aria-busy="true">${localize('common.loading')}</p>`
          : this._next
            ? html`<button class="secondary" @click=${this._handleMore}>${localize('logs.more')}</button>`
            : html`<p class="muted small">${localize('logs.end')}</p>`
      }`;
  }

  private _renderRow(row: LogRow) {
    return html`<tr
      class="clickable ${this._detail?.id === row.id ? 'selected' : ''}"
      tabindex="0"
      data-row=${row.id}
      @click=${this._handleRowClick}
      @keydown=${this._handleRowKeydown}
    >
      <td class="small">${when(row.time)}</td>
      <td>${row.userName ?? '—'}</td>
      <td>
        ${row.clientName ?? '—'}${row.clientVersion ? html` <span class="muted small">${row.clientVersion}</span>` : nothing}
      </td>
      <td>
        <code class="small">${row.method ?? '—'}${row.target ? ` ${row.target}` : ''}</code>
      </td>
      <td>
        <span class="chip ${row.outcome === 'ok' ? 'ok' : 'bad'}"
          >${localize(`logs.outcomes.${row.outcome}`)}</span
        >
      </td>
      <td class="small">${milliseconds(row.latencyMs)}</td>
    </tr>`;
  }

  static override styles = [
    sharedStyles,
    css`
      tr.clickable {
        cursor: pointer;
      }
      tr.selected,
      tr.selected:hover {
        background: color-mix(in srgb, var(--primary-color) 8%, transparent);
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-logs': HaMcpLogs;
  }
}
