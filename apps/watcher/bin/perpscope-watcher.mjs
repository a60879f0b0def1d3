#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so there is no build step between a change and a run.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { register } from 'tsx/esm/api';

const unregister = register();
await import('../src/cli.ts');
// The CLI resolves once the watcher has started and every TypeScript module is loaded (the demo's
// too). Remove the transpiling loader hooks and collect, once, the garbage that transpiling the whole
// module graph left behind, so the long-running process starts small (SPEC §6: RSS < 200 MB). Code
// must not import TypeScript lazily after start-up; plain-JS dependencies still load normally.
await unregister();
setFlagsFromString('--expose-gc');
runInNewContext('gc')();
