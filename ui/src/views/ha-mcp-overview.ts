/** Overview: the link to HA, where clients connect, what they are offered, and the last day's traffic. */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { OverviewAnswer } from '../data/overview';
import { localize } from '../localize';
import { sharedStyles } from '../components/styles';

@customElement('ha-mcp-overview')
export class HaMcpOverview extends LitElement {
  @property({ attribute: false }) overview?: OverviewAnswer;
  @property({ attribute: false }) error?: string;

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
          <div class="figure" data-testid="exposed-count">${o.entities ? o.entities.exposed : '—'}</div>
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
          <div class="figure" data-testid="calls-24h">${o.requests ? o.requests.calls : '—'}</div>
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
    `;
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
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-overview': HaMcpOverview;
  }
}
