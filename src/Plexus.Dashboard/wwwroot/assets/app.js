'use strict';
// The dashboard's frame: navigation, polling and formatting. Each page is a script under pages/
// that calls Dashboard.register({ id, title, mount(view, params), update(params) }): mount builds
// the page once, update reads the API and redraws what changed; the frame calls update every
// POLL_MS while the page is shown, so values change without reloading.
const Dashboard = (() => {
  const POLL_MS = 2000;
  const pages = [];
  let shown = null;
  let timer = null;

  function register(page) { pages.push(page); }

  // The route is the hash: #tasks?state=Running&job=ab12
  function route() {
    const hash = location.hash.replace(/^#/, '');
    const [id, query] = hash.split('?');
    return { page: pages.find(p => p.id === id) || pages[0], params: new URLSearchParams(query || '') };
  }

  function go(id, params) {
    const query = params && [...params].length ? '?' + params.toString() : '';
    location.hash = id + query;
  }

  async function api(path) {
    const response = await fetch('/api/' + path, { credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401) {
      // The session is gone (another cluster's head on this address): the page explains what to do.
      location.reload();
      throw new Error('no session');
    }
    if (!response.ok) {
      throw new Error((await response.text()).trim() || response.statusText);
    }
    return response.json();
  }

  async function refresh() {
    if (!shown) return;
    const status = document.getElementById('updated');
    try {
      await shown.page.update(shown.params);
      status.textContent = 'updated ' + new Date().toLocaleTimeString();
      status.classList.remove('error');
    } catch (e) {
      status.textContent = 'cannot read the cluster: ' + e.message;
      status.classList.add('error');
    }
  }

  function show() {
    const { page, params } = route();
    const view = document.getElementById('view');
    view.replaceChildren();
    for (const link of document.querySelectorAll('#nav a')) {
      link.classList.toggle('active', link.dataset.page === page.id);
    }
    page.mount(view, params);
    shown = { page, params };
    clearInterval(timer);
    refresh();
    timer = setInterval(refresh, POLL_MS);
  }

  function start() {
    const nav = document.getElementById('nav');
    for (const page of pages) {
      nav.append(el('a', { href: '#' + page.id, 'data-page': page.id, id: 'nav-' + page.id }, page.title));
    }
    window.addEventListener('hashchange', show);
    show();
  }

  // el('td', { class: 'num' }, 'text', childNode...)
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  // A table: columns are { title, cell(row) -> node or text, class }; rows get data-key = key(row).
  function table(id, columns, rows, key, emptyText) {
    const head = el('tr', {}, columns.map(c => el('th', { class: c.class }, c.title)));
    const body = rows.length
      ? rows.map(row => el('tr', { 'data-key': key ? key(row) : null }, columns.map(c => el('td', { class: c.class }, c.cell(row)))))
      : [el('tr', {}, el('td', { class: 'empty', colspan: columns.length }, emptyText || 'Nothing yet.'))];
    return el('table', { id }, el('thead', {}, head), el('tbody', {}, body));
  }

  const BADGES = {
    ok: ['ALIVE', 'SUCCEEDED', 'Finished', 'FINISHED'],
    run: ['RUNNING', 'Running', 'Dispatched'],
    wait: ['PENDING', 'Submitted', 'PendingWorker', 'PendingResources', 'RESTARTING', 'Infeasible'],
    bad: ['DEAD', 'FAILED', 'Failed', 'STOPPED'],
  };

  function badge(state) {
    const kind = Object.keys(BADGES).find(k => BADGES[k].includes(state)) || '';
    return el('span', { class: 'badge ' + kind, 'data-state': state }, state);
  }

  function number(n) { return Number(n).toLocaleString('en-US', { maximumFractionDigits: 2 }); }

  function bytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = Number(n), unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return (unit === 0 ? value : value.toFixed(1)) + ' ' + units[unit];
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return '';
    if (ms < 1000) return Math.round(ms) + ' ms';
    const s = ms / 1000;
    if (s < 60) return s.toFixed(1) + ' s';
    const m = Math.floor(s / 60);
    return m < 60 ? m + ' min ' + Math.round(s % 60) + ' s' : Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }

  function time(value) {
    if (value === null || value === undefined) return '';
    return new Date(value).toLocaleString();
  }

  function short(id) { return id ? id.slice(0, 12) : ''; }

  // A bar of used / total with the figures under it.
  function usage(used, total, format) {
    const share = total > 0 ? Math.min(100, 100 * used / total) : 0;
    const bar = el('div', { class: 'bar' }, el('span'));
    bar.firstChild.style.width = share.toFixed(1) + '%';
    return el('div', {}, format(used) + ' / ' + format(total), bar);
  }

  return { register, start, go, api, el, table, badge, number, bytes, duration, time, short, usage };
})();
