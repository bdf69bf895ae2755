/**
 * The Overview's activity charts in a real browser, with data from real MCP calls against the test Home
 * Assistant: before any call each chart says there is nothing yet; after calls that end in several ways
 * (OK, a tool's error, a refused sign-in) the requests chart's tooltip for a bucket, reached by keyboard,
 * shows that bucket's figures exactly as GET /usage/series answers them, its hidden table (the text
 * alternative) holds every bucket's, the latency chart shows the bucket's p50 and p95, the busiest tools
 * and clients agree with GET /tools-usage and /clients over the same range, and the 7-day switch reads
 * the week. Screenshots, light and dark, go to tests/artifacts/screenshots (overview-charts*.png).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Locator, Page } from 'playwright';
import type {
  ClientsAnswer,
  SeriesAnswer,
  SeriesRange,
  ToolsUsageAnswer,
} from '../../server/src/admin/contract.js';
import { OUTCOMES } from '../../server/src/store/log-entry.js';
import { postMcp } from '../support/mcp-post.js';
import { SHOTS, skipWithoutChromium, usePanel } from '../support/browser/panel-fixture.js';

/** The panel's labels for the outcomes and figures (ui/src/translations/en.json). */
const LABELS = {
  ok: 'OK',
  tool_error: 'Tool error',
  rpc_error: 'Protocol error',
  http_error: 'Refused',
  auth_failed: 'Sign-in failed',
} as const;
/** As the panel's `milliseconds()` writes them in English: one decimal under 10 ms, grouped thousands. */
const ms = (value: number | null) => {
  if (value === null) return '—';
  const digits = value < 10 ? 1 : 0;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ms`;
};

/** A CSS property as the browser computed it (the tests' TypeScript has no DOM library). */
type Styled = { getComputedStyle(el: unknown): { getPropertyValue(name: string): string } };
const computed = (locator: Locator, name: string) =>
  locator.evaluate(
    (el, n) => (globalThis as unknown as Styled).getComputedStyle(el).getPropertyValue(n),
    name
  );

describe('the Overview charts agree with the request log', { skip: skipWithoutChromium }, () => {
  const panel = usePanel();
  const get = async <T>(path: string): Promise<T> => {
    const res = await panel.page.request.get(`${panel.proxy.url}api/admin/${path}`);
    assert.equal(res.status(), 200, path);
    return (await res.json()) as T;
  };
  const series = (range: SeriesRange) => get<SeriesAnswer>(`usage/series?range=${range}`);
  const figure = (tip: ReturnType<Page['getByTestId']>, head: string) =>
    tip.locator(`b[data-figure="${head}"]`).textContent();

  it('says there are no requests yet before any call', async () => {
    const { page } = panel;
    await panel.open('overview');
    const activity = page.getByTestId('activity');
    await activity.getByText('No requests yet in this time range.').first().waitFor();
    assert.equal(await activity.getByTestId('chart-empty').count(), 4);
    await activity.screenshot({ path: join(SHOTS, 'overview-charts-empty.png') });
  });

  it('shows, for the bucket in focus, exactly the figures GET /usage/series has for it', async () => {
    const { page, server, ha } = panel;
    const tools = await panel.toolNames();
    const readable =
      tools.find((t) => /GetDateTime$/.test(t)) ?? tools.find((t) => /GetLiveContext$/.test(t));
    assert.ok(readable, `a read-only tool among ${tools}`);
    const calls: Promise<Response>[] = [
      postMcp(server.mcpUrl, ha.userToken, 'tools/call', { name: readable, arguments: {} }),
      postMcp(server.mcpUrl, ha.userToken, 'tools/call', { name: readable, arguments: {} }),
      postMcp(server.mcpUrl, ha.userToken, 'tools/call', { name: 'NoSuchTool', arguments: {} }),
      postMcp(server.mcpUrl, ha.userToken, 'tools/list'),
      postMcp(server.mcpUrl, 'not-a-token', 'tools/list'),
    ];
    for (const call of calls) await (await call).arrayBuffer();
    // The log is written in batches, off the request path (and tools/list above made one more call).
    const expected = calls.length + 1;
    await panel.eventually(async () => {
      const s = await series('24h');
      return s.buckets.reduce((sum, b) => sum + b.total, 0) >= expected;
    }, 'the calls in the request log');

    await panel.open('overview');
    const chart = page.getByTestId('chart-requests');
    const bars = chart.locator('rect.hit');
    await bars.last().waitFor();
    const answer = await series('24h');
    assert.equal(await bars.count(), answer.buckets.length);
    const busy = answer.buckets.findLastIndex((b) => b.total > 0);
    const bucket = answer.buckets[busy]!;
    assert.ok(bucket.counts.ok >= 2 && bucket.counts.auth_failed >= 1, JSON.stringify(bucket));
    assert.ok(bucket.total - bucket.counts.ok >= 2, `several outcomes: ${JSON.stringify(bucket.counts)}`);

    // One tab stop: the newest bucket; arrow keys walk back to the busy one.
    await bars.last().focus();
    for (let i = answer.buckets.length - 1; i > busy; i--) await page.keyboard.press('ArrowLeft');
    const tip = chart.getByTestId('chart-tip');
    assert.equal(Number(await tip.getAttribute('data-start')), bucket.start);
    assert.equal(await figure(tip, 'Requests'), String(bucket.total));
    for (const outcome of OUTCOMES)
      assert.equal(await figure(tip, LABELS[outcome]), String(bucket.counts[outcome]), outcome);
    await panel.shoot('overview-charts-tooltip', page, false);

    // The text alternative: every bucket's figures, in the visually hidden table.
    const rows = await chart
      .getByTestId('chart-table')
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => ({
          start: Number(tr.getAttribute('data-start')),
          cells: [...tr.querySelectorAll('td')].map((td) => td.textContent),
        }))
      );
    assert.deepEqual(
      rows,
      answer.buckets.map((b) => ({
        start: b.start,
        cells: [String(b.total), ...OUTCOMES.map((o) => String(b.counts[o]))],
      }))
    );
    assert.match((await chart.locator('svg').getAttribute('aria-label')) ?? '', /\d+ in all/);

    // The same bucket's latency, hovered this time.
    const latency = page.getByTestId('chart-latency');
    await latency.locator('rect.hit').nth(busy).hover();
    const latencyTip = latency.getByTestId('chart-tip');
    assert.equal(Number(await latencyTip.getAttribute('data-start')), bucket.start);
    assert.equal(await figure(latencyTip, 'Median (p50)'), ms(bucket.p50Ms));
    assert.equal(await figure(latencyTip, '95th percentile (p95)'), ms(bucket.p95Ms));
    assert.ok(bucket.p50Ms !== null && bucket.p95Ms! >= bucket.p50Ms);
  });

  it('lists the busiest tools and clients as GET /tools-usage and /clients count them over the range', async () => {
    const { page } = panel;
    // The page asks for the lists once it has the series: wait for those requests, not for a moment.
    const lists = ['tools-usage', 'clients'].map((path) =>
      page.waitForRequest((req) => req.url().includes(`/api/admin/${path}?`))
    );
    await panel.open('overview');
    const asked = (await Promise.all(lists)).map((req) => req.url());
    const { from, to } = await series('24h');
    // The lists count over the series' own range, not the API's default last 24 hours from now.
    for (const path of ['tools-usage', 'clients'])
      assert.ok(
        asked.some((url) => url.includes(`/api/admin/${path}?from=${from}&to=${to}`)),
        `${path} over the series' range: ${asked.filter((u) => u.includes(path))}`
      );
    const usage = await get<ToolsUsageAnswer>(`tools-usage?from=${from}&to=${to}`);
    const toolsChart = page.getByTestId('chart-tools');
    await toolsChart.locator('li').first().waitFor();
    const shown = await toolsChart
      .locator('li')
      .evaluateAll((lis) =>
        lis.map((li) => [li.getAttribute('data-label'), li.querySelector('.calls')?.textContent])
      );
    assert.deepEqual(
      shown,
      usage.tools.slice(0, 5).map((t) => [t.tool, String(t.calls)])
    );
    assert.ok(usage.tools.some((t) => t.tool === 'NoSuchTool' && t.errors === 1));
    const noSuch = toolsChart.locator('li[data-label="NoSuchTool"]');
    await noSuch.focus();
    assert.equal(await figure(toolsChart.getByTestId('chart-tip'), 'Errors'), '1');

    const clients = await get<ClientsAnswer>(`clients?from=${from}&to=${to}`);
    const counted = clients.clients.filter((c) => c.range).map((c) => c.range!.calls);
    const clientsChart = page.getByTestId('chart-clients');
    const clientCalls = await clientsChart.locator('li .calls').allTextContents();
    assert.deepEqual(clientCalls.map(Number), counted.sort((a, b) => b - a).slice(0, 5));
    await panel.shoot('overview-charts');
  });

  it('switches to the last 7 days, six hours a bar, and agrees with the week’s series', async () => {
    const { page } = panel;
    await panel.open('overview');
    await page.getByRole('button', { name: '7 days' }).click();
    const chart = page.getByTestId('chart-requests');
    const bars = chart.locator('rect.hit');
    await page.getByRole('button', { name: '7 days', pressed: true }).waitFor();
    await bars.nth(27).waitFor();
    const week = await series('7d');
    assert.equal(await bars.count(), week.buckets.length);
    assert.equal(week.bucketMs, 6 * 3_600_000);
    await bars.last().hover();
    const tip = chart.getByTestId('chart-tip');
    const last = week.buckets.at(-1)!;
    assert.equal(Number(await tip.getAttribute('data-start')), last.start);
    assert.equal(await figure(tip, 'Requests'), String(last.total));
    assert.equal(await figure(tip, 'Sign-in failed'), String(last.counts.auth_failed));
  });

  it('draws in Home Assistant’s dark scheme too', async () => {
    const dark = await panel.newPage({ colorScheme: 'dark' });
    try {
      await panel.open('overview', dark);
      const chart = dark.getByTestId('chart-requests');
      // Focus, not hover: the element screenshot below scrolls, and the pointer would leave the bar.
      await chart.locator('rect.hit').last().focus();
      await chart.getByTestId('chart-tip').waitFor();
      assert.equal(await computed(dark.getByTestId('activity'), 'background-color'), 'rgb(28, 28, 28)');
      const ok = chart.locator('rect[data-outcome="ok"]').first();
      assert.equal(await computed(ok, 'fill'), 'rgb(67, 160, 71)');
      await dark.getByTestId('activity').screenshot({ path: join(SHOTS, 'overview-charts-dark.png') });
      await panel.page.getByTestId('activity').screenshot({
        path: join(SHOTS, 'overview-charts-light.png'),
      });
    } finally {
      await dark.context().close();
    }
  });

  it('stacks the charts in one column on a phone, each as wide as the card', async () => {
    const phone = await panel.newPage({ viewport: { width: 400, height: 900 } });
    try {
      await panel.open('overview', phone);
      const svg = phone.getByTestId('chart-requests').locator('svg');
      await svg.waitFor();
      const card = await phone.getByTestId('activity').boundingBox();
      const drawn = await svg.boundingBox();
      assert.ok(card && drawn && drawn.width > card.width - 60, `${drawn?.width} in ${card?.width}`);
      await phone.getByTestId('activity').screenshot({ path: join(SHOTS, 'overview-charts-narrow.png') });
    } finally {
      await phone.context().close();
    }
  });
});
