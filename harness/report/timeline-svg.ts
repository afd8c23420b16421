import type { BuildTimeline } from '../analysis/index.js';
import { esc } from './markup.js';
import { formatDuration as formatTick } from '../analysis/format-number.js';

const W = 860;
const H = 220;
const PAD = { left: 48, right: 16, top: 28, bottom: 36 };
const COLOURS = ['#d7301f', '#2b8cbe', '#31a354', '#756bb1', '#e6550d', '#636363'];

function colour(domain: string, index: number): string {
  return domain === '*' ? '#bdbdbd' : COLOURS[index % COLOURS.length]!;
}

/** The extent a timeline needs: its time span and its highest bin. */
export interface TimelineScale {
  readonly spanMs: number;
  readonly maxCount: number;
}

/**
 * The chart ends where the record does (last window end, marker or busy bin),
 * not at the end of the last bin: a trailing empty bin past a window's
 * half-open end would draw a drop to 0 that nobody observed.
 */
export function timelineScale(t: BuildTimeline): TimelineScale {
  const lastBusyBin = (counts: readonly number[]) => counts.reduce((last, c, i) => (c > 0 ? i : last), -1);
  const busyEndMs = Math.max(0, ...[...t.series.map((s) => s.counts), t.egress].map((c) => (lastBusyBin(c) + 1) * t.binMs));
  // With windows, the observation ends with the last of them: queries the lab
  // saw while it was being taken down are not part of any observation.
  const observedEndMs = Math.max(...t.windows.map((w) => w.endOffsetMs), ...t.markers.map((m) => m.offsetMs));
  const spanMs = Math.max(1, t.windows.length ? observedEndMs : Math.max(busyEndMs, observedEndMs));
  return { spanMs, maxCount: Math.max(1, ...[...t.series.map((s) => s.counts), t.egress].flatMap((c) => steps(c, t.binMs, spanMs).map((p) => p.v))) };
}

/**
 * The step line's segments. The record usually ends inside its last bin:
 * that bin is drawn as a rate per full bin, so a steady sender does not seem
 * to slow down at the end; a sliver too short to say much is left out.
 */
function steps(counts: readonly number[], binMs: number, spanMs: number): { from: number; to: number; v: number }[] {
  const out: { from: number; to: number; v: number }[] = [];
  counts.forEach((c, b) => {
    const from = b * binMs;
    const to = Math.min(from + binMs, spanMs);
    if (to <= from || (to - from < binMs * 0.3 && to < from + binMs)) return;
    out.push({ from, to, v: (c * binMs) / (to - from) });
  });
  return out;
}

/** Other egress (not DNS): its own series, dashed, so it never reads as queries. */
const EGRESS_COLOUR = '#000000';

/**
 * One build's queries per bin as an inline SVG: a step line per domain
 * pattern, other egress as a dashed line of its own, the observation
 * windows shaded, setting changes as dashed vertical lines; under it the
 * exact counts per bin in a table that opens on demand.
 * Data attributes let tests (and people with devtools) find each part.
 * Pass one `scale` to every build's chart so old and new read on the same axes.
 */
