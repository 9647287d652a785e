// The stored ZIP writer against standard readers (unzip -t, Python zipfile), with and without zip64 fields, and byte ranges of it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32File } from './package-index';
import { layoutZip, parseRange, zipRange, type ZipInput } from './zip-stream';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-zip-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function inputs(): Promise<ZipInput[]> {
  const files: Array<[string, Buffer]> = [
    ['manifest.json', Buffer.from('{"format":"argus-evidence/1"}\n')],
    ['video/01-测试画面.mp4', Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) & 0xff))],
    ['tracks/empty.gpx', Buffer.alloc(0)],
  ];
  const out: ZipInput[] = [];
  for (const [rel, data] of files) {
    const full = path.join(dir, 'src', rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, data);
    out.push({ name: `pkg/${rel}`, file: full, sizeBytes: data.length, crc32: await crc32File(full) });
  }
  return out;
}

describe.each([
  ['plain', undefined],
  ['zip64 fields on every entry and the end record', 1],
])('stored ZIP (%s)', (_label, zip64AtBytes) => {
  it('is exactly totalBytes long, passes unzip -t and Python zipfile, and unpacks to the same bytes', async () => {
    const entries = await inputs();
    const layout = layoutZip(entries, Date.UTC(2026, 5, 12, 8, 30, 0), zip64AtBytes);
    const whole = await buffer(zipRange(layout, 0, layout.totalBytes - 1));
    expect(whole.length).toBe(layout.totalBytes);
    const zipFile = path.join(dir, `t-${zip64AtBytes ?? 0}.zip`);
    fs.writeFileSync(zipFile, whole);
    const t = spawnSync('unzip', ['-t', zipFile], { encoding: 'utf8' });
    expect(t.status, t.stdout + t.stderr).toBe(0);
    expect(t.stdout).toContain('No errors detected');
    const py = spawnSync(
      'python3',
      [
        '-c',
        'import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint("\\n".join(f"{i.filename} {i.file_size}" for i in z.infolist()))',
        zipFile,
      ],
      { encoding: 'utf8' },
    );
    expect(py.status, py.stderr).toBe(0);
    expect(py.stdout.trim().split('\n')).toEqual(entries.map((e) => `${e.name} ${e.sizeBytes}`));
    const out = path.join(dir, `out-${zip64AtBytes ?? 0}`);
    const x = spawnSync('unzip', ['-q', zipFile, '-d', out], { encoding: 'utf8' });
    expect(x.status, x.stderr).toBe(0);
    for (const e of entries) expect(fs.readFileSync(path.join(out, e.name)).equals(fs.readFileSync(e.file))).toBe(true);
    // Any split into two ranges concatenates to the whole (a resumed download).
    for (const cut of [1, 30, 100_000, layout.totalBytes - 10]) {
      const a = await buffer(zipRange(layout, 0, cut - 1));
      const b = await buffer(zipRange(layout, cut, layout.totalBytes - 1));
      expect(Buffer.concat([a, b]).equals(whole)).toBe(true);
    }
  });
});

describe('Range header', () => {
  it('parses single ranges and refuses unsatisfiable ones', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=10-19', 100)).toEqual({ start: 10, end: 19 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-5', 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
  });
});

describe('a changed source file', () => {
  it('fails the stream instead of sending a corrupt archive', async () => {
    const entries = await inputs();
    const layout = layoutZip(entries, Date.now());
    fs.truncateSync(entries[1]!.file, 1000);
    await expect(buffer(zipRange(layout, 0, layout.totalBytes - 1))).rejects.toThrow(/shorter/);
  });
});

describe('a package over 4 GiB (sparse files: the layout is checked, not 5 GiB of I/O)', () => {
  it('puts real zip64 sizes and offsets where Python zipfile finds and reads the entry after the big one', async () => {
    const big = path.join(dir, 'big.mp4');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 5 * 1024 ** 3);
    const small = path.join(dir, 'after.json');
    fs.writeFileSync(small, '{"after":"the big one"}');
    const entries: ZipInput[] = [
      { name: 'pkg/video/big.mp4', file: big, sizeBytes: 5 * 1024 ** 3, crc32: 0 },
      { name: 'pkg/after.json', file: small, sizeBytes: fs.statSync(small).size, crc32: await crc32File(small) },
    ];
    const layout = layoutZip(entries, Date.now());
    // Write only the headers, the small file and the directory at their offsets; the big file's zeros stay a hole.
    const zipFile = path.join(dir, 'big.zip');
    const fd = fs.openSync(zipFile, 'w');
    for (const p of layout.parts) {
      if (p.kind === 'bytes') fs.writeSync(fd, p.data, 0, p.data.length, p.offset);
      else if (p.file === small) fs.writeSync(fd, fs.readFileSync(small), 0, p.sizeBytes, p.offset);
    }
    fs.ftruncateSync(fd, layout.totalBytes);
    fs.closeSync(fd);
    expect(layout.totalBytes).toBeGreaterThan(5 * 1024 ** 3);
    const py = spawnSync(
      'python3',
      [
        '-c',
        [
          'import sys,zipfile',
          'z=zipfile.ZipFile(sys.argv[1])',
          'i=z.infolist()',
          'print(i[0].file_size, i[1].header_offset > 2**32)',
          'print(z.read("pkg/after.json").decode())',
        ].join('\n'),
        zipFile,
      ],
      { encoding: 'utf8' },
    );
    expect(py.status, py.stderr).toBe(0);
    expect(py.stdout.trim().split('\n')).toEqual([`${5 * 1024 ** 3} True`, '{"after":"the big one"}']);
    const l = spawnSync('unzip', ['-l', zipFile], { encoding: 'utf8' });
    expect(l.status, l.stderr).toBe(0);
    expect(l.stdout).toContain('5368709120');
  });
});
