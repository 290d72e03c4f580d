(function () {
  'use strict';
  // Every string from a report is put into the page with textContent, never as HTML.
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  var traces = null;
  function traceData() {
    if (traces === null) {
      var el = document.getElementById('trace-data');
      try { traces = el ? JSON.parse(el.textContent || '{}') : {}; } catch (e) { traces = {}; }
    }
    return traces;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = printable(String(text)); }
    return e;
  }

  // control characters made visible, as the server-side rendering does
  function printable(s) {
    return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, function (c) {
      return String.fromCharCode(0x2400 + c.charCodeAt(0));
    }).replace(/\u007f/g, '\u2421');
  }

  // ---- statement table: filters ---------------------------------------------------------------
  var rows = $$('tr.st');
  var rowText = null;
  function textOf(i) {
    if (rowText === null) {
      rowText = rows.map(function (r) {
        var d = r.nextElementSibling;
        return ((r.textContent || '') + ' ' + (d && d.classList.contains('detail') ? d.textContent : '')).toLowerCase();
      });
    }
    return rowText[i];
  }
  function checked(name) {
    return $$('#filters input[name="' + name + '"]').filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
  }
  function activeTarget() {
    var sel = $('#target-tabs button[aria-selected="true"]');
    return sel ? sel.getAttribute('data-target') : null;
  }
  function applyFilters() {
    if (!$('#filters')) { return; }
    var verdicts = checked('verdict');
    var levels = checked('level');
    var q = ($('#q').value || '').trim().toLowerCase();
    var version = $('#version').value;
    var target = activeTarget();
    $$('.target-results').forEach(function (b) { b.hidden = target !== null && b.getAttribute('data-target') !== target; });
    $$('.version-block').forEach(function (b) { b.hidden = version !== '' && b.getAttribute('data-version') !== version; });
    var shown = 0, total = 0;
    rows.forEach(function (r, i) {
      var block = r.closest('.target-results');
      var inScope = !block.hidden && !r.closest('.version-block').hidden;
      var show = verdicts.indexOf(r.getAttribute('data-verdict')) >= 0 &&
        levels.indexOf(r.getAttribute('data-level')) >= 0 &&
        (q === '' || textOf(i).indexOf(q) >= 0);
      r.hidden = !show;
      var d = r.nextElementSibling;
      if (d && d.classList.contains('detail')) { d.hidden = !show || r.getAttribute('aria-expanded') !== 'true'; }
      if (inScope) { total++; if (show) { shown++; } }
    });
    $$('tbody.sec').forEach(function (tb) {
      tb.hidden = $$('tr.st', tb).every(function (r) { return r.hidden; });
    });
    var c = $('#shown-count');
    if (c) { c.textContent = shown + ' of ' + total + ' statements shown'; }
  }
  function toggleRow(r, open) {
    var d = r.nextElementSibling;
    if (!d || !d.classList.contains('detail')) { return; }
    var isOpen = open === undefined ? r.getAttribute('aria-expanded') !== 'true' : open;
    r.setAttribute('aria-expanded', isOpen ? 'true' : 'false');
    d.hidden = !isOpen || r.hidden;
  }

  if ($('#filters')) {
    $('#filters').addEventListener('change', applyFilters);
    $('#filters').addEventListener('submit', function (e) { e.preventDefault(); });
    var timer = null;
    $('#q').addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(applyFilters, 120); });
    $('#only-problems').addEventListener('click', function () {
      $$('#filters input[name="verdict"]').forEach(function (i) {
        i.checked = ['FAIL', 'ERROR', 'NON_STRICT'].indexOf(i.value) >= 0;
      });
      applyFilters();
    });
    $('#all-verdicts').addEventListener('click', function () {
      $$('#filters input[name="verdict"]').forEach(function (i) { i.checked = true; });
      applyFilters();
    });
    $('#expand-all').addEventListener('click', function () { rows.forEach(function (r) { if (!r.hidden) { toggleRow(r, true); } }); });
    $('#collapse-all').addEventListener('click', function () { rows.forEach(function (r) { toggleRow(r, false); }); });
  }
  $$('#target-tabs button').forEach(function (b) {
    b.addEventListener('click', function () {
      $$('#target-tabs button').forEach(function (x) { x.setAttribute('aria-selected', x === b ? 'true' : 'false'); });
      applyFilters();
    });
  });
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!(t instanceof Element)) { return; }
    var tb = t.closest('button.trace-btn');
    if (tb) { toggleTrace(tb); return; }
    if (t.closest('a, button, input, select, code.repro')) { return; }
    var r = t.closest('tr.st');
    if (r) { toggleRow(r); }
  });
  document.addEventListener('keydown', function (e) {
    var r = e.target instanceof Element ? e.target.closest('tr.st') : null;
    if (r && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); toggleRow(r); }
  });

  // ---- traces: rendered when first expanded ----------------------------------------------------
  function toggleTrace(btn) {
    var box = btn.nextElementSibling;
    if (!box || !box.classList.contains('trace')) { return; }
    if (!box.hasAttribute('data-rendered')) {
      renderTrace(btn.getAttribute('data-trace'), box);
      box.setAttribute('data-rendered', '1');
    }
    box.hidden = !box.hidden;
    btn.setAttribute('aria-expanded', box.hidden ? 'false' : 'true');
  }

  function fmtTime(us) {
    var ms = us / 1000;
    return '+' + ms.toFixed(3) + ' ms';
  }

  function hexDump(hex) {
    var shortened = false;
    if (hex.slice(-3) === '...') { hex = hex.slice(0, -3); shortened = true; }
    var lines = [];
    for (var off = 0; off * 2 < hex.length; off += 16) {
      var chunk = hex.slice(off * 2, off * 2 + 32);
      var bytes = [], ascii = '';
      for (var i = 0; i < chunk.length; i += 2) {
        var h = chunk.slice(i, i + 2);
        bytes.push(h);
        var n = parseInt(h, 16);
        ascii += (n >= 0x20 && n < 0x7f) ? String.fromCharCode(n) : '.';
      }
      var hx = bytes.join(' ');
      while (hx.length < 47) { hx += ' '; }
      var o = off.toString(16);
      while (o.length < 4) { o = '0' + o; }
      lines.push(o + '  ' + hx + '  ' + ascii);
    }
    if (shortened) { lines.push('… (shortened)'); }
    return lines.join('\n');
  }

  var DIR = { SENT: '\u2192 broker', RECEIVED: '\u2190 broker', CONNECTED: 'connected', MALFORMED: '\u2190 malformed',
    CLOSED_BY_PEER: 'closed by broker', CLOSED_BY_HARNESS: 'closed by harness', NOTE: 'note' };

  function renderTrace(id, box) {
    var t = traceData()[id];
    if (!t) { box.appendChild(el('p', 'muted', 'Trace ' + id + ' is not in this report.')); return; }
    var conns = [];
    t.events.forEach(function (e) { if (conns.indexOf(e[1]) < 0) { conns.push(e[1]); } });
    var head = el('div', 'trace-head');
    head.appendChild(el('span', null, (t.scenario || '') + ' \u00b7 ' + (t.target || '') + ' \u00b7 MQTT ' + (t.version || '') +
      ' \u00b7 ' + (t.start ? new Date(t.start).toISOString() : '') + ' \u00b7 ' + t.events.length + ' events' +
      (t.dropped ? ' (' + t.dropped + ' dropped)' : '')));
    var filter = el('select', 'conn-filter');
    filter.appendChild(new Option('all connections', ''));
    conns.forEach(function (c) { filter.appendChild(new Option(printable(String(c)), String(c))); });
    head.appendChild(filter);
    var hexToggle = el('label', 'chip');
    var hexBox = document.createElement('input');
    hexBox.type = 'checkbox';
    hexBox.checked = true;
    hexToggle.appendChild(hexBox);
    hexToggle.appendChild(document.createTextNode(' hex'));
    head.appendChild(hexToggle);
    box.appendChild(head);

    var table = el('table', 'trace-table');
    var thead = el('thead');
    var hr = el('tr');
    ['time', 'connection', '', 'packet / event', 'bytes'].forEach(function (h) { hr.appendChild(el('th', null, h)); });
    thead.appendChild(hr);
    table.appendChild(thead);
    var tbody = el('tbody');
    t.events.forEach(function (e) {
      var tr = el('tr', 'ev ' + String(e[2]).replace(/[^A-Z_]/g, ''));
      tr.setAttribute('data-conn', String(e[1]));
      tr.appendChild(el('td', 't', fmtTime(e[0])));
      var ctd = el('td');
      ctd.appendChild(el('span', 'conn c' + (conns.indexOf(e[1]) % 6), e[1]));
      tr.appendChild(ctd);
      tr.appendChild(el('td', 'dir', DIR[e[2]] || e[2]));
      tr.appendChild(el('td', 'txt', e[5]));
      tr.appendChild(el('td', 'num', e[4] ? e[4] : ''));
      tbody.appendChild(tr);
      if (e[3]) {
        var hx = el('tr', 'hexrow');
        hx.setAttribute('data-conn', String(e[1]));
        hx.appendChild(el('td'));
        var td = el('td');
        td.colSpan = 4;
        td.appendChild(el('pre', 'hex', hexDump(String(e[3]))));
        hx.appendChild(td);
        tbody.appendChild(hx);
      }
    });
    table.appendChild(tbody);
    box.appendChild(table);
    function refilter() {
      var c = filter.value;
      $$('tr', tbody).forEach(function (r) {
        var mine = c === '' || r.getAttribute('data-conn') === c;
        r.hidden = !mine || (r.classList.contains('hexrow') && !hexBox.checked);
      });
    }
    filter.addEventListener('change', refilter);
    hexBox.addEventListener('change', refilter);
  }

  // ---- matrix ----------------------------------------------------------------------------------
  var mrows = $$('tr.mrow');
  function applyMatrix() {
    var q = ($('#mq') ? $('#mq').value : '').trim().toLowerCase();
    var diff = $('#mdiff') && $('#mdiff').checked;
    var tested = $('#mtested') && $('#mtested').checked;
    var n = 0;
    mrows.forEach(function (r) {
      var show = (!diff || r.getAttribute('data-differs') === 'true') &&
        (!tested || r.getAttribute('data-tested') !== '') &&
        (q === '' || (r.textContent || '').toLowerCase().indexOf(q) >= 0);
      r.hidden = !show;
      if (show) { n++; }
    });
    var c = $('#matrix-count');
    if (c) { c.textContent = n + ' of ' + mrows.length + ' rows shown'; }
  }
  if (mrows.length) {
    ['#mq', '#mdiff', '#mtested'].forEach(function (s) {
      if ($(s)) { $(s).addEventListener('input', applyMatrix); $(s).addEventListener('change', applyMatrix); }
    });
    applyMatrix();
  }

  applyFilters();
  // a link to a row (#t0-r12) opens it
  if (location.hash && /^#t\d+-r\d+$/.test(location.hash)) {
    var target = document.getElementById(location.hash.slice(1));
    if (target) { toggleRow(target, true); }
  }
}());
