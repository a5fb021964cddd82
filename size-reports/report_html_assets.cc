#include "size-reports/report_html_assets.h"

namespace ws::size {

const char kReportCss[] = R"css(
:root { --fg: #1d2330; --muted: #5f6675; --line: #e3e6ee; --bad: #b3261e; --bad-bg: #fdecea; --ok: #1e7b34; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0; padding: 24px 32px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.meta, ul.facts { color: var(--muted); margin: 4px 0; }
ul.facts { padding-left: 18px; }
.verdict { display: inline-block; padding: 4px 10px; border-radius: 4px; font-weight: 600; margin: 8px 0; }
.verdict.ok { background: #e6f4ea; color: var(--ok); }
.verdict.fail { background: var(--bad-bg); color: var(--bad); }
table { border-collapse: collapse; margin: 6px 0 14px; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.name { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; word-break: break-all; max-width: 760px; }
tr.fail td { color: var(--bad); background: var(--bad-bg); font-weight: 600; }
tr.frame td:first-child { color: var(--bad); font-weight: 600; }
details summary { cursor: pointer; color: var(--muted); margin: 6px 0; }
#ws-treemap-controls { display: flex; gap: 12px; align-items: center; margin: 8px 0; }
#ws-crumb a { cursor: pointer; color: #1a56c4; text-decoration: underline; }
#ws-treemap { position: relative; width: 100%; height: 560px; background: #f3f4f7; border: 1px solid var(--line); overflow: hidden; }
.ws-cell { position: absolute; overflow: hidden; border: 1px solid rgba(255,255,255,0.85); color: #fff;
           font: 11px/1.2 ui-monospace, "DejaVu Sans Mono", monospace; padding: 2px 3px; cursor: pointer; }
.ws-cell.ws-component { border: 2px solid #fff; font: 600 12px/1.2 system-ui, sans-serif; padding: 2px 4px; }
.ws-cell.ws-group { filter: brightness(0.9); font-weight: 600; }
.ws-cell:hover { filter: brightness(1.12); }
.ws-cell span { display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; pointer-events: none; }
.legend span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; vertical-align: middle; }
)css";

const char kReportScript[] = R"js(
(function () {
  'use strict';
  var COLORS = { 'runtime': '#3367d6', 'app': '#2e9e5b', 'libc++': '#e8710a', 'libc': '#8e44ad',
                 'compiler-rt': '#7f8c8d', 'data': '#00897b', 'module': '#546e7a' };
  var FALLBACK = ['#c0392b', '#d4a017', '#5d6d7e', '#16a085'];
  var block = document.getElementById('ws-treemap-data');
  var box = document.getElementById('ws-treemap');
  if (!block || !box) return;
  var data = JSON.parse(block.textContent);
  var select = document.getElementById('ws-variant');
  var crumb = document.getElementById('ws-crumb');
  var state = { variant: 0, path: [] };  // path: the names from a component down to the zoomed group

  function color(name, i) { return COLORS[name] || FALLBACK[i % FALLBACK.length]; }
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function pct(part, whole) { return whole > 0 ? (part * 100 / whole).toFixed(1) + '%' : '0%'; }

  // Squarified treemap (Bruls, Huizing, van Wijk): items sorted by size
  // descending; rows laid along the shorter side while the worst aspect
  // ratio improves. Returns [{item, x, y, w, h}].
  function squarify(items, x, y, w, h) {
    var out = [];
    var total = 0;
    items = items.filter(function (it) { return it.bytes > 0; });
    items.sort(function (a, b) { return b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); });
    items.forEach(function (it) { total += it.bytes; });
    if (total <= 0 || w <= 0 || h <= 0) return out;
    var scale = (w * h) / total;
    var i = 0;
    while (i < items.length) {
      var side = Math.min(w, h);
      var sum = 0, min = Infinity, max = 0, j = i, best = Infinity;
      while (j < items.length) {
        var a = items[j].bytes * scale;
        var s2 = sum + a, mn = Math.min(min, a), mx = Math.max(max, a);
        var worst = Math.max(side * side * mx / (s2 * s2), (s2 * s2) / (side * side * mn));
        if (j > i && worst > best) break;
        sum = s2; min = mn; max = mx; best = worst; j++;
      }
      var thick = sum / side, pos = 0;
      for (var k = i; k < j; k++) {
        var len = items[k].bytes * scale / thick;
        if (w >= h) out.push({ item: items[k], x: x, y: y + pos, w: thick, h: len });
        else out.push({ item: items[k], x: x + pos, y: y, w: len, h: thick });
        pos += len;
      }
      if (w >= h) { x += thick; w -= thick; } else { y += thick; h -= thick; }
      i = j;
    }
    return out;
  }

  function cell(r, cls, bg, title, label, attrs) {
    var el = document.createElement('div');
    el.className = 'ws-cell ' + cls;
    el.style.left = r.x.toFixed(1) + 'px';
    el.style.top = r.y.toFixed(1) + 'px';
    el.style.width = Math.max(r.w, 1).toFixed(1) + 'px';
    el.style.height = Math.max(r.h, 1).toFixed(1) + 'px';
    el.style.background = bg;
    el.title = title;
    for (var key in attrs) el.setAttribute(key, attrs[key]);
    if (r.w > 46 && r.h > 15) {
      var span = document.createElement('span');
      span.textContent = label;
      el.appendChild(span);
    }
    box.appendChild(el);
    return el;
  }

  function isGroup(it) { return !!(it.items && it.items.length); }

  function attrsOf(component, it) {
    var attrs = { 'data-component': component, 'data-bytes': String(it.bytes) };
    if (it.kind !== 'component') attrs['data-' + (it.kind || 'function')] = it.name;
    return attrs;
  }

  function zoom(path) {
    return function (event) { event.stopPropagation(); state.path = path; draw(); };
  }

  // Draws `nodes` into r, and inside each group its items while they fit:
  // components hold files or systems, which hold composables and functions.
  // A click zooms into the group clicked (or a leaf's group).
  function drawNodes(nodes, r, parent, component, index, fileBytes) {
    squarify(nodes.slice(), r.x, r.y, r.w, r.h).forEach(function (c) {
      if (c.w < 1 || c.h < 1) return;
      var it = c.item, top = parent.length === 0;
      var comp = top ? it.name : component;
      var ci = top ? currentVariant().components.indexOf(it) : index;
      var path = parent.concat([it.name]);
      var cls = top ? 'ws-component' : isGroup(it) ? 'ws-group' : 'ws-item';
      var el = cell(c, cls, color(comp, ci), it.name + '\n' + fmt(it.bytes) + ' bytes (' + pct(it.bytes, fileBytes) +
                    ' of the module)', it.name + (top ? ' ' + pct(it.bytes, fileBytes) : ''), attrsOf(comp, it));
      el.addEventListener('click', zoom(isGroup(it) ? path : parent));
      if (!isGroup(it)) return;
      var head = c.h > 40 ? 18 : 3;
      var inner = { x: c.x + 3, y: c.y + head, w: c.w - 6, h: c.h - head - 3 };
      if (inner.w > 8 && inner.h > 8) drawNodes(it.items, inner, path, comp, ci, fileBytes);
    });
  }

  function currentVariant() { return data.variants[state.variant]; }

  // The groups along state.path, dropping the part of it that no longer exists.
  function trail(v) {
    var nodes = v.components, out = [];
    for (var d = 0; d < state.path.length; d++) {
      var next = null;
      nodes.forEach(function (n) { if (n.name === state.path[d] && isGroup(n)) next = n; });
      if (!next) { state.path = state.path.slice(0, d); break; }
      out.push(next);
      nodes = next.items;
    }
    return out;
  }

  function link(text, path) {
    var a = document.createElement('a');
    a.textContent = text;
    a.addEventListener('click', zoom(path));
    crumb.appendChild(a);
  }

  function draw() {
    while (box.firstChild) box.removeChild(box.firstChild);
    var v = currentVariant();
    if (!v) return;
    var W = box.clientWidth || 960, H = box.clientHeight || 560;
    var groups = trail(v);
    crumb.textContent = '';
    if (groups.length === 0) {
      crumb.appendChild(document.createTextNode('All components of ' + v.name + ' (' + fmt(v.file_bytes) +
                                                ' bytes) - click to zoom in'));
      drawNodes(v.components, { x: 0, y: 0, w: W, h: H }, [], null, 0, v.file_bytes);
      return;
    }
    link('All components', []);
    for (var d = 0; d + 1 < groups.length; d++) {
      crumb.appendChild(document.createTextNode(' > '));
      link(groups[d].name, state.path.slice(0, d + 1));
    }
    var last = groups[groups.length - 1];
    crumb.appendChild(document.createTextNode(' > ' + last.name + ': ' + fmt(last.bytes) + ' bytes, ' +
                                              last.items.length + ' items'));
    drawNodes(last.items, { x: 0, y: 0, w: W, h: H }, state.path.slice(), state.path[0],
              v.components.indexOf(groups[0]), v.file_bytes);
  }

  data.variants.forEach(function (v, i) {
    var option = document.createElement('option');
    option.value = String(i);
    option.textContent = v.name;
    select.appendChild(option);
  });
  select.addEventListener('change', function () { state.variant = Number(select.value); state.path = []; draw(); });
  if (data.variants.length < 2) select.style.display = 'none';
  window.addEventListener('resize', draw);
  draw();
})();
)js";

}  // namespace ws::size
