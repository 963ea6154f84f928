// Lineage: the provenance of a record or a blob (S8) drawn as a graph, left to right: origin edge →
// gateway → core → results and stored copies for a record; source blobs → blob → derived blobs and
// copies for a blob. Ids in the graph are links: a click looks that one up.
import { api, enc } from '../api.js';
import { fmt, h, panel, showError } from '../ui.js';
import { copiesTable } from './storage.js';

const SVG = 'http://www.w3.org/2000/svg';
const BOX_W = 270;
const LINE_H = 15;
const GAP_X = 60;
const GAP_Y = 18;
/** Characters of a line that fit a box; ids (36) fit whole, longer names are cut (whole in the tooltip). */
const MAX_CHARS = 38;

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, v);
  children.forEach((c) => el.append(c));
  return el;
}

/** The graph of a provenance answer: columns of boxes and the edges between them. */
function graphOf(p) {
  const columns = [];
  const edges = [];
  const copyBoxes = (from) => p.copies.map((c, i) => {
    const box = { key: `copy-${i}`, kind: 'copy', state: c.state, lines: [`copy on ${c.node}`,
      `${c.store ?? c.site ?? ''} · ${c.state}`, `sha-256 ${c.sha256?.slice(0, 16)}…`, `verified ${fmt.time(c.verifiedAt)}`],
    title: JSON.stringify(c, null, 2) };
    edges.push([from, box.key]);
    return box;
  });
  if (p.kind === 'record') {
    const r = p.record;
    columns.push([{ key: 'edge', kind: 'edge', lines: [`edge ${p.origin.edge}`, `site ${p.origin.site ?? '–'}`,
      `sender ${p.origin.sender}`, `produced ${fmt.time(p.origin.producedAt)}`] }]);
    columns.push([{ key: 'gateway', kind: 'gateway', lines: [`gateway ${p.gateway ?? '–'}`, 'priority queue, forwarded'] }]);
    columns.push([{ key: 'core', kind: 'core', lines: [`core ${p.coreNode ?? '–'}`, `channel ${r.channel}`,
      `cursor ${r.cursor} · ${r.dataType}`, `committed ${fmt.time(r.committedAt)}`], link: null,
    title: `record ${p.id}` }]);
    edges.push(['edge', 'gateway'], ['gateway', 'core']);
    const results = p.results.map((res, i) => {
      edges.push(['core', `result-${i}`]);
      return { key: `result-${i}`, kind: 'result', link: res.id, lines: [`result ${res.dataType}`, res.id,
        `channel ${res.channel} @ ${res.cursor}`] };
    });
    columns.push([...results, ...copyBoxes('core')]);
  } else {
    const b = p.blob;
    const ancestors = [...p.derivedFrom].reverse();
    columns.push([{ key: 'origin', kind: 'edge', lines: [`origin ${p.origin.node}`, `site ${p.origin.site ?? '–'}`,
      `owner ${p.origin.owner}`, `created ${fmt.time(p.origin.createdAt)}`] }]);
    let previous = 'origin';
    ancestors.forEach((a, i) => {
      columns.push([{ key: `source-${i}`, kind: 'source', link: a.id, lines: [`source blob ${a.name ?? ''}`, a.id,
        `${a.type} · ${fmt.bytes(a.size)}`, a.derivedBy ? `made by ${a.derivedBy}` : 'uploaded'] }]);
      edges.push([previous, `source-${i}`]);
      previous = `source-${i}`;
    });
    columns.push([{ key: 'blob', kind: 'blob', lines: [`blob ${b.name ?? ''}`, b.id, `${b.type} · ${fmt.bytes(b.size)}`,
      b.derivedBy ? `made by ${b.derivedBy}` : `${b.replicas} copies wanted`] }]);
    edges.push([previous, 'blob']);
    const derived = p.derived.map((d, i) => {
      edges.push(['blob', `derived-${i}`]);
      return { key: `derived-${i}`, kind: 'derived', link: d.id, lines: [`derived ${d.name ?? ''}`, d.id,
        `${d.type} · ${fmt.bytes(d.size)}`, d.derivedBy ? `by ${d.derivedBy}` : ''] };
    });
    columns.push([...derived, ...copyBoxes('blob')]);
  }
  return { columns, edges };
}

