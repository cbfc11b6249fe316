ALTER TABLE `sign_in_links` ADD `requested_by` text;--> statement-breakpoint
CREATE INDEX `sign_in_links_email_idx` ON `sign_in_links` (`email`,`created_at`);--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `disabled_by` text;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `disabled_at` text;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `tested_ok_at` text;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `test_window_started_at` text;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `tests_in_window` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Who disabled each subscription that is disabled now, read from the reason each door wrote. A
-- reason none of them wrote is taken as an operator's: only an operator may enable it again.
UPDATE `subscriptions` SET
  `disabled_by` = CASE
    WHEN `disabled_reason` LIKE 'Paused by %' THEN 'department'
    WHEN `disabled_reason` LIKE 'The receiver answered 410%' OR `disabled_reason` LIKE 'Every delivery since %' THEN 'failures'
    ELSE 'operator'
  END,
  `disabled_at` = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE `state` = 'disabled';
