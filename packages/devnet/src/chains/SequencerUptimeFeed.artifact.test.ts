import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSequencerUptimeFeed, contractPaths } from '../../scripts/compile-contracts.js';
import { sequencerUptimeFeedArtifact } from './SequencerUptimeFeed.artifact.js';

describe('SequencerUptimeFeed artifact', () => {
  it('matches a fresh solc compilation of the committed source', () => {
    const compiled = compileSequencerUptimeFeed();
    expect(compiled.solcVersion).toBe(sequencerUptimeFeedArtifact.solcVersion);
    expect(compiled.sourceSha256).toBe(sequencerUptimeFeedArtifact.sourceSha256);
    expect(compiled.bytecode).toBe(sequencerUptimeFeedArtifact.bytecode);
    expect(compiled.abi).toEqual(sequencerUptimeFeedArtifact.abi);
  });

  it('records the hash of the source file on disk', () => {
    const sha = createHash('sha256').update(readFileSync(contractPaths.source)).digest('hex');
    expect(sequencerUptimeFeedArtifact.sourceSha256).toBe(sha);
  });

  it('exposes the AggregatorV2V3Interface subset consumers call', () => {
    const functions = sequencerUptimeFeedArtifact.abi
      .filter((item) => item.type === 'function')
      .map((item) => ('name' in item ? item.name : ''));
    expect(functions).toEqual(
      expect.arrayContaining([
        'latestRoundData',
        'getRoundData',
        'decimals',
        'description',
        'version',
        'setStatus',
        'setReadReverts',
      ]),
    );
  });
});
