// Small DOM helpers shared by the views: element building, formatting, a view's data source that
// keeps its last data and says when it is stale, and polling loops that stop when a view is hidden.

/** h('td', {class: 'x', onclick: f}, 'text', child...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Replaces a table body's rows with one row per item. */
export function fillRows(tbody, items, row) {
  tbody.replaceChildren(...items.map(row));
}

export const fmt = {
  time: (ms) => (ms ? new Date(ms).toLocaleTimeString() : '–'),
  dateTime: (ms) => (ms ? new Date(ms).toLocaleString() : '–'),
  ago(ms) {
    if (!ms) return '–';
    const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (s < 60) return `${s} s ago`;
    if (s < 3600) return `${Math.floor(s / 60)} min ago`;
    return `${Math.floor(s / 3600)} h ago`;
  },
  bytes(n) {
    if (n === null || n === undefined) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
  },
  pct: (x) => (x === null || x === undefined ? '–' : `${x.toFixed(1)} %`),
  num: (x) => (x === null || x === undefined ? '–' : Number(x).toLocaleString()),
  ms(ms) {
    if (ms === null || ms === undefined) return '–';
    if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
    if (ms % 60_000 === 0) return `${ms / 60_000} min`;
    return `${ms / 1000} s`;
  },
};

/** A full id in monospace: shown whole, selected and copied with one click. */
export function idCell(id, tag = 'span') {
  return h(tag, {
    class: 'id', title: 'click to copy', onclick: (e) => copy(id, e.currentTarget),
  }, id ?? '–');
}

export async function copy(text, el) {
  const range = document.createRange();
  range.selectNodeContents(el);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  try {
    await navigator.clipboard.writeText(text);
    el.classList.add('copied');
    setTimeout(() => el.classList.remove('copied'), 800);
  } catch { /* http off localhost has no clipboard API; the id stays selected for Ctrl+C */ }
}

/** Writes an error in place (or clears it with null). */
export function showError(el, error) {
  el.textContent = error ? (error.text || error.message || String(error)) : '';
  el.hidden = !error;
}

/**
 * Where a panel's data comes from: after a failure the panel keeps its last data and its status
 * line says it is stale, since when and why; the next success clears it.
 */
export class Source {
  constructor(statusEl, panel) {
    this.statusEl = statusEl;
    this.panel = panel;
    this.lastOk = 0;
  }
  ok() {
    this.lastOk = Date.now();
    this.panel?.classList.remove('stale');
    this.statusEl.className = 'source ok';
    this.statusEl.textContent = `live · ${fmt.time(this.lastOk)}`;
  }
  failed(error) {
    this.panel?.classList.add('stale');
    this.statusEl.className = 'source stale';
    const since = this.lastOk ? `stale: showing data of ${fmt.time(this.lastOk)}` : 'no data yet';
    this.statusEl.textContent = `${since} — ${error.text || error.message}`;
  }
  /** Runs load(); marks ok or stale; never throws. */
  async track(load) {
    try {
      const result = await load();
      this.ok();
      return result;
    } catch (e) {
      this.failed(e);
      return undefined;
    }
  }
}

/**
 * For loads that may overlap (a timer's and a user's filter): call begin() as a load starts; the
 * function it returns says whether that load is still the newest, so an older answer arriving
 * last does not overwrite a newer one.
 */
export function newest() {
  let count = 0;
  return () => {
    const mine = ++count;
    return () => mine === count;
  };
}

/** Runs fn now and then every ms after each run ends, until stop() is called. */
export function every(ms, fn) {
  let timer = null;
  let stopped = false;
  const run = async () => {
    try { await fn(); } catch (e) { console.warn(e); }
    if (!stopped) timer = setTimeout(run, typeof ms === 'function' ? ms() : ms);
  };
  run();
  return () => { stopped = true; clearTimeout(timer); };
}

/** A panel with a title, a source status line and a body. */
export function panel(title, ...body) {
  const status = h('span', { class: 'source' });
  const el = h('section', { class: 'panel' }, h('header', {}, h('h2', {}, title), status), ...body);
  return { el, status };
}

/** Form values by input name. */
export function values(form) {
  return Object.fromEntries(new FormData(form).entries());
}
