// Sealed camera passwords in SQLite: stored sealed, read back in clear, clear rows sealed at open, a wrong codec refused before any write.
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from './index';
import { countSealed } from './secrets';
import { camera, openTempStore, testCodec, type TempStore } from './test-utils';

let t: TempStore | null = null;
afterEach(async () => {
  await t?.cleanup();
  t = null;
});

describe('camera passwords in the database', () => {
  it('are stored sealed (password NULL) and read back in clear; a patch seals the new one', async () => {
    t = await openTempStore();
    const id = (await t.store.cameras.create(camera('Sealed', { username: 'u', password: 'pw-1' }), 1)).id;
    const row = await t.store.db.get<{ password: string | null; password_enc: string }>(
      'SELECT password, password_enc FROM rtsp_channels WHERE channel_id = ?',
      [id],
    );
    expect(row!.password).toBeNull();
    expect(row!.password_enc).toMatch(/^s1:test:/);
    expect((await t.store.cameras.get(id))!.password).toBe('pw-1');
    await t.store.cameras.update(id, { password: 'pw-2' }, 2);
    expect((await t.store.rtsp.get(id))!.password).toBe('pw-2');
    await t.store.cameras.update(id, { password: null }, 3);
    expect(await t.store.db.get('SELECT password, password_enc FROM rtsp_channels WHERE channel_id = ?', [id])).toEqual({ password: null, password_enc: null });
  });

  it('seals clear passwords at open; another codec is refused before anything is written', async () => {
    t = await openTempStore();
    const id = (await t.store.cameras.create(camera('Old', { username: 'u', password: null }), 1)).id;
    await t.store.db.run("UPDATE rtsp_channels SET password = 'clear-pw' WHERE channel_id = ?", [id]);
    expect(await countSealed(t.store.db)).toBe(0);
    await t.store.close();
    const codec = testCodec();
    const s2 = await openSqliteStore(t.file, { log: () => undefined, secrets: ({ sealed }) => (expect(sealed).toBe(0), codec) });
    const sealed = await s2.db.get<{ password: string | null; password_enc: string }>('SELECT password, password_enc FROM rtsp_channels WHERE channel_id = ?', [
      id,
    ]);
    expect(sealed!.password).toBeNull();
    expect(codec.open(sealed!.password_enc)).toBe('clear-pw');
    expect(await countSealed(s2.db)).toBe(1);
    await s2.close();
    await expect(openSqliteStore(t.file, { log: () => undefined, secrets: () => testCodec() })).rejects.toThrow();
    const s3 = await openSqliteStore(t.file, { log: () => undefined, secrets: () => codec });
    expect((await s3.db.get<{ password_enc: string }>('SELECT password_enc FROM rtsp_channels WHERE channel_id = ?', [id]))!.password_enc).toBe(
      sealed!.password_enc,
    );
    t.store = s3;
  });
});
