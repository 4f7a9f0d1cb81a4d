CREATE TABLE `quote_lines` (
	`quote_id` text NOT NULL,
	`version` integer NOT NULL,
	`line_no` integer NOT NULL,
	`sku` text NOT NULL,
	`quantity` integer NOT NULL,
	`target_unit_price_minor` integer,
	`unit_price_minor` integer,
	`discount_bps` integer,
	`contract_unit_price_minor` integer,
	`note` text,
	PRIMARY KEY(`quote_id`, `version`, `line_no`)
);
--> statement-breakpoint
CREATE TABLE `quote_versions` (
	`quote_id` text NOT NULL,
	`version` integer NOT NULL,
	`kind` text NOT NULL,
	`author_id` text NOT NULL,
	`message` text,
	`valid_until` integer,
	`payment_terms` text,
	`delivery_terms` text,
	`attachments` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`quote_id`, `version`),
	FOREIGN KEY (`quote_id`) REFERENCES `quotes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `quotes` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`number` text NOT NULL,
	`state` text NOT NULL,
	`requested_by` text NOT NULL,
	`rep_user_id` text,
	`currency` text NOT NULL,
	`current_version` integer NOT NULL,
	`valid_until` integer,
	`wanted_delivery_date` text,
	`source_cart_id` text,
	`order_id` text,
	`decision_reason` text,
	`requested_at` integer NOT NULL,
	`first_quoted_at` integer,
	`decided_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quotes_company_number_uq` ON `quotes` (`company_id`,`number`);--> statement-breakpoint
CREATE INDEX `quotes_company_idx` ON `quotes` (`company_id`,`requested_at`,`id`);--> statement-breakpoint
CREATE INDEX `quotes_rep_state_idx` ON `quotes` (`rep_user_id`,`state`);--> statement-breakpoint
CREATE INDEX `quotes_state_valid_idx` ON `quotes` (`state`,`valid_until`);--> statement-breakpoint
ALTER TABLE `company_settings` ADD `rep_may_place_orders` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `company_settings` ADD `rep_sees_carts` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- New permissions of the built-in roles. On a fresh database the roles do not exist yet and these insert
-- nothing; the seed grants them from BUILT_IN_ROLES.
INSERT OR IGNORE INTO `role_permissions` (`role_id`, `permission`)
  SELECT `id`, 'quotes.request' FROM `roles` WHERE `id` IN ('role_builtin_buyer', 'role_builtin_admin', 'role_builtin_platform_admin');
--> statement-breakpoint
INSERT OR IGNORE INTO `role_permissions` (`role_id`, `permission`)
  SELECT `id`, 'quotes.respond' FROM `roles` WHERE `id` IN ('role_builtin_sales_rep', 'role_builtin_platform_admin');
--> statement-breakpoint
INSERT OR IGNORE INTO `role_permissions` (`role_id`, `permission`)
  SELECT `id`, 'orders.assist' FROM `roles` WHERE `id` IN ('role_builtin_sales_rep', 'role_builtin_platform_admin');
