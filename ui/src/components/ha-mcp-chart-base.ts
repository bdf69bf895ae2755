/**
 * What the two charts over time share (requests by outcome, latency): the axes, one hit area per bucket
 * that hover and focus make active, arrow keys between buckets (one tab stop per chart), the tooltip with
 * the active bucket's exact figures, and the visually hidden table that is the chart's text alternative.
 * A subclass draws its marks and says what the figures are.
 */
import { LitElement, html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { labelledBuckets, linear, localMs, nextIndex, ticks } from '../charts/scale';
import { chartStyles } from '../charts/styles';
import { axisLabel, spanLabel } from '../charts/time';
import type { SeriesAnswer, SeriesBucketRow } from '../data/usage-series';
import { localize } from '../localize';
import { sharedStyles } from './styles';

export const HEIGHT = 180;
const LEFT = 44;
const BOTTOM = 20;
const TOP = 8;
const HOUR_MS = 3_600_000;

export interface Frame {
  /** A bucket's left edge and width. */
  x: (i: number) => number;
  band: number;
  y: (value: number) => number;
}

export interface Column {
  head: string;
  value: (bucket: SeriesBucketRow) => string;
}

export abstract class HaMcpChartBase extends LitElement {
  @property({ attribute: false }) series?: SeriesAnswer;
  @state() protected _active?: number;
  /** Drawn at the width it is shown at, so text keeps its size whatever the card's width. */
  @state() private _width = 0;
  private readonly _resize = new ResizeObserver(([entry]) => {
    this._width = Math.round(entry!.contentRect.width);
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this._resize.observe(this);
  }

  override disconnectedCallback(): void {
    this._resize.disconnect();
    super.disconnectedCallback();
  }

  /** The data's largest value, for the y axis; counts get whole ticks. */
  protected abstract _max(series: SeriesAnswer): number;
  protected abstract readonly _integer: boolean;
  protected abstract _tickText(value: number): string;
  protected abstract _marks(series: SeriesAnswer, frame: Frame): SVGTemplateResult[];
  /** The figures of one bucket: a tooltip's lines, the hidden table's cells, a hit area's name. */
  protected abstract _columns(): Column[];
  protected abstract _summary(series: SeriesAnswer): string;
  protected abstract _legend(): TemplateResult;
  protected abstract readonly _title: string;

  override render() {
    const series = this.series;
    if (!series) return html`<p class="muted" aria-busy="true">${localize('common.loading')}</p>`;
    if (series.buckets.every((b) => b.total === 0))
      return html`<p class="empty" data-testid="chart-empty">${localize('charts.empty')}</p>`;
    const n = series.buckets.length;
    const width = Math.max(this._width, 240);
    const grid = ticks(this._max(series), 4, this._integer);
    const band = (width - LEFT) / n;
    const frame: Frame = {
      x: (i) => LEFT + i * band,
      band,
      y: linear([0, grid[grid.length - 1]!], [HEIGHT - BOTTOM, TOP]),
    };
    const starts = series.buckets.map((b) => b.start);
    const labelled = labelledBuckets(
      starts,
      series.bucketMs < 6 * HOUR_MS ? 6 * HOUR_MS : 24 * HOUR_MS,
      localMs
    );
    const columns = this._columns();
    const active = this._active === undefined ? undefined : series.buckets[this._active];
    return html`
      <div class="chart">
        <svg
          width=${width}
          height=${HEIGHT}
          viewBox="0 0 ${width} ${HEIGHT}"
          role="group"
          aria-label=${this._summary(series)}
        >
          ${grid.map(
            (v) => svg`<line class="grid" x1=${LEFT} x2=${width} y1=${frame.y(v)} y2=${frame.y(v)}></line>
              <text class="axis" x=${LEFT - 6} y=${frame.y(v) + 4} text-anchor="end">${this._tickText(v)}</text>`
          )}
          ${labelled.map(
            (i) =>
              svg`<text class="axis" x=${frame.x(i)} y=${HEIGHT - 4} text-anchor="middle">${axisLabel(
                starts[i]!,
                series.bucketMs
              )}</text>`
          )}
          ${this._marks(series, frame)}
          ${series.buckets.map(
            (b, i) => svg`<rect class="hit ${i === this._active ? 'active' : ''}" data-start=${b.start}
              x=${frame.x(i)} y=${TOP} width=${band} height=${HEIGHT - BOTTOM - TOP}
              tabindex=${i === (this._active ?? n - 1) ? 0 : -1} role="img"
              aria-label=${this._describe(b, series.bucketMs, columns)}
              @mouseenter=${() => (this._active = i)} @focus=${() => (this._active = i)}
              @mouseleave=${this._handleLeave} @blur=${this._handleLeave}
              @keydown=${(ev: KeyboardEvent) => this._handleKey(ev, i, n)}></rect>`
          )}
        </svg>
        ${active ? this._tip(active, series, frame, columns, width) : nothing}
      </div>
      ${this._legend()} ${this._table(series, columns)}
    `;
  }

  private _describe(bucket: SeriesBucketRow, bucketMs: number, columns: Column[]): string {
    return `${spanLabel(bucket.start, bucketMs)}: ${columns.map((c) => `${c.head} ${c.value(bucket)}`).join(', ')}`;
  }

  /** Beside the bucket, never over it: to its right in the chart's left half, to its left in the other. */
  private _tip(
    bucket: SeriesBucketRow,
    series: SeriesAnswer,
    frame: Frame,
    columns: Column[],
    width: number
  ) {
    const i = series.buckets.indexOf(bucket);
    const side =
      frame.x(i) + frame.band / 2 < width / 2
        ? `left: ${frame.x(i) + frame.band + 4}px`
        : `right: ${width - frame.x(i) + 4}px`;
    return html`<div class="tip" style=${side} data-testid="chart-tip" data-start=${bucket.start}>
      <strong>${spanLabel(bucket.start, series.bucketMs)}</strong>
      ${columns.map((c) => html`<div>${c.head} <b data-figure=${c.head}>${c.value(bucket)}</b></div>`)}
    </div>`;
  }

  private _table(series: SeriesAnswer, columns: Column[]) {
    return html`<table class="sr-only" data-testid="chart-table">
      <caption>
        ${this._title}
      </caption>
      <thead>
        <tr>
          <th scope="col">${localize('charts.time')}</th>
          ${columns.map((c) => html`<th scope="col">${c.head}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${series.buckets.map(
          (b) =>
            html`<tr data-start=${b.start}>
              <th scope="row">${spanLabel(b.start, series.bucketMs)}</th>
              ${columns.map((c) => html`<td>${c.value(b)}</td>`)}
            </tr>`
        )}
      </tbody>
    </table>`;
  }

  private readonly _handleLeave = () => {
    this._active = undefined;
  };

  private _handleKey(ev: KeyboardEvent, i: number, n: number): void {
    const to = nextIndex(ev.key, i, n);
    if (to === undefined) return;
    ev.preventDefault();
    this._active = to;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelectorAll<SVGRectElement>('rect.hit')[to]?.focus()
    );
  }

  static override styles = [sharedStyles, chartStyles];
}
