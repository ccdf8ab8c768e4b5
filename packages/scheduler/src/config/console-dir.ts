import { dirname, join } from 'node:path';

/** Where Nx builds the operator console: the `dist` folder of the installed `@banca/console` package. */
export function builtConsoleDir(): string {
  return join(dirname(require.resolve('@banca/console/package.json')), 'dist');
}
