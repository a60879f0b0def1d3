CREATE TABLE `hip3_dexes` (
	`name` text PRIMARY KEY NOT NULL,
	`full_name` text NOT NULL,
	`deployer` text NOT NULL,
	`oracle_writers_json` text NOT NULL,
	`dex_index` integer NOT NULL,
	`total_oi_cap_usd` text,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `hip3_markets` (
	`coin` text PRIMARY KEY NOT NULL,
	`dex` text NOT NULL,
	`meta_json` text NOT NULL,
	`is_delisted` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`status_since` integer NOT NULL,
	`reasons_json` text NOT NULL,
	`metrics_json` text NOT NULL,
	`last_sample_at` integer,
	`first_seen_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `hip3_markets_dex` ON `hip3_markets` (`dex`);--> statement-breakpoint
CREATE TABLE `hip3_oracle_updates` (
	`coin` text NOT NULL,
	`source` text NOT NULL,
	`at` integer NOT NULL,
	`oracle_px` text,
	`mark_px` text,
	`interval_ms` integer,
	`mark_jump` real,
	`tx_hash` text DEFAULT '' NOT NULL,
	`error` text,
	PRIMARY KEY(`coin`, `source`, `at`, `tx_hash`)
);
--> statement-breakpoint
CREATE TABLE `hip3_samples` (
	`coin` text NOT NULL,
	`received_at` integer NOT NULL,
	`oracle_px` text NOT NULL,
	`mark_px` text NOT NULL,
	`mid_px` text,
	`funding` text NOT NULL,
	`premium` text,
	`open_interest` text NOT NULL,
	`day_ntl_vlm` text NOT NULL,
	`mark_deviation` real,
	`source` text NOT NULL,
	PRIMARY KEY(`coin`, `received_at`)
);
--> statement-breakpoint
CREATE TABLE `hip3_status_transitions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`coin` text NOT NULL,
	`at` integer NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`reasons_json` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `hip3_transitions_coin_at` ON `hip3_status_transitions` (`coin`,`at`);--> statement-breakpoint
CREATE TABLE `hip3_stream_gaps` (
	`from_at` integer NOT NULL,
	`to_at` integer NOT NULL,
	`reason` text NOT NULL,
	PRIMARY KEY(`from_at`, `reason`)
);
