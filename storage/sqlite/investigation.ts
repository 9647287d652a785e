// SQLite InvestigationRepo: bookmarks, cases, legal holds, exports and snapshots (issue 6).
import type { InvestigationRepo } from '../repos/investigation';
import type { Db } from './db';

export class SqliteInvestigationRepo implements InvestigationRepo {
  constructor(private readonly db: Db) {
    void this.db;
  }
}
