CREATE TABLE `alert_cursor` (
	`name` text PRIMARY KEY NOT NULL,
	`last_event_id` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alert_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedupe_key` text NOT NULL,
	`sink` text NOT NULL,
	`subject` text NOT NULL,
	`incident_id` text NOT NULL,
	`transition` text NOT NULL,
	`severity` text NOT NULL,
	`payload` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at_ms` integer NOT NULL,
	`created_at_ms` integer NOT NULL,
	`delivered_at_ms` integer,
	`last_http_status` integer,
	`last_error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_outbox_dedupe_key_unique` ON `alert_outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `alert_outbox_due_idx` ON `alert_outbox` (`state`,`next_attempt_at_ms`);--> statement-breakpoint
CREATE INDEX `alert_outbox_subject_idx` ON `alert_outbox` (`sink`,`subject`,`created_at_ms`);--> statement-breakpoint
CREATE TABLE `retention_state` (
	`target` text PRIMARY KEY NOT NULL,
	`rolled_until` integer NOT NULL,
	`last_run_at` integer NOT NULL,
	`last_pruned_rows` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rollups_hourly` (
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`metric` text NOT NULL,
	`hour_start` integer NOT NULL,
	`count` integer NOT NULL,
	`min` real,
	`max` real,
	`sum` real,
	PRIMARY KEY(`subject_type`, `subject_id`, `metric`, `hour_start`)
);
