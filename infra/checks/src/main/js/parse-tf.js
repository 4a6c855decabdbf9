// Parses every .tf file under the given directory with @cdktf/hcl2json (HashiCorp's HCL parser compiled to wasm)
// and prints one JSON document: {"files": {"<path relative to dir>": {"json": {...}} | {"error": "..."}}}.
// The Java checks read this; a parse error is reported per file instead of aborting the whole run.
'use strict';
const fs = require('fs');
const path = require('path');
const { parse } = require('@cdktf/hcl2json');

function tfFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.terraform' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tfFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.tf')) out.push(full);
  }
  return out.sort();
}

/** {"<path relative to its root>": {json} | {error}} for every .tf file below the given roots. */
async function parseDirs(roots) {
  const files = {};
  for (const root of roots) {
    for (const file of tfFiles(root)) {
      const key = path.relative(root, file).split(path.sep).join('/');
      try {
        files[key] = { json: await parse(file, fs.readFileSync(file, 'utf8')) };
      } catch (e) {
        files[key] = { error: String(e && e.message ? e.message : e) };
      }
    }
  }
  return files;
}

async function main() {
  const roots = process.argv.slice(2);
  if (roots.length === 0) {
    console.error('usage: node parse-tf.js <dir>...');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify({ files: await parseDirs(roots) }));
}

module.exports = { parseDirs };

if (require.main === module) {
  main().catch((e) => { console.error(e); process.exit(1); });
}
