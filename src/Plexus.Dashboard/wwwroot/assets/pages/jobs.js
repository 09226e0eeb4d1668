'use strict';
// Jobs submitted with `plexus submit`, and every job a driver registered.
Dashboard.register({
  id: 'jobs',
  title: 'Jobs',
  mount(view) {
    const { el } = Dashboard;
    this.submissions = el('div');
    this.jobs = el('div');
    view.append(el('h1', {}, 'Jobs'), el('h2', {}, 'Submitted'), this.submissions, el('h2', {}, 'Registered by drivers'), this.jobs);
  },
  async update() {
    const { el, table, badge, time, duration, bytes } = Dashboard;
    const data = await Dashboard.api('jobs');
    const now = Date.now();
    const logLink = s => el('a', { href: '#logs?submission=' + encodeURIComponent(s.submissionId) }, s.submissionId);
    this.submissions.replaceChildren(table('submissions', [
      { title: 'Job', class: 'mono', cell: logLink },
      { title: 'State', cell: s => badge(s.state) },
      { title: 'Entrypoint', class: 'mono', cell: s => s.entrypoint },
      { title: 'Submitter', cell: s => s.submitter },
      { title: 'Submitted', cell: s => time(s.submittedUnixMs) },
      { title: 'Duration', class: 'num', cell: s => s.startedUnixMs ? duration((s.endedUnixMs || now) - s.startedUnixMs) : '' },
      { title: 'Exit', class: 'num', cell: s => s.exitCode ?? '' },
      { title: 'Output', class: 'num', cell: s => bytes(s.outputBytes) },
      { title: 'Why', cell: s => s.message || '' },
    ], data.submissions, s => s.submissionId, 'No job was submitted (plexus submit).'));
    const jobLinks = j => el('span', {},
      el('a', { href: '#tasks?job=' + j.jobId }, 'tasks'), ' · ', el('a', { href: '#timeline?job=' + j.jobId }, 'timeline'));
    this.jobs.replaceChildren(table('jobs', [
      { title: 'Job id', class: 'mono', cell: j => j.jobId },
      { title: 'State', cell: j => badge(j.state) },
      { title: 'Entry', class: 'mono', cell: j => j.entry },
      { title: 'Namespace', cell: j => j.namespace },
      { title: 'Started', cell: j => time(j.startTime) },
      { title: 'Duration', class: 'num', cell: j => duration((j.endTime ? Date.parse(j.endTime) : now) - Date.parse(j.startTime)) },
      { title: '', cell: jobLinks },
    ], data.jobs, j => j.jobId, 'No driver has joined.'));
  },
});
