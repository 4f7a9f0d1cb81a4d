ALTER TABLE `users` ADD `period_limit_minor` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `period_limit_period` text;--> statement-breakpoint
ALTER TABLE `company_settings` ADD `cost_center_required` text DEFAULT 'when_budgeted' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `roles_company_key_uq` ON `roles` (`company_id`,`key`);