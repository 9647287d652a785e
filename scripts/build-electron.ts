// Bundles the Electron main process and preload into dist/electron (CommonJS, 'electron' left external).
import path from 'node:path';
import { build } from 'esbuild';

export async function buildElectron(outDir = path.resolve(import.meta.dirname, '..', 'dist', 'electron')): Promise<string> {
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    target: 'node20',
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning' as const,
  };
  await build({ ...common, entryPoints: [path.resolve(import.meta.dirname, '..', 'main', 'electron', 'main.ts')], outfile: path.join(outDir, 'main.cjs') });
  await build({
    ...common,
    entryPoints: [path.resolve(import.meta.dirname, '..', 'main', 'electron', 'preload.ts')],
    outfile: path.join(outDir, 'preload.cjs'),
  });
  return outDir;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildElectron().then(
    (d) => console.log(`electron shell built in ${d}`),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
