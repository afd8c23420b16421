import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/*
 * Opens a report.html in Debian's headless Chromium (never a browser
 * playwright downloads) and reads back what actually rendered, so tests can
 * check the page the way a person would see it, not only its markup.
 */

/** Debian's package; playwright-core is only the driver. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * The machine has no network and must not try: these keep Chromium from
 * phoning out (component updates, sync, QUIC probes, first-run pings).
 * Playwright adds its own `--user-data-dir` from launchPersistentContext's
 * directory, a fresh temp dir per call.
 */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface RenderedSeries {
  readonly domain: string;
  readonly width: number;
  readonly height: number;
}

export interface RenderedMarker {
  readonly feature: string;
  readonly state: string;
  /** Rendered x of the dashed line, in CSS pixels from the left edge of its SVG. */
  readonly x: number;
}

export interface RenderedTimeline {
  readonly build: string;
  /** Rendered width of the SVG, for judging marker positions. */
  readonly svgWidth: number;
  readonly series: readonly RenderedSeries[];
  /** Series whose rendered box has a width (an all-zero step line is flat, so height alone proves nothing). */
  readonly seriesRendered: number;
  readonly markers: readonly RenderedMarker[];
}

export interface RenderedReport {
  readonly timelines: readonly RenderedTimeline[];
  /** Each verdict table row's cells' text. */
  readonly verdictRows: readonly (readonly string[])[];
  /** The headline paragraphs: their class (fixed, not-fixed...) and text, and whether they show. */
  readonly headlines: readonly { readonly status: string; readonly text: string; readonly height: number }[];
  /** The old-vs-new difference: each listed new contact's build and text. */
  readonly newContacts: readonly { readonly build: string; readonly text: string }[];
  /** Per build, the names in its contact tables (first column), and whether the section shows. */
  readonly contacts: readonly { readonly build: string; readonly names: readonly string[]; readonly height: number }[];
  /** Every non-file:// request the page tried; each was aborted. */
  readonly blockedRequests: readonly string[];
  /** Uncaught page errors and console errors. */
  readonly pageErrors: readonly string[];
}

export interface InspectOptions {
  readonly executablePath?: string;
  readonly timeoutMs?: number;
}

export async function inspectReportInBrowser(
  htmlPath: string,
  screenshotPath: string,
  options: InspectOptions = {},
): Promise<RenderedReport> {
  const profile = await mkdtemp(join(tmpdir(), 'firmlab-chromium-'));
  const timeout = options.timeoutMs ?? 30_000;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: options.executablePath ?? CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout,
    viewport: { width: 1000, height: 800 },
    offline: true,
  });
  try {
    const blockedRequests: string[] = [];
    const pageErrors: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      blockedRequests.push(url);
      return route.abort('blockedbyclient');
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(timeout);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: 'load' });
    const rendered = await page.evaluate(readRendered);
    await page.screenshot({ path: screenshotPath, fullPage: true });
    return { ...rendered, blockedRequests, pageErrors };
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

/*
 * The DOM as far as readRendered uses it: tsconfig has no DOM lib (Node
 * project), and adding it would leak browser globals into every file.
 */
interface Box { left: number; width: number; height: number }
interface El {
  dataset: Record<string, string | undefined>;
  className?: string;
  textContent: string | null;
  getBoundingClientRect(): Box;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El>;
  cells?: Iterable<El>;
}
interface PageGlobals {
  document: El;
  getComputedStyle(el: El): { visibility: string; display: string };
}

/** Runs in the page: serialised by playwright, so it may use nothing from this module. */
function readRendered(): Pick<RenderedReport, 'timelines' | 'verdictRows' | 'headlines' | 'newContacts' | 'contacts'> {
  const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
  const timelines = [...document.querySelectorAll('figure.timeline')].map((figure) => {
    const svg = figure.querySelector('svg')!.getBoundingClientRect();
    const series = [...figure.querySelectorAll('polyline.series')].map((p) => {
      const box = p.getBoundingClientRect();
      const style = getComputedStyle(p);
      const shown = style.visibility !== 'hidden' && style.display !== 'none';
      return { domain: p.dataset.domain ?? '', width: shown ? box.width : 0, height: shown ? box.height : 0 };
    });
    const markers = [...figure.querySelectorAll('line.marker')].map((l) => ({
      feature: l.dataset.feature ?? '',
      state: l.dataset.state ?? '',
      x: l.getBoundingClientRect().left - svg.left,
    }));
    return {
      build: figure.dataset.build ?? '',
      svgWidth: svg.width,
      series,
      seriesRendered: series.filter((s) => s.width > 0).length,
      markers,
    };
  });
  const verdictRows = [...document.querySelectorAll('#verdicts tbody tr')].map((tr) =>
    [...(tr.cells ?? [])].map((td) => (td.textContent ?? '').trim()));
  const headlines = [...document.querySelectorAll('#headline p')].map((p) => ({
    status: p.className ?? '', text: (p.textContent ?? '').trim(), height: p.getBoundingClientRect().height,
  }));
  const newContacts = [...document.querySelectorAll('#new-contacts li')].map((li) => ({ build: li.dataset.build ?? '', text: (li.textContent ?? '').trim() }));
  const contacts = [...document.querySelectorAll('section.contacts')].map((sec) => ({
    build: sec.dataset.build ?? '',
    names: [...sec.querySelectorAll('table.names tbody tr')].map((tr) => ((tr.querySelector('td')?.textContent) ?? '').trim()),
    height: sec.getBoundingClientRect().height,
  }));
  return { timelines, verdictRows, headlines, newContacts, contacts };
}
