PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_rpc_endpoints` (
	`chain_id` integer NOT NULL,
	`url` text NOT NULL,
	`position` integer NOT NULL,
	`health` text DEFAULT 'unknown' NOT NULL,
	`head_number` integer,
	`latency_ms` integer,
	`last_ok_at` integer,
	`last_error` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`malformed_responses` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`chain_id`, `position`)
);
--> statement-breakpoint
-- Not copied: the old rows hold raw RPC URLs (provider keys) and two URLs could share a position.
-- Health is transient; the next poll writes every endpoint again, redacted.
DROP TABLE `rpc_endpoints`;--> statement-breakpoint
ALTER TABLE `__new_rpc_endpoints` RENAME TO `rpc_endpoints`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
-- The stored chain config kept raw RPC URLs too; the next start writes them back redacted.
UPDATE `chains` SET `config_json` = json_set(`config_json`, '$.rpcUrls', json_array());