CREATE TABLE `departments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`contact_email` text NOT NULL,
	`retention_days` integer DEFAULT 730 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `feedback` (
	`id` text PRIMARY KEY NOT NULL,
	`service_id` text NOT NULL,
	`rating` integer NOT NULL,
	`story` text,
	`page` text,
	`locale` text DEFAULT 'en' NOT NULL,
	`idempotency_key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "feedback_rating_range" CHECK("feedback"."rating" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feedback_idempotency_key_unique` ON `feedback` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `feedback_service_created_idx` ON `feedback` (`service_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `service_origins` (
	`service_id` text NOT NULL,
	`origin` text NOT NULL,
	PRIMARY KEY(`service_id`, `origin`),
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `service_origins_origin_idx` ON `service_origins` (`origin`);--> statement-breakpoint
CREATE TABLE `services` (
	`id` text PRIMARY KEY NOT NULL,
	`department_id` text NOT NULL,
	`name` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `services_department_idx` ON `services` (`department_id`);