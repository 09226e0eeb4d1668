'use strict';
// Each node's object store, as its heartbeats report it.
Dashboard.register({
  id: 'objects',
  title: 'Objects',
  mount(view) {
    const { el } = Dashboard;
    this.list = el('div');
    view.append(el('h1', {}, 'Object stores'), this.list);
  },
  async update() {
    const { table, badge, bytes, usage } = Dashboard;
    const data = await Dashboard.api('objects');
    this.list.replaceChildren(table('stores', [
      { title: 'Node', class: 'mono', cell: n => n.nodeId },
      { title: 'Address', cell: n => n.address },
      { title: 'State', cell: n => badge(n.state) },
      { title: 'Used', cell: n => usage(n.usedBytes, n.capacityBytes, bytes) },
    ], data.nodes, n => n.nodeId, 'No node has joined.'));
  },
});
