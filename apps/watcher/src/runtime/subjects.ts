import { createHip3Subject } from '../subjects/hip3/hip3Subject.js';
import { createPositionsSubject } from '../subjects/positions/positionsSubject.js';
import { createChainsSubject } from '../subjects/sequencer/chainsSubject.js';
import type { SubjectFactory } from './subject.js';

/**
 * Every subject the watcher runs. To add one: export a `SubjectFactory` from your folder and add it
 * here (one line).
 */
export const subjectFactories: readonly SubjectFactory[] = [
  createChainsSubject,
  createHip3Subject,
  createPositionsSubject,
];
