CREATE TABLE `erp_exports` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`company_id` text NOT NULL,
	`kind` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`last_attempt_at` integer,
	`sent_at` integer,
	`acknowledged_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `erp_exports_order_idx` ON `erp_exports` (`order_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `erp_exports_state_idx` ON `erp_exports` (`state`,`updated_at`);--> statement-breakpoint
CREATE INDEX `erp_exports_company_idx` ON `erp_exports` (`company_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `erp_order_events` (
	`erp_event_id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`company_id` text NOT NULL,
	`type` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`payload` text NOT NULL,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `erp_order_events_order_idx` ON `erp_order_events` (`order_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `erp_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `import_batches` (
	`job_id` text NOT NULL,
	`batch_no` integer NOT NULL,
	`rows` integer NOT NULL,
	`applied` integer DEFAULT 0 NOT NULL,
	`unchanged` integer DEFAULT 0 NOT NULL,
	`skipped_older` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`applied_at` integer,
	PRIMARY KEY(`job_id`, `batch_no`),
	FOREIGN KEY (`job_id`) REFERENCES `import_jobs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `import_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`format` text NOT NULL,
	`encoding` text,
	`object_key` text NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL,
	`rows_received` integer DEFAULT 0 NOT NULL,
	`rows_applied` integer DEFAULT 0 NOT NULL,
	`rows_unchanged` integer DEFAULT 0 NOT NULL,
	`rows_skipped_older` integer DEFAULT 0 NOT NULL,
	`rows_rejected` integer DEFAULT 0 NOT NULL,
	`batches_total` integer,
	`batches_done` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`validated_at` integer,
	`finished_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `import_jobs_created_idx` ON `import_jobs` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `import_jobs_status_idx` ON `import_jobs` (`status`);--> statement-breakpoint
CREATE TABLE `import_rejects` (
	`job_id` text NOT NULL,
	`row_no` integer NOT NULL,
	`column` text,
	`reason` text NOT NULL,
	`raw` text,
	PRIMARY KEY(`job_id`, `row_no`),
	FOREIGN KEY (`job_id`) REFERENCES `import_jobs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`order_id` text,
	`kind` text NOT NULL,
	`number` text NOT NULL,
	`credits_number` text,
	`issue_date` text NOT NULL,
	`due_date` text,
	`currency` text NOT NULL,
	`net_minor` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	`gross_minor` integer NOT NULL,
	`paid_minor` integer DEFAULT 0 NOT NULL,
	`document_url` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number_uq` ON `invoices` (`kind`,`number`);--> statement-breakpoint
CREATE INDEX `invoices_company_idx` ON `invoices` (`company_id`,`issue_date`,`id`);--> statement-breakpoint
CREATE INDEX `invoices_order_idx` ON `invoices` (`order_id`);--> statement-breakpoint
CREATE TABLE `line_problem_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`company_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`shipment_id` text,
	`kind` text NOT NULL,
	`quantity` integer,
	`note` text,
	`reported_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `line_problem_reports_order_idx` ON `line_problem_reports` (`order_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `shipments` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`company_id` text NOT NULL,
	`erp_shipment_id` text NOT NULL,
	`carrier` text,
	`tracking_number` text,
	`tracking_url` text,
	`shipped_at` integer NOT NULL,
	`delivered_at` integer,
	`received_at` integer,
	`received_by` text,
	`lines` text NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shipments_order_erp_uq` ON `shipments` (`order_id`,`erp_shipment_id`);--> statement-breakpoint
CREATE INDEX `shipments_company_idx` ON `shipments` (`company_id`,`shipped_at`);--> statement-breakpoint
ALTER TABLE `companies` ADD `erp_customer_number` text;--> statement-breakpoint
ALTER TABLE `companies` ADD `erp_version` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `companies_erp_customer_uq` ON `companies` (`erp_customer_number`);--> statement-breakpoint
ALTER TABLE `products` ADD `manufacturer_part_number` text;--> statement-breakpoint
ALTER TABLE `products` ADD `erp_version` integer;--> statement-breakpoint
ALTER TABLE `sites` ADD `erp_address_id` text;--> statement-breakpoint
ALTER TABLE `sites` ADD `erp_version` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `sites_company_erp_uq` ON `sites` (`company_id`,`erp_address_id`);--> statement-breakpoint
ALTER TABLE `stock` ADD `erp_version` integer;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `confirmed_quantity` integer;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `substitute_sku` text;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `expected_date` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `channel` text DEFAULT 'web' NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `channel_ref` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `export_state` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `fulfilment_status` text DEFAULT 'open' NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_export_state_idx` ON `orders` (`export_state`,`updated_at`);--> statement-breakpoint
ALTER TABLE `contracts` ADD `erp_customer_number` text;--> statement-breakpoint
CREATE UNIQUE INDEX `contracts_erp_customer_uq` ON `contracts` (`erp_customer_number`);--> statement-breakpoint
ALTER TABLE `list_prices` ADD `erp_version` integer;--> statement-breakpoint
ALTER TABLE `price_rules` ADD `erp_key` text;--> statement-breakpoint
ALTER TABLE `price_rules` ADD `erp_version` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `price_rules_erp_key_uq` ON `price_rules` (`erp_key`);--> statement-breakpoint
-- orders placed before the ERP link existed have their `order.export` outbox row waiting: they are pending
UPDATE `orders` SET `export_state` = 'pending' WHERE `status` = 'placed';
