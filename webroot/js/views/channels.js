// Channels: the list (length, cache range, TTL editable, read rate, rights) and live watchers side
// by side, each following its channel over SSE from the end or a chosen cursor. A watcher keeps at
// most MAX_ROWS rows and renders what arrived once per animation frame, so a channel at thousands
// of records a second costs one DOM update per frame, not one per record.
import { api, enc, streamUrl } from '../api.js';
import { Source, every, fillRows, fmt, h, idCell, newest, panel, showError, values } from '../ui.js';

const MAX_ROWS = 200;
const DETAILS_FOR = 30;

class Watcher {
  constructor(channel, from, container, onClose) {
    this.channel = channel;
    this.last = from;
    this.received = 0;
    this.frames = 0;
    this.pending = [];
    this.frame = 0;
    this.rate = { count: 0, since: performance.now(), value: 0 };
    this.tbody = h('tbody');
    this.state = h('span', { class: 'badge' });
    this.info = h('span', { class: 'muted' });
    this.error = h('p', { class: 'error', hidden: true });
    this.pauseButton = h('button', { type: 'button', class: 'pause', onclick: () => (this.source ? this.pause() : this.resume(this.last)) }, 'Pause');
    const resumeForm = h('form', { class: 'inline', onsubmit: (e) => {
      e.preventDefault();
      const v = values(e.target).after.trim();
      this.restart(v === '' ? null : Number(v));
    } }, h('input', { name: 'after', size: 8, placeholder: 'cursor', inputmode: 'numeric', title: 'resume after this cursor; empty: from the end' }),
    h('button', { type: 'submit' }, 'Resume from'));
    const postForm = h('form', { class: 'inline post', onsubmit: (e) => { e.preventDefault(); this.post(e.target); } },
      h('input', { name: 'payload', value: '{"temperature": 21.5}', size: 26, 'aria-label': 'payload (JSON)' }),
      h('button', { type: 'submit' }, 'Post test record'), this.postResult = h('span', { class: 'muted' }));
    this.el = h('div', { class: 'watcher', dataset: { channel } },
      h('header', {}, h('strong', {}, channel), ' ', this.state, ' ', this.info,
        h('span', { class: 'spacer' }), this.pauseButton, resumeForm,
        h('button', { type: 'button', title: 'stop watching', onclick: () => { this.close(); onClose(this); } }, '×')),
      postForm, this.error,
      h('div', { class: 'scroll' }, h('table', { class: 'records' },
        h('thead', {}, h('tr', {}, ...['cursor', 'id', 'type', 'prio', 'sender', 'committed', 'payload'].map((t) => h('th', {}, t)))),
        this.tbody)));
    container.prepend(this.el);
    this.ticker = setInterval(() => this.showInfo(), 1000);
    this.resume(from);
  }

  /** Opens the stream after the cursor (null: from the channel's current end). */
  resume(after) {
    this.source?.close();
    const params = after === null || after === undefined ? {} : { after };
    const source = new EventSource(streamUrl(`/v1/channels/${enc(this.channel)}/stream`, params));
    this.source = source;
    this.setState('connecting');
    source.onopen = () => { this.setState('live'); showError(this.error, null); };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        this.setState('closed');
        this.checkWhy();
      } else {
        this.setState('reconnecting');
      }
    };
    source.addEventListener('record', (e) => this.arrive(JSON.parse(e.data)));
    source.addEventListener('overflow', () => showError(this.error, { message: 'fell behind the channel; reconnecting from the last cursor' }));
    this.pauseButton.textContent = 'Pause';
  }

  /** EventSource hides the answer of a refused stream; ask the same route by fetch to say why. */
  async checkWhy() {
    try {
      await api(`/v1/channels/${enc(this.channel)}/records?after=0&limit=1`);
    } catch (e) {
      showError(this.error, e);
    }
  }

  restart(after) {
    this.pending = [];
    this.tbody.replaceChildren();
    this.resume(after);
  }

  pause() {
    this.source?.close();
    this.source = null;
    this.setState('paused');
    this.pauseButton.textContent = 'Resume';
  }

  arrive(record) {
    this.last = record.cursor;
    this.received++;
    this.rate.count++;
    this.pending.push(record);
    if (this.pending.length > MAX_ROWS) this.pending.splice(0, this.pending.length - MAX_ROWS);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  render() {
    this.frame = 0;
    this.el.dataset.frames = ++this.frames; // DOM updates so far: one per frame, however many records arrived
    const rows = document.createDocumentFragment();
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const r = this.pending[i];
      rows.append(h('tr', { dataset: { cursor: r.cursor } },
        h('td', { class: 'num' }, r.cursor), h('td', {}, idCell(r.id)), h('td', {}, r.dataType),
        h('td', { class: 'num' }, r.priority), h('td', {}, r.sender), h('td', { title: fmt.dateTime(r.committedAt) }, fmt.time(r.committedAt)),
        h('td', { class: 'payload' }, JSON.stringify(r.payload ?? r.blobRef))));
    }
    this.pending = [];
    this.tbody.prepend(rows);
    while (this.tbody.rows.length > MAX_ROWS) this.tbody.lastElementChild.remove();
  }

  showInfo() {
    const now = performance.now();
    this.rate.value = (this.rate.count * 1000) / (now - this.rate.since);
    this.rate = { count: 0, since: now, value: this.rate.value };
    this.info.textContent = `up to cursor ${this.last ?? '–'} · ${fmt.num(this.received)} received · `
      + `${this.rate.value.toFixed(0)}/s · newest ${MAX_ROWS} shown`;
  }

  setState(state) {
    this.state.textContent = state;
    this.state.className = `badge ${state}`;
  }

  async post(form) {
    let payload;
    try {
      payload = JSON.parse(values(form).payload);
    } catch (e) {
      this.postResult.textContent = `not JSON: ${e.message}`;
      return;
    }
    try {
      const answer = await api(`/v1/channels/${enc(this.channel)}/records`, { method: 'POST', json: { payload } });
      this.postResult.textContent = `stored at cursor ${answer.records.map((r) => r.cursor).join(', ')}`;
    } catch (e) {
      this.postResult.textContent = e.text;
    }
  }

  close() {
    this.source?.close();
    clearInterval(this.ticker);
    cancelAnimationFrame(this.frame);
    this.el.remove();
  }
}

