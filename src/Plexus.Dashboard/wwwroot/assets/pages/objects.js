'use strict';
// The object stores: each node's use, the memory report grouped by node, job or call site, and the
// objects the nodes report (as `plexus list objects` and `plexus memory`), filtered by job and node;
// with the box ticked, also the objects drivers and workers hold in their own memory (`--all`): off by
// default, since each poll then asks every process of every node.
Dashboard.register({
  id: 'objects',
  title: 'Objects',
  mount(view, params) {
    const { el } = Dashboard;
    this.params = params;
    const filter = (name, hint) => {
      const input = el('input', { id: 'objects-' + name, placeholder: hint, size: 34, value: params.get(name) || '' });
      input.addEventListener('change', () => this.refilter());
      return input;
    };
    this.job = filter('job', 'job id (hex)');
    this.node = filter('node', 'node id (hex)');
    this.grouping = el('select', { id: 'memory-group' },
      ['Node', 'Job', 'CallSite'].map(g => el('option', { value: g }, g === 'CallSite' ? 'call site' : g.toLowerCase())));
    this.grouping.value = params.get('groupBy') || 'Node';
    this.grouping.addEventListener('change', () => this.refilter());
    this.held = el('input', { id: 'objects-held', type: 'checkbox' });
    this.held.checked = params.get('held') === 'true';
    this.held.addEventListener('change', () => this.refilter());
    this.stores = el('div');
    this.groups = el('div');
    this.objects = el('div');
    this.total = el('p', { class: 'note', id: 'objects-total' });
    this.silent = el('p', { class: 'note', id: 'objects-silent' });
    view.append(
      el('h1', {}, 'Objects'),
      el('h2', {}, 'Stores'), this.stores,
      el('h2', {}, 'Memory'), el('div', { class: 'controls' }, 'Grouped by', this.grouping), this.groups,
      el('h2', {}, 'Objects'),
      el('div', { class: 'controls' }, 'Job', this.job, 'Node', this.node,
        el('label', {}, this.held, ' include objects held by owners')),
      this.silent, this.total, this.objects);
  },
  refilter() {
    const params = new URLSearchParams();
    if (this.job.value.trim()) params.set('job', this.job.value.trim());
    if (this.node.value.trim()) params.set('node', this.node.value.trim());
    if (this.grouping.value !== 'Node') params.set('groupBy', this.grouping.value);
    if (this.held.checked) params.set('held', 'true');
    Dashboard.go('objects', params);
  },
  async update() {
    const { el, table, badge, bytes, usage, number, time } = Dashboard;
    const filters = new URLSearchParams();
    for (const name of ['job', 'node']) if (this.params.get(name)) filters.set(name, this.params.get(name));
    const held = this.held.checked ? '&held=true' : '';
    if (held) filters.set('held', 'true');
    const [listing, memory] = await Promise.all([
      Dashboard.api('objects?' + filters.toString()),
      Dashboard.api('memory?groupBy=' + encodeURIComponent(this.grouping.value) + held),
    ]);
    const reported = new Map(memory.nodes.map(n => [n.nodeId, n]));
    this.stores.replaceChildren(table('stores', [
      { title: 'Node', class: 'mono', cell: n => n.nodeId },
      { title: 'Address', cell: n => n.address },
      { title: 'State', cell: n => badge(n.state) },
      { title: 'Used', cell: n => usage(n.usedBytes, n.capacityBytes, bytes) },
      { title: 'Spilled', class: 'num', cell: n => reported.has(n.nodeId) ? bytes(reported.get(n.nodeId).spilledBytes) : '' },
      { title: 'Objects', class: 'num', cell: n => reported.has(n.nodeId) ? number(reported.get(n.nodeId).objectCount) : '' },
      { title: 'Reported', cell: n => reported.has(n.nodeId) ? time(reported.get(n.nodeId).reportedAt) : 'no report' },
    ], listing.nodes, n => n.nodeId, 'No node has joined.'));
    this.groups.replaceChildren(table('memory-groups', [
      { title: this.grouping.selectedOptions[0].textContent, class: 'mono', cell: g => g.key },
      { title: 'Bytes', class: 'num', cell: g => bytes(g.bytes) },
      { title: 'Spilled', class: 'num', cell: g => bytes(g.spilledBytes) },
      { title: 'Objects', class: 'num', cell: g => number(g.objects) },
      ...(held ? [{ title: 'Held by owners', class: 'num', cell: g => bytes(g.heldBytes) + ' in ' + number(g.heldObjects) }] : []),
    ], memory.groups, g => g.key, 'The stores hold no object.'));
    // With held objects the processes asked say which are drivers (a joined driver has a process number like a worker's).
    const drivers = new Set(listing.processes.filter(p => p.isDriver).map(p => p.nodeId + '/' + p.process));
    const holder = o => o.ownerProcess === 0 || drivers.has(o.nodeId + '/' + o.ownerProcess) ? 'driver'
      : o.ownerProcess < 0 ? 'another node' : 'worker ' + o.ownerProcess;
    const filterLink = (name, id) => el('a', { href: '#objects?' + new URLSearchParams({ [name]: id }).toString() }, Dashboard.short(id));
    this.objects.replaceChildren(table('objects', [
      { title: 'Object', class: 'mono', cell: o => el('span', { title: o.objectId }, Dashboard.short(o.objectId) + '…' + o.objectId.slice(-8)) },
      { title: 'Job', class: 'mono', cell: o => filterLink('job', o.jobId) },
      { title: 'Node', class: 'mono', cell: o => filterLink('node', o.nodeId) },
      { title: 'Size', class: 'num', cell: o => bytes(o.size) },
      { title: 'Where', cell: o => el('span', { 'data-location': o.location }, o.location) },
      { title: 'Copy', class: 'mono', cell: o => o.primaryNodeId ? 'copy of ' + Dashboard.short(o.primaryNodeId) : 'primary' },
      { title: 'Owner', cell: o => holder(o) + (o.ownerPid ? ' (pid ' + o.ownerPid + ')' : '') },
      { title: 'Pins', class: 'num', cell: o => o.isHeld ? '' : o.pins },
      ...(held ? [{ title: 'Handles', class: 'num', cell: o => o.isHeld ? o.handles : '' }] : []),
      { title: 'Call site', class: 'mono', cell: o => o.callSite },
    ], listing.objects, o => o.objectId + '@' + o.nodeId, 'No object matches.'));
    this.silent.textContent = listing.silentNodes.length
      ? 'Nodes that did not answer (their processes\' objects are not listed): ' + listing.silentNodes.map(Dashboard.short).join(', ')
      : '';
    this.total.textContent = listing.total > listing.objects.length
      ? `The largest ${listing.objects.length} of ${number(listing.total)} objects (each node reports its largest 1 000).`
      : `${number(listing.total)} object${listing.total === 1 ? '' : 's'}.`;
  },
});
