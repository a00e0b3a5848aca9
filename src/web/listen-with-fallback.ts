/** Listening with a fallback: the demo's dashboard takes the next port when 8080 is taken. */
import { WebServer, WebServerError, type WebListen } from './web-server.js';

/** Starts `server` on `listen`, or on one of the next `tries - 1` ports when it is taken; resolves with the URL. */
export async function listenWithFallback(server: WebServer, listen: WebListen, token: string | null, tries: number): Promise<string> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    const port = listen.port === 0 ? 0 : listen.port + i;
    if (port > 65_535) break;
    try {
      return await server.start({ address: listen.address, port }, token);
    } catch (error) {
      last = error;
      if (!(error instanceof WebServerError) || error.code !== 'GG_ERR_WEB_LISTEN' || listen.port === 0) throw error;
    }
  }
  throw last;
}
