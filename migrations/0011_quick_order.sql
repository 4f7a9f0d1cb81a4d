CREATE TABLE `company_part_numbers` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`part_number` text NOT NULL,
	`part_key` text NOT NULL,
	`sku` text NOT NULL,
	`description` text,
	`preferred_quantity` integer,
	`pack_quantity` integer DEFAULT 1 NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `company_part_numbers_key_uq` ON `company_part_numbers` (`company_id`,`part_key`);--> statement-breakpoint
CREATE INDEX `company_part_numbers_sku_idx` ON `company_part_numbers` (`company_id`,`sku`);--> statement-breakpoint
CREATE TABLE `list_items` (
	`id` text PRIMARY KEY NOT NULL,
	`list_id` text NOT NULL,
	`sku` text NOT NULL,
	`quantity` integer NOT NULL,
	`note` text,
	`position` integer NOT NULL,
	`added_at` integer NOT NULL,
	FOREIGN KEY (`list_id`) REFERENCES `lists`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `list_items_sku_uq` ON `list_items` (`list_id`,`sku`);--> statement-breakpoint
CREATE INDEX `list_items_list_idx` ON `list_items` (`list_id`,`position`);--> statement-breakpoint
CREATE TABLE `lists` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`owner_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text DEFAULT 'favourites' NOT NULL,
	`shared` integer DEFAULT false NOT NULL,
	`note` text,
	`ship_to_site_id` text,
	`cost_center_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ship_to_site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cost_center_id`) REFERENCES `cost_centers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lists_company_idx` ON `lists` (`company_id`,`shared`,`owner_id`);--> statement-breakpoint
ALTER TABLE `order_lines` ADD `note` text;