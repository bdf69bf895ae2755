/**
 * Settings: the add-on's options, saved through the admin API (the Supervisor in an add-on, options.json
 * standalone) and applied at once. A refused value is shown next to its field, in the server's words.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError } from '../data/api';
import {
  fetchSettings,
  LOG_LEVELS,
  saveSettings,
  TOOL_NAMINGS,
  type Options,
  type SettingsAnswer,
} from '../data/settings';
import { fireEvent } from '../components/fire-event';
import { messageOf } from '../format';
import { localize } from '../localize';
import { sharedStyles } from '../components/styles';

/** The options with a control here; an error about any other shows above the Save button. */
const FIELDS: (keyof Options)[] = [
  'control_home_assistant',
  'require_admin',
  'llm_apis',
  'tool_naming',
  'external_url',
  'log_retention_days',
  'log_max_rows',
  'log_level',
  'approval_domains',
  'approval_timeout',
];

const checked = (event: Event) => (event.target as HTMLInputElement).checked;
const valueOf = (event: Event) => (event.target as HTMLInputElement | HTMLSelectElement).value;

@customElement('ha-mcp-settings')
export class HaMcpSettings extends LitElement {
  @property({ type: Boolean }) readOnly = true;
  @state() private _settings?: SettingsAnswer;
  @state() private _draft?: Options;
  @state() private _loadError?: string;
  @state() private _saveError?: { field?: string; message: string };
  @state() private _saving = false;
  @state() private _saved = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  private async _load(): Promise<void> {
    try {
      this._settings = await fetchSettings();
      this._draft = structuredClone(this._settings.options);
      this._loadError = undefined;
    } catch (err) {
      this._loadError = messageOf(err);
    }
  }

  private _set<K extends keyof Options>(key: K, value: Options[K]): void {
    if (!this._draft) return;
    this._draft = { ...this._draft, [key]: value };
    this._saved = false;
  }

  private _handleControl(event: Event): void {
    this._set('control_home_assistant', checked(event));
  }

  private _handleRequireAdmin(event: Event): void {
    this._set('require_admin', checked(event));
  }

  /** Each LLM API's checkbox has the API's id as its value. */
  private _handleApi(event: Event): void {
    const box = event.target as HTMLInputElement;
    const others = (this._draft?.llm_apis ?? []).filter((id) => id !== box.value);
    this._set('llm_apis', box.checked ? [...others, box.value] : others);
  }

  private _handleNaming(event: Event): void {
    this._set('tool_naming', valueOf(event) as Options['tool_naming']);
  }

  private _handleExternal(event: Event): void {
    this._set('external_url', valueOf(event).trim() || undefined);
  }

  private _handleRetention(event: Event): void {
    this._set('log_retention_days', Number(valueOf(event)));
  }

  private _handleRows(event: Event): void {
    this._set('log_max_rows', Number(valueOf(event)));
  }

  /** One rule per line or comma: `lock`, `cover.garage`. */
  private _handleApprovalDomains(event: Event): void {
    this._set(
      'approval_domains',
      valueOf(event)
        .split(/[\s,]+/)
        .filter(Boolean)
    );
  }

  private _handleApprovalTimeout(event: Event): void {
    this._set('approval_timeout', Number(valueOf(event)));
  }

  private _handleLevel(event: Event): void {
    this._set('log_level', valueOf(event) as Options['log_level']);
  }

  private async _handleSave(event: Event): Promise<void> {
    event.preventDefault();
    if (!this._draft) return;
    this._saving = true;
    this._saveError = undefined;
    try {
      this._settings = await saveSettings(this._draft);
      this._draft = structuredClone(this._settings.options);
      this._saved = true;
      fireEvent(this, 'changed');
    } catch (err) {
      const field = err instanceof ApiError ? err.field?.split('.')[0] : undefined;
      this._saveError = { message: messageOf(err), ...(field && { field }) };
    } finally {
      this._saving = false;
    }
  }

  private _fieldError(field: string) {
    return this._saveError?.field === field
      ? html`<span class="field-error" role="alert" data-field=${field}
          >${this._saveError.message.replace(/^[\w.]+: /, '')}</span
        >`
      : nothing;
  }

