import type { OpenApiDocument } from './document.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The descriptions use `code` spans and nothing else of Markdown. */
function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

interface OperationView {
  summary: string;
  description?: string;
  tags: string[];
  servers?: Array<{ url: string }>;
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }>;
  requestBody?: { description?: string; content: Record<string, { schema?: { $ref?: string } }> };
  responses: Record<string, { description: string }>;
}

function schemaSummary(schema: Record<string, unknown>): string {
  const parts: string[] = [];
  if (Array.isArray(schema.enum)) parts.push(schema.enum.map((v) => JSON.stringify(v)).join(' | '));
  else if (typeof schema.type === 'string') parts.push(schema.type);
  if (schema.minimum !== undefined || schema.maximum !== undefined) parts.push(`${schema.minimum ?? ''}–${schema.maximum ?? ''}`);
  if (schema.maxLength !== undefined) parts.push(`≤ ${schema.maxLength} chars`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(', ');
}

/**
 * `/docs`: the OpenAPI document as one self-contained page (no script, no
 * CDN): operations by tag with their parameters, bodies and answers, then
 * every schema as JSON Schema.
 */
export function renderDocsPage(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as OperationView;
      const id = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-');
      const params = op.parameters?.length
        ? `<table><thead><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr></thead><tbody>${op.parameters
            .map(
              (p) =>
                `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : 'no'}</td><td>${escapeHtml(schemaSummary(p.schema))}</td></tr>`,
            )
            .join('')}</tbody></table>`
        : '';
      const body = op.requestBody
        ? `<p><strong>Body</strong> ${Object.entries(op.requestBody.content)
            .map(([type, media]) => {
              const ref = media.schema?.$ref?.split('/').pop();
              return `<code>${escapeHtml(type)}</code>${ref ? ` — <a href="#schema-${escapeHtml(ref)}">${escapeHtml(ref)}</a>` : ''}`;
            })
            .join(', ')}${op.requestBody.description ? `: ${inline(op.requestBody.description)}` : ''}</p>`
        : '';
      const responses = `<ul class="responses">${Object.entries(op.responses)
        .map(([status, r]) => `<li><span class="status s${status[0]}">${status}</span> ${inline(r.description)}</li>`)
        .join('')}</ul>`;
      const html = `<section class="op" id="${id}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${inline(op.summary)}${op.security ? ' <span class="auth">key required</span>' : ''}${op.servers ? ` <span class="server">on ${escapeHtml(op.servers[0]!.url)}</span>` : ''}</p>
${op.description ? `<p class="description">${inline(op.description)}</p>` : ''}${params}${body}${responses}
</section>`;
      const tag = op.tags[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const toc = [...byTag.keys()].map((tag) => `<li><a href="#tag-${escapeHtml(tag.replace(/\W+/g, '-'))}">${escapeHtml(tag)}</a></li>`).join('');
  const sections = [...byTag.entries()]
    .map(([tag, ops]) => `<h2 id="tag-${escapeHtml(tag.replace(/\W+/g, '-'))}">${escapeHtml(tag)}</h2>\n${ops.join('\n')}`)
    .join('\n');
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, schema]) =>
        `<section class="schema" id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} — reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:0 auto;padding:1rem 1.5rem;color:#1d1d1f;background:#fff}
h1{margin-bottom:.2rem}h2{margin-top:2.5rem;border-bottom:2px solid #ddd}
code,pre{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace}pre{background:#f6f6f6;padding:.75rem;overflow:auto;border-radius:4px}
.op{border:1px solid #e3e3e3;border-radius:6px;padding:.25rem 1rem;margin:1rem 0}
.op h3{font-size:1rem;margin:.6rem 0}.method{display:inline-block;min-width:4.2em;text-align:center;border-radius:3px;color:#fff;font-size:.8rem;padding:.1rem .3rem}
.get{background:#1a6fb5}.post{background:#1d7d3f}.patch{background:#8a5a00}.delete{background:#b3261e}
.auth,.server{font-size:.8rem;background:#eee;border-radius:3px;padding:0 .4rem;margin-left:.3rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;font-size:.9rem}
.responses{padding-left:1rem}.status{font-weight:600}.s2{color:#1d7d3f}.s3{color:#555}.s4{color:#8a5a00}.s5{color:#b3261e}
a{color:#0b57a4}
</style>
</head>
<body>
<h1>${escapeHtml(doc.info.title)}</h1>
<p>${inline(doc.info.description)}</p>
<p>Machine-readable: <a href="openapi.json"><code>/openapi.json</code></a> (OpenAPI ${escapeHtml(doc.openapi)}).</p>
<nav><ul>${toc}<li><a href="#schemas">Schemas</a></li></ul></nav>
${sections}
<h2 id="schemas">Schemas</h2>
${schemas}
</body>
</html>
`;
}
