/**
 * A self-contained interactive API reference served at `/docs`. Scalar's Hono page loads its bundle
 * from a CDN, and the watcher must work offline, so this renders `/v1/openapi.json` itself: every
 * operation with its parameters, schemas, and a "Send" button that calls the API and shows the reply.
 * Data is inserted with textContent only.
 */
export const docsPageHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>perpscope watcher API</title>
<style>
  :root { color-scheme: light dark; --fg:#1b1f24; --bg:#fbfbfa; --muted:#687078; --line:#d8dadc; --accent:#2257c5; }
  @media (prefers-color-scheme: dark) { :root { --fg:#e6e8ea; --bg:#15181b; --muted:#98a0a8; --line:#33383d; --accent:#7aa5ff; } }
  body { font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 960px; padding: 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; } .muted { color: var(--muted); }
  details { border: 1px solid var(--line); border-radius: 6px; margin: 10px 0; padding: 0 12px; }
  summary { cursor: pointer; padding: 10px 0; } .method { font: 600 12px ui-monospace, monospace; text-transform: uppercase; color: var(--accent); margin-right: 8px; }
  code, pre { font: 13px/1.45 ui-monospace, monospace; } pre { background: rgba(127,127,127,.1); padding: 10px; border-radius: 4px; overflow: auto; max-height: 360px; }
  label { display: block; margin: 6px 0; } input { font: inherit; padding: 2px 6px; min-width: 240px; }
  button { font: inherit; padding: 4px 14px; margin: 8px 0; cursor: pointer; }
</style>
</head>
<body>
<h1>perpscope watcher API</h1>
<p class="muted">Rendered locally from <a href="/v1/openapi.json">/v1/openapi.json</a>. Errors are <code>application/problem+json</code>.</p>
<main id="ops"><p class="muted">Loading…</p></main>
<script>
(async () => {
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  const main = document.getElementById('ops');
  const spec = await (await fetch('/v1/openapi.json')).json();
  main.textContent = '';
  const resolve = (s) => s && s.$ref ? spec.components.schemas[s.$ref.split('/').pop()] : s;
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const d = el('details'); const sum = el('summary');
      sum.append(el('span', method, 'method'), el('code', path), el('span', ' — ' + (op.summary || ''), 'muted'));
      d.append(sum);
      const inputs = [];
      for (const p of op.parameters || []) {
        const l = el('label'); l.append(el('code', p.in + '.' + p.name + (p.required ? ' *' : '') + ' '));
        const i = document.createElement('input'); i.placeholder = JSON.stringify(p.schema || {}); l.append(i); d.append(l);
        inputs.push([p, i]);
      }
      const ok = op.responses && (op.responses['200'] || op.responses['201']);
      const content = ok && ok.content && Object.values(ok.content)[0];
      if (content && content.schema) { d.append(el('div', 'Response schema', 'muted'), el('pre', JSON.stringify(resolve(content.schema), null, 2))); }
      const btn = el('button', 'Send'); const out = el('pre', '');
      btn.onclick = async () => {
        let url = path; const qs = new URLSearchParams(); const headers = {};
        for (const [p, i] of inputs) { if (!i.value) continue;
          if (p.in === 'path') url = url.replace('{' + p.name + '}', encodeURIComponent(i.value));
          else if (p.in === 'query') qs.set(p.name, i.value); else if (p.in === 'header') headers[p.name] = i.value; }
        if ((op.responses['200'] && op.responses['200'].content || {})['text/event-stream']) { out.textContent = 'Open ' + url + (qs.size ? '?' + qs : '') + ' with EventSource or curl -N'; return; }
        const res = await fetch(url + (qs.size ? '?' + qs : ''), { method: method.toUpperCase(), headers });
        const text = await res.text(); let shown = text; try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
        out.textContent = res.status + ' ' + (res.headers.get('content-type') || '') + '\\n\\n' + shown;
      };
      if (method === 'get') d.append(btn);
      d.append(out); main.append(d);
    }
  }
})().catch((e) => { document.getElementById('ops').textContent = 'Failed to load the OpenAPI document: ' + e; });
</script>
</body>
</html>`;
