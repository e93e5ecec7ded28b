// Writes hotline/console/static/vendor/LICENSES.txt: the licence of every package inside
// editor.bundle.js (esbuild's --legal-comments=external keeps their notices beside it too).
const fs = require("fs");
const path = require("path");
const root = path.join(__dirname, "..", "..", "..", "node_modules");
const names = [];
for (const entry of fs.readdirSync(root)) {
  if (entry.startsWith(".")) continue;
  if (entry.startsWith("@")) {
    for (const sub of fs.readdirSync(path.join(root, entry))) names.push(`${entry}/${sub}`);
  } else names.push(entry);
}
const skip = new Set(["esbuild", "axe-core"]); // a build tool, and a test tool (tests/browser/axe.LICENSE)
let out = "Licences of the packages bundled in hotline/console/static/vendor/ (from the npm registry).\n";
for (const name of names.sort()) {
  if (skip.has(name) || name.startsWith("@esbuild/")) continue;
  const dir = path.join(root, name);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  out += `\n==== ${name} ${pkg.version} (${pkg.license}) ====\n`;
  out += file ? fs.readFileSync(path.join(dir, file), "utf8") : `${pkg.license}\n`;
}
fs.writeFileSync(path.join(__dirname, "..", "static", "vendor", "LICENSES.txt"), out);
