'use strict';
// The task table, filtered by state and job and paged by the head (as `plexus list tasks`).
Dashboard.register({
  id: 'tasks',
  title: 'Tasks',
  STATES: ['Submitted', 'PendingWorker', 'PendingResources', 'Infeasible', 'Dispatched', 'Running', 'Finished', 'Failed'],
  PAGE: 50,
  mount(view, params) {
    const { el } = Dashboard;
    // The tokens of the pages before the one shown ('' for the first), for Previous.
    this.tokens = [''];
    this.params = params;
    this.state = el('select', { id: 'task-state' }, el('option', { value: '' }, 'any state'), this.STATES.map(s => el('option', { value: s }, s)));
    this.state.value = params.get('state') || '';
    this.job = el('input', { id: 'task-job', placeholder: 'job id (hex)', size: 18, value: params.get('job') || '' });
    const apply = () => {
      const next = new URLSearchParams();
      if (this.state.value) next.set('state', this.state.value);
      if (this.job.value.trim()) next.set('job', this.job.value.trim());
      Dashboard.go('tasks', next);
    };
    this.state.addEventListener('change', apply);
    this.job.addEventListener('change', apply);
    this.previous = el('button', { id: 'tasks-previous' }, '← Previous');
    this.next = el('button', { id: 'tasks-next' }, 'Next →');
    this.previous.addEventListener('click', () => { this.tokens.pop(); this.update(); });
    this.next.addEventListener('click', () => { this.tokens.push(this.nextToken); this.update(); });
    this.summary = el('span', { class: 'note', id: 'tasks-total' });
    this.list = el('div');
    view.append(el('h1', {}, 'Tasks'), el('div', { class: 'controls' }, 'State', this.state, 'Job', this.job, this.previous, this.next, this.summary), this.list);
  },
  async update() {
    const { table, badge, time, duration, short } = Dashboard;
    const query = new URLSearchParams({ limit: this.PAGE });
    if (this.params.get('state')) query.set('state', this.params.get('state'));
    if (this.params.get('job')) query.set('job', this.params.get('job'));
    const token = this.tokens[this.tokens.length - 1];
    if (token) query.set('pageToken', token);
    const page = await Dashboard.api('tasks?' + query);
    this.nextToken = page.nextPageToken;
    this.previous.disabled = this.tokens.length === 1;
    this.next.disabled = !page.nextPageToken;
    const first = (this.tokens.length - 1) * this.PAGE;
    this.summary.textContent = page.total === 0 ? 'no tasks' : `${first + 1}–${first + page.tasks.length} of ${Dashboard.number(page.total)}`;
    const ran = t => t.startedAt ? duration((t.endedAt ? Date.parse(t.endedAt) : Date.now()) - Date.parse(t.startedAt)) : '';
    this.list.replaceChildren(table('tasks', [
      { title: 'Task', class: 'mono', cell: t => short(t.taskId) },
      { title: 'Name', cell: t => t.name },
      { title: 'State', cell: t => badge(t.state) },
      { title: 'Why', cell: t => [t.errorType, t.reason].filter(Boolean).join(': ') },
      { title: 'Attempt', class: 'num', cell: t => t.attempt },
      { title: 'Node', class: 'mono', cell: t => short(t.nodeId) },
      { title: 'Worker', class: 'num', cell: t => t.workerPid || '' },
      { title: 'Submitted', cell: t => time(t.submittedAt) },
      { title: 'Ran', class: 'num', cell: ran },
      { title: 'Job', class: 'mono', cell: t => short(t.jobId) },
    ], page.tasks, t => t.taskId, 'No task matches.'));
  },
});
