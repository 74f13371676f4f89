CREATE TABLE `update_policies` (
	`container_name` text PRIMARY KEY NOT NULL,
	`policy` text DEFAULT 'off' NOT NULL,
	`settle_seconds` integer DEFAULT 15 NOT NULL,
	`health_timeout_seconds` integer DEFAULT 120 NOT NULL,
	`updated_at` integer NOT NULL
);
