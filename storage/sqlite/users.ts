// SQLite UserRepo: operator accounts (unique username, scrypt password hash, role).
import { StorageError, type NewUserRow, type UserRepo, type UserRow } from '../repositories';
import type { Db } from './db';
import { bool, fromBool, ms, same, setClause, type ColumnMap } from './mapping';

interface UserDbRow {
  id: number;
  username: string;
  password_hash: string;
  role: UserRow['role'];
  display_name: string;
  disabled: number;
  created_ms: number;
  must_change_password: number;
  password_changed_ms: number | null;
}

const COLUMNS = 'id, username, password_hash, role, display_name, disabled, created_ms, must_change_password, password_changed_ms';

const PATCH: ColumnMap<Omit<UserRow, 'id' | 'username' | 'createdMs'>> = {
  passwordHash: { column: 'password_hash', toSql: same },
  role: { column: 'role', toSql: same },
  displayName: { column: 'display_name', toSql: same },
  disabled: { column: 'disabled', toSql: bool },
  mustChangePassword: { column: 'must_change_password', toSql: bool },
  passwordChangedMs: { column: 'password_changed_ms', toSql: (v) => (v === null ? null : ms(v)) },
};

function toRow(r: UserDbRow): UserRow {
  return {
    id: r.id,
    username: r.username,
    passwordHash: r.password_hash,
    role: r.role,
    displayName: r.display_name,
    disabled: fromBool(r.disabled),
    createdMs: r.created_ms,
    mustChangePassword: fromBool(r.must_change_password),
    passwordChangedMs: r.password_changed_ms,
  };
}

export class SqliteUserRepo implements UserRepo {
  constructor(private readonly db: Db) {}

  async count(): Promise<number> {
    const r = await this.db.get<{ n: number }>('SELECT count(*) AS n FROM users');
    return r?.n ?? 0;
  }

  async list(): Promise<UserRow[]> {
    return (await this.db.all<UserDbRow>(`SELECT ${COLUMNS} FROM users ORDER BY username`)).map(toRow);
  }

  async get(id: number): Promise<UserRow | null> {
    const r = await this.db.get<UserDbRow>(`SELECT ${COLUMNS} FROM users WHERE id = ?`, [id]);
    return r ? toRow(r) : null;
  }

  async getByUsername(username: string): Promise<UserRow | null> {
    const r = await this.db.get<UserDbRow>(`SELECT ${COLUMNS} FROM users WHERE username = ?`, [username]);
    return r ? toRow(r) : null;
  }

  async create(u: NewUserRow): Promise<UserRow> {
    try {
      const r = await this.db.get<UserDbRow>(
        `INSERT INTO users (username, password_hash, role, display_name, disabled, created_ms, must_change_password, password_changed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
        [
          u.username,
          u.passwordHash,
          u.role,
          u.displayName,
          bool(u.disabled),
          ms(u.createdMs),
          bool(u.mustChangePassword ?? false),
          u.passwordChangedMs ?? null,
        ],
      );
      return toRow(r!);
    } catch (err) {
      if (err instanceof StorageError && err.code === 'conflict' && err.field === 'username') {
        const e = new StorageError('conflict', `a user named "${u.username}" already exists`, 'username');
        e.cause = err;
        throw e;
      }
      throw err;
    }
  }

  async update(id: number, patch: Partial<Omit<UserRow, 'id' | 'username' | 'createdMs'>>): Promise<UserRow | null> {
    const set = setClause(patch, PATCH);
    if (!set.sql) return this.get(id);
    const r = await this.db.get<UserDbRow>(`UPDATE users SET ${set.sql} WHERE id = ? RETURNING ${COLUMNS}`, [...set.params, id]);
    return r ? toRow(r) : null;
  }
}
