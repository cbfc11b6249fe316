CREATE TABLE `spent_form_tokens` (
	`token` text PRIMARY KEY NOT NULL,
	`spent_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `spent_form_tokens_spent_idx` ON `spent_form_tokens` (`spent_at`);