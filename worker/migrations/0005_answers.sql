CREATE TABLE `answers` (
	`id` text PRIMARY KEY NOT NULL,
	`feedback_id` text NOT NULL,
	`text` text NOT NULL,
	`changed` integer DEFAULT false NOT NULL,
	`change` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`feedback_id`) REFERENCES `feedback`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `answers_feedback_idx` ON `answers` (`feedback_id`);--> statement-breakpoint
ALTER TABLE `deliveries` ADD `answer_id` text REFERENCES answers(id);