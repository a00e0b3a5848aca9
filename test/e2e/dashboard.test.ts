/**
 * The dashboard in a real browser (issue 4): `ghostguard demo` — the real guard with a simulated
 * provider, phone and scanners on loopback, and the dashboard on a free loopback port — run as a
 * child from the sources, and Debian's Chromium driven by playwright-core. It checks what a person
 * would: the charts and the events table fill and stay live, a row explains itself (English, then
 * Japanese) and shows its raw message, a ban can be added and removed (and a refused one says why),
 * the self-test answers, the page fits a phone, and a 401 brings up the token form.
 * Screenshots: test-results/dashboard/{desktop-en,desktop-ja,phone}.png.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, requireChromium, screenshot, watchProblems } from './lib/browser.js';
import { Child } from './lib/child.js';

const ready = requireChromium();
const REPO = fileURLToPath(new URL('../..', import.meta.url));

interface ApiEventRow {
  readonly id?: number;
  readonly method: string | null;
  readonly explanation: { readonly en: string; readonly ja: string };
  readonly hasRaw: boolean;
}

type Dictionary = Record<'en' | 'ja', Record<string, string>>;

describe.skipIf(!ready)('the dashboard in Chromium, on `ghostguard demo`', () => {
  let demo: Child | undefined;
  let url = '';
  /** What the demo printed: the guard's WAN port and the provider's address. */
  let wanPort = 0;
  let provider = '';
  let browser: Browser | undefined;
  let desktop: BrowserContext;
  let page: Page;
  let problems: string[] = [];

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(new URL(path, url));
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    demo = new Child('ghostguard demo', process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'demo', '--dashboard-port', '0', '--seed', '4', '--duration', '900'], { cwd: REPO });
    url = (await demo.waitForOutput(/dashboard\s+(http:\/\/127\.0\.0\.1:\d+\/)/, 60_000))[1]!;
    wanPort = Number((await demo.waitForOutput(/guard\s+WAN [0-9.]+:(\d+)/, 1_000))[1]);
    provider = (await demo.waitForOutput(/provider\s+\S+ at ([0-9.]+):\d+/, 1_000))[1]!;
    browser = await launchChromium();
    desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', colorScheme: 'light' });
    page = await desktop.newPage();
    problems = watchProblems(page);
    await page.goto(url);
  });

  afterAll(async () => {
    await browser?.close();
    // Ctrl-C's twin: the demo closes the dashboard and the lab, and prints its summary.
    const exit = await demo?.stop(10_000);
    if (demo !== undefined) {
      expect(exit, demo.tail()).toEqual({ code: 0, signal: null });
      expect(demo.output).toContain('Stopped on SIGTERM');
    }
  });

  it('shows the guard: status, demo tally, totals, both charts and the events table fill', async () => {
    await expect.poll(() => page.locator('#status-wan').textContent()).toBe(`WAN port ${wanPort}`);
    await expect.poll(() => page.locator('#status-provider').textContent(), { timeout: 20_000 }).toBe('Provider: registered');
    await expect.poll(() => page.locator('#tally').isVisible()).toBe(true);
    await expect.poll(() => page.locator('#tally').textContent()).toMatch(/Ghost calls: 0 rang · \d+ requests blocked/);

    await page.waitForSelector('#chart-timeline[data-filled="true"]', { timeout: 30_000 });
    await page.waitForSelector('#chart-families[data-filled="true"]', { timeout: 30_000 });
    expect(await page.locator('#chart-timeline svg rect.bar-blocked').count()).toBeGreaterThan(0);
    // The provider's calls reach the phone: the delivered row gets its bar too.
    await page.waitForSelector('#chart-timeline svg rect.bar-delivered', { timeout: 30_000 });
    // Every family bar names a family the store has counted.
    const families = (await api<{ families: { key: string }[] }>('/api/families')).families.map((f) => f.key);
    const labels = await page.locator('#chart-families svg text.chart-label').allTextContents();
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(families).toContain(label);

    await page.waitForSelector('#events-body tr.event-row[data-key^="id-"]');
    const blocked = Number((await page.locator('#total-blocked').textContent())?.replace(/\D/g, ''));
    expect(blocked).toBeGreaterThan(0);
    // The live feed: the totals move on and rows arrive without a reload.
    await expect.poll(async () => Number((await page.locator('#total-blocked').textContent())?.replace(/\D/g, '')), { timeout: 30_000 }).toBeGreaterThan(blocked);
    await page.waitForSelector('#events-body tr.event-row[data-key^="live-"]', { timeout: 30_000 });
    expect(await page.locator('#live-state').getAttribute('data-state')).toBe('live');
  });

  it('opens a row: its plain-language explanation and, on demand, the raw SIP message', async () => {
    const row = page.locator('#events-body tr.event-row[data-key^="id-"]').first();
    const id = Number(await row.getAttribute('data-id'));
    const stored = (await api<{ events: ApiEventRow[] }>(`/api/events?limit=1&cursor=${id + 1}`)).events[0]!;
    expect(stored.id).toBe(id);
    await row.locator('[data-action="explain"]').click();
    const detail = page.locator(`#event-detail-id-${id}`);
    await expect.poll(() => detail.isVisible()).toBe(true);
    expect(await detail.locator('.explanation').textContent()).toBe(stored.explanation.en);
    expect(await row.locator('[data-action="explain"]').getAttribute('aria-expanded')).toBe('true');

    expect(stored.hasRaw).toBe(true);
    const raw = await (await fetch(new URL(`/api/events/${id}/raw`, url))).text();
    await detail.locator('[data-action="raw"]').click();
    await detail.locator('pre.raw').waitFor();
    expect(await detail.locator('pre.raw').textContent()).toBe(raw);
    // A SIP request line; a row of a banned source was dropped unread (no method), the rest name theirs.
    expect(raw).toMatch(/^[A-Z]+ \S+ SIP\/2\.0\r?\n/);
    if (stored.method !== null) expect(raw.startsWith(`${stored.method} `)).toBe(true);
    await screenshot(page, 'desktop-en');
  });

  it('filters the table by scanner family and by text, through the API', async () => {
    const rows = page.locator('#events-body tr.event-row');
    // Text: a scanner's User-Agent (several sources send it); every row shown carries it.
    const agent = (await rows.locator('.ua').first().textContent())!;
    await page.fill('#filter-text', agent);
    await expect.poll(async () => {
      const agents = await rows.evaluateAll((list) => list.map((r) => r.querySelector('.ua')?.textContent ?? ''));
      return agents.length > 0 && agents.every((a) => a.includes(agent));
    }).toBe(true);
    await page.click('#events-filter button[type="reset"]');
    await expect.poll(() => page.locator('#filter-text').inputValue()).toBe('');

    const family = page.locator('#filter-family');
    await expect.poll(() => family.locator('option').count(), { timeout: 25_000 }).toBeGreaterThan(1);
    const chosen = (await family.locator('option').nth(1).getAttribute('value'))!;
    await family.selectOption(chosen);
    await expect.poll(async () => [...new Set(await rows.locator('td:nth-child(5)').allTextContents())]).toEqual([chosen]);
    await page.click('#events-filter button[type="reset"]');
    await expect.poll(() => family.inputValue()).toBe('');
    await expect.poll(async () => new Set(await rows.locator('td:nth-child(5)').allTextContents()).size).toBeGreaterThan(1);
  });

  it('bans an address and unbans it by keyboard (the row goes away); a refused ban says why in the page’s language', async () => {
    const address = '192.0.2.99';
    // Markup in a field must stay text: the page never turns API data into elements.
    const reason = '<img src=x id=injected> test ban';
    await page.fill('#ban-address', address);
    await page.fill('#ban-reason', reason);
    // By keyboard: Enter in the form submits it.
    await page.press('#ban-reason', 'Enter');
    const row = page.locator(`#bans-body tr[data-address="${address}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(reason);
    expect(await page.locator('#injected').count()).toBe(0);
    expect(await page.locator('#ban-message').textContent()).toBe(`${address} is banned.`);
    expect((await api<{ bans: { address: string }[] }>('/api/bans')).bans.map((b) => b.address)).toContain(address);

    // By keyboard too: Enter on "Unban" asks, the focus moves to the confirmation, Enter confirms.
    await row.locator('[data-action="unban"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('document.activeElement?.dataset.action')).toBe('confirm-unban');
    await page.keyboard.press('Enter');
    await row.waitFor({ state: 'detached' });
    expect(await page.locator('#ban-message').textContent()).toBe(`${address} is no longer banned.`);
    expect((await api<{ bans: { address: string }[] }>('/api/bans')).bans.map((b) => b.address)).not.toContain(address);

    // The provider is never banned: the API refuses (English message, machine kind), and the page says so in its own words.
    const refusal = await fetch(new URL('/api/bans', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ address: provider }) });
    expect(refusal.status).toBe(409);
    const { error } = (await refusal.json()) as { error: { message: string; refused: string; address: string } };
    expect(error).toMatchObject({ refused: 'provider', address: provider, message: `${provider} is the provider's: never banned (only rate-limited)` });
    await page.fill('#ban-address', provider);
    await page.click('#ban-form button[type="submit"]');
    await expect.poll(() => page.locator('#ban-message').textContent()).toBe(`Not done: ${provider} is your provider’s address: ghostguard never bans it (its calls would stop reaching you).`);
    expect(await page.locator('#ban-message').getAttribute('role')).toBe('alert');
    expect(await page.locator(`#bans-body tr[data-address="${provider}"]`).count()).toBe(0);
  });

  it('answers "Am I protected?" with each port’s verdict', async () => {
    await page.click('#selftest-run');
    const answer = page.locator('#selftest-result .answer');
    await answer.waitFor({ timeout: 20_000 });
    // The guard drops a scanner's INVITE and OPTIONS silently: protected, port by port.
    expect(await answer.getAttribute('data-protected')).toBe('true');
    expect(await page.locator('#selftest-result .verdict').allTextContents()).toEqual([expect.stringContaining(`UDP ${wanPort}Silent`)]);
    await expect.poll(() => page.locator('#status-protection').textContent()).toBe('Protected (self-test passed)');
  });

  it('switches the whole page to Japanese, explanations included, and remembers it', async () => {
    // The page's own dictionary module (a string, so that the test runner does not rewrite the import).
    const dictionary = (await page.evaluate('import("/assets/dictionary.js").then((m) => m.DICTIONARY)')) as Dictionary;
    expect(Object.keys(dictionary.ja).sort()).toEqual(Object.keys(dictionary.en).sort());

    const row = page.locator('#events-body tr.event-row[data-key^="id-"]').first();
    const key = (await row.getAttribute('data-key'))!;
    const id = Number(key.replace('id-', ''));
    if ((await row.locator('[data-action="explain"]').getAttribute('aria-expanded')) !== 'true') await row.locator('[data-action="explain"]').click();
    const stored = (await api<{ events: ApiEventRow[] }>(`/api/events?limit=1&cursor=${id + 1}`)).events[0]!;

    await page.selectOption('#lang', 'ja');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await page.locator('#events-title').textContent()).toBe(dictionary.ja['events.title']);
    expect(await page.locator('#selftest-title').textContent()).toBe(dictionary.ja['selftest.title']);
    expect(await page.locator('#bans-title [data-i18n]').textContent()).toBe(dictionary.ja['bans.title']);
    expect(await page.locator('#events-body [data-action="explain"]').first().textContent()).toMatch(new RegExp(`^(${dictionary.ja['events.explain']}|${dictionary.ja['events.hide']})$`));
    expect(await page.locator('#status-wan').textContent()).toBe(`WAN ポート ${wanPort}`);
    // The ban form's last message (the refusal above) follows the language too.
    expect(await page.locator('#ban-message').textContent()).toBe(`実行できませんでした: ${provider} はプロバイダーのアドレスです。ghostguard は決して遮断しません（着信が届かなくなるため）。`);
    await expect.poll(() => page.locator(`#event-detail-${key} .explanation`).textContent()).toBe(stored.explanation.ja);
    expect(await page.locator(`#event-detail-${key} .explanation`).getAttribute('lang')).toBe('ja');
    await screenshot(page, 'desktop-ja');

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await page.locator('#lang').inputValue()).toBe('ja');
    expect(problems).toEqual([]);
  });

  it('fits a phone (390×844): one column, no horizontal scroll', async () => {
    const phone = await browser!.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      const small = await phone.newPage();
      const phoneProblems = watchProblems(small);
      await small.goto(url);
      await small.waitForSelector('#chart-timeline[data-filled="true"]', { timeout: 20_000 });
      await small.waitForSelector('#events-body tr.event-row');
      await small.locator('#events-body [data-action="explain"]').first().click();
      const width = (await small.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as { scroll: number; client: number };
      expect(width.scroll).toBeLessThanOrEqual(width.client);
      // One column: every panel starts at the same left edge and fits the screen.
      const boxes: { left: number; right: number }[] = [];
      for (const panel of await small.locator('main > section.panel:not([hidden])').all()) {
        const box = await panel.boundingBox();
        if (box !== null) boxes.push({ left: Math.round(box.x), right: Math.round(box.x + box.width) });
      }
      expect(boxes.length).toBeGreaterThan(5);
      for (const box of boxes) expect(box).toEqual({ left: boxes[0]!.left, right: boxes[0]!.right });
      expect(boxes[0]!.right).toBeLessThanOrEqual(390);
      await screenshot(small, 'phone');
      expect(phoneProblems).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('asks for the token when the API answers 401', async () => {
    const locked = await browser!.newContext({ viewport: { width: 800, height: 700 } });
    try {
      const lockedPage = await locked.newPage();
      await lockedPage.route('**/api/**', (route) => route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: { code: 'GG_UNAUTHORIZED', message: 'token needed' } }) }));
      await lockedPage.goto(url);
      const form = lockedPage.locator('#login form');
      await form.waitFor();
      expect(await lockedPage.locator('#main').isHidden()).toBe(true);
      expect(await form.getAttribute('action')).toBe('/login');
      expect(await lockedPage.locator('#login-token').getAttribute('name')).toBe('token');
    } finally {
      await locked.close();
    }
  });
});