function aclText(c) {
  if (!c.restricted) return `open${c.owner ? ` · owner ${c.owner}` : ''}`;
  return `restricted · owner ${c.owner ?? '–'} · readers ${c.readers.join(', ') || 'none'} · writers ${c.writers.join(', ') || 'none'}`;
}

export default {
  id: 'channels',
  title: 'Channels',
  create(root) {
    const listBody = h('tbody');
    const listError = h('p', { class: 'error', hidden: true });
    const filter = h('input', { id: 'channel-filter', placeholder: 'name starts with…', size: 20 });
    const list = panel('Channels', h('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); refresh(); } },
      filter, h('button', { type: 'submit' }, 'Filter')), listError,
    h('table', { id: 'channel-list' }, h('thead', {}, h('tr', {}, ...['channel', 'length', 'cache range', 'TTL', 'reads/min',
      'rights', ''].map((t) => h('th', {}, t)))), listBody));
    const watchers = h('div', { id: 'watchers', class: 'watchers' });
    const watchForm = h('form', { id: 'watch', class: 'inline', onsubmit: (e) => {
      e.preventDefault();
      const v = values(e.target);
      const from = v.from.trim();
      watch(v.channel.trim(), from === '' ? null : Number(from));
    } }, h('label', {}, 'Channel ', h('input', { name: 'channel', id: 'watch-channel', required: true, size: 20,
      pattern: '[A-Za-z0-9][A-Za-z0-9._:\\-]{0,127}' })),
    h('label', {}, ' after cursor ', h('input', { name: 'from', id: 'watch-from', size: 8, placeholder: 'end', inputmode: 'numeric',
      title: 'empty: only records committed from now on' })),
    h('button', { type: 'submit' }, 'Watch'));
    const live = panel('Live', h('p', { class: 'muted' }, 'Open several channels side by side. Each follows from the end, or from the cursor given; pause and resume from any cursor. Click an id to copy it whole.'),
      watchForm, watchers);
    root.append(list.el, live.el);
    const source = new Source(list.status, list.el);
    const open = new Set();
    const begin = newest();

    function watch(channel, from) {
      open.add(new Watcher(channel, from, watchers, (w) => open.delete(w)));
    }

    function ttlEditor(c, defaults) {
      const ttl = c.ttlMs ?? defaults.ttlMs;
      const form = h('form', { class: 'inline ttl', onsubmit: async (e) => {
        e.preventDefault();
        const v = values(form);
        try {
          await api(`/v1/channels/${enc(c.channel)}/cache`, { method: 'PUT',
            json: { ttlMs: Math.round(Number(v.seconds) * 1000), adaptive: v.adaptive === 'on', cached: v.cached === 'on' } });
          note.textContent = 'saved';
        } catch (err) {
          note.textContent = err.text;
        }
      } }, h('input', { name: 'seconds', value: ttl / 1000, size: 6, title: 'seconds' }), ' s ',
      h('label', { title: 'lengthen for channels read often, shorten for idle ones' },
        h('input', { type: 'checkbox', name: 'adaptive', checked: c.ttlMs ? c.adaptive : defaults.adaptive }), 'adaptive'),
      h('label', { title: 'keep this channel in Redis; off: its reads and streams are served from PostgreSQL' },
        h('input', { type: 'checkbox', name: 'cached', checked: c.cached !== false }), 'cached'),
      h('button', { type: 'submit' }, 'Set'));
      const note = h('span', { class: 'muted' }, c.ttlMs ? '' : ' (default)');
      return h('td', {}, form, note);
    }

    /** The channel's rights, with an editor: restrict to readers and writers, or open it to everyone. */
    function rightsCell(c) {
      const note = h('span', { class: 'muted' });
      const list = (v) => v.split(',').map((x) => x.trim()).filter(Boolean);
      const save = async (method, json) => {
        try {
          const a = await api(`/v1/channels/${enc(c.channel)}/acl`, { method, json });
          Object.assign(c, a);
          text.textContent = aclText(c);
          form.hidden = true;
        } catch (err) {
          note.textContent = err.text;
        }
      };
      const form = h('form', { class: 'inline acl', hidden: true, onsubmit: (e) => {
        e.preventDefault();
        const v = values(form);
        save('PUT', { readers: list(v.readers), writers: list(v.writers) });
      } }, h('input', { name: 'readers', value: c.readers.join(', '), placeholder: 'readers', size: 12 }),
      h('input', { name: 'writers', value: c.writers.join(', '), placeholder: 'writers', size: 12 }),
      h('button', { type: 'submit' }, 'Restrict'), h('button', { type: 'button', onclick: () => save('DELETE') }, 'Open to all'));
      const text = h('span', {}, aclText(c));
      return h('td', {}, text, ' ', h('button', { type: 'button', onclick: () => { form.hidden = !form.hidden; } }, 'Edit'), form, note);
    }

    async function refresh() {
      if (listBody.contains(document.activeElement)) return; // a TTL being edited stays as typed
      const prefix = filter.value.trim();
      const current = begin();
      const page = await source.track(() => api(`/v1/channels?limit=200${prefix ? `&prefix=${enc(prefix)}` : ''}`));
      if (!page || !current()) return; // a newer listing (another filter) was asked meanwhile
      fillRows(listBody, page.channels, (c) => isSystem(c.channel)
        // a user's dispatch queue or an edge's result feed: read through its own routes, not /v1/channels/{c}
        ? h('tr', { dataset: { channel: c.channel, system: 'yes' } },
          h('td', {}, h('strong', {}, c.channel)), h('td', { class: 'num' }, fmt.num(c.length)),
          h('td', { class: 'cache muted', colspan: 5 }, systemText(c.channel)))
        : h('tr', { dataset: { channel: c.channel } },
          h('td', {}, h('strong', {}, c.channel)), h('td', { class: 'num' }, fmt.num(c.length)),
          h('td', { class: 'cache' }, '…'), ttlEditor(c, page.defaultCache), h('td', { class: 'reads num' }, '…'),
          rightsCell(c),
          h('td', {}, h('button', { type: 'button', onclick: () => watch(c.channel, null) }, 'Watch'))));
      if (!page.channels.length) listBody.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No channels yet: post a record to create one.')));
      // the cache state of the first channels, each from GET /v1/channels/{c}
      await Promise.all(page.channels.filter((c) => !isSystem(c.channel)).slice(0, DETAILS_FOR).map(async (c) => {
        const row = listBody.querySelector(`tr[data-channel="${CSS.escape(c.channel)}"]`);
        try {
          const info = await api(`/v1/channels/${enc(c.channel)}`);
          const cache = info.cache;
          row.querySelector('.cache').textContent = cache.available === false ? 'cache unavailable'
            : cache.cached === false ? 'not cached (read from PostgreSQL)'
            : cache.entries ? `${cache.firstCursor}..${cache.lastCursor} (${fmt.num(cache.entries)}), TTL now ${fmt.ms(cache.effectiveTtlMs)}` : 'empty';
          row.querySelector('.reads').textContent = cache.readsPerMinute === undefined ? '–' : cache.readsPerMinute.toFixed(1);
        } catch (e) {
          row.querySelector('.cache').textContent = e.text;
        }
      }));
    }

    function isSystem(channel) {
      return channel.startsWith('_');
    }

    function systemText(channel) {
      if (channel.startsWith('_user.')) {
        return `system channel: the dispatch queue of user ${channel.slice(6)} (GET /v1/users/${channel.slice(6)}/data)`;
      }
      if (channel.startsWith('_edge.')) {
        return `system channel: the result feed of edge ${channel.slice(6)} (GET /v1/edge/results on that edge)`;
      }
      return 'system channel';
    }

    let stop = null;
    return {
      show() { stop = every(10_000, refresh); },
      hide() { stop?.(); },
    };
  },
};
