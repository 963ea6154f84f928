// Tasks: user-to-user dispatch tasks (D7) and storage task plans (S7) with filters, progress,
// attempts and errors; export sinks' dead letters with replay (E8).
import { api, enc } from '../api.js';
import { Source, every, fillRows, fmt, h, idCell, newest, panel, values } from '../ui.js';

const PERIOD_MS = 3000;

function query(params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined && v !== null));
  return q.toString() ? `?${q}` : '';
}

function dispatchPanel() {
  const body = h('tbody');
  const detail = h('div', { id: 'task-detail', class: 'detail', hidden: true });
  const more = h('button', { type: 'button', hidden: true }, 'Next page');
  const filters = h('form', { id: 'dispatch-filters', class: 'inline' },
    h('label', {}, 'state ', h('select', { name: 'state' }, h('option', { value: '' }, 'any'),
      ...['queued', 'sending', 'retrying', 'delivered', 'consumed'].map((s) => h('option', {}, s)))),
    h('label', {}, ' sender ', h('input', { name: 'sender', size: 10 })),
    h('label', {}, ' to ', h('input', { name: 'dest', size: 10 })),
    h('label', {}, ' level ', h('input', { name: 'level', size: 2, inputmode: 'numeric' })),
    h('label', {}, ' flagged ', h('select', { name: 'flagged' }, h('option', { value: '' }, 'any'), h('option', {}, 'true'),
      h('option', {}, 'false'))),
    h('button', { type: 'submit' }, 'Filter'));
  const p = panel('Dispatch tasks', filters,
    h('table', { id: 'dispatch-tasks' }, h('thead', {}, h('tr', {}, ...['task', 'from → to', 'data', 'level', 'state', 'attempts',
      'last error', 'created', 'delivered', 'consumed'].map((t) => h('th', {}, t)))), body), more, detail);
  const source = new Source(p.status, p.el);
  let after = null;

  async function showTask(id) {
    try {
      const t = await api(`/v1/dispatch/tasks/${enc(id)}`);
      const facts = [['task', t.taskId], ['from → to', `${t.sender} → ${t.dest}`],
        ['data', `${t.data.type} · ${t.data.contentType} · ${fmt.bytes(t.data.size)} · level ${t.data.level}`],
        ['state', `${t.state}${t.flagged ? ' (flagged)' : ''}`], ['created', `${fmt.dateTime(t.createdAt)} on ${t.createdBy}`],
        ['attempts', `${t.attempts}${t.nextAttemptAt ? `, next at ${fmt.time(t.nextAttemptAt)}` : ''}`],
        ['delivered', t.deliveredAt ? `${fmt.dateTime(t.deliveredAt)} by ${t.deliveredBy}, cursor ${t.userCursor}` : '–'],
        ['consumed', fmt.dateTime(t.consumedAt)], ['last error', t.lastError ?? '–']];
      detail.replaceChildren(h('dl', {}, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
        h('h3', {}, `Failed attempts (${t.failedAttempts.length})`),
        t.failedAttempts.length ? h('table', {}, h('thead', {}, h('tr', {}, ...['#', 'at', 'node', 'error'].map((x) => h('th', {}, x)))),
          h('tbody', {}, ...t.failedAttempts.map((a) => h('tr', {}, h('td', { class: 'num' }, a.attempt), h('td', {}, fmt.time(a.at)),
            h('td', {}, a.node), h('td', { class: 'error-text' }, a.error))))) : h('p', { class: 'muted' }, 'none'));
      detail.dataset.task = t.taskId;
    } catch (e) {
      detail.textContent = e.text;
    }
    detail.hidden = false;
  }

  const begin = newest();
  async function refresh() {
    const current = begin();
    const answer = await source.track(() => api(`/v1/dispatch/tasks${query({ ...values(filters), after, limit: 100 })}`));
    if (!answer || !current()) return;
    fillRows(body, answer.tasks, (t) => h('tr', { dataset: { task: t.taskId, state: t.state } },
      h('td', {}, h('a', { href: '#tasks', onclick: (e) => { e.preventDefault(); showTask(t.taskId); } }, t.taskId)),
      h('td', {}, `${t.sender} → ${t.dest}`), h('td', {}, `${t.data.type} · ${fmt.bytes(t.data.size)}`),
      h('td', { class: 'num' }, t.data.level), h('td', {}, h('span', { class: `badge ${t.state}` }, t.state), t.flagged ? ' ⚑ flagged' : ''),
      h('td', { class: 'num' }, t.attempts), h('td', { class: 'error-text' }, t.lastError ?? ''),
      h('td', {}, fmt.time(t.createdAt)), h('td', {}, fmt.time(t.deliveredAt)), h('td', {}, fmt.time(t.consumedAt))));
    if (!answer.tasks.length) body.append(h('tr', {}, h('td', { colspan: 10, class: 'muted' }, 'No dispatch tasks match.')));
    more.hidden = !answer.next;
    more.onclick = () => { after = answer.next; refresh(); };
  }
  filters.addEventListener('submit', (e) => { e.preventDefault(); after = null; refresh(); });
  return { el: p.el, refresh };
}

function plansPanel() {
  const body = h('tbody');
  const filters = h('form', { id: 'plan-filters', class: 'inline' },
    h('label', {}, 'kind ', h('select', { name: 'kind' }, h('option', { value: '' }, 'any'),
      ...['mirror', 'protect', 'compress', 'transcode', 'recycle'].map((k) => h('option', {}, k)))),
    h('label', {}, ' blob ', h('input', { name: 'blob', size: 36 })), h('button', { type: 'submit' }, 'Filter'));
  const p = panel('Storage task plans', filters, h('table', { id: 'plans' }, h('thead', {}, h('tr', {}, ...['plan', 'kind', 'blob',
    'state', 'progress', 'items (node: state, error)', 'by', 'created'].map((t) => h('th', {}, t)))), body));
  const source = new Source(p.status, p.el);
  const begin = newest();
  async function refresh() {
    const current = begin();
    const answer = await source.track(() => api(`/v1/tasks${query({ ...values(filters), limit: 100 })}`));
    if (!answer || !current()) return;
    fillRows(body, answer.plans, (plan) => h('tr', { dataset: { plan: plan.id } },
      h('td', {}, idCell(plan.id)), h('td', {}, plan.kind), h('td', {}, idCell(plan.blob)),
      h('td', {}, h('span', { class: `badge ${plan.state}` }, plan.state)),
      h('td', {}, h('progress', { max: plan.progress.total || 1, value: plan.progress.finished }),
        ` ${plan.progress.finished}/${plan.progress.total}`),
      h('td', { class: 'items' }, ...plan.items.map((i) => h('div', { class: i.state },
        `${i.node ?? '–'}: ${i.state}${i.error ? ` — ${i.error}` : ''}`))),
      h('td', {}, plan.createdBy), h('td', {}, fmt.time(plan.createdAt))));
    if (!answer.plans.length) body.append(h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No task plans match.')));
  }
  filters.addEventListener('submit', (e) => { e.preventDefault(); refresh(); });
  return { el: p.el, refresh };
}

function deadLettersPanel() {
  const list = h('div', { id: 'dead-letters' });
  const p = panel('Sink dead letters', h('p', { class: 'muted' }, 'Records a sink gave up on after its attempts; replay sends them again.'), list);
  const source = new Source(p.status, p.el);
  async function refresh() {
    const sinks = await source.track(() => api('/v1/sinks'));
    if (!sinks) return;
    const blocks = await Promise.all(sinks.sinks.map(async (s) => {
      const note = h('span', { class: 'muted' });
      let letters = [];
      try {
        letters = (await api(`/v1/sinks/${enc(s.sinkId)}/dead-letters?limit=100`)).deadLetters;
      } catch (e) {
        note.textContent = e.text;
      }
      const replay = h('button', { type: 'button', disabled: !letters.length, onclick: async () => {
        try {
          const r = await api(`/v1/sinks/${enc(s.sinkId)}/dead-letters/replay`, { method: 'POST' });
          note.textContent = `${r.replayed} queued again`;
        } catch (e) {
          note.textContent = e.text;
        }
      } }, 'Replay');
      return h('div', { class: 'sink', dataset: { sink: s.sinkId } },
        h('h3', {}, `${s.sinkId} → ${s.url} `, h('span', { class: 'muted' }, `${letters.length} dead letters `), replay, ' ', note),
        letters.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'record'), h('th', {}, 'channel @ cursor'),
          h('th', {}, 'attempts'), h('th', {}, 'last error'))), h('tbody', {}, ...letters.map((l) => h('tr', {},
          h('td', {}, idCell(l.record.id)), h('td', {}, `${l.record.channel} @ ${l.record.cursor}`),
          h('td', { class: 'num' }, l.attempts), h('td', { class: 'error-text' }, l.lastError ?? ''))))) : '');
    }));
    list.replaceChildren(...blocks);
    if (!sinks.sinks.length) list.append(h('p', { class: 'muted' }, 'No sinks. Create one under Pipeline.'));
  }
  return { el: p.el, refresh };
}

export default {
  id: 'tasks',
  title: 'Tasks',
  create(root) {
    const parts = [dispatchPanel(), plansPanel(), deadLettersPanel()];
    root.append(...parts.map((x) => x.el));
    let stop = null;
    return {
      show() {
        stop = every(PERIOD_MS, () => Promise.all(parts.map((x) => (x.el.contains(document.activeElement) ? null : x.refresh()))));
      },
      hide() { stop?.(); },
    };
  },
};
