#!/usr/bin/env node
// The `wfp-blocks` command (package.json "bin"): everything else is in lib/cli/.
import { main } from './cli/index';

void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin }).then(
  (code) => {
    process.exitCode = code;
  },
);
