import type { WatcherConfig } from '../config/configSchema.js';
import type { Env } from '../env.js';
import type { Logger } from '../logger.js';

/** Parameters of {@link runDemo}. */
export type RunDemoParameters = {
  config: WatcherConfig;
  env: Env;
  configPath: string | null;
  logger: Logger;
  version: string;
};

/** Starts the devnet demo (placeholder until the devnet chains land). */
export async function runDemo(_params: RunDemoParameters): Promise<{ stop(): Promise<void> }> {
  throw new Error('demo mode is not implemented yet');
}
