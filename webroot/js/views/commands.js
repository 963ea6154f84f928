// Commands (D9): send restart, clear-cache or reload-config to a node, and watch each command's
// state and output; the list is re-read every second while one is queued or running.
import { api, enc } from '../api.js';
import { Source, every, fillRows, fmt, h, panel, showError } from '../ui.js';

export default {
  id: 'commands',
  title: 'Commands',
  create(root) {
    const nodeSelect = h('select', { id: 'command-node', name: 'node', required: true });
    const command = h('select', { id: 'command-name', name: 'command' },
      h('option', { value: 'clear-cache' }, 'clear-cache: drop cached Redis keys'),
      h('option', { value: 'reload-config' }, 'reload-config: read the configuration again'),
      h('option', { value: 'restart' }, 'restart: restart the node\'s verticles'));
    const scope = h('select', { id: 'command-scope', name: 'scope' },
      ...['channel', 'user', 'all'].map((s) => h('option', { value: s }, s)));
    const scopeValue = h('input', { id: 'command-target', name: 'target', size: 18, placeholder: 'channel name' });
    const args = h('span', { class: 'args' }, ' of ', scope, ' ', scopeValue);
    const error = h('p', { id: 'command-error', class: 'error', hidden: true });
    const sent = h('p', { id: 'command-sent', class: 'muted' });
    const body = h('tbody');
    const form = h('form', { id: 'command-form', class: 'inline', onsubmit: (e) => { e.preventDefault(); send(); } },
      h('label', {}, 'Node ', nodeSelect), ' ', h('label', {}, 'command ', command), args,
      h('button', { type: 'submit' }, 'Send'));
    const p = panel('Commands', h('p', { class: 'muted' }, 'Administrators only. The node is told at once and reports the result.'),
      form, error, sent,
      h('table', { id: 'commands' }, h('thead', {}, h('tr', {}, ...['#', 'command', 'args', 'state', 'output', 'issued by',
        'issued', 'started', 'finished', 'run by'].map((t) => h('th', {}, t)))), body));
    root.append(p.el);
    const source = new Source(p.status, p.el);
    let busy = false;

    const syncArgs = () => {
      args.hidden = command.value !== 'clear-cache';
      scopeValue.hidden = scope.value === 'all';
      scopeValue.placeholder = `${scope.value} name`;
    };
    command.addEventListener('change', syncArgs);
    scope.addEventListener('change', syncArgs);
    nodeSelect.addEventListener('change', () => refreshCommands());
    syncArgs();

    async function send() {
      const payload = { command: command.value };
      if (command.value === 'clear-cache') {
        payload.args = scope.value === 'all' ? { all: true } : { [scope.value]: scopeValue.value.trim() };
      }
      try {
        const issued = await api(`/v1/nodes/${enc(nodeSelect.value)}/commands`, { method: 'POST', json: payload });
        showError(error, null);
        sent.textContent = `command #${issued.id} (${issued.command}) queued for ${issued.nodeId}`;
        busy = true;
        await refreshCommands();
      } catch (e) {
        showError(error, e);
      }
    }

    async function refreshNodes() {
      const answer = await api('/v1/nodes').catch(() => null);
      if (!answer) return;
      const chosen = nodeSelect.value;
      const ids = answer.nodes.map((n) => n.nodeId);
      if (ids.join() !== [...nodeSelect.options].map((o) => o.value).join()) {
        nodeSelect.replaceChildren(...answer.nodes.map((n) => h('option', { value: n.nodeId }, `${n.nodeId} (${n.state})`)));
        if (ids.includes(chosen)) nodeSelect.value = chosen;
      }
    }

    async function refreshCommands() {
      if (!nodeSelect.value) return;
      const answer = await source.track(() => api(`/v1/nodes/${enc(nodeSelect.value)}/commands?limit=50`));
      if (!answer) return;
      busy = answer.commands.some((c) => c.state === 'queued' || c.state === 'running');
      fillRows(body, answer.commands, (c) => h('tr', { dataset: { command: c.id, state: c.state } },
        h('td', { class: 'num' }, c.id), h('td', {}, c.command), h('td', {}, c.args ? JSON.stringify(c.args) : ''),
        h('td', {}, h('span', { class: `badge ${c.state}` }, c.state)), h('td', { class: 'output' }, c.output ?? ''),
        h('td', {}, c.issuedBy), h('td', {}, fmt.time(c.createdAt)), h('td', {}, fmt.time(c.startedAt)),
        h('td', {}, fmt.time(c.finishedAt)), h('td', {}, c.runBy ?? '')));
    }

    let stop = null;
    return {
      show() {
        stop = every(() => (busy ? 1000 : 5000), async () => {
          await refreshNodes();
          await refreshCommands();
        });
      },
      hide() { stop?.(); },
    };
  },
};
