/**
 * The panel's shared look, in Home Assistant's tokens (theme.ts): cards, tables, forms, buttons, switches,
 * alerts, chips and code. What only one view or component needs lives beside it, in its own `styles`.
 */
import { css } from 'lit';

export const sharedStyles = css`
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
    font-size: var(--ha-font-size-2xl, 24px);
    font-weight: 400;
  }
  .card-header {
    margin-bottom: var(--ha-space-3, 12px);
  }
  .card-header h2 {
    margin: 0;
  }
  fieldset.field {
    border: none;
    padding: 0;
    margin: 0 0 var(--ha-space-4, 16px);
  }
  fieldset.field legend {
    font-weight: var(--ha-font-weight-medium, 500);
    padding: 0;
    margin-bottom: var(--ha-space-1, 4px);
  }
  .muted {
    color: var(--secondary-text-color);
  }
  a {
    color: var(--primary-color);
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
    padding: var(--ha-space-2, 8px) var(--ha-space-4, 16px);
    border-bottom: 1px solid var(--divider-color);
    vertical-align: middle;
  }
  th {
    font-weight: var(--ha-font-weight-medium, 500);
    color: var(--secondary-text-color);
    font-size: var(--ha-font-size-s, 12px);
  }
  thead tr {
    height: 56px;
  }
  tbody tr {
    height: 52px;
  }
  tbody tr:hover {
    background: color-mix(in srgb, var(--primary-text-color) 4%, transparent);
  }
  label {
    display: inline-flex;
    gap: var(--ha-space-2, 8px);
    align-items: center;
  }
  .filter {
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
  input[type='datetime-local'],
  textarea,
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
  textarea:focus-visible,
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
    min-height: 36px;
    padding: 0 var(--ha-space-4, 16px);
    background: var(--primary-color);
    color: var(--text-primary-color);
    cursor: pointer;
    text-decoration: none;
    display: inline-flex;
    align-items: center;
    box-sizing: border-box;
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
    margin: 0;
    width: 48px;
    height: 24px;
    box-sizing: border-box;
    border-radius: var(--ha-border-radius-pill, 9999px);
    border: 1px solid var(--switch-off-border-color);
    background: var(--switch-off-track-color);
    position: relative;
    cursor: pointer;
    flex: none;
  }
  input[type='checkbox'].switch::after {
    content: '';
    position: absolute;
    top: 2px;
    inset-inline-start: 2px;
    width: 18px;
    height: 18px;
    border-radius: 50%;
    background: var(--switch-off-thumb-color);
    box-shadow: var(--ha-box-shadow-s);
    transition: inset-inline-start var(--ha-animation-duration-fast, 150ms);
  }
  input[type='checkbox'].switch:checked {
    border-color: var(--switch-on-color);
    background: var(--switch-on-track-color);
  }
  input[type='checkbox'].switch:checked::after {
    inset-inline-start: 26px;
    background: var(--switch-on-color);
  }
  input[type='checkbox'].switch:disabled {
    opacity: 0.3;
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
