#!/usr/bin/env node
// Fills the manifest template and stages the package contents.
//   node fill.mjs <source-dir> <stage-dir>
// Every ${{NAME}} in <source-dir>/manifest.json is replaced by the environment variable NAME (JSON-escaped);
// an unset or empty one is an error. The filled manifest plus exactly the icon and localization files it names
// are copied to <stage-dir>, which becomes the zip root.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const [sourceDir, stageDir] = process.argv.slice(2);
if (!sourceDir || !stageDir) {
  console.error("usage: fill.mjs <source-dir> <stage-dir>");
  process.exit(2);
}

const template = readFileSync(path.join(sourceDir, "manifest.json"), "utf8").replace(/^\uFEFF/, "");
const problems = [];
const filled = template.replace(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name) => {
  const value = process.env[name];
  if (value === undefined || value.trim() === "") {
    problems.push(`${name} is not set (placeholder \${{${name}}} in manifest.json)`);
    return "";
  }
  return JSON.stringify(value.trim()).slice(1, -1);
});

let manifest;
if (problems.length === 0) {
  try {
    manifest = JSON.parse(filled);
  } catch (e) {
    problems.push(`manifest.json is not valid JSON after filling: ${e.message}`);
  }
}

const files = manifest
  ? [manifest.icons?.color, manifest.icons?.outline, manifest.icons?.color32x32,
     manifest.localizationInfo?.defaultLanguageFile,
     ...(manifest.localizationInfo?.additionalLanguages ?? []).map((l) => l.file)].filter(Boolean)
  : [];
for (const file of files) {
  // The zip is flat: every referenced file must be a plain name beside manifest.json.
  if (path.basename(file) !== file) problems.push(`${file}: files must sit at the package root (no folders)`);
  else if (!existsSync(path.join(sourceDir, file))) problems.push(`${file} is named by the manifest but missing`);
}

if (problems.length) {
  for (const p of problems) console.error(`invalid package: ${p}`);
  process.exit(1);
}

mkdirSync(stageDir, { recursive: true });
writeFileSync(path.join(stageDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
for (const file of new Set(files)) copyFileSync(path.join(sourceDir, file), path.join(stageDir, file));
