// Service Desk console: a small single-page front end over the app's JSON API. No framework; hash routes
// (#/mine, #/queue, #/ticket/SD-1001, #/dashboard). Signed in by App Service authentication (cookies) in Azure; locally the
// person picked from the demo list is sent as the development identity header, which the app honours only when
// Auth__AllowDevelopmentIdentity is on (never on App Service).
'use strict';

const DEV_USER_KEY = 'escalation.devUser';
const API = '/api/';
const STEP_TITLES = {
  reviewedTicket: 'Reviewed the ticket and its history',
  contactedUser: 'Contacted the user for more information',
  toldUserWeKeepInTouch: 'Made sure the user knows we keep in touch',
  sentStatusToManager: 'Told the escalating manager the status',
  routedToOwner: 'Contacted the service owner / manager (CIO in copy)',
  ownerFollowedUp: 'Owner followed up with the user',
  followUpDocumented: 'Follow-up documented in the ticket',
};
const STEP_ORDER = Object.keys(STEP_TITLES);
const NOTE_REQUIRED = new Set(['contactedUser', 'sentStatusToManager']);

const state = { me: null, keys: new Map(), chart: null, mineNext: null, worklist: { view: null, rows: [], next: null, timer: null } };
// How often the worklist refreshes itself; a test may set window.worklistRefreshMs before the page loads.
const WORKLIST_REFRESH_MS = window.worklistRefreshMs ?? 30000;
const WORKLIST_VIEWS = [
  ['assigned-to-me', 'Assigned to me'], ['unassigned', 'Unassigned in my teams'], ['open', 'All open in my teams'],
  ['waiting-for-me', 'Waiting for me'], ['at-risk', 'At risk'], ['breached', 'Breached, unanswered'],
];
const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------------------------
// Small DOM helper: h('td', { className: 'num' }, 'text', child). Text is always set as text, never as HTML.
function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'className' || name === 'textContent' || name === 'htmlFor' || name === 'value' || name === 'checked'
      || name === 'disabled' || name === 'hidden') element[name] = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function announce(text) {
  $('alert').hidden = true;
  $('status').textContent = text;
}

function fail(text) {
  $('status').textContent = '';
  const alert = $('alert');
  alert.textContent = text;
  alert.hidden = false;
}

function clearMessages() {
  $('status').textContent = '';
  $('alert').hidden = true;
}

// ---------------------------------------------------------------------------------------------------------------
// The API: JSON in and out, the development identity header when one was picked, problem details as errors.
class ApiError extends Error {
  constructor(status, problem) {
    const details = problem?.errors ? ' ' + Object.values(problem.errors).flat().join(' ') : '';
    super(`${problem?.title ?? `Error ${status}`}${problem?.detail ? ': ' + problem.detail : ''}${details}`);
    this.status = status;
    this.problem = problem;
  }
}

function identityHeaders() {
  const devUser = localStorage.getItem(DEV_USER_KEY);
  return devUser ? { 'X-Dev-User': devUser } : {};
}

