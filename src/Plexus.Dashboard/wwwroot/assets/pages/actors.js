'use strict';
// The actor table: named and restartable actors, live ones first (as `plexus list actors`).
Dashboard.register({
  id: 'actors',
  title: 'Actors',
  mount(view) {
    const { el } = Dashboard;
    this.list = el('div');
    view.append(el('h1', {}, 'Actors'), el('p', { class: 'note' }, 'Named and restartable actors: the head hears of no others.'), this.list);
  },
  async update() {
    const { table, badge, short, number } = Dashboard;
    const data = await Dashboard.api('actors');
    this.list.replaceChildren(table('actors', [
      { title: 'Actor', class: 'mono', cell: a => short(a.actorId) },
      { title: 'Name', cell: a => a.name || '' },
      { title: 'Namespace', cell: a => a.namespace },
      { title: 'Class', class: 'mono', cell: a => a.className },
      { title: 'State', cell: a => badge(a.state) },
      { title: 'Node', class: 'mono', cell: a => short(a.nodeId) },
      { title: 'Restarts', class: 'num', cell: a => number(a.restarts) },
      { title: 'Why it ended', cell: a => a.deathReason || '' },
      { title: 'Job', class: 'mono', cell: a => short(a.jobId) },
    ], data.actors, a => a.actorId, 'No named or restartable actor.'));
  },
});