  override render() {
    if (this._loadError) return html`<p class="alert error" role="alert">${this._loadError}</p>`;
    const draft = this._draft;
    const settings = this._settings;
    if (!draft || !settings) return html`<p class="muted" aria-busy="true">${localize('common.loading')}</p>`;
    const off = this.readOnly || this._saving;
    return html`
      <form class="card" novalidate @submit=${this._handleSave} aria-labelledby="settings-heading">
        <h2 id="settings-heading">${localize('settings.heading')}</h2>
        ${this.readOnly ? html`<p class="alert info">${localize('settings.read_only')}</p>` : nothing}

        <div class="field">
          <label>
            <input
              class="switch"
              type="checkbox"
              id="control"
              .checked=${draft.control_home_assistant}
              ?disabled=${off}
              @change=${this._handleControl}
            />
            ${localize('settings.control.label')}
          </label>
          <span class="muted small">${localize('settings.control.help')}</span>
          ${this._fieldError('control_home_assistant')}
        </div>

        <div class="field">
          <label>
            <input
              class="switch"
              type="checkbox"
              id="require-admin"
              .checked=${draft.require_admin}
              ?disabled=${off}
              @change=${this._handleRequireAdmin}
            />
            ${localize('settings.require_admin.label')}
          </label>
          <span class="muted small">${localize('settings.require_admin.help')}</span>
          ${this._fieldError('require_admin')}
        </div>

        <fieldset class="field" aria-describedby="apis-help">
          <legend>${localize('settings.apis.label')}</legend>
          ${settings.apis.map(
            (apiInfo) =>
              html`<label>
                <input
                  type="checkbox"
                  name="llm_apis"
                  value=${apiInfo.id}
                  .checked=${draft.llm_apis.includes(apiInfo.id)}
                  ?disabled=${off}
                  @change=${this._handleApi}
                />
                ${apiInfo.name} <span class="muted small">(${apiInfo.id})</span>
              </label>`
          )}
          <span class="muted small" id="apis-help">${localize('settings.apis.help')}</span>
          ${
            draft.llm_apis.includes('homeassistant')
              ? html`<p class="alert warning" role="note">
                  ${localize('settings.apis.homeassistant_warning')}
                </p>`
              : nothing
          }
          ${this._fieldError('llm_apis')}
        </fieldset>

        <div class="field">
          <label for="naming">${localize('settings.naming.label')}</label>
          <select id="naming" ?disabled=${off} @change=${this._handleNaming}>
            ${TOOL_NAMINGS.map(
              (v) =>
                html`<option value=${v} ?selected=${draft.tool_naming === v}>
                  ${localize(`settings.naming.${v}`)}
                </option>`
            )}
          </select>
          ${this._fieldError('tool_naming')}
        </div>

        <div class="field">
          <label for="external">${localize('settings.external.label')}</label>
          <input
            id="external"
            type="url"
            placeholder="https://mcp.example.com"
            .value=${draft.external_url ?? ''}
            ?disabled=${off}
            @input=${this._handleExternal}
          />
          <span class="muted small">${localize('settings.external.help')}</span>
          ${this._fieldError('external_url')}
        </div>

        <div class="field">
          <label for="approval-domains">${localize('settings.approval_domains.label')}</label>
          <textarea
            id="approval-domains"
            rows="6"
            aria-describedby="approval-domains-help"
            .value=${draft.approval_domains.join('\n')}
            ?disabled=${off}
            @change=${this._handleApprovalDomains}
          ></textarea>
          <span class="muted small" id="approval-domains-help"
            >${localize('settings.approval_domains.help')}</span
          >
          ${this._fieldError('approval_domains')}
        </div>
        <div class="field">
          <label for="approval-timeout">${localize('settings.approval_timeout.label')}</label>
          <input
            id="approval-timeout"
            type="number"
            min="10"
            max="3600"
            aria-describedby="approval-timeout-help"
            .value=${String(draft.approval_timeout)}
            ?disabled=${off}
            @input=${this._handleApprovalTimeout}
          />
          <span class="muted small" id="approval-timeout-help"
            >${localize('settings.approval_timeout.help')}</span
          >
          ${this._fieldError('approval_timeout')}
        </div>

        <div class="row">
          <div class="field">
            <label for="retention">${localize('settings.retention.label')}</label>
            <input
              id="retention"
              type="number"
              min="1"
              max="3650"
              .value=${String(draft.log_retention_days)}
              ?disabled=${off}
              @input=${this._handleRetention}
            />
            ${this._fieldError('log_retention_days')}
          </div>
          <div class="field">
            <label for="rows">${localize('settings.rows.label')}</label>
            <input
              id="rows"
              type="number"
              min="1000"
              step="1000"
              .value=${String(draft.log_max_rows)}
              ?disabled=${off}
              @input=${this._handleRows}
            />
            ${this._fieldError('log_max_rows')}
          </div>
          <div class="field">
            <label for="level">${localize('settings.level.label')}</label>
            <select id="level" ?disabled=${off} @change=${this._handleLevel}>
              ${LOG_LEVELS.map(
                (v) =>
                  html`<option value=${v} ?selected=${draft.log_level === v}>
                    ${localize(`settings.level.${v}`)}
                  </option>`
              )}
            </select>
            ${this._fieldError('log_level')}
          </div>
        </div>

        ${
          this._saveError && !FIELDS.includes(this._saveError.field as keyof Options)
            ? html`<p class="alert error" role="alert">${this._saveError.message}</p>`
            : nothing
        }
        ${this._saved ? html`<p class="alert success" role="status">${localize('settings.saved')}</p>` : nothing}
        <button type="submit" ?disabled=${off}>
          ${this._saving ? localize('settings.saving') : localize('settings.save')}
        </button>
      </form>
    `;
  }

  static override styles = [
    sharedStyles,
    css`
      .field input[type='url'] {
        min-width: 28em;
        max-width: 100%;
      }
      textarea {
        font-family: ui-monospace, 'Roboto Mono', monospace;
        min-width: 20em;
      }
      .field .muted.small {
        max-width: 48em;
      }
      .field-error {
        color: var(--error-color);
        font-size: var(--ha-font-size-s, 12px);
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-settings': HaMcpSettings;
  }
}
