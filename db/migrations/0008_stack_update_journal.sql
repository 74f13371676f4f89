CREATE TABLE `stack_update_journal` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`stack_name` text NOT NULL,
	`step` text NOT NULL,
	`status` text NOT NULL,
	`before` text NOT NULL,
	`changed` text,
	`compose` text NOT NULL,
	`env` text NOT NULL,
	`error` text,
	`logs` text,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stack_update_journal_status_idx` ON `stack_update_journal` (`status`);