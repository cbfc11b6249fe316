CREATE TABLE `email_replies` (
	`message_id_hash` text PRIMARY KEY NOT NULL,
	`answer_id` text NOT NULL,
	`from_address` text NOT NULL,
	`received_at` text NOT NULL,
	FOREIGN KEY (`answer_id`) REFERENCES `answers`(`id`) ON UPDATE no action ON DELETE cascade
);
