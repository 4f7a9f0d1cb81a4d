CREATE TABLE `punchout_log` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text,
	`company_id` text,
	`session_id` text,
	`kind` text NOT NULL,
	`direction` text NOT NULL,
	`payload_id` text,
	`buyer_cookie` text,
	`status` integer NOT NULL,
	`body` text NOT NULL,
	`request_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `punchout_log_created_idx` ON `punchout_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `punchout_log_partner_idx` ON `punchout_log` (`partner_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `punchout_log_company_idx` ON `punchout_log` (`company_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `punchout_log_payload_idx` ON `punchout_log` (`payload_id`);--> statement-breakpoint
CREATE INDEX `punchout_log_cookie_idx` ON `punchout_log` (`buyer_cookie`);--> statement-breakpoint
CREATE TABLE `punchout_order_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`company_id` text NOT NULL,
	`payload_id` text NOT NULL,
	`buyer_order_id` text NOT NULL,
	`request_type` text NOT NULL,
	`fingerprint` text NOT NULL,
	`order_id` text,
	`status_code` integer NOT NULL,
	`status_text` text NOT NULL,
	`response` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`partner_id`) REFERENCES `punchout_partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `punchout_order_requests_payload_uq` ON `punchout_order_requests` (`partner_id`,`payload_id`);--> statement-breakpoint
CREATE INDEX `punchout_order_requests_order_idx` ON `punchout_order_requests` (`partner_id`,`buyer_order_id`);--> statement-breakpoint
CREATE TABLE `punchout_partners` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`protocol` text NOT NULL,
	`company_id` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`sender_domain` text,
	`sender_identity` text,
	`from_domain` text,
	`from_identity` text,
	`secret_hash` text NOT NULL,
	`oci_username` text,
	`default_user_id` text,
	`provision_users` integer DEFAULT false NOT NULL,
	`price_tolerance_bp` integer DEFAULT 0 NOT NULL,
	`trust_approvals` integer DEFAULT false NOT NULL,
	`form_encoding` text DEFAULT 'cxml-urlencoded' NOT NULL,
	`oci_field_map` text DEFAULT '{}' NOT NULL,
	`default_language` text DEFAULT 'en' NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	`secret_rotated_at` integer,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `punchout_partners_sender_uq` ON `punchout_partners` (`sender_domain`,`sender_identity`);--> statement-breakpoint
CREATE UNIQUE INDEX `punchout_partners_oci_user_uq` ON `punchout_partners` (`oci_username`);--> statement-breakpoint
CREATE INDEX `punchout_partners_company_idx` ON `punchout_partners` (`company_id`);--> statement-breakpoint
CREATE TABLE `punchout_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`company_id` text NOT NULL,
	`user_id` text NOT NULL,
	`protocol` text NOT NULL,
	`operation` text NOT NULL,
	`state` text NOT NULL,
	`buyer_cookie` text,
	`return_url` text,
	`return_fields` text DEFAULT '{}' NOT NULL,
	`cart_id` text NOT NULL,
	`language` text NOT NULL,
	`payload_id` text,
	`code_hash` text,
	`code_expires_at` integer NOT NULL,
	`shop_key_hash` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`exchanged_at` integer,
	`transferred_at` integer,
	FOREIGN KEY (`partner_id`) REFERENCES `punchout_partners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `punchout_sessions_code_uq` ON `punchout_sessions` (`code_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `punchout_sessions_shop_key_uq` ON `punchout_sessions` (`shop_key_hash`);--> statement-breakpoint
CREATE INDEX `punchout_sessions_partner_idx` ON `punchout_sessions` (`partner_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `punchout_sessions_cookie_idx` ON `punchout_sessions` (`buyer_cookie`);--> statement-breakpoint
-- the built-in role of users a punch-out partner brings in (src/domain/permissions.ts, punchout_buyer)
INSERT OR IGNORE INTO `roles` (`id`, `company_id`, `key`, `name`, `built_in`, `audience`)
  VALUES ('role_builtin_punchout_buyer', NULL, 'punchout_buyer', 'Punch-out buyer', 1, 'customer');--> statement-breakpoint
INSERT OR IGNORE INTO `role_permissions` (`role_id`, `permission`)
  SELECT 'role_builtin_punchout_buyer', `permission` FROM (
    SELECT 'catalog.view' AS `permission` UNION ALL SELECT 'prices.view' UNION ALL SELECT 'cart.manage'
    UNION ALL SELECT 'order.place'
  );
