CREATE TABLE `hip3_oracle_updates_recent` (
	`coin` text NOT NULL,
	`source` text NOT NULL,
	`at` integer NOT NULL,
	`oracle_px` text,
	`mark_px` text,
	`interval_ms` integer,
	`mark_jump` real,
	`tx_hash` text DEFAULT '' NOT NULL,
	`error` text,
	PRIMARY KEY(`at`, `coin`, `source`, `tx_hash`)
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_hip3_samples` (
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
	PRIMARY KEY(`received_at`, `coin`)
);
--> statement-breakpoint
INSERT INTO `__new_hip3_samples`("coin", "received_at", "oracle_px", "mark_px", "mid_px", "funding", "premium", "open_interest", "day_ntl_vlm", "mark_deviation", "source") SELECT "coin", "received_at", "oracle_px", "mark_px", "mid_px", "funding", "premium", "open_interest", "day_ntl_vlm", "mark_deviation", "source" FROM `hip3_samples` ORDER BY rowid;--> statement-breakpoint
DROP TABLE `hip3_samples`;--> statement-breakpoint
ALTER TABLE `__new_hip3_samples` RENAME TO `hip3_samples`;--> statement-breakpoint
PRAGMA foreign_keys=ON;