import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { logLineWriter } from './startIngestionWorker.js';

const capture = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk).trim());
      done();
    },
  });
  return { lines, stream };
};

describe('logLineWriter (the ingestion worker logs where the main logger does)', () => {
  it('routes each worker line by its own level through a multistream (the quiet demo: file + stderr for errors)', () => {
    const file = capture();
    const stderr = capture();
    const logger = pino(
      { level: 'info' },
      pino.multistream([
        { level: 'info', stream: file.stream },
        { level: 'error', stream: stderr.stream },
      ]),
    );
    const write = logLineWriter(logger);
    expect(write).not.toBeNull();
    logger.error('main error'); // leaves the multistream's last level at error
    write?.(`${JSON.stringify({ level: 30, msg: 'worker info', thread: 'ingestion' })}\n`);
    write?.(`${JSON.stringify({ level: 50, msg: 'worker error', thread: 'ingestion' })}\n`);
    const msgs = (lines: string[]) => lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(msgs(file.lines)).toEqual(['main error', 'worker info', 'worker error']);
    expect(msgs(stderr.lines)).toEqual(['main error', 'worker error']);
  });

  it('writes lines unchanged to a plain destination', () => {
    const out = capture();
    const write = logLineWriter(pino({ level: 'info' }, out.stream));
    write?.('{"level":40,"msg":"as is"}\n');
    expect(out.lines).toEqual(['{"level":40,"msg":"as is"}']);
  });
});
