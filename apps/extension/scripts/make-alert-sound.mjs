#!/usr/bin/env node
// Writes public/sounds/critical.wav, the short sound played with critical notifications (optional
// setting): two rising sine tones (880 Hz, then 1320 Hz), 0.16 s each with 10 ms fades, 16-bit PCM
// mono at 11,025 Hz (~7.7 kB). Generated here, not downloaded; run again after changing it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const rate = 11_025;
const tones = [880, 1320];
const toneSeconds = 0.16;
const gapSeconds = 0.03;
const fade = Math.round(0.01 * rate);
const samples = [];
for (const [i, hz] of tones.entries()) {
  const n = Math.round(toneSeconds * rate);
  for (let k = 0; k < n; k++) {
    const envelope = Math.min(1, k / fade, (n - 1 - k) / fade);
    samples.push(Math.round(0.5 * 32767 * envelope * Math.sin((2 * Math.PI * hz * k) / rate)));
  }
  if (i < tones.length - 1) for (let k = 0; k < Math.round(gapSeconds * rate); k++) samples.push(0);
}
const data = Buffer.alloc(samples.length * 2);
for (const [k, v] of samples.entries()) data.writeInt16LE(v, k * 2);
const header = Buffer.alloc(44);
header.write('RIFF', 0, 'ascii');
header.writeUInt32LE(36 + data.length, 4);
header.write('WAVE', 8, 'ascii');
header.write('fmt ', 12, 'ascii');
header.writeUInt32LE(16, 16); // PCM chunk size
header.writeUInt16LE(1, 20); // PCM
header.writeUInt16LE(1, 22); // mono
header.writeUInt32LE(rate, 24);
header.writeUInt32LE(rate * 2, 28); // byte rate
header.writeUInt16LE(2, 32); // block align
header.writeUInt16LE(16, 34); // bits per sample
header.write('data', 36, 'ascii');
header.writeUInt32LE(data.length, 40);
const out = resolve(import.meta.dirname, '..', 'public', 'sounds', 'critical.wav');
mkdirSync(resolve(out, '..'), { recursive: true });
writeFileSync(out, Buffer.concat([header, data]));
console.log(`wrote ${out}: ${44 + data.length} bytes, ${(samples.length / rate).toFixed(2)} s`);
