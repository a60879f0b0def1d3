#!/usr/bin/env node
// Fails the build when a content script exceeds SPEC §6's budget (60 kB gzip): content scripts
// load on every exchange page view, so their size is a user-facing cost.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const LIMIT_BYTES = 60 * 1024;
const root = resolve(import.meta.dirname, '..', '.output');
let failed = false;
for (const target of readdirSync(root).filter((d) => /^(chrome|firefox)-mv\d$/.test(d))) {
  const dir = join(root, target, 'content-scripts');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const raw = readFileSync(join(dir, file));
    const gz = gzipSync(raw, { level: 9 }).length;
    const ok = gz <= LIMIT_BYTES;
    failed ||= !ok;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${target}/content-scripts/${file}: ${(raw.length / 1024).toFixed(1)} kB, ${(gz / 1024).toFixed(1)} kB gzip (limit ${LIMIT_BYTES / 1024} kB)`,
    );
  }
}
if (failed) {
  console.error(
    'content script over the 60 kB gzip budget (SPEC §6): keep zod and the math out of content scripts',
  );
  process.exit(1);
}
