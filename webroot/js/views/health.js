// Node health: per node, live charts (uPlot, from its WebJar) of CPU, memory and disk use, network
// in and out, and backlogs over the last minutes, from the node status series (D8).
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { api, enc } from '../api.js';
import { Source, every, fmt, h, panel } from '../ui.js';

const WINDOW_MS = 10 * 60 * 1000;
const PERIOD_MS = 5000;

const CHARTS = [
  { title: 'CPU, memory, disk (%)', series: [['CPU', 'cpuPercent', '#d9480f'], ['memory', 'memoryPercent', '#1c7ed6'],
    ['disk', 'diskPercent', '#2b8a3e']], range: [0, 100], value: (v) => fmt.pct(v) },
  { title: 'network (bytes/s)', series: [['in', 'netInBytesPerSecond', '#1c7ed6'], ['out', 'netOutBytesPerSecond', '#e8590c']],
    value: (v) => `${fmt.bytes(v)}/s` },
  { title: 'backlogs', series: [['dispatch tasks', 'taskBacklog', '#862e9c'], ['user queues', 'userBacklog', '#0b7285'],
    ['gateway queued', (s) => s.gauges?.['gateway.queued'] ?? 0, '#c92a2a'],
    ['SSE streams', (s) => s.gauges?.['sse.streams'] ?? 0, '#5c940d']], value: (v) => fmt.num(v) },
];

/** One node's series and charts. */
class NodeCharts {
  constructor(nodeId, container) {
    this.nodeId = nodeId;
    this.points = [];
    this.plots = [];
    this.el = h('div', { class: 'node-charts', dataset: { node: nodeId } },
      h('h3', {}, h('span', { class: 'id' }, nodeId), ' ', this.state = h('span', { class: 'badge' })),
      this.grid = h('div', { class: 'chart-row' }));
    container.append(this.el);
  }

  async refresh() {
    const since = this.points.length ? this.points[this.points.length - 1].at + 1 : Date.now() - WINDOW_MS;
    const answer = await api(`/v1/nodes/${enc(this.nodeId)}/status?since=${since}`);
    this.points.push(...answer.status);
    const from = Date.now() - WINDOW_MS;
    while (this.points.length && this.points[0].at < from) this.points.shift();
    this.el.dataset.points = this.points.length;
    this.draw();
  }

  draw() {
    const xs = this.points.map((p) => p.at / 1000);
    CHARTS.forEach((chart, i) => {
      const data = [xs, ...chart.series.map(([, field]) => this.points.map((p) =>
        (typeof field === 'function' ? field(p) : p[field]) ?? null))];
      if (!this.plots[i]) {
        const width = Math.max(280, Math.floor((this.grid.clientWidth || 1200) / CHARTS.length) - 16);
        const holder = h('div', { class: 'chart', dataset: { chart: chart.title } });
        this.grid.append(holder);
        this.plots[i] = new uPlot({
          title: chart.title, width, height: 180,
          scales: { x: { time: true }, y: chart.range ? { range: chart.range } : { auto: true } },
          series: [{}, ...chart.series.map(([label, , stroke]) => ({ label, stroke, width: 1.5, value: (u, v) => chart.value(v) }))],
          axes: [{}, { size: 90, values: (u, ticks) => ticks.map((t) => chart.value(t)) }],
        }, data, holder);
      } else {
        this.plots[i].setData(data);
      }
      if (xs.length) this.plots[i].setLegend({ idx: xs.length - 1 }); // the legend shows the latest values
    });
  }

  setState(state) {
    this.state.textContent = state;
    this.state.className = `badge ${state}`;
  }

  destroy() {
    this.plots.forEach((p) => p.destroy());
    this.el.remove();
  }
}

export default {
  id: 'health',
  title: 'Node health',
  create(root) {
    const list = h('div', { id: 'health-nodes' });
    const p = panel('Node health (last 10 minutes)', h('p', { class: 'muted' },
      'Each node reports CPU, memory, disk, network and backlogs every few seconds.'), list);
    root.append(p.el);
    const source = new Source(p.status, p.el);
    const charts = new Map();

    async function refresh() {
      const answer = await source.track(() => api('/v1/nodes'));
      if (!answer) return;
      for (const n of answer.nodes) {
        if (!charts.has(n.nodeId)) charts.set(n.nodeId, new NodeCharts(n.nodeId, list));
        charts.get(n.nodeId).setState(n.state);
      }
      for (const [id, c] of charts) {
        if (!answer.nodes.some((n) => n.nodeId === id)) { c.destroy(); charts.delete(id); }
      }
      await Promise.all([...charts.values()].map((c) => source.track(() => c.refresh())));
    }

    let stop = null;
    return {
      show() { stop = every(PERIOD_MS, refresh); },
      hide() { stop?.(); },
    };
  },
};
