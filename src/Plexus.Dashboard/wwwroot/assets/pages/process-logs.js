'use strict';
// Each node's log files (one per worker, the node's and the control process's), as `plexus logs
// --node N --list`, and a chosen file's tail, followed from where the last poll ended.
Dashboard.register({
  id: 'process-logs',
  title: 'Process logs',
  mount(view, params) {
    const { el } = Dashboard;
    this.node = params.get('node') || '';
    this.file = params.get('file') || '';
    this.offset = null;
    this.picker = el('select', { id: 'node-log-node' });
    this.picker.addEventListener('change', () => Dashboard.go('process-logs', new URLSearchParams({ node: this.picker.value })));
    this.files = el('div');
    this.title = el('h2', {}, this.file || 'Choose a file');
    this.note = el('p', { class: 'note' });
    this.output = el('pre', { class: 'log', id: 'node-log-output' });
    view.append(el('h1', {}, 'Process logs'), el('div', { class: 'controls' }, 'Node', this.picker), this.files, this.title, this.note, this.output);
  },
  async update() {
    const { el, table, bytes, time } = Dashboard;
    const overview = await Dashboard.api('overview');
    const alive = overview.nodes.filter(n => n.state === 'ALIVE');
    if (!this.node && alive.length) this.node = alive[0].nodeId;
    this.picker.replaceChildren(...alive.map(n => el('option', { value: n.nodeId }, `${n.nodeId}  ${n.address}`)));
    this.picker.value = this.node;
    if (!this.node) {
      this.note.textContent = 'No node is alive.';
      return;
    }
    const node = encodeURIComponent(this.node);
    const listing = await Dashboard.api('node-logs?node=' + node);
    const open = f => el('a', { href: '#process-logs?' + new URLSearchParams({ node: this.node, file: f.name }).toString() }, f.name);
    this.files.replaceChildren(table('node-log-files', [
      { title: 'File', class: 'mono', cell: open },
      { title: 'Size', class: 'num', cell: f => bytes(f.size) },
      { title: 'Written', cell: f => time(f.modifiedUnixMs) },
    ], listing.files, f => f.name, 'The node has no log file.'));
    if (!this.file) {
      this.note.textContent = 'Choose a file to follow its end.';
      return;
    }
    // The first read is the file's tail (the endpoint's default); later ones go on from where it ended.
    const chunk = await Dashboard.api(`node-logs?node=${node}&file=${encodeURIComponent(this.file)}` + (this.offset === null ? '' : '&offset=' + this.offset));
    if (this.offset !== null && chunk.size < this.offset) {
      // Shorter than what was shown: the file was started again (rotated); read the new one from its start.
      this.output.append('\n[... the file started again ...]\n');
      this.offset = 0;
      return;
    }
    if (this.offset === null && chunk.offset > 0) {
      this.output.append(`[... the first ${chunk.offset} bytes are not shown ...]\n`);
    }
    if (chunk.text) {
      const atBottom = this.output.scrollTop + this.output.clientHeight >= this.output.scrollHeight - 4;
      this.output.append(chunk.text);
      if (atBottom) this.output.scrollTop = this.output.scrollHeight;
    }
    this.offset = chunk.nextOffset;
    this.note.textContent = `Following: ${bytes(chunk.size)} when read; new lines appear as the process writes them.`;
  },
});
