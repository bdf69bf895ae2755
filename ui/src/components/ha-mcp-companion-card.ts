/**
 * The Connect page's "Home Assistant's URL" card: the companion integration that carries MCP through Home
 * Assistant's own address, installed in one click. Shows where it stands (data/companion.ts) and the one
 * next step: Install, Restart Home Assistant, Set up, Update, Remove. Core's restart takes a while: the card
 * polls until the state moves on (the add-on sets the integration up by itself once Core is back). Without
 * HA's config folder (standalone), it says how to install by hand or with HACS.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  fetchCompanion,
  installCompanion,
  removeCompanion,
  restartHomeAssistant,
  setUpCompanion,
  type CompanionAction,
  type CompanionStatus,
} from '../data/companion';
import { messageOf } from '../format';
import { localize } from '../localize';
import { sharedStyles } from './styles';

const POLL_MS = 2_000;
/** Core restarting and loading every integration again; past this, the card stops waiting and says so. */
const RESTART_LIMIT_MS = 5 * 60_000;

/** Whether the status has moved on from `before` (what the restart was asked from). */
function movedOn(before: CompanionStatus, now: CompanionStatus): boolean {
  if (now.haAway) return false;
  // The add-on sets the integration up by itself once Core is back: that is part of the same wait.
  if (now.setupPending && now.state === 'set_up_needed') return false;
  return now.state !== before.state || now.loadedVersion !== before.loadedVersion;
}

@customElement('ha-mcp-companion-card')
export class HaMcpCompanionCard extends LitElement {
  /** Every change needs an HA administrator (the API checks it too). */
  @property({ type: Boolean }) readOnly = true;
  @state() private _status?: CompanionStatus;
  @state() private _error?: string;
  @state() private _working?: CompanionAction;
  private _timer?: ReturnType<typeof setTimeout>;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._timer);
    this._working = undefined;
  }

  private async _load(): Promise<void> {
    try {
      this._status = await fetchCompanion();
      this._error = undefined;
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  private async _handleAction(event: Event): Promise<void> {
    const action = (event.currentTarget as HTMLElement).dataset.action as CompanionAction;
    const before = this._status;
    this._working = action;
    this._error = undefined;
    try {
      if (action === 'restart') {
        await restartHomeAssistant();
        if (before) await this._waitForRestart(before);
        return;
      }
      const step = { install: installCompanion, setup: setUpCompanion, remove: removeCompanion }[action];
      this._status = await step();
    } catch (err) {
      this._error = messageOf(err);
    } finally {
      this._working = undefined;
    }
  }

  /** Polls the status until Core is back and the state has moved on, or the limit passes. */
  private async _waitForRestart(before: CompanionStatus): Promise<void> {
    const deadline = Date.now() + RESTART_LIMIT_MS;
    while (this.isConnected && Date.now() < deadline) {
      await new Promise((resolve) => (this._timer = setTimeout(resolve, POLL_MS)));
      try {
        this._status = await fetchCompanion();
      } catch {
        continue; // the add-on answers again in a moment
      }
      if (movedOn(before, this._status)) return;
    }
    if (this.isConnected) this._error = localize('companion.restart_slow');
  }

  private _button(action: CompanionAction, label: string, secondary = false) {
    return html`<button
      class=${secondary ? 'secondary' : ''}
      data-action=${action}
      ?disabled=${!!this._working}
      @click=${this._handleAction}
    >
      ${label}
    </button>`;
  }

  /**
   * The next step for the state, and Remove once there is something to remove. Copying files needs HA's
   * config folder; setting up, restarting and removing the entry need only Home Assistant.
   */
  private _actions(status: CompanionStatus) {
    if (this.readOnly) return html`<p class="alert info">${localize('companion.read_only')}</p>`;
    if (status.haAway) return nothing;
    const files = status.canInstall;
    const next = {
      not_installed: files ? this._button('install', localize('companion.install')) : nothing,
      restart_needed: this._button('restart', localize('companion.restart')),
      set_up_needed: this._button('setup', localize('companion.set_up')),
      update_available: files ? this._button('install', localize('companion.update')) : nothing,
      ready: nothing,
      error:
        status.loadedVersion !== null && status.entry === null
          ? this._button('setup', localize('companion.set_up'))
          : nothing,
    }[status.state];
    const removable = (files && status.filesVersion !== null) || status.entry !== null;
    // Removed, but Core runs the old code until it restarts.
    const unloading = files && status.state === 'not_installed' && status.loadedVersion !== null;
    return html`<div class="row actions">
        ${next} ${removable ? this._button('remove', localize('companion.remove'), true) : nothing}
        ${unloading ? this._button('restart', localize('companion.restart'), true) : nothing}
      </div>
      ${unloading ? html`<p class="muted small">${localize('companion.unload_hint')}</p>` : nothing}`;
  }

  private _versions(status: CompanionStatus) {
    const companion = status.filesVersion ?? status.loadedVersion;
    if (!status.bundledVersion || !companion || status.state === 'not_installed') return nothing;
    return html`<p class="muted small" data-testid="companion-versions">
      ${localize('companion.versions', { addon: status.bundledVersion, companion })}
    </p>`;
  }

  private _manual(status: CompanionStatus) {
    const block = status.installBlock;
    const why = block
      ? localize(`companion.blocked.${block.reason}`, { folder: block.folder ?? '' })
      : status.installBlocked;
    return html`<p class="alert info" role="note" data-testid="companion-blocked">${why}</p>
      <p>${localize('companion.manual')}</p>
      <p class="muted small">${localize('companion.manual_docs')}</p>`;
  }

  override render() {
    const status = this._status;
    return html`<section class="card" aria-labelledby="companion-heading" aria-busy=${!!this._working}>
      <h2 id="companion-heading">${localize('companion.heading')}</h2>
      <p class="muted">${localize('companion.intro')}</p>
      ${
        !status
          ? this._error
            ? html`<p class="alert error" role="alert">${this._error}</p>`
            : html`<p class="muted" aria-busy="true">${localize('common.loading')}</p>`
          : html`<p class="row" data-testid="companion-state" data-state=${status.state}>
                <span class="chip ${status.state === 'ready' ? 'ok' : status.state === 'error' ? 'bad' : ''}"
                  >${localize(`companion.state.${status.state}`)}</span
                >
                ${status.state === 'ready' ? html`<code>/api/mcp_addon/api/mcp</code>` : nothing}
              </p>
              ${this._versions(status)}
              ${
                // While the card waits for Core, its progress says it already.
                status.error && !(status.haAway && this._working)
                  ? html`<p class="alert ${status.haAway ? 'warning' : 'error'}" role="alert">
                      ${status.error}
                    </p>`
                  : nothing
              }
              ${this._error ? html`<p class="alert error" role="alert">${this._error}</p>` : nothing}
              ${
                this._working
                  ? html`<p class="alert info" role="status">
                      ${localize(`companion.working.${this._working}`)}
                      ${
                        this._working === 'restart' && status.setupPending
                          ? localize('companion.working.set_up_after')
                          : nothing
                      }
                    </p>`
                  : nothing
              }
              ${!status.canInstall && status.state !== 'ready' ? this._manual(status) : nothing}
              ${this._actions(status)}`
      }
    </section>`;
  }

  static override styles = [
    sharedStyles,
    css`
      .actions {
        margin-top: var(--ha-space-2, 8px);
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-companion-card': HaMcpCompanionCard;
  }
}
