-- The demo ERP: a small, fake but realistic ERP database (Odoo-flavoured
-- names) that cskpi-demo-gen fills with deterministic data. The `demo`
-- profile (sql/profiles/demo/) maps it onto cskpi's canonical sources.
--
-- Portability: the same text runs unchanged on SQLite and PostgreSQL, so it
-- only uses types both understand. DATE and TIMESTAMP columns hold ISO text
-- in SQLite ('YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS') and native values in
-- PostgreSQL; every timestamp is UTC, like Odoo's create_date. Money is
-- NUMERIC(14,2) (document currency unless said otherwise); flags are
-- SMALLINT 0/1 because a PostgreSQL BOOLEAN does not compare with 1.
--
-- Ids are plain INTEGER primary keys filled by the generator (an ERP would
-- draw them from a sequence). Like many ERPs that grew through data imports,
-- the schema declares no FOREIGN KEY constraints: the application keeps the
-- references, and the demo deliberately holds a few orphan rows so the KPI
-- engine's data-quality report has something to find.
--
-- Change columns, as Odoo keeps them on every model: create_date (the
-- record's creation) and write_date (its last change, equal to create_date
-- until the record is edited), UTC, on every document table (partners,
-- orders and their lines, invoices, payments, tickets, survey answers,
-- subscriptions). The generator sets them; its day-of-activity mode
-- (cskpi-demo-gen --apply-day) stamps what it inserts or edits with the
-- current time, and the demo profile's change-capture queries
-- (sql/profiles/demo/*.changes.sql) read them.
--
-- Statements are separated by ';' at the end of a line; the generator runs
-- the CREATE TABLE statements first and the CREATE INDEX ones after the bulk
-- load (building an index once is much faster than maintaining it per row).

-- ---------------------------------------------------------------- partners

-- Customer segments, chosen by sales on the partner form.
CREATE TABLE partner_segment (
  id          INTEGER PRIMARY KEY,
  code        VARCHAR(32) NOT NULL,      -- smb | mid_market | enterprise
  name        VARCHAR(64) NOT NULL
);

-- Every business partner: customer companies, their contact persons
-- (parent_id set: orders and tickets are often filed under a contact),
-- prospects that never became customers, and suppliers.
CREATE TABLE res_partner (
  id            INTEGER PRIMARY KEY,
  name          VARCHAR(128) NOT NULL,
  ref           VARCHAR(32),               -- customer code (C000123), companies only
  is_company    SMALLINT NOT NULL DEFAULT 0,
  parent_id     INTEGER,                   -- -> res_partner (the company of a contact)
  is_customer   SMALLINT NOT NULL DEFAULT 0,
  is_supplier   SMALLINT NOT NULL DEFAULT 0,
  segment_id    INTEGER,                   -- -> partner_segment; NULL = not classified
  email         VARCHAR(128),
  country_code  VARCHAR(2),
  currency_code VARCHAR(3) NOT NULL DEFAULT 'EUR',  -- currency it is invoiced in
  active        SMALLINT NOT NULL DEFAULT 1,        -- 0 = archived
  create_date   TIMESTAMP NOT NULL,
  write_date    TIMESTAMP NOT NULL         -- last change (UTC), see the header
);

-- ---------------------------------------------------------------- products

-- Two-level product tree: families (parent_id NULL) and their categories.
CREATE TABLE product_category (
  id          INTEGER PRIMARY KEY,
  name        VARCHAR(64) NOT NULL,
  parent_id   INTEGER                      -- -> product_category
);

CREATE TABLE product_product (
  id            INTEGER PRIMARY KEY,
  default_code  VARCHAR(32) NOT NULL,      -- SKU
  name          VARCHAR(128) NOT NULL,
  categ_id      INTEGER NOT NULL,          -- -> product_category (a leaf)
  list_price    NUMERIC(14,2) NOT NULL,
  type          VARCHAR(16) NOT NULL,      -- product | service
  active        SMALLINT NOT NULL DEFAULT 1
);

-- ---------------------------------------------------------------- sales

-- Quotations and sales orders. state: draft (quotation), sent (quotation
-- sent), confirmed, done (locked after delivery and invoicing), cancelled.
-- Returns are confirmed orders with negative quantities and origin set to
-- the returned order's number.
CREATE TABLE sale_order (
  id              INTEGER PRIMARY KEY,
  name            VARCHAR(32) NOT NULL,    -- SO/2024/000123
  partner_id      INTEGER NOT NULL,        -- -> res_partner (company or contact)
  date_order      DATE NOT NULL,
  state           VARCHAR(16) NOT NULL,
  currency_code   VARCHAR(3) NOT NULL,
  currency_rate   NUMERIC(12,6) NOT NULL,  -- company currency (EUR) per unit of currency_code
  amount_untaxed  NUMERIC(14,2) NOT NULL,  -- document currency
  amount_tax      NUMERIC(14,2) NOT NULL,
  origin          VARCHAR(32),             -- returned order's name, for returns
  create_date     TIMESTAMP NOT NULL,
  write_date      TIMESTAMP NOT NULL
);

-- Order lines. display_type 'line_section'/'line_note' marks layout lines
-- (titles, remarks) that carry no amount; product_id is NULL on free-text
-- lines. Subtotal = product_uom_qty * price_unit * (1 - discount / 100).
CREATE TABLE sale_order_line (
  id              INTEGER PRIMARY KEY,
  order_id        INTEGER NOT NULL,        -- -> sale_order
  sequence        INTEGER NOT NULL,
  display_type    VARCHAR(16),
  product_id      INTEGER,                 -- -> product_product
  name            VARCHAR(256),
  product_uom_qty NUMERIC(12,3) NOT NULL,
  price_unit      NUMERIC(14,2) NOT NULL,  -- document currency
  discount        NUMERIC(5,2) NOT NULL DEFAULT 0,  -- percent
  create_date     TIMESTAMP NOT NULL,
  write_date      TIMESTAMP NOT NULL
);

-- ---------------------------------------------------------------- accounting

-- Customer invoices (out_invoice), customer credit notes (out_refund) and
-- supplier bills (in_invoice) share one table. Amounts are positive for
-- every move_type; the type gives the sign. state: draft, posted, cancelled.
-- Draft invoices have no number yet.
CREATE TABLE account_invoice (
  id                INTEGER PRIMARY KEY,
  name              VARCHAR(32),           -- INV/2024/000123, RINV/..., BILL/...
  move_type         VARCHAR(16) NOT NULL,
  state             VARCHAR(16) NOT NULL,
  partner_id        INTEGER NOT NULL,      -- -> res_partner
  invoice_date      DATE NOT NULL,
  invoice_date_due  DATE,
  currency_code     VARCHAR(3) NOT NULL,
  currency_rate     NUMERIC(12,6) NOT NULL,
  amount_untaxed    NUMERIC(14,2) NOT NULL,
  amount_tax        NUMERIC(14,2) NOT NULL,
  amount_total      NUMERIC(14,2) NOT NULL,
  invoice_origin    VARCHAR(64),           -- sale order or subscription reference
  sale_order_id     INTEGER,               -- -> sale_order
  subscription_id   INTEGER,               -- -> sale_subscription
  reversed_entry_id INTEGER,               -- credit note: -> the invoice it reverses
  create_date       TIMESTAMP NOT NULL,
  write_date        TIMESTAMP NOT NULL
);

-- Payments received (inbound) or refunded (outbound), each allocated to one
-- invoice. An invoice is paid once its posted payments reach amount_total;
-- some are paid in instalments, late, or never.
CREATE TABLE account_payment (
  id            INTEGER PRIMARY KEY,
  invoice_id    INTEGER NOT NULL,          -- -> account_invoice
  partner_id    INTEGER NOT NULL,          -- -> res_partner
  payment_type  VARCHAR(16) NOT NULL,      -- inbound | outbound
  payment_date  DATE NOT NULL,
  amount        NUMERIC(14,2) NOT NULL,    -- invoice currency, positive
  state         VARCHAR(16) NOT NULL,      -- posted | cancelled
  create_date   TIMESTAMP NOT NULL,
  write_date    TIMESTAMP NOT NULL
);

-- ---------------------------------------------------------------- helpdesk

CREATE TABLE helpdesk_stage (
  id        INTEGER PRIMARY KEY,
  name      VARCHAR(64) NOT NULL,
  sequence  INTEGER NOT NULL,
  fold      SMALLINT NOT NULL DEFAULT 0    -- 1 = closing stage
);

CREATE TABLE helpdesk_channel (
  id    INTEGER PRIMARY KEY,
  name  VARCHAR(64) NOT NULL               -- Email, Phone, Chat, Portal
);

CREATE TABLE helpdesk_ticket_category (
  id    INTEGER PRIMARY KEY,
  name  VARCHAR(64) NOT NULL
);

-- Support tickets. create_date is when the ticket was opened (UTC);
-- close_date is set on entering a folded stage and cleared on reopening
-- (reopen_count counts those). priority: '0' low, '1' normal, '2' high,
-- '3' urgent. Spam and duplicates are archived (active = 0).
CREATE TABLE helpdesk_ticket (
  id                  INTEGER PRIMARY KEY,
  name                VARCHAR(256) NOT NULL,   -- subject
  partner_id          INTEGER,                 -- -> res_partner; NULL = anonymous e-mail
  partner_email       VARCHAR(128),
  stage_id            INTEGER NOT NULL,        -- -> helpdesk_stage
  channel_id          INTEGER,                 -- -> helpdesk_channel
  category_id         INTEGER,                 -- -> helpdesk_ticket_category
  priority            VARCHAR(1) NOT NULL DEFAULT '1',
  sale_order_id       INTEGER,                 -- -> sale_order, when about an order
  create_date         TIMESTAMP NOT NULL,
  first_response_date TIMESTAMP,
  close_date          TIMESTAMP,
  reopen_count        INTEGER NOT NULL DEFAULT 0,
  active              SMALLINT NOT NULL DEFAULT 1,
  write_date          TIMESTAMP NOT NULL
);

-- ---------------------------------------------------------------- surveys

-- survey_type: nps (0..10), csat (1..5), ces (1..10, 1 = least effort),
-- research (free text, no score).
CREATE TABLE survey_survey (
  id           INTEGER PRIMARY KEY,
  title        VARCHAR(128) NOT NULL,
  survey_type  VARCHAR(16) NOT NULL
);

-- One row per invitation: state 'new' until the customer answers, then
-- 'done' with answered_at and score.
CREATE TABLE survey_answer (
  id           INTEGER PRIMARY KEY,
  survey_id    INTEGER NOT NULL,             -- -> survey_survey
  partner_id   INTEGER,                      -- -> res_partner
  ticket_id    INTEGER,                      -- -> helpdesk_ticket (CSAT/CES after a ticket)
  state        VARCHAR(16) NOT NULL,         -- new | done
  create_date  TIMESTAMP NOT NULL,           -- invitation sent
  answered_at  TIMESTAMP,
  score        INTEGER,
  write_date   TIMESTAMP NOT NULL
);

-- ---------------------------------------------------------------- subscriptions

-- Recurring contracts (support plans, SaaS seats). date_end is the last day
-- of service (inclusive), NULL while open-ended. recurring_total is billed
-- every recurring_rule_type period (monthly | quarterly | yearly). state:
-- draft (quotation), in_progress, closed (ended), cancelled (never ran).
-- An upgrade closes a contract and starts a bigger one the next day.
CREATE TABLE sale_subscription (
  id                   INTEGER PRIMARY KEY,
  code                 VARCHAR(32) NOT NULL,   -- SUB000123
  partner_id           INTEGER NOT NULL,       -- -> res_partner
  template             VARCHAR(64) NOT NULL,   -- plan name
  date_start           DATE NOT NULL,
  date_end             DATE,
  recurring_rule_type  VARCHAR(16) NOT NULL,
  recurring_total      NUMERIC(14,2) NOT NULL, -- per period, untaxed, document currency
  currency_code        VARCHAR(3) NOT NULL,
  currency_rate        NUMERIC(12,6) NOT NULL,
  state                VARCHAR(16) NOT NULL,
  close_reason         VARCHAR(64),
  create_date          TIMESTAMP NOT NULL,
  write_date           TIMESTAMP NOT NULL
);

-- ---------------------------------------------------------------- customer success costs

-- Expenses booked by the customer-success department (company currency).
-- expense_type: cs_team (salaries of the CS team), concession (goodwill
-- credits and gifts), loyalty (loyalty programme), onboarding (acquisition,
-- not retention). state: draft, approved, refused.
CREATE TABLE cs_expense (
  id            INTEGER PRIMARY KEY,
  date          DATE NOT NULL,
  expense_type  VARCHAR(32) NOT NULL,
  description   VARCHAR(256),
  total_amount  NUMERIC(14,2) NOT NULL,
  state         VARCHAR(16) NOT NULL
);

-- ---------------------------------------------------------------- indexes
-- The ones an ERP keeps for its own screens: foreign keys, document numbers,
-- and the dates list views sort by.

CREATE INDEX res_partner_parent_idx ON res_partner (parent_id);
CREATE INDEX res_partner_segment_idx ON res_partner (segment_id);
CREATE UNIQUE INDEX res_partner_ref_uniq ON res_partner (ref);
CREATE INDEX product_product_categ_idx ON product_product (categ_id);
CREATE UNIQUE INDEX product_product_code_uniq ON product_product (default_code);
CREATE UNIQUE INDEX sale_order_name_uniq ON sale_order (name);
CREATE INDEX sale_order_partner_idx ON sale_order (partner_id);
CREATE INDEX sale_order_date_idx ON sale_order (date_order);
CREATE INDEX sale_order_line_order_idx ON sale_order_line (order_id);
CREATE INDEX sale_order_line_product_idx ON sale_order_line (product_id);
CREATE UNIQUE INDEX account_invoice_name_uniq ON account_invoice (name);
CREATE INDEX account_invoice_partner_idx ON account_invoice (partner_id);
CREATE INDEX account_invoice_date_idx ON account_invoice (invoice_date);
CREATE INDEX account_invoice_sale_idx ON account_invoice (sale_order_id);
CREATE INDEX account_payment_invoice_idx ON account_payment (invoice_id);
CREATE INDEX helpdesk_ticket_partner_idx ON helpdesk_ticket (partner_id);
CREATE INDEX helpdesk_ticket_create_idx ON helpdesk_ticket (create_date);
CREATE INDEX survey_answer_partner_idx ON survey_answer (partner_id);
CREATE INDEX survey_answer_ticket_idx ON survey_answer (ticket_id);
CREATE INDEX sale_subscription_partner_idx ON sale_subscription (partner_id);
CREATE INDEX cs_expense_date_idx ON cs_expense (date);
