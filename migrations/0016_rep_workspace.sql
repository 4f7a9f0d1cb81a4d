CREATE TABLE `company_cart_stats` (
	`company_id` text PRIMARY KEY NOT NULL,
	`open_carts` integer NOT NULL,
	`open_value_minor` integer NOT NULL,
	`currency` text,
	`oldest_cart_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `orders_company_status_total_idx` ON `orders` (`company_id`,`status`,`created_at`,`total_minor`);