// Tributary console: node list over the REST API, a live record view of one channel over SSE, and
// storage: health, nodes, uploads and provenance look-up.
'use strict';

const state = { token: localStorage.getItem('tributary.token') || '', channel: null, source: null };

function $(id) { return document.getElementById(id); }

async function api(path, options = {}) {
  const headers = Object.assign({ Authorization: 'Bearer ' + state.token }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error((body.error || response.status) + ': ' + (body.message || response.statusText));
  }
  return body;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

async function refreshNodes() {
  if (!state.token) return;
  try {
    const { nodes } = await api('/v1/nodes');
    const body = $('nodes').tBodies[0];
    body.replaceChildren();
    for (const n of nodes) {
      const row = body.insertRow();
      row.dataset.node = n.nodeId;
      cell(row, n.nodeId);
      cell(row, n.state, n.state);
      cell(row, n.roles.join(', '));
      cell(row, n.site);
      cell(row, n.httpUrl);
      cell(row, n.cores);
      cell(row, (n.memoryBytes / 2 ** 30).toFixed(1) + ' GiB');
      cell(row, new Date(n.lastSeenAt).toLocaleTimeString());
    }
    $('nodes-error').textContent = '';
  } catch (e) {
    $('nodes-error').textContent = e.message;
  }
}

function showRecord(r) {
  const row = $('records').tBodies[0].insertRow(0);
  row.dataset.cursor = r.cursor;
  cell(row, r.cursor);
  cell(row, r.id.slice(0, 8));
  cell(row, r.dataType);
  cell(row, r.priority);
  cell(row, r.sender);
  cell(row, new Date(r.committedAt).toLocaleTimeString());
  cell(row, JSON.stringify(r.payload ?? r.blobRef), 'payload');
}

// Follows the channel over server-sent events; the browser reconnects by itself and resumes after
// the last id it saw, so the table never misses or repeats a record.
function watch(channel) {
  if (state.source) state.source.close();
  state.channel = channel;
  $('records').tBodies[0].replaceChildren();
  const url = `/v1/channels/${encodeURIComponent(channel)}/stream?after=0&access_token=${encodeURIComponent(state.token)}`;
  const source = new EventSource(url);
  state.source = source;
  source.addEventListener('record', (e) => {
    showRecord(JSON.parse(e.data));
    $('watching').textContent = `${channel}: up to cursor ${e.lastEventId}`;
  });
  source.addEventListener('overflow', () => { $('records-error').textContent = 'fell behind; reconnecting'; });
  source.onopen = () => { $('records-error').textContent = ''; };
  source.onerror = () => { $('records-error').textContent = 'stream interrupted; reconnecting'; };
}

$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  state.token = $('token').value.trim();
  localStorage.setItem('tributary.token', state.token);
  $('whoami').textContent = state.token ? 'token set' : '';
  refreshNodes();
  refreshStorage();
  if (state.channel) watch(state.channel);
});

$('watch').addEventListener('submit', (event) => {
  event.preventDefault();
  watch($('channel').value.trim());
});

$('send').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const payload = JSON.parse($('payload').value);
    const channel = $('channel').value.trim();
    const result = await api(`/v1/channels/${encodeURIComponent(channel)}/records`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ payload }),
    });
    $('send-result').textContent = 'cursor ' + result.records[0].cursor;
  } catch (e) {
    $('send-result').textContent = e.message;
  }
});

async function refreshStorage() {
  if (!state.token) return;
  try {
    const [health, { nodes }] = await Promise.all([api('/v1/storage/health'), api('/v1/storage/nodes')]);
    $('storage-health').textContent = `${health.blobs} blobs: ${health.healthy} healthy, `
      + `${health.underReplicated} under-replicated, ${health.unavailable} unavailable; `
      + `${health.corruptCopies} corrupt and ${health.repairedCopies} repaired copies; `
      + `${health.nodesUp} nodes up, ${health.nodesDown} down`;
    const body = $('stores').tBodies[0];
    body.replaceChildren();
    for (const n of nodes) {
      const row = body.insertRow();
      row.dataset.store = n.storeId;
      cell(row, n.storeId);
      cell(row, n.state, n.state);
      cell(row, n.site);
      cell(row, n.hostNode);
      cell(row, (n.freeBytes / 2 ** 30).toFixed(1) + ' GiB');
      cell(row, Math.round(n.load.cpu * 100) + ' %');
      cell(row, (n.load.diskBytesPerSecond / 2 ** 20).toFixed(1) + ' MiB/s');
      cell(row, (n.load.pendingTaskBytes / 2 ** 20).toFixed(1) + ' MiB');
      cell(row, new Date(n.lastSeenAt).toLocaleTimeString());
    }
    $('storage-error').textContent = '';
  } catch (e) {
    $('storage-error').textContent = e.message;
  }
}

// The file goes to the server as a stream; the answer comes once two copies are durable.
$('upload').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $('file').files[0];
  try {
    const query = `?type=${encodeURIComponent($('blob-type').value)}&name=${encodeURIComponent(file.name)}`;
    const blob = await api('/v1/blobs' + query, { method: 'PUT', body: file });
    $('upload-result').textContent = `${blob.id} (${blob.size} bytes, ${blob.copies.length} copies so far)`;
    $('lookup-id').value = blob.id;
    refreshStorage();
  } catch (e) {
    $('upload-result').textContent = e.message;
  }
});

$('lookup').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const lineage = await api('/v1/provenance/' + encodeURIComponent($('lookup-id').value.trim()));
    const body = $('copies').tBodies[0];
    body.replaceChildren();
    for (const c of lineage.copies) {
      const row = body.insertRow();
      row.dataset.node = c.node;
      cell(row, c.node);
      cell(row, c.state, c.state);
      cell(row, (c.sha256 || '').slice(0, 16) + '…');
      cell(row, c.path || c.location);
      cell(row, new Date(c.verifiedAt).toLocaleString());
    }
    const { copies, ...rest } = lineage;
    $('lineage').textContent = JSON.stringify(rest, null, 2);
    $('storage-error').textContent = '';
  } catch (e) {
    $('storage-error').textContent = e.message;
  }
});

$('token').value = state.token;
if (state.token) $('whoami').textContent = 'token set';
refreshNodes();
refreshStorage();
setInterval(refreshNodes, 5000);
setInterval(refreshStorage, 5000);
