-- Migration 020 (issue 13): every case belongs to an organisation node; `cases.manage` is granted per node and
-- inherited down the tree, so a user sees and edits the cases of the nodes they hold it on. Existing cases go to the
-- root (only those holding cases.manage at the root keep seeing them, as before for admins). No REFERENCES clause:
-- SQLite cannot add a column with a foreign key and a non-NULL default; the service checks the node exists.
--
-- Runs inside one transaction (opened by the migration runner: do not write BEGIN/COMMIT here).

ALTER TABLE cases ADD COLUMN node_id INTEGER NOT NULL DEFAULT 1;
-- The cases of a node (list filtered by the nodes a user holds cases.manage on).
CREATE INDEX cases_node ON cases (node_id);
