CREATE TABLE `cart_activity` (
	`company_id` text NOT NULL,
	`day` text NOT NULL,
	`user_id` text NOT NULL,
	`origin` text NOT NULL,
	PRIMARY KEY(`company_id`, `day`, `user_id`, `origin`)
);
--> statement-breakpoint
CREATE INDEX `cart_activity_day_idx` ON `cart_activity` (`day`);--> statement-breakpoint
CREATE TABLE `kpi_daily` (
	`company_id` text NOT NULL,
	`day` text NOT NULL,
	`channel` text NOT NULL,
	`currency` text NOT NULL,
	`orders` integer NOT NULL,
	`value_minor` integer NOT NULL,
	PRIMARY KEY(`company_id`, `day`, `channel`, `currency`)
);
--> statement-breakpoint
CREATE INDEX `kpi_daily_day_idx` ON `kpi_daily` (`day`);--> statement-breakpoint
CREATE TABLE `kpi_daily_durations` (
	`company_id` text NOT NULL,
	`day` text NOT NULL,
	`metric` text NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`company_id`, `day`, `metric`, `bucket`)
);
--> statement-breakpoint
CREATE INDEX `kpi_daily_durations_day_idx` ON `kpi_daily_durations` (`day`);--> statement-breakpoint
CREATE TABLE `kpi_daily_quotes` (
	`company_id` text NOT NULL,
	`day` text NOT NULL,
	`decided` integer NOT NULL,
	`ordered` integer NOT NULL,
	PRIMARY KEY(`company_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `kpi_daily_quotes_day_idx` ON `kpi_daily_quotes` (`day`);--> statement-breakpoint
CREATE TABLE `kpi_daily_users` (
	`company_id` text NOT NULL,
	`day` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`company_id`, `day`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `kpi_daily_users_day_idx` ON `kpi_daily_users` (`day`);--> statement-breakpoint
CREATE TABLE `kpi_watermarks` (
	`source` text PRIMARY KEY NOT NULL,
	`up_to` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `orders` ADD `cart_started_at` integer;--> statement-breakpoint
CREATE INDEX `orders_updated_idx` ON `orders` (`updated_at`);