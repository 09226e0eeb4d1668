'use strict';
// A submitted job's output (as `plexus logs --follow`): read from where the last poll ended.
Dashboard.register({
  id: 'logs',
  title: 'Logs',
  mount(view, params) {
    const { el } = Dashboard;
    this.submission = params.get('submission') || '';
    this.offset = 0;
    this.picker = el('select', { id: 'log-submission' }, el('option', { value: '' }, 'choose a submitted job'));
    this.picker.addEventListener('change', () => Dashboard.go('logs', new URLSearchParams(this.picker.value ? { submission: this.picker.value } : {})));
    this.state = el('span', { id: 'log-state' });
    this.output = el('pre', { class: 'log', id: 'log-output' });
    this.note = el('p', { class: 'note' });
    view.append(el('h1', {}, 'Job output'), el('div', { class: 'controls' }, 'Job', this.picker, this.state), this.note, this.output);
  },
  async update() {
    const { el, badge } = Dashboard;
    const jobs = await Dashboard.api('jobs');
    const known = new Set([...this.picker.options].map(o => o.value));
    for (const s of jobs.submissions.filter(s => !known.has(s.submissionId))) {
      this.picker.append(el('option', { value: s.submissionId }, `${s.submissionId}  ${s.entrypoint}`));
    }
    this.picker.value = this.submission;
    if (!this.submission) {
      this.note.textContent = jobs.submissions.length ? 'Choose a job to follow its output.' : 'No job was submitted (plexus submit): drivers started by hand print to their own terminal.';
      return;
    }
    const chunk = await Dashboard.api(`logs?submission=${encodeURIComponent(this.submission)}&offset=${this.offset}`);
    if (chunk.offset > this.offset) {
      this.output.append(`[... ${chunk.offset - this.offset} bytes no longer kept ...]\n`);
    }
    if (chunk.text) {
      const atBottom = this.output.scrollTop + this.output.clientHeight >= this.output.scrollHeight - 4;
      this.output.append(chunk.text);
      if (atBottom) this.output.scrollTop = this.output.scrollHeight;
    }
    this.offset = chunk.nextOffset;
    this.state.replaceChildren(badge(chunk.state));
    this.note.textContent = chunk.ended ? 'The job has ended: this is all its output.' : 'Following: new output appears as the job prints it.';
  },
});