async function api(path, { method = 'GET', body, key, accept = 'application/json' } = {}) {
  const headers = { Accept: accept, ...identityHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (key) headers['Idempotency-Key'] = key;
  let response;
  try {
    response = await fetch(API + path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { title: 'The service desk could not be reached', detail: 'Check the connection and try again.' });
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  if (accept !== 'application/json') return response;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// One Idempotency-Key per intended action, kept until it succeeds: a double click or a retry after a lost answer
// is recognised by the app and changes nothing.
function keyFor(name) {
  if (!state.keys.has(name)) state.keys.set(name, newKey());
  return state.keys.get(name);
}

async function act(name, path, body, done) {
  try {
    const result = await api(path, { method: 'POST', body, key: keyFor(name) });
    state.keys.delete(name);
    await done(result);
    return result;
  } catch (error) {
    fail(error.message);
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const formatTime = (value) => (value ? dateTime.format(new Date(value)) : '–');
// Deadlines carry the zone: whoever reads one knows exactly when it falls.
const deadline = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
const formatDeadline = (value) => (value ? deadline.format(new Date(value)) : '–');
const percent = (rate) => (rate === null || rate === undefined ? '–' : `${Math.round(rate * 1000) / 10} %`);

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.max(0, Math.round(seconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min`;
  return `${s} s`;
}

function timeElement(value) {
  return value ? h('time', { datetime: value }, formatTime(value)) : '–';
}

function ticketLink(number) {
  return h('a', { href: `#/ticket/${encodeURIComponent(number)}` }, number);
}

function table(caption, columns, rows, rowProps) {
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', className: c.num ? 'num' : undefined }, c.title)))),
    h('tbody', {}, rows.length === 0
      ? h('tr', {}, h('td', { colspan: String(columns.length) }, 'Nothing to show.'))
      : rows.map((row) => h('tr', rowProps ? rowProps(row) : {}, columns.map((c) => h('td', { className: c.num ? 'num' : undefined }, c.cell(row)))))));
}

// ---------------------------------------------------------------------------------------------------------------
// Sign-in
async function loadMe() {
  try {
    state.me = await api('me');
  } catch (error) {
    state.me = null;
    if (error.status === 401) {
      await renderSignIn(error.problem);
      return;
    }
    fail(error.message);
  }
  renderIdentity();
}

async function renderSignIn(problem) {
  const box = $('identity');
  box.replaceChildren();
  if (problem?.developmentIdentity) {
    let people = [];
    try { people = await (await fetch('/api/console/demo-people.json')).json(); } catch { /* none */ }
    const select = h('select', { id: 'demo-person', name: 'person' },
      h('option', { value: '' }, 'Choose a demo person…'),
      people.map((p) => h('option', { value: `${p.id};${p.name};${p.email};${p.roles.join(',')}` }, `${p.name} — ${p.what}`)));
    const form = h('form', { id: 'sign-in', className: 'inline-form', onsubmit: (event) => {
      event.preventDefault();
      if (!select.value) return;
      localStorage.setItem(DEV_USER_KEY, select.value);
      start();
    } }, h('label', { htmlFor: 'demo-person' }, 'Sign in as (local development)'), select, h('button', { type: 'submit' }, 'Sign in'));
    box.append(form);
    $('home-intro').textContent = 'Local development: pick a demo person to sign in as (sent as the X-Dev-User header).';
  } else {
    const back = encodeURIComponent('/api/console' + location.hash);
    box.append(h('a', { href: `${problem?.signIn ?? '/.auth/login/aad'}?post_login_redirect_uri=${back}` }, 'Sign in'));
    $('home-intro').textContent = 'Sign in with your university account to use the console.';
  }
  showPages();
}

function renderIdentity() {
  const me = state.me;
  const box = $('identity');
  box.replaceChildren();
  if (!me) return;
  const what = [me.coordinator && 'coordinator', me.coordinatorManager && 'coordinators\' manager', me.agent && (me.teamName ? `agent, ${me.teamName}` : 'agent'),
    me.reports && (me.reports.everything ? 'all reports' : me.reports.agentId ? 'own figures' : 'team reports')].filter(Boolean).join(' · ');
  box.append(h('span', { id: 'signed-in' }, `Signed in as ${me.name}`));
  if (what) box.append(h('span', { className: 'badge' }, what));
  if (localStorage.getItem(DEV_USER_KEY)) {
    box.append(h('button', { type: 'button', className: 'secondary', onclick: () => { localStorage.removeItem(DEV_USER_KEY); state.me = null; start(); } }, 'Switch person'));
  }
  $('home-intro').textContent = !me.inDirectory ? 'You are signed in but not in the org directory.'
    : me.staff ? 'Your worklist: the open tickets you and your teams hold, the nearest SLA deadline first.'
    : 'Choose a page above.';
  showPages();
}

// What each page needs of the signed-in person (GET /api/me); a page they may not use is never opened.
const PAGES = {
  mine: { id: 'page-mine', title: 'My tickets', allowed: (me) => Boolean(me) },
  ticket: { id: 'page-ticket', title: 'Ticket', allowed: (me) => Boolean(me) },
  queue: { id: 'page-queue', title: 'Escalation queue', allowed: (me) => Boolean(me?.queue),
    why: 'The escalation queue is for Escalation Coordinators, managers and team leads.' },
  dashboard: { id: 'page-dashboard', title: 'Dashboard', allowed: (me) => Boolean(me?.reports),
    why: 'The dashboard is for managers, team leads, coordinators and agents with report access.' },
};

function showPages() {
  const me = state.me;
  for (const item of document.querySelectorAll('#nav [data-needs]')) {
    const need = item.dataset.needs;
    item.hidden = !(need === 'signed-in' ? me : PAGES[need === 'reports' ? 'dashboard' : need]?.allowed(me));
  }
  $('open-ticket').hidden = !me?.staff;
}

// ---------------------------------------------------------------------------------------------------------------
// Routing
function route() {
  clearMessages();
  let [page, arg, ...rest] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  // A person who does not work at the desk starts on their own tickets.
  if (!page && state.me && !state.me.staff) page = 'mine';
  const target = PAGES[page];
  let id = 'page-home';
  if (state.me && target) id = target.allowed(state.me) ? target.id : 'page-denied';
  for (const section of document.querySelectorAll('.page')) section.hidden = section.id !== id;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.getAttribute('href') === `#/${page}`) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  const title = id === 'page-denied' ? 'Not available' : page === 'ticket' ? `Ticket ${arg ?? ''}` : target?.title ?? 'Home';
  document.title = `${title} – Service Desk console`;
  if (id === 'page-denied') $('denied-text').textContent = `${target.why} You are signed in as ${state.me.name}.`;
  clearInterval(state.worklist.timer);
  const worklist = id === 'page-home' && Boolean(state.me?.staff);
  $('worklist').hidden = !worklist;
  if (worklist) {
    loadWorklist();
    state.worklist.timer = setInterval(() => { if (!document.hidden) loadWorklist({ quiet: true }); }, WORKLIST_REFRESH_MS);
  }
  if (id === 'page-mine') loadMine();
  if (id === 'page-queue') loadQueue(arg ? { ticket: arg, escalation: rest[0], action: rest[1] } : null);
  if (id === 'page-ticket') loadTicket(arg ?? '');
  if (id === 'page-dashboard') loadDashboard();
}

// ---------------------------------------------------------------------------------------------------------------
// The worklist: a staff member's home. Counts per view, one view's tickets with their SLA clocks, refreshed every 30 s.
function clockText(row) {
  if (row.answered) return h('span', { className: 'badge ok' }, 'answered');
  const unit = state.worklist.businessTime ? ' working time' : '';
  return row.overdueSeconds !== null && row.overdueSeconds !== undefined
    ? h('span', { className: 'badge bad' }, `${duration(row.overdueSeconds)} late${unit}`)
    : h('span', { className: 'badge warn' }, `${duration(row.remainingSeconds)} left${unit}`);
}

async function loadWorklist({ more = false, quiet = false } = {}) {
  const wl = state.worklist;
  wl.view ??= state.me.teamId ? 'assigned-to-me' : 'open';
  const form = $('worklist-filter');
  if (form.team.options.length === 1) {
    form.team.append(...(state.me.teams ?? []).map((t) => h('option', { value: t.id }, t.name)));
  }
  const query = new URLSearchParams({ view: wl.view, sort: form.sort.value, pageSize: '50' });
  if (form.team.value) query.set('team', form.team.value);
  if (form.q.value.trim()) query.set('q', form.q.value.trim());
  if (more && wl.next) query.set('continuation', wl.next);
  const list = $('worklist-list');
  list.setAttribute('aria-busy', 'true');
  try {
    const page = await api(`tickets?${query}`);
    wl.rows = more ? [...wl.rows, ...page.tickets] : page.tickets;
    wl.next = page.continuation ?? null;
    wl.businessTime = page.businessTime;
    renderWorklistViews(page.counts);
    const caption = WORKLIST_VIEWS.find(([key]) => key === wl.view)[1];
    list.replaceChildren(table(caption, [
      { title: 'Ticket', cell: (t) => ticketLink(t.ticketNumber) },
      { title: 'Subject', cell: (t) => t.subject },
      { title: 'Requester', cell: (t) => t.requesterName },
      { title: 'Held by', cell: (t) => (t.agentName ? `${t.agentName} (${t.teamName})` : t.teamName) },
      { title: 'Priority', cell: (t) => t.priority },
      { title: 'First response', cell: clockText },
      { title: 'Last activity', cell: (t) => timeElement(t.lastActivityAt) },
    ], wl.rows, (t) => ({ 'data-ticket': t.ticketNumber, className: t.awaitingDesk ? 'awaiting' : undefined })));
    $('worklist-more').hidden = !wl.next;
    $('worklist-updated').textContent = `Updated ${formatTime(new Date().toISOString())}; refreshes every ${WORKLIST_REFRESH_MS / 1000} s.`;
    if (more) announce('More tickets loaded.');
  } catch (error) {
    if (!quiet) fail(error.message);
  } finally {
    list.removeAttribute('aria-busy');
  }
}

function renderWorklistViews(counts) {
  const box = $('worklist-views');
  const focused = document.activeElement?.dataset?.view;
  box.replaceChildren(...WORKLIST_VIEWS.map(([key, title]) => h('button', {
    type: 'button', className: key === state.worklist.view ? 'view current' : 'view', 'data-view': key,
    'aria-pressed': key === state.worklist.view ? 'true' : 'false',
    onclick: () => { state.worklist.view = key; state.worklist.next = null; loadWorklist(); },
  }, `${title} `, h('span', { className: 'count' }, String(counts?.[key] ?? 0)))));
  if (focused) box.querySelector(`[data-view="${focused}"]`)?.focus();
}

// ---------------------------------------------------------------------------------------------------------------
// My tickets: the requester's own tickets, a page at a time
async function loadMine(more = false) {
  const list = $('mine-list');
  list.setAttribute('aria-busy', 'true');
  try {
    const query = new URLSearchParams({ requester: 'me', pageSize: '25' });
    if (more && state.mineNext) query.set('continuation', state.mineNext);
    const page = await api(`tickets?${query}`);
    const rows = more ? [...(state.mineRows ?? []), ...page.tickets] : page.tickets;
    state.mineRows = rows;
    state.mineNext = page.continuation ?? null;
    list.replaceChildren(table('Your tickets', [
      { title: 'Ticket', cell: (t) => ticketLink(t.ticketNumber) },
      { title: 'Subject', cell: (t) => t.subject },
      { title: 'Status', cell: (t) => h('span', { className: 'badge' }, typeLabel(t.status)) },
      { title: 'Latest activity', cell: (t) => timeElement(t.lastPublicActivityAt ?? t.createdAt) },
      { title: 'Your turn?', cell: (t) => (t.waitingForYou ? h('span', { className: 'badge warn' }, 'The desk is waiting for you') : '–') },
    ], rows, (t) => ({ 'data-ticket': t.ticketNumber })));
    $('mine-more').hidden = !state.mineNext;
    if (more) announce('Older tickets loaded.');
  } catch (error) {
    fail(error.message);
  } finally {
    list.removeAttribute('aria-busy');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Coordinator queue
// The control each action of a coordinator's e-mail lands on (#/queue/SD-1001/E1/acknowledge).
const ACTION_TARGETS = {
  acknowledge: 'button.acknowledge', step: 'form.step-form textarea', eta: 'form.eta-form input', waive: 'form.waive-form select',
  reassign: 'form.reassign-form select', close: 'button.close-escalation',
};

async function loadQueue(focus = null) {
  const list = $('queue-list');
  list.setAttribute('aria-busy', 'true');
  try {
    const items = await api('escalation-queue');
    list.replaceChildren(...(items.length ? items.map(queueCard) : [h('p', { id: 'queue-empty' }, 'No open escalations.')]));
    if (focus) focusEscalation(focus);
  } catch (error) {
    fail(error.message);
  } finally {
    list.removeAttribute('aria-busy');
  }
}

function focusEscalation({ ticket, escalation, action }) {
  const card = document.getElementById(`esc-${ticket}-${escalation}`);
  if (!card) {
    fail(`Escalation ${escalation ?? ''} of ${ticket} is not open in your queue: it may be closed already.`);
    $('alert').append(' ', ticketLink(ticket));
    return;
  }
  card.classList.add('focused');
  const target = (action && card.querySelector(ACTION_TARGETS[action] ?? '')) || card.querySelector('h2 a');
  card.scrollIntoView({ block: 'start' });
  target?.focus();
  if (action && !card.querySelector(ACTION_TARGETS[action] ?? '')) announce(`${ticket} ${escalation}: that action is not open now (it may be done already).`);
}

function progressOf(escalation) {
  const checklist = escalation.checklist ?? [];
  return { settled: checklist.filter((c) => c.doneAt).length, total: checklist.length || 7 };
}

function queueCard(item) {
  const e = item.escalation;
  const { settled, total } = progressOf(e);
  const overdue = !e.acknowledgedAt && e.acknowledgeBy && new Date(e.acknowledgeBy) < new Date();
  const id = `esc-${item.ticketNumber}-${e.id}`;
  const card = h('article', { className: 'card', id, 'aria-labelledby': `${id}-title`, 'data-ticket': item.ticketNumber },
    h('header', {},
      h('h2', { id: `${id}-title` }, ticketLink(item.ticketNumber), ` · ${e.id} · ${item.subject}`),
      e.acknowledgedAt ? h('span', { className: 'badge ok' }, 'Acknowledged')
        : h('span', { className: overdue ? 'badge bad' : 'badge warn' }, overdue ? 'Acknowledgement overdue' : 'Waiting for acknowledgement')),
    h('dl', { className: 'meta' },
      h('dt', {}, 'Acknowledge by'), h('dd', { className: 'ack-by' }, e.acknowledgeBy ? h('time', { datetime: e.acknowledgeBy }, formatDeadline(e.acknowledgeBy)) : '–'),
      h('dt', {}, 'Coordinator'), h('dd', {}, nameOfCoordinator(e.coordinatorId)),
      h('dt', {}, 'Team'), h('dd', {}, nameOfTeam(item.teamId) + (item.agentId ? ` (${item.agentId})` : '')),
      h('dt', {}, 'Requested by'), h('dd', {}, (e.requests ?? []).map((r) => r.requesterName).join(', ') || '–'),
      h('dt', {}, 'Checklist'), h('dd', {},
        h('progress', { max: String(total), value: String(settled), 'aria-label': `Checklist progress of ${item.ticketNumber}` }),
        h('span', { className: 'progress-text' }, ` ${settled} of ${total} steps`)),
      h('dt', {}, 'ETA to user'), h('dd', {}, e.eta ? `${formatTime(e.eta.resolveBy)} – ${e.eta.message}` : 'not sent yet')),
    checklistView(e),
    coordinatorActions(item));
  return card;
}

function nameOfTeam(teamId) {
  return state.me?.teams?.find((t) => t.id === teamId)?.name ?? teamId ?? '–';
}

function nameOfCoordinator(personId) {
  return state.me?.coordinators?.find((c) => c.id === personId)?.name ?? personId ?? 'not assigned yet';
}

function checklistView(e) {
  const items = e.checklist ?? [];
  return h('ol', { className: 'checklist', 'aria-label': 'Checklist' }, items.map((c, index) =>
    h('li', { className: c.waivedReason ? 'waived' : c.doneAt ? 'done' : 'open', 'data-step': String(index + 1) },
      `${index + 1}. ${STEP_TITLES[c.step] ?? c.step}`,
      c.doneAt ? h('span', { className: 'hint' }, c.waivedReason ? ` — waived: ${c.waivedReason}` : ` — ${nameOfCoordinator(c.doneBy)}, ${formatTime(c.doneAt)}${c.note ? ': ' + c.note : ''}`) : null)));
}

function coordinatorActions(item) {
  const me = state.me;
  const e = item.escalation;
  const base = `tickets/${encodeURIComponent(item.ticketNumber)}/escalations/${encodeURIComponent(e.id)}`;
  const name = `${item.ticketNumber}/${e.id}`;
  const refresh = (message) => async (view) => {
    announce(message);
    const card = document.getElementById(`esc-${item.ticketNumber}-${e.id}`);
    if (view?.status === 'closed') {
      card?.remove();
      if (!document.querySelector('#queue-list .card')) $('queue-list').replaceChildren(h('p', { id: 'queue-empty' }, 'No open escalations.'));
      return;
    }
    card?.replaceWith(queueCard({ ...item, escalation: view }));
    document.getElementById(`esc-${item.ticketNumber}-${e.id}`)?.querySelector('.actions button:not([disabled])')?.focus();
  };
  const box = h('div', { className: 'actions' });
  if (me.coordinator) {
    if (!e.acknowledgedAt) {
      box.append(h('button', { type: 'button', className: 'acknowledge', onclick: () => act(`${name}/ack`, `${base}/acknowledge`, undefined,
        refresh(`${item.ticketNumber} ${e.id} acknowledged.`)) }, `Acknowledge ${item.ticketNumber}`));
    } else {
      const checklist = e.checklist ?? [];
      const open = checklist.map((c, i) => ({ ...c, number: i + 1 })).filter((c) => !c.doneAt);
      const next = open[0];
      if (next) {
        const noteId = `${name}-note`.replace(/\W/g, '-');
        const required = NOTE_REQUIRED.has(next.step);
        box.append(h('form', { className: 'step-form', onsubmit: (event) => {
          event.preventDefault();
          const note = event.target.note.value.trim();
          act(`${name}/step/${next.number}`, `${base}/steps/${next.number}`, note ? { note } : undefined,
            refresh(`${item.ticketNumber} step ${next.number} done.`));
        } },
        h('label', { htmlFor: noteId }, `Step ${next.number}: ${STEP_TITLES[next.step]}${required ? ' (note required)' : ' — note (optional)'}`),
        h('textarea', { id: noteId, name: 'note', required, maxlength: '4000' }),
        h('button', { type: 'submit' }, `Complete step ${next.number}`)));

        const waiveId = `${name}-waive`.replace(/\W/g, '-');
        box.append(h('form', { className: 'waive-form', onsubmit: (event) => {
          event.preventDefault();
          const step = Number(event.target.step.value);
          act(`${name}/waive/${step}`, `${base}/waive`, { step, reason: event.target.reason.value.trim() },
            refresh(`${item.ticketNumber} step ${step} waived.`));
        } },
        h('div', { className: 'row' },
          h('div', {}, h('label', { htmlFor: `${waiveId}-step` }, 'Waive step'),
            h('select', { id: `${waiveId}-step`, name: 'step' }, open.map((c) => h('option', { value: String(c.number) }, `${c.number}. ${STEP_TITLES[c.step]}`)))),
          h('div', { style: undefined }, h('label', { htmlFor: `${waiveId}-reason` }, 'Reason'),
            h('input', { id: `${waiveId}-reason`, name: 'reason', required: true, maxlength: '4000' })),
          h('button', { type: 'submit', className: 'secondary' }, 'Waive'))));
      }

      const etaId = `${name}-eta`.replace(/\W/g, '-');
      box.append(h('form', { className: 'eta-form', onsubmit: (event) => {
        event.preventDefault();
        const resolveBy = new Date(event.target.resolveBy.value).toISOString();
        act(`${name}/eta/${resolveBy}`, `${base}/eta`, { resolveBy, message: event.target.message.value.trim() },
          refresh(`ETA sent to the user of ${item.ticketNumber}.`));
      } },
      h('div', { className: 'row' },
        h('div', {}, h('label', { htmlFor: `${etaId}-at` }, 'Estimated resolution'),
          h('input', { id: `${etaId}-at`, name: 'resolveBy', type: 'datetime-local', required: true })),
        h('div', {}, h('label', { htmlFor: `${etaId}-message` }, 'Message to the user'),
          h('input', { id: `${etaId}-message`, name: 'message', required: true, maxlength: '4000' })),
        h('button', { type: 'submit', className: 'secondary' }, e.eta ? 'Send new ETA' : 'Send ETA'))));

      const complete = checklist.every((c) => c.doneAt) && (e.etas?.length ?? (e.eta ? 1 : 0)) > 0;
      box.append(h('button', { type: 'button', className: 'close-escalation', disabled: !complete,
        'aria-describedby': complete ? undefined : `${etaId}-why`,
        onclick: () => act(`${name}/close`, `${base}/close`, undefined, refresh(`${item.ticketNumber} ${e.id} closed.`)) }, `Close ${e.id}`),
      h('p', { id: `${etaId}-why`, className: 'hint', hidden: complete }, 'Closing needs every step done or waived and an ETA sent to the user.'));
    }
  }
  if (me.coordinatorManager || me.coordinator) {
    const reassignId = `${name}-reassign`.replace(/\W/g, '-');
    const others = (me.coordinators ?? []).filter((c) => c.id !== e.coordinatorId);
    if (others.length) {
      box.append(h('form', { className: 'reassign-form', onsubmit: (event) => {
        event.preventDefault();
        const coordinatorId = event.target.coordinatorId.value;
        act(`${name}/reassign/${coordinatorId}`, `${base}/reassign`, { coordinatorId }, refresh(`${item.ticketNumber} ${e.id} reassigned.`));
      } },
      h('div', { className: 'row' },
        h('div', {}, h('label', { htmlFor: reassignId }, 'Reassign to'),
          h('select', { id: reassignId, name: 'coordinatorId' }, others.map((c) => h('option', { value: c.id }, c.name)))),
        h('button', { type: 'submit', className: 'secondary' }, 'Reassign'))));
    }
  }
  return box;
}

// ---------------------------------------------------------------------------------------------------------------
// Ticket page
async function loadTicket(number) {
  const body = $('ticket-body');
  $('ticket-title').textContent = `Ticket ${number}`;
  body.replaceChildren(h('p', { className: 'hint' }, 'Loading…'));
  try {
    const [ticket, panel] = await Promise.all([api(`tickets/${encodeURIComponent(number)}`), api(`tickets/${encodeURIComponent(number)}/console`)]);
    renderTicket(ticket, panel);
  } catch (error) {
    body.replaceChildren();
    fail(error.message);
  }
}

function clockView(sla) {
  const kind = sla.status === 'met' ? 'met' : sla.status === 'breached' ? 'breached' : 'pending';
  const unit = sla.businessTime ? ' (working time)' : '';
  let headline;
  if (sla.status === 'met') headline = 'SLA met';
  else if (sla.status === 'breached') headline = sla.overdueSeconds !== null ? `SLA breached ${duration(sla.overdueSeconds)} ago${unit}` : 'SLA breached';
  else headline = `${duration(sla.remainingSeconds)} left${unit}`;
  return h('div', { className: `clock ${kind}`, id: 'sla-clock' },
    h('strong', {}, headline),
    h('span', {}, `First response due ${formatDeadline(sla.dueAt)}`),
    sla.elapsed !== null ? h('div', {}, h('progress', { max: '1', value: String(Math.min(1, sla.elapsed)), 'aria-label': 'Share of the SLA window used' }),
      ` ${Math.round(sla.elapsed * 100)} % of the window ${sla.running ? 'used' : 'used when the clock stopped'}`) : null);
}

function renderTicket(ticket, panel) {
  const body = $('ticket-body');
  $('ticket-title').textContent = `${ticket.ticketNumber}: ${ticket.subject}`;
  const names = ticket.names ?? {};
  const nameOf = (id) => names[id] ?? ACTOR_LABELS[id] ?? (id === ticket.requester?.personId ? ticket.requester.displayName : id);
  const deliveries = new Map((ticket.deliveries ?? []).map((d) => [d.entryId, d]));
  const historyItem = (entry) => historyEntry(entry, nameOf, deliveries.get(entry.id), ticket);
  const history = h('ol', { className: 'timeline', id: 'timeline' }, [...ticket.history].reverse().map(historyItem));
  const olderButton = ticket.historyPages > 0 ? h('button', { type: 'button', className: 'secondary', id: 'older-history' }, 'Show older history') : null;
  let nextPage = ticket.historyPages - 1;
  olderButton?.addEventListener('click', async () => {
    try {
      const page = await api(`tickets/${encodeURIComponent(ticket.ticketNumber)}/history/${nextPage}`);
      history.append(...[...(page.entries ?? [])].reverse().map(historyItem));
      nextPage -= 1;
      if (nextPage < 0) olderButton.remove();
      announce('Older history loaded.');
    } catch (error) { fail(error.message); }
  });

  body.replaceChildren(
    h('div', { className: 'two-col' },
      h('div', {},
        h('dl', { className: 'meta' },
          h('dt', {}, 'Status'), h('dd', {}, h('span', { className: 'badge' }, typeLabel(ticket.status))),
          h('dt', {}, 'Priority'), h('dd', {}, ticket.priority),
          h('dt', {}, 'Requester'), h('dd', {}, ticket.requester?.displayName ?? '–'),
          h('dt', {}, 'Team'), h('dd', {}, nameOf(ticket.assignment?.teamId) ?? '–'),
          h('dt', {}, 'Agent'), h('dd', {}, ticket.assignment?.agentId ? nameOf(ticket.assignment.agentId) : 'not assigned yet'),
          h('dt', {}, 'Opened'), h('dd', {}, timeElement(ticket.createdAt), ` via ${CHANNEL_LABELS[ticket.channel] ?? ticket.channel}`)),
        callBackNotice(ticket),
        h('p', { className: 'description' }, ticket.description),
        h('h2', {}, 'History'), history, olderButton),
      h('div', {},
        h('h2', {}, 'SLA clock'), clockView(panel.sla),
        h('h2', {}, 'Escalations'), ticket.escalations.length === 0 ? h('p', {}, 'None.') : ticket.escalations.map((e) =>
          h('div', { className: 'card' },
            h('h3', {}, `${e.id} · ${e.status}`),
            h('dl', { className: 'meta' },
              h('dt', {}, 'Opened'), h('dd', {}, timeElement(e.openedAt)),
              e.coordinatorId ? [h('dt', {}, 'Coordinator'), h('dd', {}, nameOfCoordinator(e.coordinatorId))] : null,
              e.checklist ? [h('dt', {}, 'Checklist'), h('dd', {}, `${progressOf(e).settled} of ${progressOf(e).total} steps`)] : null,
              h('dt', {}, 'ETA'), h('dd', {}, e.eta ? `${formatTime(e.eta.resolveBy)} – ${e.eta.message}` : '–')))),
        ticketActions(ticket, panel.actions))));
}

const ACTOR_LABELS = { system: 'Service desk (automatic)', intake: 'Service desk (routing)' };
const CHANNEL_LABELS = { web: 'the web', email: 'e-mail', chat: 'chat', voicemail: 'voicemail' };
const ENTRY_LABELS = {
  responded: 'reply to requester', replied: 'reply to requester', note: 'internal note', message: 'message from requester',
  deliveryFailed: 'not delivered', delivered: 'delivered',
};

// A ticket nobody can write to (a voicemail from an unknown number): the desk calls back.
function callBackNotice(ticket) {
  const owed = (ticket.deliveries ?? []).some((d) => d.route === 'callBack')
    || (ticket.deliveries && !ticket.requester?.email && ticket.channel !== 'chat');
  if (!owed) return null;
  const phone = ticket.requester?.phone ?? ticket.details?.callerNumber;
  return h('p', { className: 'callback', id: 'call-back' }, h('strong', {}, 'Call back: '),
    phone ? h('a', { href: `tel:${phone.replace(/[^+\d]/g, '')}` }, phone) : 'no number known',
    ' — replies cannot reach this requester; record the call with "I told them on the phone".');
}

// How a reply went out, as the staff see it next to the reply.
function deliveryNote(delivery, ticket) {
  if (!delivery) return null;
  const by = { email: 'by e-mail', chat: 'in the chat' };
  let text;
  let kind = '';
  if (delivery.route === 'phone') text = 'Told on the phone (nothing sent).';
  else if (delivery.route === 'callBack') { text = `Not sent: call back ${ticket.requester?.phone ?? ticket.details?.callerNumber ?? ''}.`.trim(); kind = 'warn'; }
  else if (delivery.deliveredAt) { text = `Delivered ${by[delivery.deliveredBy] ?? ''} ${formatTime(delivery.deliveredAt)}.`; kind = 'ok'; }
  else if (delivery.failedAt) { text = `Not delivered: ${delivery.problem ?? 'refused'}`; kind = 'bad'; }
  else text = 'Sending…';
  return h('div', { className: `delivery ${kind}` }, text);
}

function historyEntry(entry, nameOf, delivery, ticket) {
  return h('li', { className: entry.type === 'note' ? 'internal' : undefined },
    h('time', { datetime: entry.at }, formatTime(entry.at)), ' ',
    h('span', { className: entry.type === 'note' ? 'badge warn' : 'badge' }, ENTRY_LABELS[entry.type] ?? typeLabel(entry.type)), ' ',
    entry.actor ? h('strong', {}, nameOf(entry.actor)) : null,
    h('div', {}, assignmentText(entry, nameOf) ?? entry.summary ?? ''),
    deliveryNote(delivery, ticket));
}

// "Assigned to Ann Agent (Service Desk)." from the entry's data, with names instead of the ids its summary carries.
function assignmentText(entry, nameOf) {
  const teamId = entry.data?.teamId;
  if (!(entry.type === 'assigned' || entry.type === 'reassigned') || !teamId) return null;
  const agentId = entry.data.agentId;
  return `Assigned to ${agentId ? `${nameOf(agentId)} (${nameOf(teamId)})` : nameOf(teamId)}.`;
}

// escalationStepDone -> 'escalation step done'
const typeLabel = (type) => String(type ?? '').replace(/([A-Z])/g, ' $1').toLowerCase();

function ticketActions(ticket, actions) {
  if (!actions?.length) return null;
  const number = ticket.ticketNumber;
  const base = `tickets/${encodeURIComponent(number)}`;
  const reload = (message) => async () => { await loadTicket(number); announce(message); };
  const forms = [];
  if (actions.includes('replyAsRequester')) {
    forms.push(h('form', { id: 'requester-reply-form', onsubmit: (event) => {
      event.preventDefault();
      const message = event.target.message.value.trim();
      act(`${number}/reply/${message}`, `${base}/replies`, { message }, reload('Your message was sent to the service desk.'));
    } }, h('h2', {}, 'Write to the service desk'),
    h('label', { htmlFor: 'requester-reply' }, ticket.status === 'resolved' ? 'Your message (answering soon after the resolution reopens the ticket)' : 'Your message'),
    h('textarea', { id: 'requester-reply', name: 'message', required: true, maxlength: '20000' }),
    h('button', { type: 'submit' }, 'Send to the service desk')));
  }
  const open = ticket.status !== 'resolved';
  if (open && actions.includes('respond')) {
    forms.push(h('form', { id: 'respond-form', className: 'public-reply', onsubmit: (event) => {
      event.preventDefault();
      const message = event.target.message.value.trim();
      const byPhone = event.target.byPhone.checked;
      act(`${number}/respond/${byPhone}/${message}`, `${base}/respond`, { message, byPhone }, reload(byPhone ? 'Phone call recorded.' : 'Reply sent to the requester.'));
    } }, h('h2', {}, 'Reply to requester'),
    h('p', { className: 'hint', id: 'respond-hint' }, `Public: ${ticket.requester?.displayName ?? 'the requester'} receives it ${ticket.channel === 'chat' ? 'in the chat' : 'by e-mail'}.`),
    h('label', { htmlFor: 'respond-message' }, 'Reply to the requester'),
    h('textarea', { id: 'respond-message', name: 'message', required: true, maxlength: '20000', 'aria-describedby': 'respond-hint' }),
    h('div', { className: 'check' }, h('input', { type: 'checkbox', id: 'respond-phone', name: 'byPhone' }),
      h('label', { htmlFor: 'respond-phone' }, 'I told them on the phone (record only, nothing is sent)')),
    h('button', { type: 'submit' }, 'Send reply')));
  }
  if (actions.includes('addNote')) {
    forms.push(h('form', { id: 'note-form', className: 'internal-note', onsubmit: (event) => {
      event.preventDefault();
      const note = event.target.note.value.trim();
      act(`${number}/note/${note}`, `${base}/notes`, { note }, reload('Internal note added.'));
    } }, h('h2', {}, 'Internal note'),
    h('p', { className: 'hint', id: 'note-hint' }, 'Staff only: never sent to the requester.'),
    h('label', { htmlFor: 'note-text' }, 'Internal note'),
    h('textarea', { id: 'note-text', name: 'note', required: true, maxlength: '20000', 'aria-describedby': 'note-hint' }),
    h('button', { type: 'submit', className: 'secondary' }, 'Add note')));
  }
  if (!open) return forms.length ? h('div', { className: 'actions' }, forms) : null;
  if (actions.includes('reassign')) {
    const agentOptions = (teamId) => [h('option', { value: '' }, 'Nobody: the team'),
      ...(state.me.agents ?? []).filter((a) => a.teamId === teamId)
        .map((a) => h('option', { value: a.id, selected: a.id === ticket.assignment?.agentId }, a.name))];
    const agentSelect = h('select', { id: 'reassign-agent', name: 'agentId' }, agentOptions(ticket.assignment?.teamId));
    const teamSelect = h('select', { id: 'reassign-team', name: 'teamId', onchange: () => agentSelect.replaceChildren(...agentOptions(teamSelect.value)) },
      (state.me.teams ?? []).map((t) => h('option', { value: t.id, selected: t.id === ticket.assignment?.teamId }, t.name)));
    forms.push(h('form', { id: 'reassign-ticket-form', onsubmit: (event) => {
      event.preventDefault();
      const teamId = event.target.teamId.value;
      const agentId = event.target.agentId.value || undefined;
      act(`${number}/reassign/${teamId}/${agentId ?? ''}`, `${base}/reassign`, { teamId, agentId }, reload('Ticket reassigned.'));
    } }, h('label', { htmlFor: 'reassign-team' }, 'Reassign to team'), teamSelect,
    h('label', { htmlFor: 'reassign-agent' }, 'Agent'), agentSelect,
    h('button', { type: 'submit', className: 'secondary' }, 'Reassign')));
  }
  if (actions.includes('resolve')) {
    forms.push(h('form', { id: 'resolve-form', onsubmit: (event) => {
      event.preventDefault();
      act(`${number}/resolve/${event.target.resolution.value}`, `${base}/resolve`, { resolution: event.target.resolution.value.trim() }, reload('Ticket resolved.'));
    } }, h('label', { htmlFor: 'resolve-text' }, 'Resolution'),
    h('textarea', { id: 'resolve-text', name: 'resolution', required: true, maxlength: '20000' }),
    h('button', { type: 'submit', className: 'secondary' }, 'Resolve')));
  }
  return forms.length ? h('div', { className: 'actions' }, h('h2', {}, 'Actions'), forms) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Manager dashboard
function isoDate(date) {
  return date.toISOString().slice(0, 10);
}

function reportQuery() {
  const form = $('report-filter');
  return new URLSearchParams({ from: form.from.value, to: form.to.value, groupBy: form.groupBy.value });
}

async function loadDashboard() {
  const form = $('report-filter');
  if (!form.from.value) {
    const today = new Date();
    form.to.value = isoDate(today);
    form.from.value = isoDate(new Date(today.getTime() - 29 * 86400000));
  }
  $('requesters-panel').hidden = !state.me?.reports?.seesRequesters;
  $('sla-drill').replaceChildren();
  $('req-drill').replaceChildren();
  const query = reportQuery();
  const period = new URLSearchParams({ from: query.get('from'), to: query.get('to') });
  const tasks = [
    api(`reports/sla?${query}`).then(renderSla),
    api('reports/at-risk').then(renderAtRisk),
  ];
  if (state.me?.reports?.seesRequesters) tasks.push(api(`reports/escalation-requesters?${period}`).then(renderRequesters));
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) fail(failed.reason.message); else announce('Reports loaded.');
}

const FIGURES = [
  ['opened', 'Opened'], ['respondedInTime', 'In time'], ['breached', 'Breached'],
  ['automaticEscalations', 'Auto esc.'], ['managerEscalations', 'Mgr esc.'], ['atRisk50', 'At risk 50 %'], ['atRisk75', 'At risk 75 %'],
];
const CHART_COLOURS = ['#0b5cad', '#a4161a', '#1e6b34', '#7a4d00', '#6639ba', '#00707a', '#b35900', '#4a5560'];

function renderSla(report) {
  const unit = report.businessTime ? 'working time' : 'clock time';
  $('sla-summary').textContent = `${report.period.from} to ${report.period.to}, by ${report.groupBy}; response times in ${unit}. `
    + `Overall met rate ${percent(report.total.metRate)} of ${report.total.opened} tickets opened.`;
  const names = Object.fromEntries(report.rows.map((r) => [r.key, r.name]));
  const figureCell = (row, figure) => {
    const value = row.figures[figure];
    return value > 0 ? h('button', { type: 'button', className: 'link-button', 'aria-label': `${value} ${figure} tickets of ${row.name}`,
      onclick: () => drillSla(row, figure) }, String(value)) : String(value);
  };
  $('sla-table').replaceChildren(table(`SLA compliance by ${report.groupBy}`, [
    { title: report.groupBy === 'agent' ? 'Agent' : 'Name', cell: (r) => r.name },
    ...FIGURES.slice(0, 3).map(([f, t]) => ({ title: t, num: true, cell: (r) => (r.key === '__total' ? String(r.figures[f]) : figureCell(r, f)) })),
    { title: 'Met rate', num: true, cell: (r) => percent(r.figures.metRate) },
    { title: 'Median 1st resp.', num: true, cell: (r) => duration(r.figures.medianFirstResponseSeconds) },
    { title: '90th pct.', num: true, cell: (r) => duration(r.figures.p90FirstResponseSeconds) },
    ...FIGURES.slice(3).map(([f, t]) => ({ title: t, num: true, cell: (r) => (r.key === '__total' ? String(r.figures[f]) : figureCell(r, f)) })),
  ], [...report.rows, { key: '__total', name: 'Total', figures: report.total }]));

  // The chart: met rate per week, one line per group.
  const weeks = [...new Set(report.trend.map((p) => p.weekStart))].sort();
  const keys = [...new Set(report.trend.map((p) => p.key))];
  const datasets = keys.map((key, i) => ({
    label: names[key] ?? key,
    data: weeks.map((week) => {
      const point = report.trend.find((p) => p.key === key && p.weekStart === week);
      return point && point.metRate !== null ? Math.round(point.metRate * 1000) / 10 : null;
    }),
    borderColor: CHART_COLOURS[i % CHART_COLOURS.length],
    backgroundColor: CHART_COLOURS[i % CHART_COLOURS.length],
    spanGaps: true,
    tension: 0.2,
  }));
  const canvas = $('sla-chart');
  canvas.setAttribute('aria-label', `Met rate by week and ${report.groupBy}: ${datasets.map((d) => `${d.label} ${d.data.filter((v) => v !== null).map((v) => v + ' %').join(', ') || 'no data'}`).join('; ')}`);
  if (typeof Chart === 'undefined') {
    fail('The chart library did not load; the tables show the same figures.');
    return;
  }
  state.chart?.destroy();
  state.chart = new Chart(canvas, {
    type: 'line',
    data: { labels: weeks.map((w) => `Week of ${w}`), datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { min: 0, max: 100, title: { display: true, text: 'Met rate (%)' } } },
      plugins: { legend: { position: 'bottom' }, title: { display: true, text: `Met rate per week by ${report.groupBy}` } },
    },
  });
  canvas.dataset.rendered = 'true';
}

async function drillSla(row, figure) {
  const query = reportQuery();
  query.set('key', row.key);
  query.set('figure', figure);
  const box = $('sla-drill');
  try {
    const tickets = await api(`reports/sla/tickets?${query}`);
    box.replaceChildren(h('h3', { tabindex: '-1', id: 'sla-drill-title' }, `${row.name}: ${figure}`), table(`Tickets behind ${figure} of ${row.name}`, [
      { title: 'Ticket', cell: (t) => ticketLink(t.number) },
      { title: 'Opened', cell: (t) => t.opened },
      { title: 'Team', cell: (t) => nameOfTeam(t.teamId) },
      { title: 'Agent', cell: (t) => t.agentId ?? '–' },
      { title: 'First response', num: true, cell: (t) => duration(t.firstResponseSeconds) },
    ], tickets));
    $('sla-drill-title').focus();
  } catch (error) { fail(error.message); }
}

function renderAtRisk(tickets) {
  $('risk-table').replaceChildren(table('Open tickets past half of their first-response window, most urgent first', [
    { title: 'Ticket', cell: (t) => ticketLink(t.number) },
    { title: 'Team', cell: (t) => nameOfTeam(t.teamId) },
    { title: 'Agent', cell: (t) => t.agentId ?? '–' },
    { title: 'Opened', cell: (t) => timeElement(t.createdAt) },
    { title: 'Due', cell: (t) => timeElement(t.dueAt) },
    { title: 'Window used', num: true, cell: (t) => h('span', { className: t.elapsed >= 0.75 ? 'badge bad' : 'badge warn' }, `${Math.round(t.elapsed * 100)} %`) },
  ], tickets));
}

function renderRequesters(report) {
  $('req-summary').textContent = `Flagged: escalations of at least ${percent(report.flagShare)} of their unit's tickets, and at least ${report.flagMinimum} requests, in the period.`;
  $('req-table').replaceChildren(table(`Escalations per requester, ${report.period.from} to ${report.period.to}`, [
    { title: 'Requester', cell: (r) => h('button', { type: 'button', className: 'link-button', onclick: () => drillRequester(r) }, r.name) },
    { title: 'Unit', cell: (r) => r.unitName ?? r.unitId ?? '–' },
    { title: 'Requested', num: true, cell: (r) => String(r.requested) },
    { title: 'Merged', num: true, cell: (r) => String(r.merged) },
    { title: 'Inside SLA', num: true, cell: (r) => String(r.insideSla) },
    { title: 'Unit tickets', num: true, cell: (r) => String(r.unitTickets) },
    { title: 'Share', num: true, cell: (r) => percent(r.share) },
    { title: 'Flag', cell: (r) => (r.flagged ? h('span', { className: 'badge bad flag' }, 'Flagged') : '–') },
  ], report.rows, (r) => ({ className: r.flagged ? 'flagged' : undefined, 'data-requester': r.requesterId })));
}

async function drillRequester(row) {
  const query = reportQuery();
  const period = new URLSearchParams({ from: query.get('from'), to: query.get('to') });
  const box = $('req-drill');
  try {
    const requests = await api(`reports/escalation-requesters/${encodeURIComponent(row.requesterId)}?${period}`);
    box.replaceChildren(h('h3', { tabindex: '-1', id: 'req-drill-title' }, `Justifications of ${row.name}`), table(`Escalations requested by ${row.name}`, [
      { title: 'Ticket', cell: (r) => ticketLink(r.ticketNumber) },
      { title: 'When', cell: (r) => timeElement(r.at) },
      { title: 'Channel', cell: (r) => r.channel },
      { title: 'Merged', cell: (r) => (r.merged ? 'yes' : 'no') },
      { title: 'Inside SLA', cell: (r) => (r.insideSla ? 'yes' : 'no') },
      { title: 'Justification', cell: (r) => r.justification },
    ], requests));
    $('req-drill-title').focus();
  } catch (error) { fail(error.message); }
}

async function downloadCsv(path, fileName) {
  try {
    const response = await api(path, { accept: 'text/csv' });
    const url = URL.createObjectURL(await response.blob());
    const link = h('a', { href: url, download: fileName, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    announce(`${fileName} downloaded.`);
  } catch (error) { fail(error.message); }
}

// ---------------------------------------------------------------------------------------------------------------
function wire() {
  window.addEventListener('hashchange', () => { route(); $('main').focus(); });
  $('queue-refresh').addEventListener('click', () => loadQueue().then(() => announce('Queue refreshed.')));
  $('mine-more').addEventListener('click', () => loadMine(true));
  $('worklist-more').addEventListener('click', () => loadWorklist({ more: true }));
  $('worklist-filter').addEventListener('submit', (event) => { event.preventDefault(); state.worklist.next = null; loadWorklist(); });
  $('report-filter').addEventListener('submit', (event) => { event.preventDefault(); loadDashboard(); });
  $('open-ticket').addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/ticket/${encodeURIComponent(event.target.number.value.trim().toUpperCase())}`;
  });
  $('sla-csv').addEventListener('click', () => {
    const query = reportQuery();
    query.set('format', 'csv');
    downloadCsv(`reports/sla?${query}`, `sla-${query.get('from')}-${query.get('to')}.csv`);
  });
  $('req-csv').addEventListener('click', () => {
    const query = reportQuery();
    const period = new URLSearchParams({ from: query.get('from'), to: query.get('to'), format: 'csv' });
    downloadCsv(`reports/escalation-requesters?${period}`, `escalation-requesters-${query.get('from')}-${query.get('to')}.csv`);
  });
}

async function start() {
  clearMessages();
  await loadMe();
  route();
}

wire();
start();
