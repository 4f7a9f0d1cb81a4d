CREATE TABLE `cart_offers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`company_id` text,
	`group_id` text,
	`currency` text NOT NULL,
	`kind` text NOT NULL,
	`threshold_minor` integer,
	`discount_bp` integer,
	`target_type` text,
	`target` text,
	`buy_quantity` integer,
	`free_quantity` integer,
	`max_applications` integer,
	`priority` integer DEFAULT 0 NOT NULL,
	`combinable` integer DEFAULT true NOT NULL,
	`valid_from` integer,
	`valid_to` integer,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `customer_groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cart_offers_company_idx` ON `cart_offers` (`company_id`);--> statement-breakpoint
CREATE INDEX `cart_offers_group_idx` ON `cart_offers` (`group_id`);--> statement-breakpoint
CREATE INDEX `cart_offers_status_currency_idx` ON `cart_offers` (`status`,`currency`);