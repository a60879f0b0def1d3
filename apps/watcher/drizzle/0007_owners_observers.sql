CREATE TABLE `chain_observations` (
	`chain_id` integer NOT NULL,
	`observer` text NOT NULL,
	`at` integer NOT NULL,
	`status` text,
	`head_number` integer,
	`head_seen_at` integer,
	`state_json` text NOT NULL,
	PRIMARY KEY(`chain_id`, `observer`)
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_rpc_endpoints` (
	`chain_id` integer NOT NULL,
	`observer` text DEFAULT 'local' NOT NULL,
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
	PRIMARY KEY(`chain_id`, `observer`, `position`)
);
--> statement-breakpoint
INSERT INTO `__new_rpc_endpoints`("chain_id", "observer", "url", "position", "health", "head_number", "latency_ms", "last_ok_at", "last_error", "consecutive_failures", "malformed_responses", "updated_at") SELECT "chain_id", 'local', "url", "position", "health", "head_number", "latency_ms", "last_ok_at", "last_error", "consecutive_failures", "malformed_responses", "updated_at" FROM `rpc_endpoints`;--> statement-breakpoint
DROP TABLE `rpc_endpoints`;--> statement-breakpoint
ALTER TABLE `__new_rpc_endpoints` RENAME TO `rpc_endpoints`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
ALTER TABLE `chains` ADD `owner` text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE `hip3_markets` ADD `owner` text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE `guarded_accounts` ADD `owner` text DEFAULT 'local' NOT NULL;