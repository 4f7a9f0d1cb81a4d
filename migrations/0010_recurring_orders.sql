CREATE TABLE `recurring_occurrences` (
	`id` text PRIMARY KEY NOT NULL,
	`schedule_id` text NOT NULL,
	`company_id` text NOT NULL,
	`scheduled_at` integer NOT NULL,
	`number` integer NOT NULL,
	`status` text NOT NULL,
	`order_id` text,
	`lines` text NOT NULL,
	`problems` text NOT NULL,
	`missed_slots` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recurring_occurrences_slot_uq` ON `recurring_occurrences` (`schedule_id`,`scheduled_at`);--> statement-breakpoint
CREATE TABLE `recurring_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`owner_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`paused_reason` text,
	`source` text NOT NULL,
	`ship_to_site_id` text NOT NULL,
	`cost_center_id` text,
	`po_pattern` text,
	`delivery_mode` text NOT NULL,
	`notes` text,
	`auto_replace` integer DEFAULT false NOT NULL,
	`frequency` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`max_occurrences` integer,
	`time_zone` text NOT NULL,
	`time_of_day` text NOT NULL,
	`next_due_at` integer,
	`enqueued_for` integer,
	`enqueued_at` integer,
	`occurrence_count` integer DEFAULT 0 NOT NULL,
	`next_change` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `recurring_orders_due_idx` ON `recurring_orders` (`next_due_at`);--> statement-breakpoint
CREATE INDEX `recurring_orders_company_idx` ON `recurring_orders` (`company_id`,`created_at`,`id`);