// Pipeline settings: processors per data type, export sinks, users, and edge grants; each shown
// and edited through its API (administrators; others see the refusal in place).
import { api, enc } from '../api.js';
import { Source, fillRows, fmt, h, idCell, panel, showError, values } from '../ui.js';

const EXAMPLE_PROCESSOR = JSON.stringify({ fields: { t: { type: 'number', required: true } },
  thresholds: [{ field: 't', above: 80, severity: 'high' }], aggregate: { fields: ['t'], windowMs: 60000 } }, null, 2);

function processorsPanel() {
  const list = h('div', { id: 'processors' });
  const error = h('p', { class: 'error', hidden: true });
  const form = h('form', { id: 'processor-form', onsubmit: async (e) => {
    e.preventDefault();
    const v = values(form);
    try {
      await api(`/v1/processors/${enc(v.dataType.trim())}`, { method: 'PUT', json: JSON.parse(v.config) });
      showError(error, null);
      refresh();
    } catch (err) {
      showError(error, err);
    }
  } }, h('label', {}, 'Data type ', h('input', { name: 'dataType', required: true, size: 16 })),
  h('textarea', { name: 'config', rows: 8, cols: 60 }, EXAMPLE_PROCESSOR), h('button', { type: 'submit' }, 'Save processors'));
  const p = panel('Processors per data type', list, h('h3', {}, 'Set a data type\'s processors'), form, error);
  const source = new Source(p.status, p.el);
  async function refresh() {
    const answer = await source.track(() => api('/v1/processors'));
    if (!answer) return;
    const entries = Object.entries(answer.processors);
    list.replaceChildren(...entries.map(([type, config]) => h('details', { dataset: { type } },
      h('summary', {}, h('strong', {}, type), ' ', h('button', { type: 'button', onclick: () => {
        form.elements.dataType.value = type;
        form.elements.config.value = JSON.stringify(typeof config === 'string' ? JSON.parse(config) : config, null, 2);
      } }, 'Edit'), ' ', h('button', { type: 'button', onclick: async () => {
        try { await api(`/v1/processors/${enc(type)}`, { method: 'DELETE' }); refresh(); } catch (err) { showError(error, err); }
      } }, 'Remove')),
      h('pre', {}, JSON.stringify(typeof config === 'string' ? JSON.parse(config) : config, null, 2)))));
    if (!entries.length) list.append(h('p', { class: 'muted' }, 'No data type has processors: records are stored as sent.'));
  }
  return { el: p.el, refresh };
}

function sinksPanel() {
  const body = h('tbody');
  const error = h('p', { class: 'error', hidden: true });
  const form = h('form', { id: 'sink-form', class: 'inline', onsubmit: async (e) => {
    e.preventDefault();
    const v = values(form);
    const sink = { url: v.url, include: v.include, maxAttempts: Number(v.maxAttempts), backoffMs: Number(v.backoffMs) };
    if (v.sinkId) sink.sinkId = v.sinkId;
    if (v.channel) sink.channel = v.channel;
    if (v.dataType) sink.dataType = v.dataType;
    try {
      await api('/v1/sinks', { method: 'POST', json: sink });
      showError(error, null);
      refresh();
    } catch (err) {
      showError(error, err);
    }
  } }, h('input', { name: 'sinkId', placeholder: 'sink id (optional)', size: 12 }),
  h('input', { name: 'url', placeholder: 'https://…', required: true, size: 28 }),
  h('input', { name: 'channel', placeholder: 'channel', size: 10 }), h('input', { name: 'dataType', placeholder: 'data type', size: 10 }),
  h('select', { name: 'include' }, ...['raw', 'results', 'both'].map((x) => h('option', {}, x))),
  h('label', {}, ' attempts ', h('input', { name: 'maxAttempts', value: 5, size: 3 })),
  h('label', {}, ' backoff ms ', h('input', { name: 'backoffMs', value: 1000, size: 6 })),
  h('button', { type: 'submit' }, 'Create sink'));
  const p = panel('Export sinks', h('table', { id: 'sinks' }, h('thead', {}, h('tr', {}, ...['sink', 'url', 'channel', 'data type',
    'include', 'attempts', 'backoff', ''].map((t) => h('th', {}, t)))), body), form, error);
  const source = new Source(p.status, p.el);
  async function refresh() {
    const answer = await source.track(() => api('/v1/sinks'));
    if (!answer) return;
    fillRows(body, answer.sinks, (s) => h('tr', {}, h('td', {}, s.sinkId), h('td', {}, s.url), h('td', {}, s.channel ?? 'any'),
      h('td', {}, s.dataType ?? 'any'), h('td', {}, s.include), h('td', { class: 'num' }, s.maxAttempts), h('td', {}, fmt.ms(s.backoffMs)),
      h('td', {}, h('button', { type: 'button', onclick: async () => {
        try { await api(`/v1/sinks/${enc(s.sinkId)}`, { method: 'DELETE' }); refresh(); } catch (err) { showError(error, err); }
      } }, 'Delete'))));
  }
  return { el: p.el, refresh };
}

