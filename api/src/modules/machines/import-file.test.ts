import ExcelJS from 'exceljs';
import { AppError } from '../../http/errors';
import { normaliseHeader, parseCsv, readImportFile } from './import-file';

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, embedded separators and newlines, CRLF and a BOM', () => {
    const text = '\uFEFFid,remark\r\na,"x, ""y"""\r\nb,"two\nlines"\nc,';
    expect(parseCsv(text)).toEqual([
      ['id', 'remark'],
      ['a', 'x, "y"'],
      ['b', 'two\nlines'],
      ['c', ''],
    ]);
  });

  it('rejects an unterminated quoted field', () => {
    expect(() => parseCsv('id\n"open')).toThrow(AppError);
  });
});

describe('normaliseHeader', () => {
  it.each([
    ['ID', 'id'],
    [' SSH Port ', 'ssh_port'],
    ['GPU-Model', 'gpu_model'],
    ['IP Address', 'ip'],
    ['机器ID', 'id'],
    ['显存', 'gpu_memory_gb'],
    ['Memory (GB)', 'memory_gb'],
  ])('%s → %s', (header, key) => expect(normaliseHeader(header)).toBe(key));
});

describe('readImportFile', () => {
  it('reads CSV rows keyed by header with spreadsheet row numbers, skipping blank lines', async () => {
    const csv = 'ID,Name,IP\nm-1,one,10.0.0.1\n,,\nm-2,two,10.0.0.2\n';
    const records = await readImportFile({ buffer: Buffer.from(csv), originalname: 'a.csv' });
    expect(records).toEqual([
      { row: 2, values: { id: 'm-1', name: 'one', ip: '10.0.0.1' } },
      { row: 4, values: { id: 'm-2', name: 'two', ip: '10.0.0.2' } },
    ]);
  });

  it('reads the first worksheet of an XLSX (numbers and formulas as text)', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('s');
    sheet.addRow(['id', 'name', 'ip', 'gpu_count']);
    sheet.addRow(['m-1', 'one', '10.0.0.1', 8]);
    sheet.addRow(['m-2', 'two', '10.0.0.2', { formula: '2*2', result: 4 }]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    // Detected by content, whatever the name says.
    const records = await readImportFile({ buffer, originalname: 'upload.bin' });
    expect(records).toEqual([
      { row: 2, values: { id: 'm-1', name: 'one', ip: '10.0.0.1', gpu_count: '8' } },
      { row: 3, values: { id: 'm-2', name: 'two', ip: '10.0.0.2', gpu_count: '4' } },
    ]);
  });

  it('names a missing required column and refuses other formats', async () => {
    await expect(readImportFile({ buffer: Buffer.from('id,name\n'), originalname: 'a.csv' })).rejects.toThrow(/"ip"/);
    await expect(readImportFile({ buffer: Buffer.from('{}'), originalname: 'a.json' })).rejects.toThrow(/unsupported/);
    await expect(readImportFile({ buffer: Buffer.from(''), originalname: 'a.csv' })).rejects.toThrow(/empty/);
  });
});
