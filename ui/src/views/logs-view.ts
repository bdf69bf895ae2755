/**
 * The request log: a filtered table, newest first, with older pages on demand; a live tail (Server-Sent
 * Events) that puts new rows on top as they are written; a detail view of one request; and export of the
 * filtered rows as CSV or JSON.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, apiUrl, OUTCOMES, query, type LoggedRequest, type LogPage } from '../data/api';
import { messageOf, when } from '../format';
import { localize } from '../localize';
import { panelStyles } from '../components/styles';

interface Filter {
  q: string;
  outcome: string;
  tool: string;
}

const pretty = (json: string | null) => {
  if (!json) return '—';
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
};

@customElement('ha-mcp-logs')
export class LogsView extends LitElement {
  @state() private _rows: LoggedRequest[] = [];
  @state() private _next: string | null = null;
  @state() private _loading = true;
  @state() private _error?: string;
  @state() private _filter: Filter = { q: '', outcome: '', tool: '' };
  @state() private _live = false;
  @state() private _liveState: 'off' | 'connecting' | 'on' | 'retrying' = 'off';
  @state() private _gap = 0;
  @state() private _detail?: LoggedRequest;
  private _source?: EventSource;
  private _timer?: number;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override disconnectedCallback(): void {
    this._stopTail();
    super.disconnectedCallback();
  }

  private get _query(): Record<string, string | undefined> {
    return {
      q: this._filter.q || undefined,
      outcome: this._filter.outcome || undefined,
      tool: this._filter.tool || undefined,
    };
  }

  private async _load(more = false): Promise<void> {
    this._loading = true;
    try {
      const cursor = more ? (this._next ?? undefined) : undefined;
      const page = await api<LogPage>(`/logs${query({ ...this._query, limit: '100', cursor })}`);
      this._rows = more ? [...this._rows, ...page.rows] : page.rows;
      this._next = page.next;
      this._error = undefined;
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._loading = false;
    }
  }

  private _setFilter(patch: Partial<Filter>, debounce = false): void {
    this._filter = { ...this._filter, ...patch };
    window.clearTimeout(this._timer);
    const reload = () => {
      void this._load();
      if (this._live) this._startTail();
    };
    if (debounce) this._timer = window.setTimeout(reload, 250);
    else reload();
  }

  private _startTail(): void {
    this._stopTail();
    this._liveState = 'connecting';
    const source = new EventSource(apiUrl('/logs/tail', this._query));
    source.addEventListener('ready', () => (this._liveState = 'on'));
    source.addEventListener('row', (event) => {
      const row = JSON.parse((event as MessageEvent<string>).data) as LoggedRequest;
      if (!this._rows.some((r) => r.id === row.id)) this._rows = [row, ...this._rows].slice(0, 1_000);
    });
    source.addEventListener('gap', (event) => {
      this._gap += (JSON.parse((event as MessageEvent<string>).data) as { dropped: number }).dropped;
    });
    source.onerror = () => (this._liveState = 'retrying');
    this._source = source;
  }

  private _stopTail(): void {
    this._source?.close();
    this._source = undefined;
    this._liveState = 'off';
  }

  private _toggleLive(on: boolean): void {
    this._live = on;
    if (on) this._startTail();
    else this._stopTail();
  }

  override render() {
    return html`
      <section class="card">
        <div class="row">
          <h2 style="margin:0">${localize('logs.heading')}</h2>
          <span class="spacer"></span>
          <label>
            <input
              class="switch"
              type="checkbox"
              id="live"
              .checked=${this._live}
              @change=${(e: Event) => this._toggleLive((e.target as HTMLInputElement).checked)}
            />
            ${localize('logs.live')}
          </label>
          <span class="muted small" role="status" data-testid="live-state">
            ${this._live ? localize(`logs.live_state.${this._liveState}`) : ''}
          </span>
        </div>
        <div class="row" role="search" style="margin-top:12px">
          <label>
            <span class="muted">${localize('logs.search')}</span>
            <input
              type="search"
              id="q"
              .value=${this._filter.q}
              @input=${(e: Event) => this._setFilter({ q: (e.target as HTMLInputElement).value }, true)}
            />
          </label>
          <label>
            <span class="muted">${localize('logs.tool')}</span>
            <input
              type="text"
              id="tool"
              .value=${this._filter.tool}
              @input=${(e: Event) => this._setFilter({ tool: (e.target as HTMLInputElement).value.trim() }, true)}
            />
          </label>
          <label>
            <span class="muted">${localize('logs.outcome')}</span>
            <select
              id="outcome"
              @change=${(e: Event) => this._setFilter({ outcome: (e.target as HTMLSelectElement).value })}
            >
              <option value="">${localize('logs.any')}</option>
              ${OUTCOMES.map((o) => html`<option value=${o}>${localize(`logs.outcomes.${o}`)}</option>`)}
            </select>
          </label>
          <span class="spacer"></span>
          <a
            class="button secondary"
            href=${apiUrl('/logs/export', { ...this._query, format: 'csv' })}
            download
            >${localize('logs.export_csv')}</a
          >
          <a
            class="button secondary"
            href=${apiUrl('/logs/export', { ...this._query, format: 'json' })}
            download
            >${localize('logs.export_json')}</a
          >
        </div>
      </section>

      ${this._error ? html`<p class="alert error" role="alert">${this._error}</p>` : nothing}
      ${this._gap ? html`<p class="alert warning">${localize('logs.gap', { count: this._gap })}</p>` : nothing}
      ${this._detail ? this._renderDetail(this._detail) : nothing}

      <section class="card">
        ${
          this._rows.length === 0 && !this._loading
            ? html`<p class="muted">${localize('logs.none')}</p>`
            : html`<div class="table-wrap">
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
                    ${this._rows.map(
                      (row) =>
                        html`<tr
                          class="clickable ${this._detail?.id === row.id ? 'selected' : ''}"
                          tabindex="0"
                          data-row=${row.id}
                          @click=${() => (this._detail = row)}
                          @keydown=${(e: KeyboardEvent) => {
                            if (e.key === 'Enter' || e.key === ' ') {
                              e.preventDefault();
                              this._detail = row;
                            }
                          }}
                        >
                          <td class="small">${when(row.time)}</td>
                          <td>${row.userName ?? '—'}</td>
                          <td>
                            ${row.clientName ?? '—'}${row.clientVersion ? html` <span class="muted small">${row.clientVersion}</span>` : nothing}
                          </td>
                          <td>
                            <code class="small"
                              >${row.method ?? '—'}${row.target ? ` ${row.target}` : ''}</code
                            >
                          </td>
                          <td>
                            <span class="chip ${row.outcome === 'ok' ? 'ok' : 'bad'}"
                              >${localize(`logs.outcomes.${row.outcome}`)}</span
                            >
                          </td>
                          <td class="small">${row.latencyMs.toFixed(1)} ms</td>
                        </tr>`
                    )}
                  </tbody>
                </table>
              </div>`
        }
        ${this._loading ? html`<p class="muted" aria-busy="true">${localize('common.loading')}</p>` : nothing}
        ${
          this._next && !this._loading
            ? html`<button class="secondary" @click=${() => void this._load(true)}>
                ${localize('logs.more')}
              </button>`
            : nothing
        }
      </section>
    `;
  }

  private _renderDetail(row: LoggedRequest) {
    const facts: [string, string][] = [
      [localize('logs.time'), when(row.time)],
      [localize('logs.user'), `${row.userName ?? '—'}${row.userId ? ` (${row.userId})` : ''}`],
      [localize('logs.client'), `${row.clientName ?? '—'} ${row.clientVersion ?? ''}`],
      [localize('logs.detail.agent'), row.userAgent ?? '—'],
      [localize('logs.detail.address'), row.address ?? '—'],
      [localize('logs.detail.auth'), row.auth ?? '—'],
      [localize('logs.detail.protocol'), row.protocolVersion ?? '—'],
      [localize('logs.request'), `${row.method ?? '—'}${row.target ? ` ${row.target}` : ''}`],
      [
        localize('logs.outcome'),
        `${localize(`logs.outcomes.${row.outcome}`)}${row.httpStatus ? ` · HTTP ${row.httpStatus}` : ''}${row.errorCode !== null ? ` · ${row.errorCode}` : ''}`,
      ],
      [localize('logs.latency'), `${row.latencyMs.toFixed(1)} ms`],
      [localize('logs.detail.size'), row.responseBytes === null ? '—' : `${row.responseBytes} bytes`],
    ];
    return html`<section class="card" aria-labelledby="detail-heading" data-testid="log-detail">
      <div class="row">
        <h2 id="detail-heading" style="margin:0">${localize('logs.detail.heading')}</h2>
        <span class="spacer"></span>
        <button class="secondary" @click=${() => (this._detail = undefined)}>
          ${localize('common.close')}
        </button>
      </div>
      <table class="facts">
        ${facts.map(
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
              <pre>${row.error}</pre>`
          : nothing
      }
    </section>`;
  }

  static override styles = panelStyles;
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-logs': LogsView;
  }
}
