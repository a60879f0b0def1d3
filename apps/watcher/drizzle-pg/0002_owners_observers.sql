CREATE TABLE "chain_observations" (
	"chain_id" bigint NOT NULL,
	"observer" text NOT NULL,
	"at" bigint NOT NULL,
	"status" text,
	"head_number" bigint,
	"head_seen_at" bigint,
	"state_json" text NOT NULL,
	CONSTRAINT "chain_observations_chain_id_observer_pk" PRIMARY KEY("chain_id","observer")
);
--> statement-breakpoint
ALTER TABLE "rpc_endpoints" ADD COLUMN "observer" text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE "rpc_endpoints" DROP CONSTRAINT "rpc_endpoints_chain_id_position_pk";--> statement-breakpoint
ALTER TABLE "rpc_endpoints" ADD CONSTRAINT "rpc_endpoints_chain_id_observer_position_pk" PRIMARY KEY("chain_id","observer","position");--> statement-breakpoint
ALTER TABLE "chains" ADD COLUMN "owner" text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE "hip3_markets" ADD COLUMN "owner" text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE "guarded_accounts" ADD COLUMN "owner" text DEFAULT 'local' NOT NULL;