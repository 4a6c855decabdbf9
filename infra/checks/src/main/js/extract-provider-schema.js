// Regenerates src/main/resources/provider-schema.json: the schema of every resource and data-source type that the
// Terraform under ../terraform uses, taken from npm's prebuilt provider bindings (CDK Terrain, @cdktn/provider-*).
//
// Why the bindings: there is no terraform binary in CI, and `terraform providers schema -json` needs one plus the
// provider plugin. The bindings are generated from that same schema and published on npm, so they carry it:
//   - lib/<type>/index.js, synthesizeHclAttributes() and <struct>ToHclTerraform(): every argument and nested block
//     by its Terraform name, with isBlock (block vs attribute) and the nested block's converter;
//   - .jsii (the jsii assembly): each config interface's properties with their optional flag (required = not
//     optional), and whether a block property takes one struct (max_items = 1) or a list;
//   - the resource class's getters (getStringAttribute('arn') ...): every exported attribute.
// The packages are large (aws: ~40 MB packed), so only this script downloads them, into a temp dir, with `npm pack`;
// the committed JSON holds just the types in use. Run it after adding a resource or data type, or to move versions:
//   npm run extract-provider-schema            (from infra/checks)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { parseDirs } = require('./parse-tf');

// Bindings per provider. aws: the oldest binding inside versions.tf's ">= 6.38.0, < 7.0.0" (@cdktn/provider-aws
// 23.7.0 = hashicorp/aws 6.40.0); 6.x minor releases only add arguments, so what this version accepts the later
// ones accept too. random: @cdktn/provider-random 15.0.1 = hashicorp/random 3.9.1, inside "~> 3.6".
const BINDINGS = {
  aws: '@cdktn/provider-aws@23.7.0',
  random: '@cdktn/provider-random@15.0.1',
};

const HERE = __dirname;
const CHECKS = path.resolve(HERE, '..', '..', '..');
const DEFAULT_TERRAFORM = path.resolve(CHECKS, '..', 'terraform');
const DEFAULT_OUT = path.resolve(CHECKS, 'src', 'main', 'resources', 'provider-schema.json');

// One argument or block entry of a generated synthesizeHclAttributes() / <struct>ToHclTerraform() body.
const ENTRY = /^\s*(\w+): \{\s*value: ([^\n]*),\s*isBlock: (true|false),\s*type: "(\w+)",\s*storageClassType: "(\w+)",\s*\}/gm;

function usedTypes(files) {
  const used = { resource: new Set(), data: new Set() };
  for (const [file, parsed] of Object.entries(files)) {
    if (parsed.error) throw new Error(`${file} does not parse: ${parsed.error}`);
    for (const kind of ['resource', 'data']) {
      for (const type of Object.keys(parsed.json[kind] || {})) used[kind].add(type);
    }
  }
  return used;
}

function download(spec, into) {
  const tgz = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', into], { encoding: 'utf8' }).trim().split('\n').pop();
  const dir = path.join(into, tgz.replace(/\.tgz$/, ''));
  fs.mkdirSync(dir);
  execFileSync('tar', ['xzf', path.join(into, tgz), '-C', dir, '--strip-components=1']);
  return dir;
}

