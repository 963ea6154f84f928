// The one way the console talks to the node: every request carries the token as
// "Authorization: Bearer"; only EventSource, which cannot send headers, puts it in the query.
const KEY = 'tributary.token';

export const session = {
  get token() { return sessionStorage.getItem(KEY) || ''; },
  set token(value) {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  },
  admin: false,
};

/** A failed request, with the {"error","message"} the node answered (or a network failure). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
  /** The text shown to the operator. */
  get text() { return this.status ? `${this.message} (${this.status} ${this.code})` : this.message; }
}

const unauthorizedListeners = new Set();
/** Called with the error when a request is refused for its token (401), e.g. after the token was revoked. */
export function onUnauthorized(listener) { unauthorizedListeners.add(listener); }

function failure(status, statusText, body) {
  let data = null;
  try { data = body ? JSON.parse(body) : null; } catch { /* not JSON */ }
  const error = new ApiError(status, data?.error || `http_${status}`, data?.message || statusText || 'request failed');
  if (status === 401) unauthorizedListeners.forEach((l) => l(error));
  return error;
}

/** A JSON request; resolves to the parsed body (null when empty), rejects with an ApiError. */
export async function api(path, { method = 'GET', json, body, headers = {}, token = session.token } = {}) {
  const sent = { Authorization: `Bearer ${token}`, ...headers };
  let payload = body;
  if (json !== undefined) {
    sent['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(path, { method, headers: sent, body: payload, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'network', `the node cannot be reached (${e.message})`);
  }
  const text = await response.text();
  if (!response.ok) throw failure(response.status, response.statusText, text);
  return text ? JSON.parse(text) : null;
}

/** The URL of a live stream for EventSource, with the token in the query (its only way). */
export function streamUrl(path, params = {}) {
  const query = new URLSearchParams({ ...params, access_token: session.token });
  return `${path}?${query}`;
}

/** PUT of a file with upload progress (fetch has none): onProgress(sentBytes, totalBytes). */
export function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', path);
    xhr.setRequestHeader('Authorization', `Bearer ${session.token}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText));
      else reject(failure(xhr.status, xhr.statusText, xhr.responseText));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload was cut off: the node cannot be reached'));
    xhr.send(file);
  });
}

export const enc = encodeURIComponent;
