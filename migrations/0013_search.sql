CREATE TABLE `product_names` (
	`sku` text NOT NULL,
	`locale` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`sku`, `locale`),
	FOREIGN KEY (`sku`) REFERENCES `products`(`sku`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `product_names_updated_idx` ON `product_names` (`updated_at`);--> statement-breakpoint
CREATE TABLE `search_indexes` (
	`id` text PRIMARY KEY NOT NULL,
	`requested_generation` integer DEFAULT 1 NOT NULL,
	`requested_at` integer,
	`current_generation` integer,
	`building_generation` integer,
	`build_started_at` integer,
	`pointer` text,
	`built_at` integer,
	`build_ms` integer,
	`size_bytes` integer,
	`doc_count` integer,
	`last_error` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `search_synonyms` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text,
	`kind` text NOT NULL,
	`input` text,
	`terms` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `search_synonyms_company_idx` ON `search_synonyms` (`company_id`,`updated_at`);--> statement-breakpoint
-- Company administrators (and platform admins) manage their company's search synonyms. On a fresh database
-- the roles do not exist yet and this inserts nothing; the seed grants it from BUILT_IN_ROLES.
INSERT OR IGNORE INTO `role_permissions` (`role_id`, `permission`)
  SELECT `id`, 'search.manage' FROM `roles` WHERE `id` IN ('role_builtin_admin', 'role_builtin_platform_admin');
