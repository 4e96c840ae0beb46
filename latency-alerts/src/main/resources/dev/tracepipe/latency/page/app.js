// tracepipe's page: reads the stage's JSON APIs and fills four tables. No framework, no build step.
'use strict';

function ms(nanos) {
  if (nanos === null || nanos === undefined) return '';
  if (nanos >= 1e9) return (nanos / 1e9).toFixed(2) + ' s';
  if (nanos >= 1e7) return (nanos / 1e6).toFixed(0) + ' ms';
  return (nanos / 1e6).toFixed(1) + ' ms';
}

function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function fill(tableId, rows, render, emptyText) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell(emptyText, 'empty');
    td.colSpan = 8;
    tr.append(td);
    body.append(tr);
    return;
  }
  rows.forEach(row => body.append(render(row)));
}

async function json(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(url + ' answered ' + response.status + ': ' + await response.text());
  return response.json();
}

function sparkline(values) {
  const w = 80, h = 18;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('width', w);
  svg.setAttribute('height', h);
  svg.setAttribute('class', 'spark');
  if (values.length > 1) {
    const max = Math.max(...values) || 1;
    const points = values.map((v, i) => (i * w / (values.length - 1)).toFixed(1) + ',' + (h - 1 - v / max * (h - 2)).toFixed(1));
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    line.setAttribute('points', points.join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', '#36c');
    svg.append(line);
  }
  return svg;
}

async function loadFiring() {
  const body = await json('/api/alerts/firing');
  compareFirst(body.firing);
  fill('firing', body.firing, a => {
    const tr = document.createElement('tr');
    tr.className = 'bad';
    tr.append(cell(a.rule + (a.measure === 'ERROR_RATE' ? ' (errors)' : '')),
      cell(a.service + ' ' + a.operation), cell(a.value), cell(a.peerValues.join(', ')),
      cell(ms(a.subject.selfP50Nanos) + ' / ' + ms(a.subject.selfP99Nanos)),
      cell(ms(a.peers.selfP50Nanos) + ' / ' + ms(a.peers.selfP99Nanos)),
      cell(a.ratio.toFixed(1) + '×', 'num'), cell(Math.round(a.heldForMillis / 1000) + ' s', 'num'));
    tr.title = a.description;
    return tr;
  }, 'nothing firing');
}

// Zipkin Lens is linked only when this server serves it (the trace store runs in the same process).
const lens = fetch('/zipkin/config.json').then(r => r.ok).catch(() => false);

function list(items, render) {
  const td = document.createElement('td');
  const ol = document.createElement('ol');
  items.forEach(item => {
    const li = document.createElement('li');
    li.textContent = render(item);
    ol.append(li);
  });
  td.append(ol);
  return td;
}

function calls(n) {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

// A deep trace's path has dozens of segments: the three that took longest tell where the time went.
function heaviest(path) {
  const top = [...path].sort((x, y) => y.selfTimeNanos - x.selfTimeNanos).slice(0, 3);
  return path.length > top.length ? top.concat([{ more: path.length - top.length }]) : top;
}

async function traceCell(traceId) {
  const td = document.createElement('td');
  td.className = 'trace';
  if (await lens) {
    const a = document.createElement('a');
    a.href = '/zipkin/traces/' + encodeURIComponent(traceId);
    a.textContent = traceId;
    td.append(a);
  } else {
    td.textContent = traceId;
  }
  return td;
}

async function recentRow(a) {
  const tr = document.createElement('tr');
  tr.title = a.description;
  const when = cell(new Date(a.writtenMillis).toLocaleTimeString());
  const rule = cell(a.rule + (a.status === 'RESOLVED' ? ' (resolved)' : ''), a.status === 'RESOLVED' ? 'resolved' : '');
  const what = cell(a.service + ' ' + a.operation);
  if (a.traceId === undefined) {
    // A host or release condition: what was judged and against what, instead of one trace.
    tr.append(when, rule, what, cell(a.dimension + ' ' + a.value), cell(a.ratio.toFixed(1) + '×', 'num'),
      cell(a.description), cell(''), cell(''));
    return tr;
  }
  tr.append(when, rule, what, await traceCell(a.traceId), cell(ms(a.durationNanos), 'num'),
    list(heaviest(a.criticalPath), s => s.more ? '… ' + s.more + ' more' : s.service + ' ' + s.operation + ' '
      + ms(s.selfTimeNanos)),
    list(a.blame, b => b.service + ' ' + b.operation + ' ' + ms(b.durationNanos)
      + (b.baselineP99Nanos === null ? '' : ' (p99 ' + ms(b.baselineP99Nanos) + ')')),
    list(a.structuralDiff, d => d.service + ' ' + d.operation + ': ' + calls(d.actualCalls) + ' calls, usually '
      + calls(d.expectedCalls)));
  return tr;
}

async function loadRecent() {
  const body = await json('/api/alerts/recent?limit=30');
  const rows = await Promise.all(body.alerts.map(recentRow));
  fill('recent', rows, row => row, 'no alerts yet');
}

async function loadSlowest() {
  const body = await json('/api/latency/operations?limit=10');
  fill('slowest', body.operations, op => {
    const tr = document.createElement('tr');
    const spark = cell('');
    tr.append(cell(op.service + ' ' + op.operation), cell(op.count, 'num'), cell(op.errorCount, 'num'),
      cell(ms(op.p50Nanos), 'num'), cell(ms(op.p90Nanos), 'num'), cell(ms(op.p99Nanos), 'num'),
      cell(ms(op.p999Nanos), 'num'), spark);
    const query = new URLSearchParams({ service: op.service, operation: op.operation, kind: op.kind, lookback: '15m' });
    json('/api/latency?' + query).then(series => spark.append(sparkline(series.points.map(p => p.p99Nanos))))
      .catch(() => spark.textContent = '');
    return tr;
  }, 'no operations measured yet');
}

async function loadCompare(event) {
  if (event) event.preventDefault();
  const service = document.getElementById('compare-service').value.trim();
  if (!service) return;
  const query = new URLSearchParams({ service, by: document.getElementById('compare-by').value });
  const operation = document.getElementById('compare-operation').value.trim();
  if (operation) query.set('operation', operation);
  const body = await json('/api/latency/compare?' + query);
  fill('compare', body.values, v => {
    const tr = document.createElement('tr');
    if (v.ratioToPeers !== null && v.ratioToPeers >= 3) tr.className = 'bad';
    tr.append(cell(v.value), cell(v.count, 'num'), cell(v.errorCount, 'num'), cell(ms(v.p50Nanos), 'num'),
      cell(ms(v.p99Nanos), 'num'), cell(v.ratioToPeers === null ? '' : v.ratioToPeers.toFixed(1) + '×', 'num'));
    return tr;
  }, 'no spans with ' + query.get('by') + ' for ' + service);
}

// With nothing chosen yet, the compare view shows what the longest-held alert is about: its operation, by its dimension.
function compareFirst(firing) {
  const service = document.getElementById('compare-service');
  if (service.value || firing.length === 0) return;
  service.value = firing[0].service;
  document.getElementById('compare-operation').value = firing[0].operation;
  document.getElementById('compare-by').value = firing[0].dimension;
}

async function refresh() {
  // The comparison is refreshed with the rest: a host that just turned slow climbs as its spans come in.
  const results = await Promise.allSettled([loadFiring().then(() => loadCompare()), loadRecent(), loadSlowest()]);
  const failed = results.filter(r => r.status === 'rejected').map(r => r.reason.message);
  document.getElementById('updated').textContent = failed.length
    ? 'could not load: ' + failed.join('; ') : 'updated ' + new Date().toLocaleTimeString();
}

document.getElementById('compare-form').addEventListener('submit', e => loadCompare(e).catch(err =>
  document.getElementById('updated').textContent = err.message));
const preset = new URLSearchParams(location.search);
if (preset.get('service')) {
  document.getElementById('compare-service').value = preset.get('service');
  if (preset.get('by')) document.getElementById('compare-by').value = preset.get('by');
  loadCompare().catch(err => document.getElementById('updated').textContent = err.message);
}
refresh();
setInterval(refresh, 5000);
