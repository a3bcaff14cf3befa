#!/usr/bin/env node
// Validates a filled Teams app manifest and the files it names, offline.
//   node validate.mjs <path/to/manifest.json>
// - the manifest against the schema bundled in @microsoft/app-manifest for its $schema (never fetched: a schema
//   that is not bundled is an error), v1.22 or newer;
// - each localization file against its bundled schema, and its keys against the manifest;
// - the icons: PNG, color 192×192, outline 32×32 with only white (or fully transparent) pixels.
// Prints "valid: <file>" or one "invalid: <reason>" line per problem on stderr and exits 1.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { AppManifestUtils } from "@microsoft/app-manifest";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { PNG } from "pngjs";

const require = createRequire(import.meta.url);
const schemaRoot = path.join(path.dirname(require.resolve("@microsoft/app-manifest")), "json-schemas", "teams");
const minimumVersion = [1, 22];
const manifestSchemaFile = "MicrosoftTeams.schema.json";
const localizationSchemaFile = "MicrosoftTeams.Localization.schema.json";

const readJson = (file) => JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, ""));

// The bundled copy of a Teams schema URL, or undefined when the package does not ship it.
function bundledSchema(url) {
  const m = /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?json-schemas\/teams\/(v[^/]+)\/([A-Za-z.]+\.json)$/.exec(url ?? "");
  if (!m) return undefined;
  const file = path.join(schemaRoot, m[1], m[2]);
  return existsSync(file) ? { version: m[1], file } : undefined;
}

async function schemaProblems(doc, label, kind) {
  const schema = bundledSchema(doc.$schema);
  if (!schema || !schema.file.endsWith(kind)) {
    return [`${label}: $schema ${JSON.stringify(doc.$schema)} is not a bundled Teams ${kind}`];
  }
  const schemaObject = readJson(schema.file);
  if (kind === manifestSchemaFile) {
    // Passing the schema object keeps the library from ever fetching it.
    const errors = await AppManifestUtils.validateAgainstSchema(doc, schemaObject);
    return errors.map((e) => `${label}: ${e.trim()}`);
  }
  // The localization schema has patterns that are invalid as Unicode regular expressions, which the library's
  // validator compiles with; the same draft-04 validator without the Unicode flag reads them as Teams does.
  const ajv = new Ajv04({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv, ["uri", "email", "regex"]);
  const validateDoc = ajv.compile(schemaObject);
  return validateDoc(doc) ? [] : validateDoc.errors.map((e) => `${label}: ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

function iconProblems(dir, file, size, outline) {
  const label = `icon ${file}`;
  const full = path.join(dir, file ?? "");
  if (!file || !existsSync(full)) return [`${label} is missing`];
  let png;
  try {
    png = PNG.sync.read(readFileSync(full));
  } catch (e) {
    return [`${label} is not a PNG (${e.message})`];
  }
  const problems = [];
  if (png.width !== size || png.height !== size) problems.push(`${label} is ${png.width}×${png.height}, must be ${size}×${size}`);
  if (outline) {
    let transparent = 0, visible = 0, coloured = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = png.data.subarray(i, i + 4);
      if (a === 0) transparent++;
      else if (r === 255 && g === 255 && b === 255) visible++;
      else coloured++;
    }
    if (coloured) problems.push(`${label}: ${coloured} pixels are neither white nor fully transparent`);
    if (!transparent) problems.push(`${label} has no transparent background`);
    if (!visible) problems.push(`${label} has no white pixels`);
  }
  return problems;
}

// A localization key such as bots[0].commandLists[1].commands[2].title must point into the manifest.
function pathExists(manifest, key) {
  let node = manifest;
  for (const part of key.split(".")) {
    const m = /^([A-Za-z0-9]+)((?:\[\d+\])*)$/.exec(part);
    if (!m || node == null) return false;
    node = node[m[1]];
    for (const index of m[2].match(/\d+/g) ?? []) node = node?.[Number(index)];
  }
  return node !== undefined;
}

async function validate(manifestFile) {
  const dir = path.dirname(manifestFile);
  let manifest;
  try {
    manifest = readJson(manifestFile);
  } catch (e) {
    return [`manifest.json: ${e.message}`];
  }
  const problems = [];
  const placeholders = JSON.stringify(manifest).match(/\$\{\{[^}]*\}\}/g);
  if (placeholders) problems.push(`manifest.json still has placeholders: ${[...new Set(placeholders)].join(", ")}`);

  const [major, minor] = String(manifest.manifestVersion ?? "").split(".").map(Number);
  if (!(major > minimumVersion[0] || (major === minimumVersion[0] && minor >= minimumVersion[1]))) {
    problems.push(`manifestVersion ${JSON.stringify(manifest.manifestVersion)} is older than ${minimumVersion.join(".")}`);
  }
  const schema = bundledSchema(manifest.$schema);
  if (schema && schema.version !== `v${manifest.manifestVersion}`) {
    problems.push(`$schema is ${schema.version} but manifestVersion is ${manifest.manifestVersion}`);
  }
  problems.push(...await schemaProblems(manifest, "manifest.json", manifestSchemaFile));

  // The v1.22 schema only limits the length; Teams' app validation wants MAJOR.MINOR.PATCH.
  if (!/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.test(String(manifest.version ?? ""))) {
    problems.push(`version ${JSON.stringify(manifest.version)} is not MAJOR.MINOR.PATCH`);
  }
  // The schema lets http:// through; Teams wants https for the developer pages.
  for (const key of ["websiteUrl", "privacyUrl", "termsOfUseUrl"]) {
    const value = manifest.developer?.[key];
    let url;
    try { url = new URL(value); } catch { url = undefined; }
    if (url?.protocol !== "https:") problems.push(`developer.${key} ${JSON.stringify(value)} is not an https URL`);
  }
  for (const domain of manifest.validDomains ?? []) {
    if (!/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d+)?$/i.test(domain)) {
      problems.push(`validDomains: ${JSON.stringify(domain)} is not a host name (no scheme, no path)`);
    }
  }
  const bot = manifest.bots?.[0];
  if (!bot?.botId) problems.push("manifest.json: no bot with a botId");

  problems.push(...iconProblems(dir, manifest.icons?.color, 192, false));
  problems.push(...iconProblems(dir, manifest.icons?.outline, 32, true));

  const languages = manifest.localizationInfo?.additionalLanguages ?? [];
  for (const { languageTag, file } of languages) {
    const full = path.join(dir, file ?? "");
    if (!file || !existsSync(full)) { problems.push(`localization ${languageTag}: ${file} is missing`); continue; }
    let doc;
    try { doc = readJson(full); } catch (e) { problems.push(`${file}: ${e.message}`); continue; }
    problems.push(...await schemaProblems(doc, file, localizationSchemaFile));
    for (const key of Object.keys(doc)) {
      if (key === "$schema" || key === "localizationKeys") continue;
      if (!pathExists(manifest, key)) problems.push(`${file}: key ${key} names nothing in manifest.json`);
    }
  }
  return problems;
}

const file = process.argv[2];
if (!file) {
  console.error("usage: validate.mjs <manifest.json>");
  process.exit(2);
}
const problems = await validate(file);
for (const p of problems) console.error(`invalid: ${p}`);
if (problems.length === 0) console.error(`valid: ${file}`);
process.exit(problems.length ? 1 : 0);
