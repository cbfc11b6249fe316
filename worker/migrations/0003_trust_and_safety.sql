ALTER TABLE `feedback` ADD `status` text DEFAULT 'new' NOT NULL;--> statement-breakpoint
ALTER TABLE `feedback` ADD `receipt_hash` text;--> statement-breakpoint
ALTER TABLE `feedback` ADD `repeat_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `feedback_receipt_hash_unique` ON `feedback` (`receipt_hash`);--> statement-breakpoint
CREATE INDEX `feedback_repeat_idx` ON `feedback` (`repeat_key`,`created_at`);--> statement-breakpoint
CREATE INDEX `feedback_created_idx` ON `feedback` (`created_at`);--> statement-breakpoint
ALTER TABLE `services` ADD `turnstile_sitekey` text;--> statement-breakpoint
ALTER TABLE `services` ADD `turnstile_secret` text;