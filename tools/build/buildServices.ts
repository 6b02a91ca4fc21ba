import { existsSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Plugin } from 'esbuild';

/**
 * Bundled modules keep asking where *they* are (migrations, the stylesheet, the pretty
 * logger): each gets its own source location, not the bundle's. The bundle is built where
 * it runs (by `npm start`), so the paths hold.
 */
const ownLocation: Plugin = {
  name: 'own-location',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return {
        contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: 'ts',
      };
    });
  },
};

/** npm packages stay in node_modules; only aTES's own TypeScript goes into the bundle. */
const packagesOutside: Plugin = {
  name: 'packages-outside',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@ates/') || args.path.startsWith('node:') ? undefined : { path: args.path, external: true },
    );
  },
};

/** Everything aTES compiles is bundled the same way: ESM for Node 22+, with source maps. */
const bundled: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: true,
  logLevel: 'error',
  plugins: [packagesOutside, ownLocation],
};

/** The services of this checkout: each folder under services/ with a src/main.ts. */
export function serviceNames(root: string): string[] {
  return readdirSync(join(root, 'services')).filter((name) =>
    existsSync(join(root, 'services', name, 'src', 'main.ts')),
  );
}

/**
 * Compiles each service to one JavaScript file (`services/<name>/dist/main.js`, with a
 * source map), so a service starts without compiling TypeScript first.
 */
export async function buildServices(root: string, names: readonly string[]): Promise<void> {
  await Promise.all(
    names.map((name) =>
      build({
        ...bundled,
        entryPoints: [join(root, 'services', name, 'src', 'main.ts')],
        outfile: join(root, 'services', name, 'dist', 'main.js'),
      }),
    ),
  );
}

/**
 * Compiles `scripts/<name>.ts` to `dist/scripts/<name>.js`. Split into chunks, so what a
 * script imports only when it needs it (`await import(…)`) is loaded only then: the CLI
 * answers `--help` without loading the sign-in stack.
 */
export async function buildScript(root: string, name: string): Promise<void> {
  // Chunk names carry a hash of their content: the last build's would pile up.
  const chunks = join(root, 'dist', 'scripts', 'chunks');
  if (existsSync(chunks))
    for (const file of readdirSync(chunks)) if (file.startsWith(`${name}-`)) rmSync(join(chunks, file));
  await build({
    ...bundled,
    entryPoints: [join(root, 'scripts', `${name}.ts`)],
    outdir: join(root, 'dist', 'scripts'),
    chunkNames: `chunks/${name}-[hash]`,
    splitting: true,
  });
}
