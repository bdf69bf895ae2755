/**
 * The panel: a header, tabs across the top, the calls waiting for approval (on every view: they wait for
 * a person now), and one view at a time. The view is the URL's hash (`#logs`),
 * so the browser's back button and a reload keep the place, and no URL is absolute (ingress).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { fetchOverview, type OverviewAnswer } from '../data/overview';
import { messageOf } from '../format';
import { localize } from '../localize';
import './ha-mcp-approvals';
import '../views/ha-mcp-overview';
import '../views/ha-mcp-entities';
import '../views/ha-mcp-logs';
import '../views/ha-mcp-clients';
import '../views/ha-mcp-connect';
import '../views/ha-mcp-settings';

const VIEWS = ['overview', 'entities', 'logs', 'clients', 'connect', 'settings'] as const;
type View = (typeof VIEWS)[number];

const viewOfHash = (): View => {
  const wanted = location.hash.replace(/^#\/?/, '');
  return (VIEWS as readonly string[]).includes(wanted) ? (wanted as View) : 'overview';
};

@customElement('ha-mcp-app')
export class HaMcpApp extends LitElement {
  @state() private _view: View = viewOfHash();
  @state() private _overview?: OverviewAnswer;
  @state() private _error?: string;

  /** Bound once, so the same function is added to the window and removed from it. */
  private readonly _handleHashChange = () => {
    this._view = viewOfHash();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this._handleHashChange);
    void this._load();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this._handleHashChange);
    super.disconnectedCallback();
  }

  private async _load(): Promise<void> {
    try {
      this._overview = await fetchOverview();
      this._error = undefined;
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  /** A view changed something the overview shows (exposure, settings): read it again. */
  private _handleChanged(): void {
    void this._load();
  }

  override render() {
    const readOnly = this._overview?.user.isAdmin !== true;
    // The server shows anyone but a known administrator only their own activity (admin/access.ts readerOf).
    const ownOnly = this._overview !== undefined && this._overview.user.isAdmin !== true;
    return html`
      <header>
        <h1>${localize('panel.title')}</h1>
        <span class="spacer"></span>
        ${
          this._overview
            ? html`<span class="who"
                >${this._overview.user.displayName ?? this._overview.user.name ?? ''}
                ${readOnly ? html`<span class="chip">${localize('panel.read_only')}</span>` : nothing}</span
              >`
            : nothing
        }
      </header>
      <nav aria-label=${localize('panel.sections')}>
        ${VIEWS.map(
          (view) =>
            html`<a href="#${view}" aria-current=${this._view === view ? 'page' : 'false'}
              >${localize(`panel.tabs.${view}`)}</a
            >`
        )}
      </nav>
      <main @changed=${this._handleChanged}>
        ${this._error ? html`<p class="alert error" role="alert">${this._error}</p>` : nothing}
        <ha-mcp-approvals></ha-mcp-approvals>
        ${this._renderView(readOnly, ownOnly)}
      </main>
    `;
  }

  private _renderView(readOnly: boolean, ownOnly: boolean) {
    switch (this._view) {
      case 'entities':
        return html`<ha-mcp-entities
          .readOnly=${readOnly}
          .tools=${this._overview?.tools ?? null}
        ></ha-mcp-entities>`;
      case 'logs':
        return html`<ha-mcp-logs .tools=${this._overview?.tools ?? []} .ownOnly=${ownOnly}></ha-mcp-logs>`;
      case 'clients':
        return html`<ha-mcp-clients .readOnly=${readOnly} .ownOnly=${ownOnly}></ha-mcp-clients>`;
      case 'connect':
        return html`<ha-mcp-connect .overview=${this._overview} .readOnly=${readOnly}></ha-mcp-connect>`;
      case 'settings':
        return html`<ha-mcp-settings .readOnly=${readOnly}></ha-mcp-settings>`;
      default:
        return html`<ha-mcp-overview .overview=${this._overview} .error=${this._error}></ha-mcp-overview>`;
    }
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
      gap: var(--ha-space-2, 8px);
      padding-inline: var(--ha-space-4, 16px);
      background: var(--card-background-color);
    }
    h1 {
      margin: 0;
      font-size: var(--ha-font-size-xl, 20px);
      font-weight: 400;
    }
    .spacer {
      flex: 1;
    }
    .who {
      color: var(--secondary-text-color);
    }
    .chip {
      margin-inline-start: var(--ha-space-2, 8px);
      padding: 0 8px;
      border-radius: var(--ha-border-radius-pill, 9999px);
      font-size: var(--ha-font-size-s, 12px);
      background: var(--secondary-background-color);
    }
    nav {
      display: flex;
      gap: var(--ha-space-1, 4px);
      padding-inline: var(--ha-space-4, 16px);
      background: var(--card-background-color);
      border-bottom: 1px solid var(--divider-color);
      overflow-x: auto;
    }
    nav a {
      padding: var(--ha-space-3, 12px) var(--ha-space-3, 12px);
      color: var(--secondary-text-color);
      text-decoration: none;
      border-bottom: 2px solid transparent;
      font-weight: var(--ha-font-weight-medium, 500);
      white-space: nowrap;
    }
    nav a[aria-current='page'] {
      color: var(--primary-color);
      border-bottom-color: var(--primary-color);
    }
    nav a:focus-visible {
      outline: 2px solid var(--primary-color);
    }
    main {
      padding: var(--ha-space-4, 16px);
      max-width: 1100px;
      margin-inline: auto;
    }
    .alert.error {
      padding: var(--ha-space-2, 8px) var(--ha-space-3, 12px);
      border-radius: var(--ha-border-radius-sm, 4px);
      background: color-mix(in srgb, var(--error-color) 14%, transparent);
    }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-app': HaMcpApp;
  }
}
