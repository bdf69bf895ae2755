/**
 * Overview: the link to HA, where clients connect, what they are offered, the last day's traffic, and the
 * activity charts (requests by outcome, latency, busiest tools and clients) over 24 hours or 7 days.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { OverviewAnswer } from '../data/overview';
import {
  fetchClientsUsage,
  fetchSeries,
  fetchToolsUsage,
  type SeriesAnswer,
  type SeriesRange,
} from '../data/usage-series';
import { count, messageOf } from '../format';
import { localize } from '../localize';
import { sharedStyles } from '../components/styles';
import type { TopRow } from '../components/ha-mcp-chart-top';
import '../components/ha-mcp-chart-latency';
import '../components/ha-mcp-chart-requests';
import '../components/ha-mcp-chart-top';

const RANGES: SeriesRange[] = ['24h', '7d'];
/** The busiest how many tools and clients. */
const TOP = 5;

@customElement('ha-mcp-overview')
export class HaMcpOverview extends LitElement {
  @property({ attribute: false }) overview?: OverviewAnswer;
  @property({ attribute: false }) error?: string;
  @state() private _range: SeriesRange = '24h';
  @state() private _series?: SeriesAnswer;
  @state() private _tools?: TopRow[];
  @state() private _clients?: TopRow[];
  @state() private _chartError?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._loadCharts();
  }

  /** The series first: the busiest lists ask for its exact range, so all four count the same requests. */
  private async _loadCharts(): Promise<void> {
    const range = this._range;
    try {
      const series = await fetchSeries(range);
      const [tools, clients] = await Promise.all([fetchToolsUsage(series), fetchClientsUsage(series)]);
      if (range !== this._range) return;
      this._series = series;
      this._tools = tools.tools.slice(0, TOP).map((t) => ({ label: t.tool, ...t }));
      this._clients = clients.clients
        .flatMap((c) => (c.range ? [{ ...c.range, label: clientLabel(c.name, c.userName) }] : []))
        .sort((a, b) => b.calls - a.calls)
        .slice(0, TOP);
      this._chartError = undefined;
    } catch (err) {
      this._chartError = messageOf(err);
    }
  }

  private _handleRange(range: SeriesRange): void {
    if (range === this._range) return;
    this._range = range;
    this._series = this._tools = this._clients = undefined;
    void this._loadCharts();
  }

  override render() {
    const o = this.overview;
    if (!o) {
      return this.error ? nothing : html`<p class="muted" aria-busy="true">${localize('common.loading')}</p>`;
    }
    const linked = o.home.status === 'ready';
    return html`
      <section class="card" aria-labelledby="link">
        <h2 id="link">${localize('overview.link.heading')}</h2>
        ${
          linked
            ? nothing
            : html`<p class="alert warning" role="status">${localize(`overview.link.${o.home.status}`)}</p>`
        }
        <div class="grid">
          <div>
            <div class="muted small">${localize('overview.link.status')}</div>
            <div class="figure" data-testid="link-status">
              <span class="chip ${linked ? 'ok' : 'bad'}"
                >${localize(`overview.status.${o.home.status}`)}</span
              >
            </div>
          </div>
          <div>
            <div class="muted small">${localize('overview.link.ha_version')}</div>
            <div class="figure" data-testid="ha-version">${o.home.haVersion ?? '—'}</div>
          </div>
          <div>
            <div class="muted small">${localize('overview.link.home')}</div>
            <div class="figure">${o.home.locationName ?? '—'}</div>
          </div>
          <div>
            <div class="muted small">${localize('overview.link.addon')}</div>
            <div class="figure">${o.version}</div>
          </div>
        </div>
      </section>

      <section class="card" aria-labelledby="urls">
        <h2 id="urls">${localize('overview.urls.heading')}</h2>
        ${
          o.mcp.urls.length
            ? html`<ul>
                ${o.mcp.urls.map(
                  (u) =>
                    html`<li>
                      <code data-testid="mcp-url">${u.url}</code>
                      <span class="muted small"
                        >${localize(`overview.urls.${u.kind}`, { port: o.mcp.port })}</span
                      >
                    </li>`
                )}
              </ul>`
            : html`<p class="muted">${localize('overview.urls.none', { port: o.mcp.port })}</p>`
        }
        ${
          o.mcp.cloud
            ? html`<p class="alert info" role="note" data-testid="cloud-note">
                ${localize('overview.urls.cloud', { host: o.mcp.cloud, port: o.mcp.port })}
              </p>`
            : nothing
        }
        <p class="muted small">
          ${localize('overview.urls.hint')} <a href="#connect">${localize('panel.tabs.connect')}</a>
        </p>
      </section>

      <section class="grid">
        <div class="card">
          <h2>${localize('overview.exposed.heading')}</h2>
          <div class="figure" data-testid="exposed-count">
            ${o.entities ? count(o.entities.exposed) : '—'}
          </div>
          <div class="muted small">
            ${o.entities ? localize('overview.exposed.of', { total: o.entities.total }) : localize('overview.away')}
          </div>
          <p><a href="#entities">${localize('overview.exposed.manage')}</a></p>
        </div>
        <div class="card">
          <h2>${localize('overview.tools.heading')}</h2>
          <div class="figure" data-testid="tool-count">${o.tools ? o.tools.length : '—'}</div>
          <details>
            <summary class="muted small">${localize('overview.tools.list')}</summary>
            <ul class="small">
              ${(o.tools ?? []).map((t) => html`<li><code>${t}</code></li>`)}
            </ul>
          </details>
        </div>
        <div class="card">
          <h2>
            ${
              o.user.isAdmin === true
                ? localize('overview.requests.heading')
                : localize('overview.requests.own')
            }
          </h2>
          <div class="figure" data-testid="calls-24h">${o.requests ? count(o.requests.calls) : '—'}</div>
          <div class="muted small">
            ${
              o.requests
                ? localize('overview.requests.errors', { errors: o.requests.errors })
                : localize('overview.requests.away')
            }
          </div>
          <p><a href="#logs">${localize('overview.requests.logs')}</a></p>
        </div>
      </section>
      ${this._renderCharts()}
    `;
  }

  private _renderTop(what: 'tools' | 'clients', rows: TopRow[] | undefined) {
    const heading = localize(`charts.top.${what}`);
    return titled(
      heading,
      html`<ha-mcp-chart-top data-testid="chart-${what}" heading=${heading} .rows=${rows}></ha-mcp-chart-top>`
    );
  }

  private _renderCharts() {
    return html`<section class="card" aria-labelledby="activity" data-testid="activity">
      <div class="row card-header">
        <h2 id="activity">${localize('charts.heading')}</h2>
        <span class="spacer"></span>
        <div class="segmented" role="group" aria-label=${localize('charts.range')}>
          ${RANGES.map(
            (r) =>
              html`<button
                class=${r === this._range ? '' : 'secondary'}
                aria-pressed=${r === this._range}
                @click=${() => this._handleRange(r)}
              >
                ${localize(`charts.ranges.${r}`)}
              </button>`
          )}
        </div>
      </div>
      ${
        this._chartError
          ? html`<p class="alert error" role="alert">${this._chartError}</p>`
          : html`<div class="charts">
              ${titled(
                localize('charts.requests.heading'),
                html`<ha-mcp-chart-requests
                  data-testid="chart-requests"
                  .series=${this._series}
                ></ha-mcp-chart-requests>`
              )}
              ${titled(
                localize('charts.latency.heading'),
                html`<ha-mcp-chart-latency
                  data-testid="chart-latency"
                  .series=${this._series}
                ></ha-mcp-chart-latency>`
              )}
              ${this._renderTop('tools', this._tools)} ${this._renderTop('clients', this._clients)}
            </div>`
      }
    </section>`;
  }

  static override styles = [
    sharedStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
        gap: var(--ha-space-4, 16px);
      }
      .figure {
        font-size: var(--ha-font-size-2xl, 24px);
      }
      .charts {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: var(--ha-space-6, 24px);
      }
      @media (max-width: 720px) {
        .charts {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      h3 {
        margin: 0 0 var(--ha-space-2, 8px);
        font-size: var(--ha-font-size-l, 16px);
        font-weight: var(--ha-font-weight-medium, 500);
      }
      .segmented button {
        min-height: 32px;
      }
    `,
  ];
}

const titled = (heading: string, chart: unknown) =>
  html`<div>
    <h3>${heading}</h3>
    ${chart}
  </div>`;

/** A client as the busiest list names it: its name (or that it gave none), and whose it is. */
function clientLabel(name: string | null, userName: string | null): string {
  const client = name ?? localize('charts.top.unnamed');
  return userName ? `${client} · ${userName}` : client;
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-overview': HaMcpOverview;
  }
}
