CREATE TABLE `image_tag_history` (
	`image_id` text NOT NULL,
	`repo_tag` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`gone_at` integer,
	`also` text,
	`also_checked_at` integer,
	PRIMARY KEY(`image_id`, `repo_tag`)
);
--> statement-breakpoint
CREATE TABLE `image_update_checks` (
	`image` text PRIMARY KEY NOT NULL,
	`registry` text NOT NULL,
	`repository` text NOT NULL,
	`tag` text,
	`image_id` text,
	`local_digest` text,
	`remote_digest` text,
	`update_available` integer NOT NULL,
	`error` text,
	`skipped` text,
	`method` text,
	`containers` text NOT NULL,
	`checked_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `image_update_status` (
	`image_id` text PRIMARY KEY NOT NULL,
	`image` text NOT NULL,
	`update_available` integer NOT NULL,
	`remote_digest` text,
	`checked_at` integer NOT NULL
);
