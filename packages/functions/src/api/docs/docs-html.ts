import type { OpenApiDocument, Operation } from './openapi';
import { operations } from './openapi';

/**
 * The OpenAPI document as one self-contained HTML page (served at /docs):
 * inline styles, no script, nothing fetched from elsewhere, so it works
 * offline and behind firewalls.
 */

type Schema = Record<string, any>;

const escape = (text: unknown) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Just enough Markdown for the descriptions: paragraphs and `code`. */
const prose = (text: string | undefined) =>
  (text ?? '')
    .split(/\n{2,}/)
    .filter(Boolean)
    .map((paragraph) => `<p>${escape(paragraph).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('');

const anchor = (name: string) => `schema-${name}`;
const refName = (ref: string) => ref.split('/').pop()!;

/** A short type expression; named schemas link to their section. */
function typeOf(schema: Schema | undefined): string {
  if (!schema || Object.keys(schema).length === 0) return 'any';
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return `<a href="#${anchor(name)}">${escape(name)}</a>`;
  }
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return (union as Schema[]).map(typeOf).join(' | ');
  if ('const' in schema) return `<code>${escape(JSON.stringify(schema.const))}</code>`;
  if (schema.enum) return (schema.enum as unknown[]).map((value) => `<code>${escape(JSON.stringify(value))}</code>`).join(' | ');
  if (Array.isArray(schema.type)) return schema.type.map((type: string) => typeOf({ ...schema, type })).join(' | ');
  if (schema.type === 'array') return `${typeOf(schema.items)}[]`;
  if (schema.type === 'object' && schema.properties && Object.keys(schema.properties).length <= 4) {
    // small nested objects inline: { uploadId: string }
    const required = new Set<string>(schema.required ?? []);
    const fields = Object.entries(schema.properties as Record<string, Schema>).map(
      ([name, property]) => `${escape(name)}${required.has(name) ? '' : '?'}: ${typeOf(property)}`,
    );
    return `{ ${fields.join(', ')} }`;
  }
  if (schema.type === 'object' && !schema.properties && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return `map of ${typeOf(schema.additionalProperties)}`;
  }
  return escape(schema.format ? `${schema.type} (${schema.format})` : (schema.type ?? 'any'));
}

/** Constraints in words: "1–255 characters", "≥ 0", "default 20". */
function rules(schema: Schema): string {
  const parts: string[] = [];
  const range = (min: unknown, max: unknown, unit: string) => {
    if (min !== undefined && max !== undefined) parts.push(`${min}–${max}${unit}`);
    else if (min !== undefined) parts.push(`≥ ${min}${unit}`);
    else if (max !== undefined) parts.push(`≤ ${max}${unit}`);
  };
  range(schema.minimum, schema.maximum, '');
  range(schema.minLength, schema.maxLength, ' characters');
  range(schema.minItems, schema.maxItems, ' entries');
  if (schema.pattern) parts.push(`matches <code>${escape(schema.pattern)}</code>`);
  if (schema.default !== undefined) parts.push(`default <code>${escape(JSON.stringify(schema.default))}</code>`);
  return parts.join('; ');
}

function propertiesTable(schema: Schema): string {
  const properties = Object.entries((schema.properties ?? {}) as Record<string, Schema>);
  if (!properties.length) return '';
  const required = new Set<string>(schema.required ?? []);
  const rows = properties.map(([name, property]) => {
    const notes = [property.description ? escape(property.description) : '', rules(property)].filter(Boolean).join('<br>');
    return `<tr><td><code>${escape(name)}</code></td><td>${typeOf(property)}</td><td>${required.has(name) ? 'yes' : ''}</td><td>${notes}</td></tr>`;
  });
  const extra = schema.additionalProperties === false ? '' : schema.additionalProperties ? '<p class="note">Other fields are allowed and kept.</p>' : '';
  return `<table><thead><tr><th>Field</th><th>Type</th><th>Required</th><th>Notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>${extra}`;
}

function schemaSection(name: string, schema: Schema): string {
  const alternatives = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  const body = alternatives
    ? `<p>One of:</p><ul>${alternatives
        .map((alternative) => `<li>${alternative.description ? `${escape(alternative.description)}: ` : ''}${propertiesTable(alternative) || typeOf(alternative)}</li>`)
        .join('')}</ul>`
    : propertiesTable(schema) || `<p>${typeOf(schema)}</p>`;
  return `<section class="schema" id="${anchor(name)}"><h3>${escape(name)}</h3>${prose(schema.description)}${body}</section>`;
}

function parametersTable(operation: Operation): string {
  if (!operation.parameters?.length) return '';
  const rows = operation.parameters.map(
    (parameter) =>
      `<tr><td><code>${escape(parameter.name)}</code></td><td>${parameter.in}</td><td>${typeOf(parameter.schema)}</td><td>${parameter.required ? 'yes' : ''}</td><td>${[
        parameter.description ? escape(parameter.description) : '',
        rules(parameter.schema),
      ]
        .filter(Boolean)
        .join('<br>')}</td></tr>`,
  );
  return `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Required</th><th>Notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function responsesTable(document: OpenApiDocument, operation: Operation): string {
  const rows = Object.entries(operation.responses).map(([status, response]) => {
    let resolved = response as Schema;
    if (resolved.$ref) resolved = (document.components.responses as Record<string, Schema>)[refName(resolved.$ref)];
    const content = resolved.content as Record<string, { schema: Schema }> | undefined;
    const body = content ? Object.entries(content).map(([type, { schema }]) => `${typeOf(schema)} <span class="muted">${escape(type)}</span>`).join('<br>') : '';
    return `<tr><td><code>${status}</code></td><td>${escape(resolved.description ?? '')}</td><td>${body}</td></tr>`;
  });
  return `<h4>Responses</h4><table><thead><tr><th>Status</th><th>Meaning</th><th>Body</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function operationSection(document: OpenApiDocument, method: string, path: string, operation: Operation): string {
  const open = operation.security?.length === 0;
  const body = operation.requestBody?.content['application/json']?.schema as Schema | undefined;
  const bodySchema = body?.$ref ? document.components.schemas[refName(body.$ref)] : body;
  const request = body
    ? `<h4>Request body${operation.requestBody?.required ? '' : ' (optional)'}</h4><p>${typeOf(body)} <span class="muted">application/json</span></p>${bodySchema ? propertiesTable(bodySchema) : ''}`
    : '';
  return `<section class="operation" id="op-${operation.operationId}">
<h3><span class="method method--${method.toLowerCase()}">${method}</span> <code>${escape(path)}</code></h3>
<p class="summary">${escape(operation.summary)}${open ? ' <span class="tag">no key needed</span>' : ''}</p>
${prose(operation.description)}${parametersTable(operation)}${request}${responsesTable(document, operation)}
</section>`;
}

const STYLE = `
:root{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1b1f24;background:#f6f7f9}
body{margin:0}a{color:#2952cc}code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;background:#eef0f3;padding:0 .25em;border-radius:3px}
header{background:#111827;color:#fff;padding:.8rem 1.25rem}header a{color:#fff}header h1{margin:0;font-size:1.3rem}header .tag{background:rgba(255,255,255,.15);color:#fff}
.layout{display:grid;grid-template-columns:250px 1fr;gap:1.5rem;max-width:1200px;margin:0 auto;padding:1.25rem}
nav{position:sticky;top:1rem;align-self:start;max-height:calc(100vh - 2rem);overflow:auto;font-size:.9rem}
nav ul{list-style:none;padding:0;margin:0 0 1rem}nav li{margin:.15rem 0}nav h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:#5b6470;margin:1rem 0 .3rem}
main{min-width:0}section.operation,section.schema{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:1rem 1.25rem;margin:0 0 1rem}
h2.group{margin:1.5rem 0 .75rem}h3{margin:0 0 .3rem;font-size:1.05rem;word-break:break-all}h4{margin:1rem 0 .4rem;font-size:.9rem;text-transform:uppercase;letter-spacing:.04em;color:#5b6470}
.method{display:inline-block;min-width:3.6rem;text-align:center;font-size:.8rem;font-weight:700;color:#fff;border-radius:4px;padding:.1rem .4rem;background:#4b5563}
.method--get{background:#1e7d3a}.method--post{background:#2952cc}.method--put{background:#8a5300}.method--delete{background:#b3261e}
table{border-collapse:collapse;width:100%;font-size:.9rem;display:block;overflow-x:auto}th,td{text-align:left;border-bottom:1px solid #e4e7eb;padding:.4rem .5rem;vertical-align:top}
th{font-size:.75rem;text-transform:uppercase;letter-spacing:.04em;color:#5b6470}.summary{font-weight:600;margin:.2rem 0}.muted{color:#5b6470}
.tag{font-size:.75rem;font-weight:400;background:#eceef1;border-radius:4px;padding:0 .4rem;margin-left:.3rem}.note{font-size:.85rem;color:#5b6470}
@media (max-width:760px){.layout{grid-template-columns:1fr;padding:.75rem}nav{position:static;max-height:none}}
`;

export function renderDocsHtml(document: OpenApiDocument): string {
  const all = operations(document);
  const byTag = document.tags.map((tag) => ({ tag, items: all.filter(({ operation }) => operation.tags[0] === tag.name) })).filter((group) => group.items.length);
  const nav = byTag
    .map(
      ({ tag, items }) =>
        `<h2>${escape(tag.name)}</h2><ul>${items
          .map(({ method, path, operation }) => `<li><a href="#op-${operation.operationId}">${method} ${escape(path)}</a></li>`)
          .join('')}</ul>`,
    )
    .join('');
  const schemaNames = Object.keys(document.components.schemas);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info.title)} · API docs</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escape(document.info.title)} <span class="tag">OpenAPI ${escape(document.openapi)} · v${escape(document.info.version)}</span></h1></header>
<div class="layout">
<nav aria-label="Contents">${nav}<h2>Schemas</h2><ul>${schemaNames.map((name) => `<li><a href="#${anchor(name)}">${escape(name)}</a></li>`).join('')}</ul>
<p><a href="/openapi.json">openapi.json</a> · <a href="/">Jobs page</a></p></nav>
<main>
${prose(document.info.description)}
<p>The machine-readable document: <a href="/openapi.json"><code>/openapi.json</code></a>.</p>
${byTag
  .map(
    ({ tag, items }) =>
      `<h2 class="group" id="tag-${escape(tag.name.replace(/\s+/g, '-'))}">${escape(tag.name)}</h2>${prose(tag.description)}${items
        .map(({ method, path, operation }) => operationSection(document, method, path, operation))
        .join('\n')}`,
  )
  .join('\n')}
<h2 class="group" id="schemas">Schemas</h2>
${schemaNames.map((name) => schemaSection(name, document.components.schemas[name])).join('\n')}
</main>
</div>
</body>
</html>
`;
}
