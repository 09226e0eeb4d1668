'use strict';
// A job's task spans per node and worker slot (as `plexus timeline` lays them out), and its Chrome trace for Perfetto.
Dashboard.register({
  id: 'timeline',
  title: 'Timeline',
  ROW: 22,
  LABEL: 150,
  WIDTH: 1200,
  mount(view, params) {
    const { el } = Dashboard;
    this.job = params.get('job') || '';
    this.picker = el('select', { id: 'timeline-job' }, el('option', { value: '' }, 'choose a job'));
    this.picker.addEventListener('change', () => Dashboard.go('timeline', new URLSearchParams(this.picker.value ? { job: this.picker.value } : {})));
    this.download = el('a', { class: 'button', id: 'trace-download', download: '' }, 'Download Chrome trace');
    this.chart = el('div');
    this.note = el('p', { class: 'note' });
    view.append(el('h1', {}, 'Timeline'), el('div', { class: 'controls' }, 'Job', this.picker, this.download), this.note, this.chart);
  },
  async update() {
    const { el } = Dashboard;
    const jobs = await Dashboard.api('jobs');
    const known = new Set([...this.picker.options].map(o => o.value));
    for (const j of jobs.jobs.filter(j => !known.has(j.jobId))) {
      this.picker.append(el('option', { value: j.jobId }, `${j.jobId}  ${j.entry} (${j.state})`));
    }
    this.picker.value = this.job;
    this.download.hidden = !this.job;
    if (!this.job) {
      this.note.textContent = 'Choose a job to see where and when its tasks ran.';
      return;
    }
    this.download.href = '/api/timeline/trace?job=' + encodeURIComponent(this.job);
    const data = await Dashboard.api('timeline?job=' + encodeURIComponent(this.job));
    this.note.textContent = `${data.spans.length} task spans on ${data.nodes.length} nodes. Hover a span for its task; the trace opens in Perfetto.`;
    this.chart.replaceChildren(this.draw(data));
  },
  // One row per (node, slot), rows grouped by node; x is time from the first start.
  draw(data) {
    const NS = 'http://www.w3.org/2000/svg';
    const svg = (tag, attributes, ...children) => {
      const node = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
      node.append(...children);
      return node;
    };
    const rows = [];
    data.nodes.forEach((node, n) => {
      const slots = Math.max(0, ...data.spans.filter(s => s.node === n).map(s => s.slot + 1));
      for (let slot = 0; slot < slots; slot++) rows.push({ node: n, slot, label: slot === 0 ? 'node ' + node.slice(0, 8) : '' });
    });
    const start = Math.min(...data.spans.map(s => s.startMicros));
    const end = Math.max(...data.spans.map(s => s.endMicros));
    const span = Math.max(1, end - start);
    const plot = this.WIDTH - this.LABEL - 10;
    const x = t => this.LABEL + plot * (t - start) / span;
    const height = (rows.length + 1) * this.ROW + 10;
    const chart = svg('svg', { class: 'timeline', id: 'timeline', viewBox: `0 0 ${this.WIDTH} ${height}`, height });
    rows.forEach((row, i) => {
      const y = i * this.ROW + 4;
      chart.append(svg('text', { x: 4, y: y + 14 }, row.label || ''), svg('text', { x: this.LABEL - 50, y: y + 14 }, 'slot ' + (row.slot + 1)));
      chart.append(svg('line', { x1: this.LABEL, x2: this.WIDTH - 10, y1: y + this.ROW - 2, y2: y + this.ROW - 2 }));
    });
    for (const s of data.spans) {
      const i = rows.findIndex(r => r.node === s.node && r.slot === s.slot);
      const rect = svg('rect', {
        class: `span ${s.state}${s.actorCall ? ' actor' : ''}`, 'data-name': s.name,
        x: x(s.startMicros), y: i * this.ROW + 6, width: Math.max(1.5, x(s.endMicros) - x(s.startMicros)), height: this.ROW - 8, rx: 2,
      }, svg('title', {}, `${s.name} (${s.state}) ${Dashboard.duration((s.endMicros - s.startMicros) / 1000)}`));
      chart.append(rect);
    }
    chart.append(svg('text', { x: this.LABEL, y: height - 4 }, '0'), svg('text', { x: this.WIDTH - 80, y: height - 4 }, Dashboard.duration(span / 1000)));
    return data.spans.length ? chart : Dashboard.el('p', { class: 'empty' }, 'No task of this job has started yet.');
  },
});
