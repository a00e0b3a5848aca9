/**
 * For the web tests: a DemoLab (the real guard on loopback, with a provider, a phone and scanners)
 * and a WebServer over it on 127.0.0.1:0, and small HTTP helpers. Each test file passes its own
 * loopback prefix so that files running in parallel do not collide.
 */
import { DemoLab } from '../lab/demo-lab.js';
import { labAddresses } from '../lab/lab-addresses.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { systemClock } from '../util/clock.js';
import { tapEvents } from './event-tap.js';
import type { WebDeps } from './web-deps.js';
import { WebServer } from './web-server.js';

export interface WebFixture {
  readonly lab: DemoLab;
  readonly store: Store;
  readonly server: WebServer;
  readonly url: string;
  stop(): Promise<void>;
}

export async function startFixture(prefix: string, extra: Partial<WebDeps> = {}, listen = { address: '127.0.0.1', port: 0 }, token: string | null = null): Promise<WebFixture> {
  const store = openStore(':memory:', { clock: systemClock });
  const tap = tapEvents(store);
  const lab = new DemoLab({ store: tap.store, seed: 7, speed: 5, addresses: labAddresses(prefix), timing: { floodSize: 50 } });
  await lab.start();
  const server = new WebServer({
    guard: lab.guard,
    store: tap.store,
    events: tap,
    bans: lab.guard.bans,
    lab,
    clock: systemClock,
    version: '0.0.0-test',
    ...extra,
  });
  let url: string;
  try {
    url = await server.start(listen, token, { requireTokenOnLoopback: token !== null });
  } catch (error) {
    await lab.stop();
    store.close();
    throw error;
  }
  return {
    lab,
    store,
    server,
    url,
    async stop() {
      await server.stop();
      await lab.stop();
      store.close();
    },
  };
}

export async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

export async function getJson(url: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text.length > 0 && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text, headers: res.headers };
}

export interface SseMessage {
  readonly event: string;
  readonly data: any;
}

/** Reads a text/event-stream until `done` says so (or `ms` pass); returns the messages and aborts. */
export async function readSse(url: string, done: (messages: SseMessage[]) => boolean, ms = 10_000, init: RequestInit = {}): Promise<{ status: number; messages: SseMessage[]; headers: Headers }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  const messages: SseMessage[] = [];
  const res = await fetch(url, { ...init, signal: abort.signal });
  if (res.status !== 200 || res.body === null) {
    clearTimeout(timer);
    abort.abort();
    return { status: res.status, messages, headers: res.headers };
  }
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (event !== undefined && data !== undefined) messages.push({ event, data: JSON.parse(data) });
      }
      if (done(messages)) break;
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return { status: 200, messages, headers: res.headers };
}
