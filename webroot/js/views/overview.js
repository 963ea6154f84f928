// Overview: the nodes (roles, site, state, last heartbeat, latest status) and the cluster's totals,
// updated every two seconds. A source that fails keeps its last data, marked stale.
import { api } from '../api.js';
import { Source, every, fillRows, fmt, h, panel } from '../ui.js';

const PERIOD_MS = 2000;

function card(label, id) {
  return h('div', { class: 'total' }, h('span', { class: 'value', id }, '–'), h('span', { class: 'label' }, label));
}

export default {
  id: 'overview',
  title: 'Overview',
  create(root) {
    const totals = panel('Cluster', h('div', { class: 'totals' },
      card('records/s committed', 'total-rate'), card('records in all channels', 'total-records'),
      card('channels', 'total-channels'), card('live SSE streams', 'total-streams'),
      card('gateway queued batches', 'total-gateway'), card('dispatch backlog (tasks / user queues)', 'total-dispatch'),
      card('blobs healthy / under-replicated / unavailable', 'total-storage'), card('storage nodes up / down', 'total-stores')));
    const nodesBody = h('tbody');
    const nodes = panel('Nodes', h('table', { id: 'overview-nodes' },
      h('thead', {}, h('tr', {}, ...['node', 'state', 'roles', 'site', 'address', 'last heartbeat', 'CPU', 'memory', 'disk',
        'net in/out', 'commands'].map((t) => h('th', {}, t)))), nodesBody));
    root.append(totals.el, nodes.el);
    const nodeSource = new Source(nodes.status, nodes.el);
    const totalSource = new Source(totals.status, totals.el);
    const set = (id, text) => { root.querySelector(`#${id}`).textContent = text; };
    let previous = null;

    async function refresh() {
      const [nodeList, channelPage, health] = await Promise.all([
        nodeSource.track(() => api('/v1/nodes')),
        totalSource.track(() => api('/v1/channels?limit=1')),
        api('/v1/storage/health').catch(() => null),
      ]);
      if (nodeList) {
        fillRows(nodesBody, nodeList.nodes, (n) => {
          const s = n.status || {};
          return h('tr', { dataset: { node: n.nodeId } },
            h('td', { class: 'id' }, n.nodeId),
            h('td', {}, h('span', { class: `badge ${n.state}` }, n.state)),
            h('td', {}, n.roles.join(', ')),
            h('td', {}, n.site),
            h('td', { title: n.address === n.httpUrl ? 'as the node reports it' : `the node reports ${n.httpUrl}` },
              `#${n.number} ${n.address}`),
            h('td', { title: fmt.dateTime(n.lastSeenAt) }, fmt.ago(n.lastSeenAt)),
            h('td', {}, fmt.pct(s.cpuPercent)), h('td', {}, fmt.pct(s.memoryPercent)), h('td', {}, fmt.pct(s.diskPercent)),
            h('td', {}, s.at ? `${fmt.bytes(s.netInBytesPerSecond)}/s · ${fmt.bytes(s.netOutBytesPerSecond)}/s` : '–'),
            h('td', {}, s.commands ? `${s.commands.done} done, ${s.commands.failed} failed` : '–'));
        });
        const gauge = (name) => nodeList.nodes.reduce((sum, n) => sum + (n.status?.gauges?.[name] || 0), 0);
        const sum = (field) => nodeList.nodes.reduce((total, n) => total + (n.status?.[field] || 0), 0);
        set('total-streams', fmt.num(gauge('sse.streams')));
        set('total-gateway', fmt.num(gauge('gateway.queued')));
        set('total-dispatch', `${fmt.num(sum('taskBacklog'))} / ${fmt.num(sum('userBacklog'))}`);
      }
      if (channelPage) {
        const now = { at: Date.now(), records: channelPage.totals.records };
        if (previous && now.at > previous.at) {
          set('total-rate', ((now.records - previous.records) * 1000 / (now.at - previous.at)).toFixed(1));
        }
        previous = now;
        set('total-records', fmt.num(now.records));
        set('total-channels', fmt.num(channelPage.totals.channels));
      }
      if (health) {
        set('total-storage', `${health.healthy} / ${health.underReplicated} / ${health.unavailable}`);
        set('total-stores', `${health.nodesUp} / ${health.nodesDown}`);
      }
    }

    let stop = null;
    return {
      show() { stop = every(PERIOD_MS, refresh); },
      hide() { stop?.(); },
    };
  },
};
