#!/usr/bin/env node
'use strict';
// The `banca` command: the compiled CLI when the package is built, else the TypeScript source through tsx.
// Tracing is started first (src/telemetry/register.ts), so the libraries it instruments load under it.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (existsSync(built) && !process.env.BANCA_FROM_SOURCE) {
  require(join(__dirname, '..', 'dist', 'telemetry', 'register.js'));
  require(built).main(process.argv.slice(2));
} else {
  const { spawn } = require('node:child_process');
  const source = join(__dirname, '..', 'src', 'cli', 'main.ts');
  const register = join(__dirname, '..', 'src', 'telemetry', 'register.ts');
  const child = spawn(
    process.execPath,
    [
      '--conditions=@banca/source',
      '--require',
      require.resolve('tsx/cjs'),
      '--require',
      register,
      '-e',
      `require(${JSON.stringify(source)}).main(process.argv.slice(1))`,
      '--',
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
