-- D1 runs a migration in one transaction, where foreign keys cannot be switched off: deferring
-- their checks to the commit lets the departments table be rebuilt with its new default.
PRAGMA defer_foreign_keys = on;--> statement-breakpoint
CREATE TABLE `__new_departments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`contact_email` text NOT NULL,
	`retention_days` integer DEFAULT 365 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_departments`("id", "name", "contact_email", "retention_days", "created_at") SELECT "id", "name", "contact_email", "retention_days", "created_at" FROM `departments`;--> statement-breakpoint
DROP TABLE `departments`;--> statement-breakpoint
ALTER TABLE `__new_departments` RENAME TO `departments`;--> statement-breakpoint
ALTER TABLE `feedback` ADD `status` text DEFAULT 'new' NOT NULL;--> statement-breakpoint
ALTER TABLE `feedback` ADD `receipt_hash` text;--> statement-breakpoint
ALTER TABLE `feedback` ADD `repeat_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `feedback_receipt_hash_unique` ON `feedback` (`receipt_hash`);--> statement-breakpoint
CREATE INDEX `feedback_repeat_idx` ON `feedback` (`repeat_key`,`created_at`);--> statement-breakpoint
CREATE INDEX `feedback_created_idx` ON `feedback` (`created_at`);--> statement-breakpoint
ALTER TABLE `services` ADD `turnstile_sitekey` text;--> statement-breakpoint
ALTER TABLE `services` ADD `turnstile_secret` text;