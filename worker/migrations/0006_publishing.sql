ALTER TABLE `feedback` ADD `published` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `services` ADD `publishing` integer DEFAULT false NOT NULL;