/**
 * Connect: ready-to-paste setup for each client, filled with this installation's MCP URL, and a test that
 * checks the endpoint end to end from the add-on and says in plain words what is wrong.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, type ConnectionTest, type Overview } from '../data/api';
import { messageOf } from '../format';
import { localize } from '../localize';
import { panelStyles } from '../components/styles';
import { recipes } from './recipes';

@customElement('ha-mcp-connect')
export class ConnectView extends LitElement {
  @property({ attribute: false }) overview?: Overview;
  @state() private _url?: string;
  @state() private _token = '';
  @state() private _testing = false;
  @state() private _test?: ConnectionTest;
  @state() private _testError?: string;
  @state() private _copied?: string;

  private get _chosenUrl(): string | undefined {
    return this._url ?? this.overview?.mcp.urls[0]?.url;
  }

  private async _copy(id: string, text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this._copied = id;
    } catch {
      this._copied = undefined;
    }
  }

  private async _runTest(event: Event): Promise<void> {
    event.preventDefault();
    this._testing = true;
    this._test = undefined;
    this._testError = undefined;
    try {
      this._test = await api<ConnectionTest>('/connection-test', {
        json: { url: this._chosenUrl, ...(this._token && { token: this._token }) },
      });
    } catch (err) {
      this._testError = messageOf(err);
    } finally {
      this._testing = false;
    }
  }

  override render() {
    if (!this.overview) return html`<p class="muted" aria-busy="true">${localize('common.loading')}</p>`;
    const url = this._chosenUrl;
    return html`
      <section class="card" aria-labelledby="connect-heading">
        <h2 id="connect-heading">${localize('connect.heading')}</h2>
        ${
          url
            ? html`<div class="field">
                <label for="url">${localize('connect.url')}</label>
                <select id="url" @change=${(e: Event) => (this._url = (e.target as HTMLSelectElement).value)}>
                  ${this.overview.mcp.urls.map(
                    (u) =>
                      html`<option value=${u.url} ?selected=${u.url === url}>
                        ${u.url} — ${localize(`overview.urls.${u.kind}`)}
                      </option>`
                  )}
                </select>
              </div>`
            : html`<p class="alert warning">${localize('connect.no_url')}</p>`
        }
        <p class="muted">${localize('connect.token_help')}</p>
      </section>

      <section class="card" aria-labelledby="test-heading">
        <h2 id="test-heading">${localize('connect.test.heading')}</h2>
        <form class="row" @submit=${this._runTest}>
          <label>
            <span>${localize('connect.test.token')}</span>
            <input
              type="password"
              id="token"
              autocomplete="off"
              .value=${this._token}
              @input=${(e: Event) => (this._token = (e.target as HTMLInputElement).value.trim())}
            />
          </label>
          <button type="submit" ?disabled=${!url || this._testing}>
            ${this._testing ? localize('connect.test.running') : localize('connect.test.run')}
          </button>
        </form>
        <p class="muted small">${localize('connect.test.help')}</p>
        ${this._testError ? html`<p class="alert error" role="alert">${this._testError}</p>` : nothing}
        ${
          this._test
            ? html`<ul data-testid="connection-checks">
                ${this._test.checks.map(
                  (check) =>
                    html`<li>
                      <span class="chip ${check.ok ? 'ok' : 'bad'}"
                        >${check.ok ? localize('connect.test.ok') : localize('connect.test.failed')}</span
                      >
                      <strong>${check.name}</strong>: ${check.detail}
                    </li>`
                )}
              </ul>`
            : nothing
        }
      </section>

      ${
        url
          ? recipes(url).map(
              (recipe) =>
                html`<section class="card" aria-labelledby="recipe-${recipe.id}">
                  <div class="row">
                    <h2 id="recipe-${recipe.id}" style="margin:0">${recipe.client}</h2>
                    <span class="spacer"></span>
                    ${
                      recipe.code
                        ? html`<button
                            class="secondary"
                            @click=${() => void this._copy(recipe.id, recipe.code!)}
                          >
                            ${this._copied === recipe.id ? localize('connect.copied') : localize('connect.copy')}
                          </button>`
                        : nothing
                    }
                  </div>
                  <p class="muted">${recipe.where}</p>
                  ${recipe.code ? html`<pre data-recipe=${recipe.id}>${recipe.code}</pre>` : nothing}
                  ${recipe.note ? html`<p class="small muted">${recipe.note}</p>` : nothing}
                </section>`
            )
          : nothing
      }
    `;
  }

  static override styles = panelStyles;
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-connect': ConnectView;
  }
}
