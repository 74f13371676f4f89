CREATE TABLE `container_tags` (
	`container_name` text NOT NULL,
	`tag_id` integer NOT NULL,
	PRIMARY KEY(`container_name`, `tag_id`),
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `deleted_containers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`container_id` text NOT NULL,
	`name` text NOT NULL,
	`image` text NOT NULL,
	`managed` integer NOT NULL,
	`inspect` text NOT NULL,
	`tags` text NOT NULL,
	`logs` text NOT NULL,
	`deleted_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deleted_at_idx` ON `deleted_containers` (`deleted_at`);--> statement-breakpoint
CREATE TABLE `job_runs` (
	`job` text PRIMARY KEY NOT NULL,
	`ran_at` integer NOT NULL,
	`result` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `managed_containers` (
	`name` text PRIMARY KEY NOT NULL,
	`container_id` text NOT NULL,
	`image` text NOT NULL,
	`created_at` integer NOT NULL,
	`verdict` text,
	`verdict_at` integer
);
--> statement-breakpoint
CREATE TABLE `tags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`color` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_name_unique` ON `tags` (`name`);