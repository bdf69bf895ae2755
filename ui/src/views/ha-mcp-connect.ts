/**
 * Connect: ready-to-paste setup for each client, filled with this installation's MCP URL, and a test that
 * checks the endpoint end to end from the add-on and says in plain words what is wrong.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { testConnection, type ConnectionTestAnswer } from '../data/connection';
import type { OverviewAnswer } from '../data/overview';
import { messageOf } from '../format';
import { localize } from '../localize';
import { sharedStyles } from '../components/styles';
import { copyText } from '../components/copy-text';
import '../components/ha-mcp-companion-card';
import { oauthReady, recipes, type SignIn } from './recipes';

@customElement('ha-mcp-connect')
export class HaMcpConnect extends LitElement {
  @property({ attribute: false }) overview?: OverviewAnswer;
  /** The test makes the add-on fetch a URL, so it is for administrators (a POST the API checks). */
  @property({ type: Boolean }) readOnly = true;
  @state() private _url?: string;
  /** Chosen by the user; until then OAuth where clients will run it, a token elsewhere. */
  @state() private _signIn?: SignIn;
  @state() private _token = '';
  @state() private _testing = false;
  @state() private _test?: ConnectionTestAnswer;
  @state() private _testError?: string;
  /** The recipe just copied, or whose copy failed (then the text is to be selected by hand). */
  @state() private _copied?: { id: string; ok: boolean };

  private get _chosenUrl(): string | undefined {
    return this._url ?? this.overview?.mcp.urls[0]?.url;
  }

  private _signInFor(url: string): SignIn {
    return this._signIn ?? (oauthReady(url) ? 'oauth' : 'token');
  }

  private _signInChoice(signIn: SignIn) {
    return html`<fieldset class="field">
      <legend>${localize('connect.sign_in.label')}</legend>
      ${(['oauth', 'token'] as const).map(
        (choice) =>
          html`<label>
            <input
              type="radio"
              name="sign-in"
              value=${choice}
              .checked=${signIn === choice}
              @change=${this._handleSignIn}
            />
            ${localize(`connect.sign_in.${choice}`)}
          </label>`
      )}
    </fieldset>`;
  }

  private _handleSignIn(event: Event): void {
    this._signIn = (event.target as HTMLInputElement).value as SignIn;
  }

  private _handleUrl(event: Event): void {
    this._url = (event.target as HTMLSelectElement).value;
  }

  private _handleToken(event: Event): void {
    this._token = (event.target as HTMLInputElement).value.trim();
  }

  /** Each copy button names its recipe (`data-copy`); the text is that recipe's code, as shown. */
  private async _handleCopy(event: Event): Promise<void> {
    const id = (event.currentTarget as HTMLElement).dataset.copy;
    const url = this._chosenUrl;
    const code = url && recipes(url, this._signInFor(url)).find((recipe) => recipe.id === id)?.code;
    if (id && code) this._copied = { id, ok: await copyText(code) };
  }

  private _copyButton(id: string, client: string) {
    const copied = this._copied?.id === id && this._copied.ok;
    return html`<button
      class="secondary"
      data-copy=${id}
      aria-label=${localize(copied ? 'connect.copied_for' : 'connect.copy_for', { client })}
      @click=${this._handleCopy}
    >
      ${copied ? localize('connect.copied') : localize('connect.copy')}
    </button>`;
  }

  private async _handleRunTest(event: Event): Promise<void> {
    event.preventDefault();
    const url = this._chosenUrl;
    if (!url) return;
    this._testing = true;
    this._test = undefined;
    this._testError = undefined;
    try {
      this._test = await testConnection(url, this._token || undefined);
    } catch (err) {
      this._testError = messageOf(err);
    } finally {
      this._testing = false;
    }
  }

  /** Who the URL serves and what it reaches, when that is more than the Assist API for every user. */
  private _accessNotes(url: string) {
    const { access } = this.overview!;
    return html`${
      access.llmApis.includes('homeassistant')
        ? html`<p class="alert warning" role="note">${localize('connect.homeassistant_api')}</p>`
        : nothing
    }
    ${
      access.requireAdmin
        ? html`<p class="muted" role="note">
            ${localize('connect.admins_only', { assist: `${url.replace(/\/+$/, '')}/assist` })}
          </p>`
        : nothing
    }`;
  }

  override render() {
    if (!this.overview) return html`<p class="muted" aria-busy="true">${localize('common.loading')}</p>`;
    const url = this._chosenUrl;
    const signIn = url ? this._signInFor(url) : 'token';
    const { mcp } = this.overview;
    return html`
      <section class="card" aria-labelledby="connect-heading">
        <h2 id="connect-heading">${localize('connect.heading')}</h2>
        ${
          url
            ? html`<div class="field">
                <label for="url">${localize('connect.url')}</label>
                <select id="url" @change=${this._handleUrl}>
                  ${mcp.urls.map(
                    (u) =>
                      html`<option value=${u.url} ?selected=${u.url === url}>
                        ${u.url} — ${localize(`overview.urls.${u.kind}`, { port: mcp.port })}
                      </option>`
                  )}
                </select>
              </div>`
            : html`<p class="alert warning">${localize('connect.no_url')}</p>`
        }
        ${
          mcp.cloud
            ? html`<p class="alert info" role="note">
                ${localize('overview.urls.cloud', { host: mcp.cloud, port: mcp.port })}
              </p>`
            : nothing
        }
        ${url ? this._signInChoice(signIn) : nothing}
        ${
          signIn === 'oauth'
            ? html`<p class="muted">${localize('connect.oauth_help')}</p>
                ${
                  url && !oauthReady(url)
                    ? html`<p class="alert warning" role="status">
                        ${localize('connect.oauth_needs_https')}
                      </p>`
                    : nothing
                }`
            : html`<p class="muted">${localize('connect.token_help')}</p>`
        }
        ${url ? this._accessNotes(url) : nothing}
      </section>

      <ha-mcp-companion-card .readOnly=${this.readOnly}></ha-mcp-companion-card>

      <section class="card" aria-labelledby="test-heading">
        <h2 id="test-heading">${localize('connect.test.heading')}</h2>
        <form class="row" @submit=${this._handleRunTest}>
          <label>
            <span>${localize('connect.test.token')}</span>
            <input
              type="password"
              id="token"
              autocomplete="off"
              .value=${this._token}
              @input=${this._handleToken}
            />
          </label>
          <button type="submit" ?disabled=${!url || this._testing || this.readOnly}>
            ${this._testing ? localize('connect.test.running') : localize('connect.test.run')}
          </button>
        </form>
        <p class="muted small">${localize('connect.test.help')}</p>
        ${this.readOnly ? html`<p class="alert info">${localize('connect.test.read_only')}</p>` : nothing}
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
                      <strong>${localize(`connect.test.names.${check.name.toLowerCase()}`)}</strong>:
                      ${localize(`connect.test.checks.${check.code}`, check.params)}
                    </li>`
                )}
              </ul>`
            : nothing
        }
      </section>

      ${
        url
          ? recipes(url, signIn).map(
              (recipe) =>
                html`<section class="card" aria-labelledby="recipe-${recipe.id}">
                  <div class="row card-header">
                    <h2 id="recipe-${recipe.id}">${recipe.client}</h2>
                    <span class="spacer"></span>
                    ${recipe.code ? this._copyButton(recipe.id, recipe.client) : nothing}
                  </div>
                  <p class="muted">${recipe.where}</p>
                  ${
                    this._copied?.id === recipe.id && !this._copied.ok
                      ? html`<p class="alert warning" role="status">${localize('connect.copy_failed')}</p>`
                      : nothing
                  }
                  ${recipe.code ? html`<pre data-recipe=${recipe.id}>${recipe.code}</pre>` : nothing}
                  ${recipe.note ? html`<p class="small muted">${recipe.note}</p>` : nothing}
                </section>`
            )
          : nothing
      }
    `;
  }

  static override styles = sharedStyles;
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-connect': HaMcpConnect;
  }
}
