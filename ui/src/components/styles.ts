/** The panel's shared look, in Home Assistant's tokens (theme.ts): cards, tables, forms, buttons, alerts. */
import { css } from 'lit';

export const panelStyles = css`
  :host {
    display: block;
  }
  .card {
    background: var(--card-background-color);
    border: 1px solid var(--divider-color);
    border-radius: var(--ha-border-radius-lg, 12px);
    padding: var(--ha-space-4, 16px);
    margin-bottom: var(--ha-space-4, 16px);
  }
  h2 {
    margin: 0 0 var(--ha-space-3, 12px);
    font-size: var(--ha-font-size-xl, 20px);
    font-weight: 400;
  }
  h3 {
    margin: var(--ha-space-3, 12px) 0 var(--ha-space-2, 8px);
    font-size: var(--ha-font-size-l, 16px);
    font-weight: var(--ha-font-weight-medium, 500);
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
    gap: var(--ha-space-4, 16px);
  }
  .figure {
    font-size: var(--ha-font-size-2xl, 24px);
  }
  .muted {
    color: var(--secondary-text-color);
  }
  a {
    color: var(--primary-color);
  }
  .field input[type='url'] {
    min-width: 28em;
    max-width: 100%;
  }
  table.facts th {
    width: 12em;
    font-size: inherit;
  }
  .small {
    font-size: var(--ha-font-size-s, 12px);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ha-space-2, 8px);
    align-items: center;
  }
  .spacer {
    flex: 1;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: start;
    padding: var(--ha-space-2, 8px);
    border-bottom: 1px solid var(--divider-color);
    vertical-align: top;
  }
  th {
    font-weight: var(--ha-font-weight-medium, 500);
    color: var(--secondary-text-color);
    font-size: var(--ha-font-size-s, 12px);
  }
  tr.clickable {
    cursor: pointer;
  }
  tr.clickable:hover,
  tr.selected {
    background: color-mix(in srgb, var(--primary-color) 8%, transparent);
  }
  label {
    display: inline-flex;
    gap: var(--ha-space-2, 8px);
    align-items: center;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: var(--ha-space-1, 4px);
    margin-bottom: var(--ha-space-4, 16px);
    align-items: flex-start;
  }
  .field > label:first-child {
    font-weight: var(--ha-font-weight-medium, 500);
  }
  input[type='text'],
  input[type='search'],
  input[type='number'],
  input[type='password'],
  input[type='url'],
  select {
    font: inherit;
    color: var(--primary-text-color);
    background: var(--card-background-color);
    border: 1px solid var(--divider-color);
    border-radius: var(--ha-border-radius-sm, 4px);
    padding: 6px 8px;
    min-width: 12em;
  }
  input:focus-visible,
  select:focus-visible,
  button:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--primary-color);
    outline-offset: 2px;
  }
  input[type='checkbox'] {
    width: 18px;
    height: 18px;
    accent-color: var(--primary-color);
  }
  button,
  a.button {
    font: inherit;
    font-weight: var(--ha-font-weight-medium, 500);
    border: none;
    border-radius: var(--ha-border-radius-pill, 9999px);
    padding: 6px 16px;
    background: var(--primary-color);
    color: var(--text-primary-color, #fff);
    cursor: pointer;
    text-decoration: none;
    display: inline-block;
  }
  button.secondary,
  a.button.secondary {
    background: transparent;
    color: var(--primary-color);
    border: 1px solid var(--divider-color);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  input[type='checkbox'].switch {
    appearance: none;
    width: 36px;
    height: 20px;
    border-radius: 10px;
    background: var(--disabled-text-color);
    position: relative;
    cursor: pointer;
    flex: none;
  }
  input[type='checkbox'].switch::after {
    content: '';
    position: absolute;
    top: 2px;
    left: 2px;
    width: 16px;
    height: 16px;
    border-radius: 50%;
    background: #fff;
    transition: left 0.15s;
  }
  input[type='checkbox'].switch:checked {
    background: var(--primary-color);
  }
  input[type='checkbox'].switch:checked::after {
    left: 18px;
  }
  input[type='checkbox'].switch:disabled {
    opacity: 0.5;
    cursor: default;
  }
  .alert {
    padding: var(--ha-space-2, 8px) var(--ha-space-3, 12px);
    border-radius: var(--ha-border-radius-sm, 4px);
    margin-bottom: var(--ha-space-3, 12px);
  }
  .alert.error {
    background: color-mix(in srgb, var(--error-color) 14%, transparent);
  }
  .alert.warning {
    background: color-mix(in srgb, var(--warning-color) 18%, transparent);
  }
  .alert.success {
    background: color-mix(in srgb, var(--success-color) 14%, transparent);
  }
  .alert.info {
    background: color-mix(in srgb, var(--info-color) 12%, transparent);
  }
  .field-error {
    color: var(--error-color);
    font-size: var(--ha-font-size-s, 12px);
  }
  .chip {
    display: inline-block;
    padding: 0 8px;
    border-radius: var(--ha-border-radius-pill, 9999px);
    font-size: var(--ha-font-size-s, 12px);
    background: var(--secondary-background-color);
  }
  .chip.ok {
    background: color-mix(in srgb, var(--success-color) 20%, transparent);
  }
  .chip.bad {
    background: color-mix(in srgb, var(--error-color) 20%, transparent);
  }
  pre,
  code {
    font-family: ui-monospace, 'Roboto Mono', monospace;
    font-size: 13px;
  }
  pre {
    background: var(--secondary-background-color);
    padding: var(--ha-space-3, 12px);
    border-radius: var(--ha-border-radius-md, 8px);
    overflow-x: auto;
    white-space: pre-wrap;
    word-break: break-word;
    margin: 0;
  }
  .table-wrap {
    overflow-x: auto;
  }
`;
