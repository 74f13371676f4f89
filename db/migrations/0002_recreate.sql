CREATE TABLE `container_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`container_name` text NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`outcome` text NOT NULL,
	`reason` text,
	`previous` text NOT NULL,
	`next` text NOT NULL,
	`image_id` text NOT NULL,
	`image` text NOT NULL,
	`detail` text,
	`logs` text,
	`cli` text NOT NULL,
	`journal_id` integer
);
--> statement-breakpoint
CREATE INDEX `container_history_name_idx` ON `container_history` (`container_name`,`at`);--> statement-breakpoint
CREATE TABLE `recreate_journal` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`container_name` text NOT NULL,
	`kind` text NOT NULL,
	`step` text NOT NULL,
	`status` text NOT NULL,
	`old_id` text NOT NULL,
	`temp_name` text NOT NULL,
	`new_id` text,
	`was_running` integer NOT NULL,
	`old_inspect` text NOT NULL,
	`new_body` text NOT NULL,
	`error` text,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `recreate_journal_status_idx` ON `recreate_journal` (`status`);--> statement-breakpoint
ALTER TABLE `managed_containers` ADD `labels_pending` integer DEFAULT false NOT NULL;