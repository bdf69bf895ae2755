/**
 * Clients: who has used the MCP endpoint, with which client, and how it went over the last day; OAuth
 * sign-ins. Anyone but an administrator gets only their own from the server, and a note here saying so.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  fetchClients,
  fetchGrants,
  revokeGrant,
  setGrantAsksEverything,
  type ClientRow,
  type GrantRow,
} from '../data/clients';
import { ago, count, messageOf, milliseconds, when } from '../format';
import { localize } from '../localize';
import { sharedStyles } from '../components/styles';

@customElement('ha-mcp-clients')
export class HaMcpClients extends LitElement {
  @property({ type: Boolean }) readOnly = true;
  /** The viewer sees only their own clients and sign-ins (not an administrator). */
  @property({ type: Boolean }) ownOnly = false;
  @state() private _clients?: ClientRow[];
  @state() private _grants?: GrantRow[];
  @state() private _error?: string;
  @state() private _grantError?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  private async _load(): Promise<void> {
    try {
      const [clients, grants] = await Promise.all([fetchClients(), fetchGrants()]);
      this._clients = clients;
      this._grants = grants;
      this._error = undefined;
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  /** The button's row names the sign-in. */
  private async _handleRevoke(event: Event): Promise<void> {
    const id = (event.target as HTMLElement).closest<HTMLElement>('tr[data-grant]')?.dataset.grant;
    if (!id) return;
    this._grantError = undefined;
    try {
      await revokeGrant(id);
      this._grants = this._grants?.filter((g) => g.id !== id);
    } catch (err) {
      this._grantError = messageOf(err);
    }
  }

  /** The switch's row names the sign-in; the list shows what the server says is now in force. */
  private async _handleAsksEverything(event: Event): Promise<void> {
    const box = event.target as HTMLInputElement;
    const id = box.closest<HTMLElement>('tr[data-grant]')?.dataset.grant;
    if (!id) return;
    this._grantError = undefined;
    try {
      const grant = await setGrantAsksEverything(id, box.checked);
      this._grants = this._grants?.map((g) => (g.id === id ? grant : g));
    } catch (err) {
      box.checked = !box.checked;
      this._grantError = messageOf(err);
    }
  }

  override render() {
    if (this._error) return html`<p class="alert error" role="alert">${this._error}</p>`;
    const clients = this._clients;
    if (!clients) return html`<p class="muted" aria-busy="true">${localize('common.loading')}</p>`;
    return html`
      <section class="card" aria-labelledby="clients-heading">
        <h2 id="clients-heading">${localize('clients.heading')}</h2>
        ${
          this.ownOnly
            ? html`<p class="alert info" data-testid="own-only">${localize('clients.own_only')}</p>`
            : nothing
        }
        ${
          clients.length === 0
            ? html`<p class="muted">
                ${localize('clients.none')} <a href="#connect">${localize('panel.tabs.connect')}</a>
              </p>`
            : html`<div class="table-wrap">
                <table data-testid="clients-table">
                  <thead>
                    <tr>
                      <th>${localize('clients.client')}</th>
                      <th>${localize('clients.user')}</th>
                      <th>${localize('clients.last_seen')}</th>
                      <th>${localize('clients.calls')}</th>
                      <th>${localize('clients.errors')}</th>
                      <th>${localize('clients.latency')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${clients.map(
                      (c) =>
                        html`<tr>
                          <td>
                            ${c.name ?? html`<span class="muted">${localize('clients.unnamed')}</span>`}
                            ${c.version ? html`<span class="muted small">${c.version}</span>` : nothing}
                            ${c.userAgent ? html`<div class="muted small">${c.userAgent}</div>` : nothing}
                          </td>
                          <td>${c.userName ?? '—'}</td>
                          <td title=${when(c.lastSeen)}>${ago(c.lastSeen)}</td>
                          <td>
                            ${c.range?.calls ?? 0}
                            <div class="muted small">
                              ${localize('clients.total', { count: c.total?.calls ?? 0 })}
                            </div>
                          </td>
                          <td>${c.range?.errors ?? 0}</td>
                          <td class="small">
                            ${c.range ? `${count(Math.round(c.range.p50Ms))} / ${milliseconds(Math.round(c.range.p95Ms))}` : '—'}
                          </td>
                        </tr>`
                    )}
                  </tbody>
                </table>
              </div>`
        }
        <p class="muted small">${localize('clients.range')}</p>
      </section>
      <section class="card" aria-labelledby="grants-heading">
        <h2 id="grants-heading">${localize('clients.grants.heading')}</h2>
        ${this._grantError ? html`<p class="alert error" role="alert">${this._grantError}</p>` : nothing}
        ${
          !this._grants?.length
            ? html`<p class="muted">${localize('clients.grants.none')}</p>`
            : html`<div class="table-wrap">
                <table data-testid="grants-table">
                  <thead>
                    <tr>
                      <th>${localize('clients.client')}</th>
                      <th>${localize('clients.user')}</th>
                      <th>${localize('clients.grants.access')}</th>
                      <th title=${localize('clients.grants.asks_everything_help')}>
                        ${localize('clients.grants.asks_everything')}
                      </th>
                      <th>${localize('clients.grants.since')}</th>
                      <th>${localize('clients.last_seen')}</th>
                      <th></th>
                    </tr>
                  </thead>
                  <tbody>
                    ${this._grants.map(
                      (g) =>
                        html`<tr data-grant=${g.id}>
                          <td>
                            ${g.clientName ?? g.clientId}
                            <div class="muted small">${g.clientId}</div>
                          </td>
                          <td>${g.userName}</td>
                          <td>
                            ${g.readOnly ? localize('clients.grants.read_only') : localize('clients.grants.control')}
                          </td>
                          <td>
                            <input
                              class="switch"
                              type="checkbox"
                              data-testid="asks-everything"
                              .checked=${g.asksEverything === true}
                              ?disabled=${this.readOnly || g.readOnly}
                              aria-label=${localize('clients.grants.asks_everything_for', { client: g.clientName ?? g.clientId, user: g.userName })}
                              title=${localize('clients.grants.asks_everything_help')}
                              @change=${this._handleAsksEverything}
                            />
                          </td>
                          <td title=${when(g.created)}>${ago(g.created)}</td>
                          <td>${g.lastUsed ? ago(g.lastUsed) : '—'}</td>
                          <td>
                            <button
                              class="secondary"
                              ?disabled=${this.readOnly}
                              aria-label=${localize('clients.grants.revoke_for', { client: g.clientName ?? g.clientId, user: g.userName })}
                              @click=${this._handleRevoke}
                            >
                              ${localize('clients.grants.revoke')}
                            </button>
                          </td>
                        </tr>`
                    )}
                  </tbody>
                </table>
              </div>`
        }
      </section>
    `;
  }

  static override styles = sharedStyles;
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-clients': HaMcpClients;
  }
}