function draw(graph, onLink) {
  const heights = (box) => box.lines.length * LINE_H + 12;
  const colHeights = graph.columns.map((col) => col.reduce((s, b) => s + heights(b) + GAP_Y, -GAP_Y));
  const height = Math.max(...colHeights) + 20;
  const width = graph.columns.length * (BOX_W + GAP_X) - GAP_X + 20;
  const at = new Map();
  const root = svg('svg', { id: 'lineage-graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': 'lineage graph' });
  const lines = svg('g', { class: 'edges' });
  root.append(lines);
  graph.columns.forEach((col, c) => {
    let y = 10 + (height - 20 - colHeights[c]) / 2;
    const x = 10 + c * (BOX_W + GAP_X);
    for (const box of col) {
      const hgt = heights(box);
      at.set(box.key, { x, y, h: hgt });
      const g = svg('g', { class: `node ${box.kind} ${box.state ?? ''}`, 'data-kind': box.kind, 'data-state': box.state,
        transform: `translate(${x},${y})` });
      g.append(svg('rect', { width: BOX_W, height: hgt, rx: 6 }));
      const title = svg('title');
      title.textContent = box.title ?? box.lines.join('\n');
      g.append(title);
      box.lines.forEach((text, i) => {
        const t = svg('text', { x: 8, y: 16 + i * LINE_H, class: i === 0 ? 'head' : '' });
        t.textContent = text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
        g.append(t);
      });
      if (box.link) {
        g.classList.add('link');
        g.addEventListener('click', () => onLink(box.link));
      }
      root.append(g);
      y += hgt + GAP_Y;
    }
  });
  for (const [from, to] of graph.edges) {
    const a = at.get(from);
    const b = at.get(to);
    const x1 = a.x + BOX_W;
    const y1 = a.y + a.h / 2;
    const x2 = b.x;
    const y2 = b.y + b.h / 2;
    lines.append(svg('path', { d: `M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2},${y2}` }));
  }
  return root;
}

export default {
  id: 'lineage',
  title: 'Lineage',
  create(root) {
    const error = h('p', { id: 'lineage-error', class: 'error', hidden: true });
    const summary = h('p', { id: 'lineage-summary', class: 'muted' });
    const graphBox = h('div', { class: 'graph' });
    const copies = copiesTable('lineage-copies');
    const form = h('form', { id: 'lookup', class: 'inline', onsubmit: (e) => { e.preventDefault(); look(e.target.elements.id.value.trim()); } },
      h('label', {}, 'Record or blob id ', h('input', { id: 'lookup-id', name: 'id', size: 40, required: true })),
      h('button', { type: 'submit' }, 'Look up'));
    const p = panel('Lineage', h('p', { class: 'muted' }, 'Where a record or blob came from, what was made from it, and every stored copy.'),
      form, error, summary, graphBox, copies);
    root.append(p.el);

    async function look(id) {
      if (!id) return;
      form.elements.id.value = id;
      try {
        const answer = await api(`/v1/provenance/${enc(id)}`);
        showError(error, null);
        summary.textContent = answer.kind === 'record'
          ? `record ${answer.id}: ${answer.results.length} results, ${answer.copies.length} stored copies`
          : `blob ${answer.id}: ${answer.derivedFrom.length} sources, ${answer.derived.length} derived, ${answer.copies.length} copies, ${answer.tasks.length} tasks`;
        graphBox.replaceChildren(draw(graphOf(answer), look));
        copies.show(answer.copies);
        p.status.textContent = `looked up ${fmt.time(Date.now())}`;
      } catch (e) {
        showError(error, e);
      }
    }

    return {
      show() {},
      hide() {},
      look,
    };
  },
};