function usersPanel() {
  const body = h('tbody');
  const error = h('p', { class: 'error', hidden: true });
  const created = h('p', { id: 'user-created' });
  const form = h('form', { id: 'user-form', class: 'inline', onsubmit: async (e) => {
    e.preventDefault();
    const v = values(form);
    try {
      const user = await api('/v1/users', { method: 'POST', json: { userId: v.userId.trim(), kind: v.kind } });
      showError(error, null);
      created.replaceChildren(`${user.userId} created; token (shown once, copy it now): `, idCell(user.token));
      refresh();
    } catch (err) {
      showError(error, err);
    }
  } }, h('input', { name: 'userId', placeholder: 'user id', required: true, size: 14 }),
  h('select', { name: 'kind' }, ...['user', 'edge', 'admin'].map((k) => h('option', {}, k))), h('button', { type: 'submit' }, 'Create user'));
  const p = panel('Users', h('table', { id: 'users' }, h('thead', {}, h('tr', {}, ...['user', 'kind', 'created', ''].map((t) => h('th', {}, t)))), body),
    form, created, error);
  const source = new Source(p.status, p.el);
  async function refresh() {
    const answer = await source.track(() => api('/v1/users'));
    if (!answer) return;
    fillRows(body, answer.users, (u) => h('tr', { dataset: { user: u.userId } }, h('td', {}, u.userId), h('td', {}, u.kind),
      h('td', {}, fmt.dateTime(u.createdAt)),
      h('td', {}, h('button', { type: 'button', onclick: () => tokens(u.userId) }, 'Tokens'))));
  }
  /** The user's tokens: each with its label, times and a revoke button, and a form for a new one. */
  async function tokens(userId) {
    let list;
    try {
      list = (await api(`/v1/users/${enc(userId)}/tokens`)).tokens;
      showError(error, null);
    } catch (err) {
      showError(error, err);
      return;
    }
    const fresh = h('p', { class: 'token-issued' });
    const form = h('form', { class: 'inline', onsubmit: async (e) => {
      e.preventDefault();
      const v = values(form);
      const json = {};
      if (v.label.trim()) json.label = v.label.trim();
      if (v.ttl.trim()) json.ttlSeconds = Number(v.ttl);
      try {
        const issued = await api(`/v1/users/${enc(userId)}/tokens`, { method: 'POST', json });
        await tokens(userId);
        created.querySelector('.token-issued').replaceChildren('New token (shown once, copy it now): ', idCell(issued.token));
      } catch (err) {
        showError(error, err);
      }
    } }, h('input', { name: 'label', placeholder: 'label', size: 12 }),
    h('input', { name: 'ttl', placeholder: 'expires after (s); empty: never', size: 24 }), h('button', { type: 'submit' }, 'New token'));
    created.replaceChildren(h('h3', {}, `Tokens of ${userId}`),
      h('table', { class: 'tokens', dataset: { user: userId } }, h('thead', {}, h('tr', {}, ...['token', 'label', 'created', 'expires', 'last used', '']
        .map((t) => h('th', {}, t)))), h('tbody', {}, ...list.map((t) => h('tr', { dataset: { token: t.tokenId } },
        h('td', { class: 'id' }, t.tokenId, t.current ? ' (this session)' : ''), h('td', {}, t.label ?? ''),
        h('td', {}, t.createdAt ? fmt.dateTime(Date.parse(t.createdAt)) : '–'),
        h('td', {}, t.expiresAt ? fmt.dateTime(Date.parse(t.expiresAt)) : 'never'),
        h('td', {}, t.lastUsedAt ? fmt.dateTime(Date.parse(t.lastUsedAt)) : '–'),
        h('td', {}, h('button', { type: 'button', disabled: t.current, title: t.current ? 'the token of this session' : 'revoke it now',
          onclick: async () => {
            try {
              await api(`/v1/users/${enc(userId)}/tokens/${enc(t.tokenId)}`, { method: 'DELETE' });
              tokens(userId);
            } catch (err) {
              showError(error, err);
            }
          } }, 'Revoke')))))),
      form, fresh);
  }
  return { el: p.el, refresh };
}

