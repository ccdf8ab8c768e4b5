// The dependency check of `npm test`: every import of a workspace package's source names a package it
// declares (a workspace package or a third-party one), and no import reaches into another package by a
// relative path. Nx draws its graph from the declarations, so an undeclared import is a hidden edge.
// Usage: node tools/check-dependencies.mjs   (exit 1 listing each problem)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEST_FILE = /(\.test\.ts|\.test-helpers\.ts|\.faults\.ts|\.faults-helpers\.ts)$/;
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const IMPORT = /(?:^|[^.\w])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w])import\s*['"]([^'"]+)['"]|(?:^|[^.\w])(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g;

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export const isBuiltin = (specifier) => specifier.startsWith('node:') || builtinModules.includes(packageNameOf(specifier));

/** The module specifiers a source text imports, comments left out. */
export function importsOf(text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return [...code.matchAll(IMPORT)].map((match) => match[1] ?? match[2] ?? match[3]);
}

/**
 * The problems of one package: `files` are its source files (absolute), `manifest` its package.json,
 * `rootManifest` the workspace root's (whose devDependencies serve every test); paths are shown from `root`.
 */
export function problemsOf({ dir, manifest, rootManifest, files, root = ROOT }) {
  const production = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
  const forTests = new Set([...production, ...Object.keys(manifest.devDependencies ?? {}), ...Object.keys(rootManifest.devDependencies ?? {})]);
  const problems = [];
  for (const file of files) {
    const where = relative(root, file);
    const declared = TEST_FILE.test(file) ? forTests : production;
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        if (!(target + sep).startsWith(dir + sep)) problems.push(`${where}: imports ${specifier}, outside its package: import the other package by name`);
        continue;
      }
      if (isBuiltin(specifier)) continue;
      const name = packageNameOf(specifier);
      if (name === manifest.name) continue;
      if (!declared.has(name)) {
        const kind = name.startsWith('@banca/') ? 'the workspace package' : 'the package';
        problems.push(`${where}: imports ${kind} ${name}, which ${relative(root, join(dir, 'package.json'))} does not declare${TEST_FILE.test(file) ? '' : ' as a dependency'}`);
      }
    }
  }
  return problems;
}

function sourceFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (SOURCE.test(entry) && !entry.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

function main() {
  const rootManifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const problems = [];
  for (const workspace of rootManifest.workspaces) {
    const dir = join(ROOT, workspace);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const roots = ['src', 'bin'].map((part) => join(dir, part)).filter((path) => statSync(path, { throwIfNoEntry: false })?.isDirectory());
    problems.push(...problemsOf({ dir, manifest, rootManifest, files: roots.flatMap(sourceFiles) }));
  }
  if (problems.length > 0) {
    console.error(`dependency check: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exit(1);
  }
  console.log(`dependency check: every import of ${rootManifest.workspaces.length} packages is declared`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
