CREATE TABLE `watchers` (
	`id` text PRIMARY KEY NOT NULL,
	`instance` text NOT NULL,
	`mode` text NOT NULL,
	`started_at` integer NOT NULL,
	`heartbeat_at` integer NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`version` text NOT NULL
);
