CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`department_id` text NOT NULL,
	`hash` text NOT NULL,
	`scopes` text NOT NULL,
	`label` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`last_used_at` text,
	`revoked_at` text,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_unique` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_department_idx` ON `api_keys` (`department_id`);--> statement-breakpoint
ALTER TABLE `feedback` ADD `tags` text DEFAULT '[]' NOT NULL;