/** How long requests took over time: the median (p50) and the 95th percentile (p95) of each bucket. */
import { html, svg } from 'lit';
import { customElement } from 'lit/decorators.js';
import { linePath } from '../charts/scale';
import { LINE_COLOURS } from '../charts/styles';
import type { SeriesAnswer, SeriesBucketRow } from '../data/usage-series';
import { count, milliseconds } from '../format';
import { localize } from '../localize';
import { HaMcpChartBase, type Column, type Frame } from './ha-mcp-chart-base';

const LINES = [
  { key: 'p50Ms', colour: LINE_COLOURS.p50Ms },
  { key: 'p95Ms', colour: LINE_COLOURS.p95Ms },
] as const;

const figure = (ms: number | null) => (ms === null ? '—' : milliseconds(ms));

@customElement('ha-mcp-chart-latency')
export class HaMcpChartLatency extends HaMcpChartBase {
  protected readonly _integer = false;
  protected get _title() {
    return localize('charts.latency.heading');
  }

  protected _max(series: SeriesAnswer) {
    return Math.max(1, ...series.buckets.map((b) => b.p95Ms ?? 0));
  }

  protected _tickText(value: number) {
    return value >= 1000
      ? localize('common.s', { s: count(value / 1000) })
      : localize('common.ms', { ms: count(value) });
  }

  protected _marks(series: SeriesAnswer, { x, band, y }: Frame) {
    const at = (i: number) => x(i) + band / 2;
    return LINES.flatMap(({ key, colour }) => [
      svg`<path d=${linePath(series.buckets.map((b, i) => ({ x: at(i), y: b[key] === null ? null : y(b[key]) })))}
        fill="none" stroke=${colour} stroke-width="2" stroke-linecap="round" stroke-linejoin="round"
        data-line=${key}></path>`,
      // A dot on every measured bucket: a bucket between two empty ones has no line to show it.
      ...series.buckets.flatMap((b, i) =>
        b[key] === null
          ? []
          : [
              svg`<circle cx=${at(i)} cy=${y(b[key])} r=${i === this._active ? 4 : 2.5} fill=${colour}></circle>`,
            ]
      ),
    ]);
  }

  protected _columns(): Column[] {
    return [
      ...LINES.map(({ key }) => ({
        head: localize(`charts.latency.${key}`),
        value: (b: SeriesBucketRow) => figure(b[key]),
      })),
      { head: localize('charts.requests.total'), value: (b) => count(b.total) },
    ];
  }

  protected _summary(series: SeriesAnswer) {
    const p95 = Math.max(...series.buckets.map((b) => b.p95Ms ?? 0));
    return localize('charts.latency.summary', { p95: milliseconds(p95) });
  }

  protected _legend() {
    return html`<div class="legend">
      ${LINES.map(
        ({ key, colour }) =>
          html`<span
            ><i class="swatch" style="background: ${colour}"></i>${localize(`charts.latency.${key}`)}</span
          >`
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-chart-latency': HaMcpChartLatency;
  }
}
