/**
 * The dashboard's browser: Debian's Chromium (/usr/bin/chromium) driven by playwright-core, headless,
 * never a downloaded browser. `requireChromium()` follows the harness rule (tools.ts): missing, the
 * test FAILS when GHOSTGUARD_E2E=required, and is skipped with a printed reason otherwise.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { requireTools } from './tools.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Where the screenshots go (gitignored). */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'dashboard');

/** True when Chromium is there; else throws (GHOSTGUARD_E2E=required) or prints why and returns false. */
export function requireChromium(): boolean {
  return requireTools(['chromium'], false);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}

/** Saves a full-page screenshot as test-results/dashboard/NAME.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Problems the page reported, to assert there were none: uncaught errors, console errors, requests
 * that failed, and files of the page that did not load. (API refusals are answers the page shows; the
 * tests check those themselves, so the browser's "Failed to load resource" lines for /api are left out.)
 */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !new URL(response.url()).pathname.startsWith('/api/')) problems.push(`${response.status()} for ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    // A reload cuts what is in flight (the live feed, a poll): that is not a problem of the page.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  return problems;
}
