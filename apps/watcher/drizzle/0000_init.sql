CREATE TABLE `blocks` (
	`chain_id` integer NOT NULL,
	`number` integer NOT NULL,
	`hash` text NOT NULL,
	`parent_hash` text NOT NULL,
	`timestamp` integer NOT NULL,
	`tx_count` integer NOT NULL,
	`seen_at` integer NOT NULL,
	`canonical` integer DEFAULT true NOT NULL,
	PRIMARY KEY(`chain_id`, `number`, `hash`)
);
--> statement-breakpoint
CREATE INDEX `blocks_chain_seen` ON `blocks` (`chain_id`,`seen_at`);--> statement-breakpoint
CREATE TABLE `chain_state` (
	`chain_id` integer PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`status_since` integer NOT NULL,
	`state_json` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `chains` (
	`chain_id` integer PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`class` text NOT NULL,
	`block_time_ms` integer,
	`config_json` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rpc_endpoints` (
	`chain_id` integer NOT NULL,
	`url` text NOT NULL,
	`position` integer NOT NULL,
	`health` text DEFAULT 'unknown' NOT NULL,
	`head_number` integer,
	`latency_ms` integer,
	`last_ok_at` integer,
	`last_error` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`chain_id`, `url`)
);
--> statement-breakpoint
CREATE TABLE `status_transitions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chain_id` integer NOT NULL,
	`at` integer NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`reasons_json` text NOT NULL,
	`flags_json` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `status_transitions_chain_at` ON `status_transitions` (`chain_id`,`at`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`kind` text NOT NULL,
	`severity` text NOT NULL,
	`state` text NOT NULL,
	`title` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`updated_at` integer NOT NULL,
	`peak_json` text DEFAULT '{}' NOT NULL,
	`context_json` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_one_open` ON `incidents` (`subject_type`,`subject_id`,`kind`) WHERE "incidents"."state" = 'open';--> statement-breakpoint
CREATE INDEX `incidents_started` ON `incidents` (`started_at`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`payload_json` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_subject` ON `events` (`subject_type`,`subject_id`,`id`);