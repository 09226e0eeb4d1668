'use strict';
// The cluster at a glance: counts, and each node with what its latest heartbeat says is in use.
Dashboard.register({
  id: 'overview',
  title: 'Overview',
  mount(view) {
    const { el } = Dashboard;
    this.cards = el('div', { class: 'cards' });
    this.nodes = el('div');
    view.append(el('h1', {}, 'Cluster'), this.cards, el('h2', {}, 'Nodes'), this.nodes);
  },
  async update() {
    const { el, table, badge, number, bytes, usage, duration } = Dashboard;
    const data = await Dashboard.api('overview');
    const card = (id, value, label) => el('div', { class: 'card' }, el('div', { class: 'value', id }, number(value)), el('div', { class: 'label' }, label));
    const tasks = data.tasks;
    this.cards.replaceChildren(
      card('node-count', data.aliveNodes, 'nodes alive'),
      card('dead-node-count', data.deadNodes, 'nodes dead'),
      card('running-job-count', data.runningJobs, 'jobs running'),
      card('finished-job-count', data.finishedJobs, 'jobs finished'),
      card('running-task-count', (tasks.Running || 0) + (tasks.Dispatched || 0), 'tasks running'),
      card('finished-task-count', tasks.Finished || 0, 'tasks finished'),
      card('failed-task-count', tasks.Failed || 0, 'tasks failed'));
    const resource = (node, name) => node.resources.find(r => r.name === name);
    const use = (node, name, format) => {
      const r = resource(node, name);
      return r ? usage(r.used, r.total, format) : '';
    };
    this.nodes.replaceChildren(table('nodes', [
      { title: 'Node', class: 'mono', cell: n => n.nodeId },
      { title: 'Address', cell: n => n.address },
      { title: 'State', cell: n => badge(n.state) },
      { title: 'CPUs', cell: n => use(n, 'CPU', number) },
      { title: 'Object store', cell: n => use(n, 'object_store_memory', bytes) },
      { title: 'Other resources', cell: n => n.resources.filter(r => r.name !== 'CPU' && r.name !== 'object_store_memory').map(r => `${r.name}: ${number(r.used)} / ${number(r.total)}`).join(', ') },
      { title: 'Heartbeat', class: 'num', cell: n => n.state === 'ALIVE' ? duration(n.heartbeatAgeMs) + ' ago' : (n.deathReason || '') },
      { title: 'Work no node can run', cell: n => n.infeasible.join('; ') },
    ], data.nodes, n => n.nodeId, 'No node has joined.'));
  },
});
