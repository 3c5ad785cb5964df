-- The language a customer is told in: notifications for HQ's SMS gateway
-- are written in it. Chinese unless the clerk records otherwise (a foreign
-- document suggests English at registration).
ALTER TABLE customer ADD COLUMN lang TEXT NOT NULL DEFAULT 'zh' CHECK (lang IN ('zh', 'en'));
