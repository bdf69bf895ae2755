/**
 * What the Overview's charts share: the outcome colours (HA's state colours, with fallbacks), the tooltip,
 * the axis text and legend, and the visually hidden table each chart has as its text alternative.
 */
import { css } from 'lit';
import type { Outcome } from '../../../server/src/admin/contract';

/**
 * Colours by outcome, in stacking order (bottom up: successes first, failed sign-ins, no call at all, on
 * top). Tokens only, no literal fallbacks: theme.ts ships every one of them, light and dark.
 */
export const OUTCOME_COLOURS: Record<Outcome, string> = {
  ok: 'var(--success-color)',
  tool_error: 'var(--warning-color)',
  rpc_error: 'var(--info-color)',
  http_error: 'var(--error-color)',
  auth_failed: 'var(--secondary-text-color)',
};

/** The latency chart's two lines: HA's primary and accent colours. */
export const LINE_COLOURS = { p50Ms: 'var(--primary-color)', p95Ms: 'var(--accent-color)' } as const;

export const chartStyles = css`
  .chart {
    position: relative;
  }
  svg {
    display: block;
    overflow: visible;
  }
  .axis {
    fill: var(--secondary-text-color);
    font-size: 11px;
  }
  .grid {
    stroke: var(--divider-color);
    stroke-width: 1;
  }
  .hit {
    fill: transparent;
    outline: none;
    cursor: default;
  }
  .hit.active {
    fill: color-mix(in srgb, var(--primary-text-color) 6%, transparent);
  }
  .hit:focus-visible {
    stroke: var(--primary-color);
    stroke-width: 2;
  }
  .tip {
    position: absolute;
    top: 0;
    pointer-events: none;
    background: var(--card-background-color);
    color: var(--primary-text-color);
    border: 1px solid var(--divider-color);
    border-radius: var(--ha-border-radius-md, 8px);
    box-shadow: var(--ha-box-shadow-m, 0 2px 8px rgba(0, 0, 0, 0.2));
    padding: var(--ha-space-2, 8px) var(--ha-space-3, 12px);
    font-size: var(--ha-font-size-s, 12px);
    white-space: nowrap;
    z-index: 1;
  }
  .tip strong {
    display: block;
    font-weight: var(--ha-font-weight-medium, 500);
    margin-bottom: var(--ha-space-1, 4px);
  }
  .tip div,
  .legend span {
    display: flex;
    align-items: center;
    gap: var(--ha-space-1, 4px);
  }
  .tip b {
    margin-inline-start: auto;
    padding-inline-start: var(--ha-space-3, 12px);
    font-weight: var(--ha-font-weight-medium, 500);
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ha-space-1, 4px) var(--ha-space-4, 16px);
    font-size: var(--ha-font-size-s, 12px);
    color: var(--secondary-text-color);
    margin-top: var(--ha-space-2, 8px);
  }
  .swatch {
    display: inline-block;
    width: 10px;
    height: 10px;
    border-radius: 2px;
    flex: none;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .empty {
    color: var(--secondary-text-color);
    padding: var(--ha-space-6, 24px) 0;
    text-align: center;
  }
`;
