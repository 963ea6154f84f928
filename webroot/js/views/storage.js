// Storage: health counts, storage nodes with their load scores, upload with a progress bar, and a
// blob's copies with their last verification.
import { api, enc, upload } from '../api.js';
import { Source, every, fillRows, fmt, h, idCell, panel, showError } from '../ui.js';

const PERIOD_MS = 3000;

export function copiesTable(id) {
  const body = h('tbody');
  const table = h('table', { id }, h('thead', {}, h('tr', {}, ...['copy on', 'host', 'site', 'state', 'sha-256', 'location',
    'last verified'].map((t) => h('th', {}, t)))), body);
  table.show = (copies) => fillRows(body, copies, (c) => h('tr', {},
    h('td', { class: 'id' }, c.node), h('td', {}, c.hostNode ?? '–'), h('td', {}, c.site ?? '–'),
    h('td', { class: c.state, title: c.deletedReason ? `deleted ${fmt.dateTime(c.deletedAt)}: ${c.deletedReason}` : null },
      c.state === 'deleted' && c.deletedReason ? `deleted (${c.deletedReason})` : c.state), h('td', {}, idCell(c.sha256)), h('td', { class: 'path' }, c.path ?? c.location),
    h('td', { title: fmt.dateTime(c.verifiedAt) }, fmt.ago(c.verifiedAt))));
  return table;
}

export default {
  id: 'storage',
  title: 'Storage',
  create(root) {
    const healthLine = h('div', { id: 'storage-health', class: 'totals' });
    const storesBody = h('tbody');
    const overview = panel('Storage nodes', healthLine,
      h('table', { id: 'stores' }, h('thead', {}, h('tr', {}, ...['storage node', 'state', 'host', 'site', 'load score', 'CPU',
        'memory', 'disk I/O', 'pending task bytes', 'free', 'last heartbeat'].map((t) => h('th', {}, t)))), storesBody));

    const progress = h('progress', { id: 'upload-progress', max: 100, value: 0 });
    const progressText = h('span', { id: 'upload-percent', class: 'muted' });
    const result = h('p', { id: 'upload-result', class: 'muted' });
    const error = h('p', { id: 'storage-error', class: 'error', hidden: true });
    const copies = copiesTable('copies');
    const blobLine = h('p', { id: 'blob-summary' });
    const form = h('form', { id: 'upload', class: 'inline', onsubmit: (e) => { e.preventDefault(); send(); } },
      h('label', {}, 'File ', h('input', { id: 'file', type: 'file', required: true })),
      h('label', {}, ' type ', h('select', { id: 'blob-type' }, ...['document', 'image', 'audio', 'video', 'other']
        .map((t) => h('option', { selected: t === 'other' }, t)))),
      h('button', { type: 'submit' }, 'Upload'), progress, progressText);
    const lookup = h('form', { id: 'blob-lookup', class: 'inline', onsubmit: (e) => {
      e.preventDefault();
      follow(e.target.elements.blob.value.trim());
    } }, h('input', { name: 'blob', size: 40, placeholder: 'blob id', required: true }), h('button', { type: 'submit' }, 'Show copies'));
    const blobs = panel('Upload and copies', form, result, lookup, error, blobLine, copies);
    root.append(overview.el, blobs.el);
    const source = new Source(overview.status, overview.el);
    let followed = null;

    async function send() {
      const file = root.querySelector('#file').files[0];
      if (!file) return;
      const type = root.querySelector('#blob-type').value;
      showError(error, null);
      progress.value = 0;
      result.textContent = `uploading ${file.name}…`;
      try {
        const blob = await upload(`/v1/blobs?type=${enc(type)}&name=${enc(file.name)}`, file, (sent, total) => {
          const pct = total ? Math.floor((sent * 100) / total) : 0;
          progress.value = pct;
          progressText.textContent = `${pct} % (${fmt.bytes(sent)} of ${fmt.bytes(total)})`;
          progress.dataset.seen = `${progress.dataset.seen || ''} ${pct}`.trim();
        });
        progress.value = 100;
        result.textContent = `stored ${blob.name ?? ''}: ${blob.size} bytes, ${blob.copies.length} copies acknowledged, `
          + `${blob.replicas} wanted; id ${blob.id}`;
        follow(blob.id);
      } catch (e) {
        result.textContent = '';
        showError(error, e);
      }
    }

    function follow(blobId) {
      followed = blobId;
      lookup.elements.blob.value = blobId;
      refreshBlob();
    }

    async function refreshBlob() {
      if (!followed) return;
      try {
        const meta = await api(`/v1/blobs/${enc(followed)}/meta`);
        const healthy = meta.copies.filter((c) => c.state === 'healthy').length;
        blobLine.textContent = `${meta.name ?? meta.id}: ${fmt.bytes(meta.size)} ${meta.type}, ${healthy} of ${meta.replicas} copies healthy`;
        blobLine.dataset.healthy = healthy;
        copies.show(meta.copies);
        showError(error, null);
      } catch (e) {
        showError(error, e);
      }
    }

    async function refresh() {
      const [stores, health] = await Promise.all([
        source.track(() => api('/v1/storage/nodes')),
        api('/v1/storage/health').catch(() => null),
      ]);
      if (health) {
        healthLine.replaceChildren(...[['healthy', health.healthy], ['under-replicated', health.underReplicated],
          ['unavailable', health.unavailable], ['corrupt copies', health.corruptCopies], ['repaired copies', health.repairedCopies],
          ['nodes up', health.nodesUp], ['nodes down', health.nodesDown]]
          .map(([label, n]) => h('div', { class: 'total' }, h('span', { class: 'value' }, fmt.num(n)), h('span', { class: 'label' }, label))));
      }
      if (stores) {
        fillRows(storesBody, stores.nodes, (s) => h('tr', {},
          h('td', { class: 'id' }, s.storeId), h('td', {}, h('span', { class: `badge ${s.state}` }, s.state)),
          h('td', {}, s.hostNode), h('td', {}, s.site), h('td', { class: 'num' }, s.loadScore?.toFixed(3) ?? '–'),
          h('td', {}, fmt.pct(s.load.cpu * 100)), h('td', {}, fmt.pct(s.load.memory * 100)),
          h('td', {}, `${fmt.bytes(s.load.diskBytesPerSecond)}/s`), h('td', {}, fmt.bytes(s.load.pendingTaskBytes)),
          h('td', {}, fmt.bytes(s.freeBytes)), h('td', { title: fmt.dateTime(s.lastSeenAt) }, fmt.ago(s.lastSeenAt))));
      }
      await refreshBlob();
    }

    let stop = null;
    return {
      show() { stop = every(PERIOD_MS, refresh); },
      hide() { stop?.(); },
    };
  },
};
