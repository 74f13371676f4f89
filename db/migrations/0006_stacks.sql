CREATE TABLE `stack_tags` (
	`stack_name` text NOT NULL,
	`tag_id` integer NOT NULL,
	PRIMARY KEY(`stack_name`, `tag_id`),
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `stack_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`stack_name` text NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`outcome` text NOT NULL,
	`reason` text,
	`compose` text NOT NULL,
	`env` text NOT NULL,
	`cli` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stack_versions_name_idx` ON `stack_versions` (`stack_name`,`at`);