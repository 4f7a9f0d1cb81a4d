CREATE TABLE `kpi_monthly` (
	`company_id` text NOT NULL,
	`month` text NOT NULL,
	`channel` text NOT NULL,
	`currency` text NOT NULL,
	`orders` integer NOT NULL,
	`value_minor` integer NOT NULL,
	PRIMARY KEY(`company_id`, `month`, `channel`, `currency`)
);
--> statement-breakpoint
CREATE INDEX `kpi_monthly_month_idx` ON `kpi_monthly` (`month`);--> statement-breakpoint
CREATE TABLE `kpi_monthly_durations` (
	`company_id` text NOT NULL,
	`month` text NOT NULL,
	`metric` text NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`company_id`, `month`, `metric`, `bucket`)
);
--> statement-breakpoint
CREATE INDEX `kpi_monthly_durations_month_idx` ON `kpi_monthly_durations` (`month`);--> statement-breakpoint
CREATE TABLE `kpi_monthly_quotes` (
	`company_id` text NOT NULL,
	`month` text NOT NULL,
	`decided` integer NOT NULL,
	`ordered` integer NOT NULL,
	PRIMARY KEY(`company_id`, `month`)
);
--> statement-breakpoint
CREATE INDEX `kpi_monthly_quotes_month_idx` ON `kpi_monthly_quotes` (`month`);--> statement-breakpoint
CREATE TABLE `kpi_monthly_users` (
	`company_id` text NOT NULL,
	`month` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`company_id`, `month`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `kpi_monthly_users_month_idx` ON `kpi_monthly_users` (`month`);