import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFolder } from '../../src/db/openDb.js';

/**
 * A copy, under `into`, of the migrations `folder` (default: the SQLite ones) whose journal stops
 * before `tag`: the migrations an older release applied, to build the database it left.
 *
 * @throws when `tag` is not a later migration of `folder`.
 */
export function migrationsBefore(into: string, tag: string, folder = migrationsFolder): string {
  const copy = join(into, `migrations-before-${tag}`);
  cpSync(folder, copy, { recursive: true });
  const journalPath = join(copy, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  if (cut < 1)
    throw new Error(`migrationsBefore: no migration ${tag} after the first in ${folder}`);
  journal.entries = journal.entries.slice(0, cut);
  writeFileSync(journalPath, JSON.stringify(journal));
  return copy;
}
