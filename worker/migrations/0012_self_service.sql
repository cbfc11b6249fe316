CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`department_id` text NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`subject` text NOT NULL,
	`before` text,
	`after` text,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `audit_events_department_idx` ON `audit_events` (`department_id`,`id`);--> statement-breakpoint
CREATE TABLE `origin_sightings` (
	`service_id` text NOT NULL,
	`origin` text NOT NULL,
	`last_seen_at` text NOT NULL,
	PRIMARY KEY(`service_id`, `origin`),
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `feedback` ADD `test` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `role` text DEFAULT 'member' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `invited_by` text;--> statement-breakpoint
ALTER TABLE `members` ADD `last_sign_in_at` text;--> statement-breakpoint
ALTER TABLE `services` ADD `privacy_url` text;--> statement-breakpoint
-- The first member of each department (by the order they were added) is its admin.
UPDATE `members` SET `role` = 'admin' WHERE `rowid` IN (SELECT min(`rowid`) FROM `members` GROUP BY `department_id`);