export function timelineSvg(t: BuildTimeline, scale: TimelineScale = timelineScale(t)): string {
  const ownSpanMs = timelineScale(t).spanMs;
  const { spanMs, maxCount } = scale;
  const x = (ms: number) => PAD.left + (ms / spanMs) * (W - PAD.left - PAD.right);
  const y = (n: number) => H - PAD.bottom - (n / maxCount) * (H - PAD.top - PAD.bottom);
  const parts: string[] = [];
  for (const w of t.windows) {
    parts.push(`<rect class="window" data-window="${esc(w.window)}" x="${x(w.startOffsetMs).toFixed(1)}" y="${PAD.top}" width="${(x(w.endOffsetMs) - x(w.startOffsetMs)).toFixed(1)}" height="${H - PAD.top - PAD.bottom}" fill="${w.labLive ? '#f0f0f0' : '#fde0dd'}" stroke="#fff" stroke-width="2"/>`);
    parts.push(`<text x="${(x(w.startOffsetMs) + 4).toFixed(1)}" y="${PAD.top + 12}" font-size="11" fill="#555">${esc(w.window)}</text>`);
  }
  // "*" (all queries) goes underneath, grey and wider, so a domain series
  // that accounts for every query stays visible on top of it.
  const ordered = [...t.series].sort((a, b) => Number(b.domain === '*') - Number(a.domain === '*'));
  ordered.forEach((s) => {
    const i = t.series.indexOf(s);
    const pts: string[] = [];
    for (const p of steps(s.counts, t.binMs, ownSpanMs)) {
      pts.push(`${x(p.from).toFixed(1)},${y(p.v).toFixed(1)}`, `${x(p.to).toFixed(1)},${y(p.v).toFixed(1)}`);
    }
    const total = s.counts.reduce((a, b) => a + b, 0);
    parts.push(`<polyline class="series" data-kind="dns" data-domain="${esc(s.domain)}" data-total="${total}" fill="none" stroke="${colour(s.domain, i)}" stroke-width="${s.domain === '*' ? 5 : 2}" points="${pts.join(' ')}"><title>${esc(s.domain === '*' ? 'all queries' : s.domain)}: ${total} queries</title></polyline>`);
  });
  const egressTotal = t.egress.reduce((a, b) => a + b, 0);
  if (egressTotal > 0) {
    const pts = steps(t.egress, t.binMs, ownSpanMs).flatMap((p) => [`${x(p.from).toFixed(1)},${y(p.v).toFixed(1)}`, `${x(p.to).toFixed(1)},${y(p.v).toFixed(1)}`]);
    parts.push(`<polyline class="series egress" data-kind="egress" data-total="${egressTotal}" fill="none" stroke="${EGRESS_COLOUR}" stroke-width="2" stroke-dasharray="6 3" points="${pts.join(' ')}"><title>other egress: ${egressTotal} contacts</title></polyline>`);
  }
  for (const m of t.markers) {
    const via = m.via === undefined ? '' : ` via ${m.via}${m.fellBack === undefined ? '' : ' (fell back)'}`;
    parts.push(`<line class="marker" data-feature="${esc(m.feature)}" data-state="${esc(m.state)}" data-via="${esc(m.via ?? '')}" x1="${x(m.offsetMs).toFixed(1)}" x2="${x(m.offsetMs).toFixed(1)}" y1="${PAD.top - 10}" y2="${H - PAD.bottom}" stroke="#000" stroke-dasharray="4 3">${m.fellBack === undefined ? '' : `<title>${esc(m.fellBack)}</title>`}</line>`);
    parts.push(`<text x="${(x(m.offsetMs) + 3).toFixed(1)}" y="${PAD.top - 14}" font-size="11">${esc(m.feature)} ${esc(m.state)}${esc(via)}</text>`);
  }
  const axis = [
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}" stroke="#333"/>`,
    `<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#333"/>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" font-size="11" text-anchor="end">${Number(maxCount.toFixed(1))}</text>`,
    `<text x="${PAD.left - 6}" y="${H - PAD.bottom}" font-size="11" text-anchor="end">0</text>`,
    ...timeTicks(spanMs).flatMap((ms) => [
      `<line class="tick" x1="${x(ms).toFixed(1)}" x2="${x(ms).toFixed(1)}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom + 4}" stroke="#333"/>`,
      `<text class="tick" data-ms="${ms}" x="${x(ms).toFixed(1)}" y="${H - PAD.bottom + 15}" font-size="11" text-anchor="middle">${formatTick(ms)}</text>`,
    ]),
    `<text x="${W - PAD.right}" y="${H - 3}" font-size="11" text-anchor="end">time since the lab came up; queries and other contacts per ${t.binMs / 1000} s</text>`,
  ];
  const legend = [
    ...t.series.map((s, i) => `<span class="legend"><span style="background:${colour(s.domain, i)}"></span>${s.domain === '*' ? 'all queries' : esc(s.domain)}</span>`),
    ...(egressTotal > 0 ? [`<span class="legend"><span style="background:${EGRESS_COLOUR}"></span>other egress (not DNS)</span>`] : []),
  ].join(' ');
  return `<figure class="timeline" data-build="${esc(t.build)}"><figcaption>${esc(t.build)} ${legend}</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${[...parts, ...axis].join('')}</svg>${countsTable(t, egressTotal > 0)}</figure>`;
}

/** Bins a counts table lists at most: an hour at 10 s bins. */
const MAX_BINS = 360;

/** The exact counts behind the chart, per bin, in a table that stays closed until asked for. */
function countsTable(t: BuildTimeline, withEgress: boolean): string {
  const bins = Math.max(0, ...t.series.map((s) => s.counts.length), t.egress.length);
  const heads = [...t.series.map((s) => (s.domain === '*' ? 'all queries' : s.domain)), ...(withEgress ? ['other egress'] : [])];
  const rows: string[] = [];
  for (let b = 0; b < Math.min(bins, MAX_BINS); b++) {
    const cells = [...t.series.map((s) => s.counts[b] ?? 0), ...(withEgress ? [t.egress[b] ?? 0] : [])];
    rows.push(`<tr><td>${formatTick(b * t.binMs)}</td>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`);
  }
  if (bins > MAX_BINS) rows.push(`<tr><td colspan="${heads.length + 1}">${bins - MAX_BINS} more bins in report.json</td></tr>`);
  return `<details class="counts"><summary>exact counts per ${t.binMs / 1000} s</summary><table><thead><tr><th>from</th>${heads.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

/** Tick steps a reader counts in: 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1 h... */
const TICK_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400];

/** Times (ms from the start) for the axis: the smallest readable step giving at most 8 intervals, 0 included. */
export function timeTicks(spanMs: number, maxIntervals = 8): number[] {
  const stepS = TICK_STEPS_S.find((s) => (spanMs / 1000) / s <= maxIntervals) ?? Math.ceil(spanMs / 1000 / maxIntervals / 86_400) * 86_400;
  const out: number[] = [];
  for (let ms = 0; ms <= spanMs + 1e-6; ms += stepS * 1000) out.push(ms);
  return out;
}
