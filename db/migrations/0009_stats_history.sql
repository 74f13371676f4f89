CREATE TABLE `stats_samples` (
	`subject` text NOT NULL,
	`res` integer NOT NULL,
	`t` integer NOT NULL,
	`cpu` real,
	`mem` real,
	`mem_limit` real,
	`net_rx` real,
	`net_tx` real,
	`blk_read` real,
	`blk_write` real,
	`pids` real,
	`load1` real,
	`disk_used` real,
	`disk_total` real,
	PRIMARY KEY(`subject`, `res`, `t`)
);
--> statement-breakpoint
CREATE INDEX `stats_samples_res_t_idx` ON `stats_samples` (`res`,`t`);