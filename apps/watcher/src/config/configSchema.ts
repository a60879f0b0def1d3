import { z } from 'zod';
import { AlertsConfig } from '../alerts/alertsConfig.js';
import { RetentionConfig } from '../retention/retentionConfig.js';
import { SecurityConfig } from '../security/securityConfig.js';
import { ChainsConfig } from './chainsConfig.js';
import { ClusterConfig, clusterCrossIssues } from './clusterConfig.js';
import { DatabaseConfig } from './databaseConfig.js';
import { Hip3Config } from './hip3Config.js';
import { IngestionConfig } from './ingestionConfig.js';
import { LogConfig } from './logConfig.js';
import { PositionsConfig, positionsCrossIssues } from './positionsConfig.js';
import { ServerConfig } from './serverConfig.js';

/**
 * The whole configuration file, composed of one schema per section (one file each in this folder).
 * To add a section: write `xConfig.ts` exporting a zod schema with defaults, add one line here.
 * Unknown top-level keys are rejected so typos are reported instead of ignored.
 */
export const WatcherConfig = z
  .object({
    server: ServerConfig,
    database: DatabaseConfig,
    log: LogConfig,
    chains: ChainsConfig,
    hip3: Hip3Config,
    alerts: AlertsConfig,
    security: SecurityConfig,
    retention: RetentionConfig,
    positions: PositionsConfig,
    ingestion: IngestionConfig,
    cluster: ClusterConfig.optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    for (const issue of positionsCrossIssues(cfg)) ctx.addIssue({ code: 'custom', ...issue });
    for (const issue of clusterCrossIssues(cfg)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type WatcherConfig = z.output<typeof WatcherConfig>;
/** What a config file may contain (before defaults). */
export type WatcherConfigInput = z.input<typeof WatcherConfig>;
