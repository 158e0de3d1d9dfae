-- Ids become a prefix, a millisecond timestamp (12 hex digits) and 52 random bits (13 hex
-- digits): sortable by creation time, so inserts append to the id indexes. random() is enough:
-- ids are identifiers, not secrets (access is checked on every read), and the timestamp prefix
-- makes a collision need two rows in the same millisecond drawing the same 52 bits.
CREATE OR REPLACE FUNCTION ct_id(prefix text) RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT prefix || '_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
    || lpad(to_hex((random() * 4503599627370495)::bigint), 13, '0')
$$;

-- AlterTable
ALTER TABLE "ApiKey" ALTER COLUMN "id" SET DEFAULT ct_id('key'::text);

-- AlterTable
ALTER TABLE "AuditLog" ALTER COLUMN "id" SET DEFAULT ct_id('aud'::text);

-- AlterTable
ALTER TABLE "BulkJob" ALTER COLUMN "id" SET DEFAULT ct_id('job'::text);

-- AlterTable
ALTER TABLE "Commission" ALTER COLUMN "id" SET DEFAULT ct_id('com'::text);

-- AlterTable
ALTER TABLE "Connection" ALTER COLUMN "id" SET DEFAULT ct_id('con'::text);

-- AlterTable
ALTER TABLE "Coupon" ALTER COLUMN "id" SET DEFAULT ct_id('cpn'::text);

-- AlterTable
ALTER TABLE "Customer" ALTER COLUMN "id" SET DEFAULT ct_id('cus'::text);

-- AlterTable
ALTER TABLE "MailMessage" ALTER COLUMN "id" SET DEFAULT ct_id('mail'::text);

-- AlterTable
ALTER TABLE "Membership" ALTER COLUMN "id" SET DEFAULT ct_id('mem'::text);

-- AlterTable
ALTER TABLE "Partner" ALTER COLUMN "id" SET DEFAULT ct_id('prt'::text);

-- AlterTable
ALTER TABLE "Program" ALTER COLUMN "id" SET DEFAULT ct_id('prg'::text);

-- AlterTable
ALTER TABLE "PromotionCode" ALTER COLUMN "id" SET DEFAULT ct_id('pc'::text);

-- AlterTable
ALTER TABLE "PromotionCodeAssignment" ALTER COLUMN "id" SET DEFAULT ct_id('pca'::text);

-- AlterTable
ALTER TABLE "ReferralClick" ALTER COLUMN "id" SET DEFAULT ct_id('clk'::text);

-- AlterTable
ALTER TABLE "Sale" ALTER COLUMN "id" SET DEFAULT ct_id('sale'::text);

-- AlterTable
ALTER TABLE "SyncLink" ALTER COLUMN "id" SET DEFAULT ct_id('syn'::text);

-- AlterTable
ALTER TABLE "User" ALTER COLUMN "id" SET DEFAULT ct_id('usr'::text);

-- AlterTable
ALTER TABLE "WebhookEvent" ALTER COLUMN "id" SET DEFAULT ct_id('evt'::text);

-- AlterTable
ALTER TABLE "Workspace" ALTER COLUMN "id" SET DEFAULT ct_id('ws'::text);