/** Everything needed from one provider package: its jsii types and, per Terraform type name, its class and file. */
function loadBindings(dir) {
  const jsii = JSON.parse(fs.readFileSync(path.join(dir, '.jsii'), 'utf8'));
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const classes = {};
  for (const type of Object.values(jsii.types)) {
    if (type.kind !== 'class' || !/^cdktn\.Terraform(Resource|DataSource|Provider)$/.test(type.base || '')) continue;
    const jsFile = path.join(dir, type.locationInModule.filename.replace(/^src\//, 'lib/').replace(/\.ts$/, '.js'));
    const js = fs.readFileSync(jsFile, 'utf8');
    // compiled either as `static tfResourceType = "x";` in the class or `Class.tfResourceType = "x";` after it
    const tfType = new RegExp(`^\\s*(?:static|${type.name}\\.)\\s*tfResourceType = "(\\w+)";$`, 'm').exec(js);
    if (!tfType) throw new Error(`no tfResourceType for ${type.fqn} in ${jsFile}`);
    const kind = { 'cdktn.TerraformDataSource': 'data', 'cdktn.TerraformProvider': 'provider' }[type.base] || 'resource';
    classes[`${kind} ${tfType[1]}`] = { type, js };
  }
  return { jsii, pkg, classes, assembly: jsii.name };
}

function sliceBetween(js, start, end, what) {
  const from = js.indexOf(start);
  const to = from < 0 ? -1 : js.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`cannot find ${what}`);
  return js.slice(from, to);
}

function entries(body) {
  const out = [];
  for (const m of body.matchAll(ENTRY)) {
    const [, tfName, value, isBlock, type] = m;
    const camel = /(?:this\._|struct\.|struct\?\.|struct!\.)(\w+)/.exec(value);
    const converter = /(?<!cdktn\.)\b([a-z]\w*)ToHclTerraform\b/.exec(value);
    if (!camel) throw new Error(`cannot read the property behind ${tfName}: ${value}`);
    out.push({ tfName, camel: camel[1], isBlock: isBlock === 'true', type, converter: converter && converter[1] });
  }
  return out;
}

/** {attributes, blocks} of one block body; required and single come from the jsii interface of the same name. */
function blockSchema(bindings, namespace, interfaceName, body, js) {
  const iface = bindings.jsii.types[`${bindings.assembly}.${namespace}.${interfaceName}`];
  if (!iface) throw new Error(`no jsii interface ${namespace}.${interfaceName}`);
  const props = new Map();
  for (const p of iface.properties || []) props.set(p.name, p);
  const attributes = {};
  const blocks = {};
  const objectAttributes = [];
  for (const e of entries(body)) {
    const prop = props.get(e.camel);
    if (!prop) throw new Error(`${interfaceName} has no property ${e.camel} (${e.tfName})`);
    const required = !prop.optional;
    if (!e.isBlock) {
      attributes[e.tfName] = required ? 'required' : 'optional';
      // a nested attribute (plugin framework): its value is an object or a list of objects, written `x = [{...}]`
      if (e.converter) objectAttributes.push(e.tfName);
      continue;
    }
    if (!e.converter) throw new Error(`block ${interfaceName}.${e.tfName} has no converter`);
    const nestedName = e.converter.charAt(0).toUpperCase() + e.converter.slice(1);
    const nestedBody = sliceBetween(js, `function ${e.converter}ToHclTerraform(struct) {`, 'return Object.fromEntries',
      `${e.converter}ToHclTerraform`);
    const block = blockSchema(bindings, namespace, nestedName, nestedBody, js);
    if (required) block.required = true;
    if (prop.type.fqn) block.maxItems = 1; // a single struct, not a list of them
    blocks[e.tfName] = block;
  }
  const result = {};
  if (Object.keys(attributes).length) result.attributes = sortKeys(attributes);
  if (objectAttributes.length) result.objectAttributes = objectAttributes.sort();
  if (Object.keys(blocks).length) result.blocks = sortKeys(blocks);
  return result;
}

function configSchema(bindings, { type, js }) {
  const cls = sliceBetween(js, `class ${type.name} extends cdktn.`, `exports.${type.name} = ${type.name};`, `class ${type.name}`);
  const synth = sliceBetween(cls, 'synthesizeHclAttributes() {', 'return Object.fromEntries', `${type.name}.synthesizeHclAttributes`);
  return { cls, schema: blockSchema(bindings, type.namespace, `${type.name}Config`, synth, js) };
}

function typeSchema(bindings, binding) {
  const { cls, schema } = configSchema(bindings, binding);
  const exported = new Set([...Object.keys(schema.attributes || {}), ...Object.keys(schema.blocks || {})]);
  for (const m of cls.matchAll(/this\.(?:get\w*Attribute|interpolationForAttribute)\('(\w+)'\)/g)) exported.add(m[1]);
  for (const m of cls.matchAll(/new \w+\(this, "(\w+)"/g)) exported.add(m[1]);
  schema.exported = [...exported].sort();
  return schema;
}

function sortKeys(o) {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log('usage: node extract-provider-schema.js [--out <file>] [<terraform dir>...]\n'
      + `defaults: ${path.relative(process.cwd(), DEFAULT_TERRAFORM)} -> ${path.relative(process.cwd(), DEFAULT_OUT)}`);
    return;
  }
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? path.resolve(args.splice(outAt, 2)[1]) : DEFAULT_OUT;
  const roots = args.length ? args.map((a) => path.resolve(a)) : [DEFAULT_TERRAFORM];
  const used = usedTypes(await parseDirs(roots));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'provider-schema-'));
  try {
    const result = {
      comment: 'Generated by infra/checks/src/main/js/extract-provider-schema.js (npm run extract-provider-schema); '
        + 'do not edit. The provider blocks and only the resource and data types the Terraform uses: arguments '
        + '(required or optional), nested blocks (required, maxItems 1), exported attributes.',
      providers: {},
      provider: {},
      resource: {},
      data: {},
    };
    const bindings = {};
    for (const kind of ['resource', 'data']) {
      for (const tfType of [...used[kind]].sort()) {
        const provider = tfType.split('_')[0];
        if (!BINDINGS[provider]) throw new Error(`${kind} ${tfType}: no provider bindings configured for "${provider}"`);
        if (!bindings[provider]) {
          const dir = download(BINDINGS[provider], tmp);
          bindings[provider] = loadBindings(dir);
          const meta = bindings[provider].pkg.cdktf.provider;
          result.providers[provider] = { source: meta.name.replace(/^registry\.terraform\.io\//, ''), version: meta.version,
            bindings: BINDINGS[provider] };
        }
        const cls = bindings[provider].classes[`${kind} ${tfType}`];
        if (!cls) throw new Error(`${kind} ${tfType} is not a ${kind} type of ${result.providers[provider].source} ${result.providers[provider].version}`);
        result[kind][tfType] = typeSchema(bindings[provider], cls);
      }
    }
    for (const [provider, b] of Object.entries(bindings)) {
      const cls = b.classes[`provider ${provider}`];
      if (!cls) throw new Error(`${BINDINGS[provider]} has no provider class for "${provider}"`);
      result.provider[provider] = configSchema(b, cls).schema; // the provider "x" { } block's arguments
    }
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(result, null, 1) + '\n');
    console.log(`wrote ${out}: ${Object.keys(result.resource).length} resource and ${Object.keys(result.data).length} data types from `
      + Object.values(result.providers).map((p) => `${p.source} ${p.version}`).join(', '));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(String(e && e.stack ? e.stack : e)); process.exit(1); });
