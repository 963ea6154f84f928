// The console's shell: logging in with a token, the navigation between views, and starting and
// stopping each view's live updates as it is shown and hidden.
import { api, onUnauthorized, session } from './api.js';
import { $, h, showError } from './ui.js';
import overview from './views/overview.js';
import health from './views/health.js';
import channels from './views/channels.js';
import tasks from './views/tasks.js';
import storage from './views/storage.js';
import lineage from './views/lineage.js';
import commands from './views/commands.js';
import settings from './views/settings.js';

const VIEWS = [overview, health, channels, tasks, storage, lineage, commands, settings];
const mounted = new Map();
let current = null;

function showLogin(message) {
  $('#login-card').hidden = false;
  $('#views').hidden = true;
  $('#nav').hidden = true;
  $('#logout').hidden = true;
  $('#whoami').textContent = '';
  showError($('#login-message'), message ? { message } : null);
  if (current) mounted.get(current).hide();
  current = null;
}

/** Checks the token with the node (any authenticated read) and whether it is an administrator's. */
async function login(token) {
  if (!token) {
    showLogin('Enter a token: the administrator token printed at the first start, or a user token.');
    return;
  }
  try {
    await api('/v1/channels?limit=1', { token });
  } catch (e) {
    session.token = '';
    showLogin(e.status === 401
      ? `That token was refused: ${e.message}. Check it was copied whole (it starts with trb_).`
      : `Cannot log in now: ${e.text}`);
    return;
  }
  session.token = token;
  session.admin = await api('/v1/users', { token }).then(() => true, (e) => e.status !== 403);
  $('#login-card').hidden = true;
  $('#views').hidden = false;
  $('#nav').hidden = false;
  $('#logout').hidden = false;
  $('#whoami').textContent = session.admin ? 'administrator' : 'user (no administrator rights)';
  document.body.classList.toggle('admin', session.admin);
  navigate(location.hash.slice(1) || 'overview');
}

function navigate(id) {
  const view = VIEWS.find((v) => v.id === id) || overview;
  if (current === view.id) return;
  if (current) mounted.get(current).hide();
  for (const v of VIEWS) {
    $(`#view-${v.id}`).hidden = v !== view;
    $(`#nav [data-view="${v.id}"]`).classList.toggle('active', v === view);
  }
  if (!mounted.has(view.id)) mounted.set(view.id, view.create($(`#view-${view.id}`)));
  current = view.id;
  mounted.get(view.id).show();
  if (location.hash !== `#${view.id}`) history.replaceState(null, '', `#${view.id}`);
}

for (const v of VIEWS) {
  $('#nav').append(h('a', { href: `#${v.id}`, dataset: { view: v.id } }, v.title));
  $('#views').append(h('div', { id: `view-${v.id}`, class: 'view', hidden: true }));
}
window.addEventListener('hashchange', () => session.token && navigate(location.hash.slice(1)));
$('#login').addEventListener('submit', (e) => {
  e.preventDefault();
  login($('#token').value.trim());
});
$('#logout').addEventListener('click', () => {
  session.token = '';
  location.replace(location.pathname); // a fresh page: every live stream and timer of the session ends
});
onUnauthorized((error) => {
  if (!session.token) return;
  session.token = '';
  showLogin(`Logged out: the node refused the token (${error.message}). Log in again.`);
});

if (session.token) {
  $('#login-card').hidden = true; // the token of this tab's session is checked first
  login(session.token);
} else {
  showLogin(null);
}
