// The console's YAML editor: CodeMirror 6 on the file page's <textarea>, built into
// static/vendor/editor.bundle.js by `npm ci && npm run build` (see package.json).
// - syntax highlighting for YAML;
// - completion (Ctrl+Space) of keys and values from the file's JSON Schema (docs/*.schema.json);
// - the hotline's own check as a linter: the text is posted to the console (debounced) and
//   each problem is marked in the gutter at its line; the same request keeps the text in the draft;
// - Tab is left to the browser, so the keyboard can always leave the editor.
// Without JavaScript the page still works: the plain textarea is submitted.
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
import { EditorState } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { syntaxHighlighting, defaultHighlightStyle, indentOnInput } from "@codemirror/language";
import { linter, lintGutter, lintKeymap } from "@codemirror/lint";
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";

const CHECK_DELAY = 700; // ms after the last key before the check runs

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

// -- schema completion ------------------------------------------------------------------

function resolve(schema, root) {
  let seen = 0;
  while (schema && schema.$ref && seen++ < 20) {
    const path = schema.$ref.replace(/^#\//, "").split("/");
    schema = path.reduce((node, part) => (node ? node[part] : undefined), root);
  }
  return schema || {};
}

function alternatives(schema, root) {
  schema = resolve(schema, root);
  const more = [...(schema.anyOf || []), ...(schema.oneOf || []), ...(schema.allOf || [])];
  if (schema.discriminator && schema.discriminator.mapping) {
    more.push(...Object.values(schema.discriminator.mapping).map(($ref) => ({ $ref })));
  }
  return [schema, ...more.flatMap((s) => alternatives(s, root))];
}

function child(schemas, key, root) {
  const found = [];
  for (const schema of schemas) {
    if (key === "*") {
      if (schema.items) found.push(...alternatives(schema.items, root));
    } else if (schema.properties && schema.properties[key]) {
      found.push(...alternatives(schema.properties[key], root));
    } else if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
      found.push(...alternatives(schema.additionalProperties, root));
    }
  }
  return found;
}

// The keys leading to `lineNo` by indentation: ["nodes", "overdose", "options", "*"].
function pathAt(doc, lineNo, indent) {
  const path = [];
  for (let n = lineNo - 1; n >= 1 && indent > 0; n--) {
    const text = doc.line(n).text;
    const match = /^(\s*)(- +)?([A-Za-z_$][\w$.-]*)\s*:/.exec(text);
    if (!match || /^\s*#/.test(text)) continue;
    const lineIndent = match[1].length;
    const itemIndent = lineIndent + (match[2] ? match[2].length : 0);
    if (match[2] && lineIndent < indent && itemIndent <= indent) {
      if (itemIndent < indent) path.unshift(match[3]);
      path.unshift("*");
      indent = lineIndent;
      continue;
    }
    if (lineIndent < indent) {
      path.unshift(match[3]);
      indent = lineIndent;
    }
  }
  return path;
}

function schemaCompletion(root) {
  return (context) => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const keyMatch = /^(\s*)(- +)?([\w$]*)$/.exec(before);
    const valueMatch = /^(\s*)(- +)?([\w$]+):\s+([\w-]*)$/.exec(before);
    if (!keyMatch && !valueMatch) return null;
    const match = keyMatch || valueMatch;
    const indent = match[1].length + (match[2] ? match[2].length : 0);
    let schemas = alternatives(root, root);
    const path = pathAt(context.state.doc, line.number, indent);
    if (match[2]) path.push("*");
    for (const key of path) schemas = child(schemas, key, root);
    let options = [];
    if (keyMatch) {
      const names = new Set(schemas.flatMap((s) => Object.keys(s.properties || {})));
      options = [...names].map((label) => ({ label, type: "property", apply: label + ": " }));
      if (!options.length && !context.explicit) return null;
      return { from: context.pos - keyMatch[3].length, options, validFor: /^[\w$]*$/ };
    }
    const values = new Set();
    for (const s of child(schemas, valueMatch[3], root)) {
      (s.enum || []).forEach((v) => values.add(String(v)));
      if (s.const !== undefined) values.add(String(s.const));
      if (s.type === "boolean") { values.add("true"); values.add("false"); }
    }
    options = [...values].map((label) => ({ label, type: "enum" }));
    if (!options.length) return null;
    return { from: context.pos - valueMatch[4].length, options, validFor: /^[\w-]*$/ };
  };
}

// -- the hotline's check as a linter --------------------------------------------------

function showProblems(list, result) {
  if (!list) return;
  list.replaceChildren();
  const summary = document.createElement("p");
  summary.textContent = result.summary;
  list.append(summary);
  const ul = document.createElement("ul");
  ul.className = "problems";
  for (const p of result.file) {
    const li = document.createElement("li");
    li.className = p.level;
    li.textContent = p.said;
    ul.append(li);
  }
  for (const p of result.elsewhere) {
    const li = document.createElement("li");
    li.className = p.level;
    li.textContent = p.said;
    ul.append(li);
  }
  if (ul.children.length) list.append(ul);
}

// The check's answer is worded by the server, in the console's language; the form's data-*
// attributes hold the sentences for when there is no answer.
function checker(url, list, words) {
  return async (view) => {
    const body = new URLSearchParams({ text: view.state.doc.toString() });
    let response;
    try {
      response = await fetch(url, { method: "POST", body, headers: { "X-CSRFToken": csrfToken() },
                                    credentials: "same-origin" });
    } catch (error) {
      if (list) list.textContent = words.unreachable;
      return [];
    }
    if (!response.ok) {
      if (list) list.textContent = response.status === 401 ? words.signedOut : words.refused;
      return [];
    }
    const result = await response.json();
    showProblems(list, result);
    const doc = view.state.doc;
    return result.file.map((p) => {
      const line = doc.line(Math.min(Math.max(p.line, 1), doc.lines));
      return { from: line.from, to: line.to, severity: p.level === "error" ? "error" : "warning", message: p.message };
    });
  };
}

async function start() {
  const form = document.getElementById("file-form");
  const textarea = document.getElementById("text");
  if (!form || !textarea) return;
  const nonce = document.querySelector('meta[name="csp-nonce"]');
  let schema = null;
  if (form.dataset.schema) {
    try {
      schema = await (await fetch(form.dataset.schema, { credentials: "same-origin" })).json();
    } catch (error) {
      schema = null;
    }
  }
  const extensions = [
    EditorView.cspNonce.of(nonce ? nonce.content : ""),
    lineNumbers(), history(), drawSelection(), indentOnInput(), highlightActiveLine(), highlightSelectionMatches(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    yaml(), lintGutter(),
    linter(checker(form.dataset.check, document.getElementById("live-problems"), form.dataset), { delay: CHECK_DELAY }),
    keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...lintKeymap, ...completionKeymap]),
    EditorView.contentAttributes.of({ "aria-label": form.dataset.editorLabel }),
    EditorView.lineWrapping,
  ];
  if (schema) extensions.push(autocompletion({ override: [schemaCompletion(schema)] }));
  const view = new EditorView({ state: EditorState.create({ doc: textarea.value, extensions }) });
  textarea.hidden = true;
  textarea.insertAdjacentElement("afterend", view.dom);
  textarea.labels.forEach((label) => label.addEventListener("click", () => view.focus()));
  form.addEventListener("submit", () => { textarea.value = view.state.doc.toString(); });
  const line = parseInt(form.dataset.line, 10);
  if (line > 0 && line <= view.state.doc.lines) {
    const at = view.state.doc.line(line).from;
    view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: "center" }) });
    view.focus();
  }
  window.hotlineEditor = view; // for the browser tests and the curious
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
