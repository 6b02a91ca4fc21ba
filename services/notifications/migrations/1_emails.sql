-- Up Migration
-- Payout emails owed to people, one per payout, written in the same transaction that
-- records the event as handled. The sender writes the words, delivers and marks them.
CREATE TABLE outgoing_emails (
  id              uuid PRIMARY KEY,
  account_id      uuid        NOT NULL,
  business_day    date        NOT NULL,
  amount          bigint      NOT NULL CHECK (amount > 0),
  sent_to         text,
  status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
  attempts        integer     NOT NULL DEFAULT 0,
  last_error      text,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX outgoing_emails_due ON outgoing_emails (next_attempt_at) WHERE status = 'pending';

-- What the built-in SMTP sink received (development and demo mode only).
CREATE TABLE mailbox (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id  text,
  sender      text        NOT NULL,
  recipients  text[]      NOT NULL,
  subject     text        NOT NULL,
  body        text        NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mailbox_newest ON mailbox (received_at DESC);

-- Down Migration
DROP TABLE mailbox;
DROP TABLE outgoing_emails;
