/**
 * The dashboard's HTTP client for /api/*: JSON in and out, coded errors surfaced as ApiError, and a
 * 401 reported once to `onUnauthorized` (the page then shows the "token needed" form). An error's
 * machine fields (a ban refusal's `refused` kind and `address`) are kept for a translated display.
 */
export class ApiError extends Error {
  constructor(status, code, message, details = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.refused = typeof details.refused === 'string' ? details.refused : null;
    this.address = typeof details.address === 'string' ? details.address : null;
  }
}

export class Api {
  #onUnauthorized;

  constructor(onUnauthorized) {
    this.#onUnauthorized = onUnauthorized;
  }

  /** GET a JSON document; `params` become the query string (empty values left out). */
  get(path, params = {}) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
    const qs = query.toString();
    return this.#json(qs === '' ? path : `${path}?${qs}`, { method: 'GET' });
  }

  post(path, body) {
    return this.#json(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  }

  delete(path) {
    return this.#json(path, { method: 'DELETE' });
  }

  /** GET a text/plain document (a raw SIP message). */
  async text(path) {
    const response = await this.#fetch(path, { method: 'GET' });
    return response.text();
  }

  async #json(path, init) {
    const response = await this.#fetch(path, init);
    if (response.status === 204) return null;
    return response.json();
  }

  async #fetch(path, init) {
    let response;
    try {
      response = await fetch(path, { ...init, credentials: 'same-origin', headers: { accept: 'application/json', ...(init.headers ?? {}) } });
    } catch (error) {
      throw new ApiError(0, 'network', String(error?.message ?? error));
    }
    if (response.ok) return response;
    if (response.status === 401) this.#onUnauthorized();
    let code = `http-${response.status}`;
    let message = response.statusText;
    let details = {};
    try {
      const body = await response.json();
      if (body && typeof body.error === 'object' && body.error !== null) {
        code = String(body.error.code ?? code);
        message = String(body.error.message ?? message);
        details = body.error;
      }
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, code, message, details);
  }
}
