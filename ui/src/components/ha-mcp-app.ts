import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { fetchHealth, type Health } from '../data/health';
import { localize } from '../localize';

@customElement('ha-mcp-app')
export class HaMcpApp extends LitElement {
  @state() private _health?: Health;
  @state() private _error?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  private async _load(): Promise<void> {
    try {
      this._health = await fetchHealth();
      this._error = undefined;
    } catch (err) {
      this._error = err instanceof Error ? err.message : String(err);
    }
  }

  override render() {
    return html`
      <header><h1>${localize('panel.title')}</h1></header>
      <main>
        <section class="card" aria-labelledby="status-heading">
          <h2 id="status-heading">${localize('panel.status.heading')}</h2>
          ${this._renderStatus()}
        </section>
      </main>
    `;
  }

  private _renderStatus() {
    if (this._error) {
      return html`<p class="alert error" role="alert">
        ${localize('panel.status.error', { message: this._error })}
      </p>`;
    }
    if (!this._health) return html`<p class="muted" aria-busy="true">${localize('panel.status.loading')}</p>`;
    return html`
      <p>${localize('panel.status.running')}</p>
      ${
        this._health.version
          ? html`<p class="muted">${localize('panel.status.version', { version: this._health.version })}</p>`
          : nothing
      }
    `;
  }

  static override styles = css`
    :host {
      display: block;
      min-height: 100vh;
    }
    header {
      height: var(--header-height, 56px);
      display: flex;
      align-items: center;
      padding-inline: var(--ha-space-4, 16px);
      background: var(--card-background-color);
      border-bottom: 1px solid var(--divider-color);
    }
    h1 {
      margin: 0;
      font-size: var(--ha-font-size-xl, 20px);
      font-weight: 400;
    }
    main {
      padding: var(--ha-space-4, 16px);
      max-width: 960px;
      margin-inline: auto;
    }
    .card {
      background: var(--card-background-color);
      border: 1px solid var(--divider-color);
      border-radius: var(--ha-border-radius-lg, 12px);
      padding: var(--ha-space-4, 16px);
    }
    h2 {
      margin: 0 0 var(--ha-space-2, 8px);
      font-size: var(--ha-font-size-2xl, 24px);
      font-weight: 400;
    }
    .muted {
      color: var(--secondary-text-color);
    }
    .alert.error {
      padding: var(--ha-space-2, 8px) var(--ha-space-3, 12px);
      border-radius: var(--ha-border-radius-sm, 4px);
      background: color-mix(in srgb, var(--error-color) 12%, transparent);
      color: var(--primary-text-color);
    }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-app': HaMcpApp;
  }
}
