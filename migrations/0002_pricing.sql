CREATE TABLE `assortment_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`scope_type` text NOT NULL,
	`company_id` text,
	`group_id` text,
	`region` text,
	`effect` text NOT NULL,
	`target_type` text NOT NULL,
	`target` text,
	`lead_time_days` integer,
	`note` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `customer_groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assortment_rules_company_idx` ON `assortment_rules` (`company_id`);--> statement-breakpoint
CREATE INDEX `assortment_rules_group_idx` ON `assortment_rules` (`group_id`);--> statement-breakpoint
CREATE INDEX `assortment_rules_region_idx` ON `assortment_rules` (`region`);--> statement-breakpoint
CREATE TABLE `company_pricing` (
	`company_id` text PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `company_pricing_fingerprint_idx` ON `company_pricing` (`fingerprint`);--> statement-breakpoint
CREATE TABLE `contracts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`currency` text NOT NULL,
	`company_id` text,
	`group_id` text,
	`combination` text DEFAULT 'best_price' NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`valid_from` integer,
	`valid_to` integer,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `customer_groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contracts_company_idx` ON `contracts` (`company_id`);--> statement-breakpoint
CREATE INDEX `contracts_group_idx` ON `contracts` (`group_id`);--> statement-breakpoint
CREATE TABLE `customer_group_members` (
	`group_id` text NOT NULL,
	`company_id` text NOT NULL,
	PRIMARY KEY(`group_id`, `company_id`),
	FOREIGN KEY (`group_id`) REFERENCES `customer_groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customer_group_members_company_idx` ON `customer_group_members` (`company_id`);--> statement-breakpoint
CREATE TABLE `customer_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `list_prices` (
	`price_list_id` text NOT NULL,
	`sku` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`price_list_id`, `sku`),
	FOREIGN KEY (`price_list_id`) REFERENCES `price_lists`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sku`) REFERENCES `products`(`sku`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `list_prices_sku_idx` ON `list_prices` (`sku`);--> statement-breakpoint
CREATE TABLE `price_indexes` (
	`fingerprint` text PRIMARY KEY NOT NULL,
	`inputs` text NOT NULL,
	`requested_generation` integer DEFAULT 1 NOT NULL,
	`current_generation` integer,
	`building_generation` integer,
	`build_started_at` integer,
	`pointer` text,
	`built_at` integer,
	`build_ms` integer,
	`size_bytes` integer,
	`product_count` integer,
	`part_count` integer,
	`valid_until` integer,
	`stale_since` integer,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `price_indexes_valid_until_idx` ON `price_indexes` (`valid_until`);--> statement-breakpoint
CREATE TABLE `price_lists` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`currency` text NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `price_lists_currency_idx` ON `price_lists` (`currency`,`is_default`);--> statement-breakpoint
CREATE TABLE `price_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`contract_id` text NOT NULL,
	`target_type` text NOT NULL,
	`target` text,
	`kind` text NOT NULL,
	`amount_minor` integer,
	`discount_bp` integer,
	`min_quantity` integer DEFAULT 1 NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`valid_from` integer,
	`valid_to` integer,
	`label` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`contract_id`) REFERENCES `contracts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `price_rules_contract_idx` ON `price_rules` (`contract_id`,`target_type`,`target`);--> statement-breakpoint
CREATE INDEX `price_rules_target_idx` ON `price_rules` (`target_type`,`target`);--> statement-breakpoint
ALTER TABLE `companies` ADD `price_list_id` text;--> statement-breakpoint
-- Supplier staff who maintain contracts: sales reps (their own accounts) and platform admins. On a fresh
-- database the roles do not exist yet and this inserts nothing; the seed grants it from BUILT_IN_ROLES.
INSERT OR IGNORE INTO `role_permissions` (`role_id`, `permission`)
  SELECT `id`, 'pricing.manage' FROM `roles` WHERE `id` IN ('role_builtin_sales_rep', 'role_builtin_platform_admin');
