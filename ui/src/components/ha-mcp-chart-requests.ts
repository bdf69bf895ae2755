/** Requests over time, stacked by how they ended (OK at the bottom), one bar per bucket. */
import { html, svg } from 'lit';
import { customElement } from 'lit/decorators.js';
import { OUTCOMES } from '../../../server/src/admin/contract';
import { stack } from '../charts/scale';
import { OUTCOME_COLOURS } from '../charts/styles';
import type { SeriesAnswer, SeriesBucketRow } from '../data/usage-series';
import { count } from '../format';
import { localize } from '../localize';
import { HaMcpChartBase, type Column, type Frame } from './ha-mcp-chart-base';

@customElement('ha-mcp-chart-requests')
export class HaMcpChartRequests extends HaMcpChartBase {
  protected readonly _integer = true;
  protected get _title() {
    return localize('charts.requests.heading');
  }

  protected _max(series: SeriesAnswer) {
    return Math.max(1, ...series.buckets.map((b) => b.total));
  }

  protected _tickText(value: number) {
    return count(value);
  }

  protected _marks(series: SeriesAnswer, { x, band, y }: Frame) {
    const gap = Math.min(2, band * 0.15);
    return series.buckets.flatMap((b, i) =>
      stack(b.counts, OUTCOMES).map(
        (s) => svg`<rect x=${x(i) + gap} width=${band - 2 * gap} y=${y(s.y1)} height=${y(s.y0) - y(s.y1)}
          fill=${OUTCOME_COLOURS[s.key]} data-outcome=${s.key}></rect>`
      )
    );
  }

  protected _columns(): Column[] {
    return [
      { head: localize('charts.requests.total'), value: (b) => count(b.total) },
      ...OUTCOMES.map((o) => ({
        head: localize(`logs.outcomes.${o}`),
        value: (b: SeriesBucketRow) => count(b.counts[o]),
      })),
    ];
  }

  protected _summary(series: SeriesAnswer) {
    const total = series.buckets.reduce((sum, b) => sum + b.total, 0);
    const ok = series.buckets.reduce((sum, b) => sum + b.counts.ok, 0);
    const busiest = Math.max(...series.buckets.map((b) => b.total));
    return localize('charts.requests.summary', { total, failed: total - ok, busiest });
  }

  protected _legend() {
    return html`<div class="legend">
      ${OUTCOMES.map(
        (o) =>
          html`<span
            ><i class="swatch" style="background: ${OUTCOME_COLOURS[o]}"></i
            >${localize(`logs.outcomes.${o}`)}</span
          >`
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ha-mcp-chart-requests': HaMcpChartRequests;
  }
}