function grantsPanel() {
  const body = h('tbody');
  const result = h('p', { class: 'muted' });
  const error = h('p', { class: 'error', hidden: true });
  const form = h('form', { id: 'grant-form', class: 'inline', onsubmit: async (e) => {
    e.preventDefault();
    const v = values(form);
    const permittedTypes = v.types.split(',').map((t) => t.trim()).filter(Boolean);
    try {
      const g = await api(`/v1/nodes/${enc(v.nodeId.trim())}/grant`, { method: 'PUT',
        json: { permittedTypes, defaultPriority: Number(v.priority) } });
      showError(error, null);
      result.textContent = `${g.nodeId}: may send ${g.permittedTypes?.length ? g.permittedTypes.join(', ') : 'any type'}, default priority ${g.defaultPriority}`;
      refresh();
    } catch (err) {
      showError(error, err);
    }
  } }, h('input', { name: 'nodeId', placeholder: 'edge node id', required: true, size: 14 }),
  h('input', { name: 'types', placeholder: 'data types, comma-separated (empty: any)', size: 34 }),
  h('label', {}, ' default priority ', h('input', { name: 'priority', value: 5, size: 2 })), h('button', { type: 'submit' }, 'Set grant'));
  const p = panel('Edge grants', h('p', { class: 'muted' }, 'Which data types each edge node may submit, and at which default priority (0 most urgent).'),
    h('table', { id: 'grants' }, h('thead', {}, h('tr', {}, ...['edge', 'may send', 'default priority', 'set', ''].map((t) => h('th', {}, t)))), body),
    form, result, error);
  const source = new Source(p.status, p.el);
  async function refresh() {
    const nodes = await source.track(() => api('/v1/nodes?role=edge'));
    if (!nodes) return;
    const grants = await Promise.all(nodes.nodes.map((n) => api(`/v1/nodes/${enc(n.nodeId)}/grant`).catch((e) => ({ nodeId: n.nodeId, error: e }))));
    fillRows(body, grants, (g) => (g.error ? h('tr', {}, h('td', {}, g.nodeId), h('td', { colspan: 4, class: 'error-text' }, g.error.text))
      : h('tr', { dataset: { node: g.nodeId } }, h('td', { class: 'id' }, g.nodeId),
        h('td', {}, g.permittedTypes.length ? g.permittedTypes.join(', ') : 'any type'), h('td', { class: 'num' }, g.defaultPriority),
        h('td', {}, g.set ? fmt.dateTime(g.revision) : 'default'),
        h('td', {}, h('button', { type: 'button', onclick: () => {
          form.elements.nodeId.value = g.nodeId;
          form.elements.types.value = g.permittedTypes.join(', ');
          form.elements.priority.value = g.defaultPriority;
        } }, 'Edit')))));
  }
  return { el: p.el, refresh };
}

export default {
  id: 'settings',
  title: 'Pipeline',
  create(root) {
    const parts = [processorsPanel(), sinksPanel(), usersPanel(), grantsPanel()];
    root.append(...parts.map((x) => x.el));
    return {
      show() { parts.forEach((x) => x.refresh()); },
      hide() {},
    };
  },
};
