// The project's import graph, read with the TypeScript compiler: every import, `export … from`, dynamic import(), require() and import type, resolved as tsc resolves it.
import fs from 'node:fs';
import path from 'node:path';
import { isBuiltin } from 'node:module';
import ts from 'typescript';

/** What an import names, once resolved. `file` is project-relative with forward slashes. */
export type ImportTarget =
  | { kind: 'file'; file: string }
  | { kind: 'builtin'; name: string }
  | { kind: 'package'; name: string }
  | { kind: 'outside'; file: string }
  | { kind: 'unresolved' };

export type ImportForm = 'import' | 'import type' | 'export from' | 'dynamic import' | 'require' | 'type import()';

export interface ImportEdge {
  /** The importing file, project-relative. */
  file: string;
  line: number;
  specifier: string;
  form: ImportForm;
  target: ImportTarget;
}

/** The folders whose files are read (every folder with TypeScript in the project). */
export const SOURCE_DIRS = ['common', 'storage', 'media', 'main', 'renderer', 'agent', 'bench', 'scripts', 'test'] as const;
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
/** Folders never read: dependencies, generated clips, recorded data directories. */
const SKIP_DIRS = new Set(['node_modules', 'generated', 'argus-data', 'dist']);

function walk(dir: string, out: string[]): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(e.name) || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (SOURCE.test(e.name)) out.push(p);
  }
}

/** Compiler options of the tree's tsconfig.json (or the project's defaults for a tree without one). */
function compilerOptions(root: string): ts.CompilerOptions {
  const file = path.join(root, 'tsconfig.json');
  const base: ts.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.ReactJSX,
    resolveJsonModule: true,
  };
  if (!fs.existsSync(file)) return { ...base, allowJs: true };
  const read = ts.readConfigFile(file, (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, root);
  return { ...base, ...parsed.options, allowJs: true };
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function stringArg(node: ts.Expression | undefined): string | null {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null;
}

/** Every import-like reference in one source file (specifier, form, position). */
function importsOf(sf: ts.SourceFile): Array<{ specifier: string; form: ImportForm; pos: number }> {
  const out: Array<{ specifier: string; form: ImportForm; pos: number }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const spec = stringArg(node.moduleSpecifier);
      if (spec !== null) out.push({ specifier: spec, form: node.importClause?.isTypeOnly ? 'import type' : 'import', pos: node.getStart(sf) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const spec = stringArg(node.moduleSpecifier);
      if (spec !== null) out.push({ specifier: spec, form: 'export from', pos: node.getStart(sf) });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const spec = stringArg(node.moduleReference.expression);
      if (spec !== null) out.push({ specifier: spec, form: 'require', pos: node.getStart(sf) });
    } else if (ts.isCallExpression(node)) {
      const spec = stringArg(node.arguments[0]);
      if (spec !== null && node.expression.kind === ts.SyntaxKind.ImportKeyword) out.push({ specifier: spec, form: 'dynamic import', pos: node.getStart(sf) });
      else if (spec !== null && ts.isIdentifier(node.expression) && node.expression.text === 'require')
        out.push({ specifier: spec, form: 'require', pos: node.getStart(sf) });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const spec = stringArg(node.argument.literal as ts.Expression);
      if (spec !== null) out.push({ specifier: spec, form: 'type import()', pos: node.getStart(sf) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Reads every source file under root's SOURCE_DIRS and resolves each import with the compiler's module resolution. */
export function importGraph(root: string): { files: string[]; edges: ImportEdge[] } {
  const abs: string[] = [];
  for (const d of SOURCE_DIRS) walk(path.join(root, d), abs);
  const options = compilerOptions(root);
  const host: ts.ModuleResolutionHost = ts.sys;
  const cache = ts.createModuleResolutionCache(root, (f) => f, options);
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const edges: ImportEdge[] = [];
  for (const file of abs) {
    const text = fs.readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : undefined);
    for (const imp of importsOf(sf)) {
      const line = sf.getLineAndCharacterOfPosition(imp.pos).line + 1;
      edges.push({ file: rel(file), line, specifier: imp.specifier, form: imp.form, target: resolve(imp.specifier, file) });
    }
  }
  return { files: abs.map(rel), edges };

  function resolve(spec: string, from: string): ImportTarget {
    const relative = spec.startsWith('.') || spec.startsWith('/');
    if (!relative && isBuiltin(spec)) return { kind: 'builtin', name: spec.replace(/^node:/, '') };
    const r = ts.resolveModuleName(spec, from, options, host, cache).resolvedModule;
    let resolved = r && !r.isExternalLibraryImport ? r.resolvedFileName : null;
    if (!r && relative) {
      // Assets the compiler does not resolve (`import './wall.css'`): the file itself.
      const p = path.resolve(path.dirname(from), spec);
      if (fs.existsSync(p) && fs.statSync(p).isFile()) resolved = p;
    }
    if (resolved) {
      const f = rel(resolved);
      return f.startsWith('../') || path.isAbsolute(f) ? { kind: 'outside', file: f } : { kind: 'file', file: f };
    }
    if (!relative) return { kind: 'package', name: packageName(spec) };
    return { kind: 'unresolved' };
  }
}
