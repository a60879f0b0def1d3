CREATE TABLE `guarded_accounts` (
	`address_hash` text PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`mode` text,
	`status` text NOT NULL,
	`reason` text,
	`last_success_at` integer,
	`last_attempt_at` integer,
	`fills_checked_to` integer,
	`state_json` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `guarded_liquidations` (
	`address_hash` text NOT NULL,
	`tid` text NOT NULL,
	`coin` text NOT NULL,
	`at` integer NOT NULL,
	`fill_json` text NOT NULL,
	PRIMARY KEY(`address_hash`, `tid`)
);
--> statement-breakpoint
CREATE INDEX `guarded_liquidations_at` ON `guarded_liquidations` (`address_hash`,`at`);--> statement-breakpoint
CREATE TABLE `guarded_positions` (
	`address_hash` text NOT NULL,
	`coin` text NOT NULL,
	`dex` text NOT NULL,
	`level` text NOT NULL,
	`known_level` text NOT NULL,
	`base_level` text NOT NULL,
	`episode_id` text,
	`state_json` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`address_hash`, `coin`)
);
