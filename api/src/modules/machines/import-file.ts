// Reads an inventory file (CSV or XLSX) into header-keyed string records with their spreadsheet row
// numbers. Headers are normalised (case, spaces, common aliases incl. Chinese); values stay strings and
// are validated afterwards by the same schema as POST /admin/machines.
import ExcelJS from 'exceljs';
import { AppError } from '../../http/errors';

export interface ImportRecord {
  /** 1-based row number as a spreadsheet shows it (the header is row 1). */
  row: number;
  values: Record<string, string>;
}

export const MAX_IMPORT_ROWS = 10_000;

const HEADER_ALIASES: Record<string, string> = {
  machine_id: 'id',
  机器id: 'id',
  编号: 'id',
  hostname: 'name',
  machine_name: 'name',
  名称: 'name',
  主机名: 'name',
  区域: 'region',
  地域: 'region',
  ip_address: 'ip',
  address: 'ip',
  ip地址: 'ip',
  port: 'ssh_port',
  ssh端口: 'ssh_port',
  gpu: 'gpu_model',
  gpu型号: 'gpu_model',
  gpu数量: 'gpu_count',
  gpu_memory: 'gpu_memory_gb',
  显存: 'gpu_memory_gb',
  cpu: 'cpu_info',
  memory: 'memory_total',
  memory_total_gb: 'memory_total',
  内存: 'memory_total',
  disk: 'disk_total',
  disk_total_gb: 'disk_total',
  磁盘: 'disk_total',
  标签: 'tags',
  备注: 'remark',
  公网域名: 'public_domain',
  公网端口: 'public_port',
};

export function normaliseHeader(header: string): string {
  const key = header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_')
    .replace(/[()（）]/g, '');
  return HEADER_ALIASES[key] ?? key;
}

/** RFC 4180 CSV: quoted fields with doubled quotes, embedded separators/newlines, CRLF or LF, BOM. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new AppError('VALIDATION_ERROR', 'CSV file has an unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function toRecords(table: { row: number; cells: string[] }[]): ImportRecord[] {
  const [header, ...body] = table;
  if (!header) throw new AppError('VALIDATION_ERROR', 'the file is empty');
  const keys = header.cells.map(normaliseHeader);
  for (const required of ['id', 'name', 'ip']) {
    if (!keys.includes(required)) {
      throw new AppError('VALIDATION_ERROR', `the header row has no "${required}" column`, {
        fields: [{ field: 'file', message: `missing column ${required}` }],
      });
    }
  }
  const records: ImportRecord[] = [];
  for (const { row, cells } of body) {
    if (cells.every((c) => c.trim() === '')) continue;
    const values: Record<string, string> = {};
    keys.forEach((key, i) => {
      const value = (cells[i] ?? '').trim();
      if (key && value !== '') values[key] = value;
    });
    records.push({ row, values });
  }
  if (records.length > MAX_IMPORT_ROWS) {
    throw new AppError('PAYLOAD_TOO_LARGE', `an import may have at most ${MAX_IMPORT_ROWS} rows`);
  }
  return records;
}

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('result' in value) return value.result === undefined || value.result === null ? '' : String(value.result);
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String(value.text);
  }
  return String(value);
}

async function readXlsx(buffer: Buffer): Promise<ImportRecord[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch {
    throw new AppError('VALIDATION_ERROR', 'the file is not a readable XLSX workbook');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new AppError('VALIDATION_ERROR', 'the workbook has no worksheet');
  const table: { row: number; cells: string[] }[] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let col = 1; col <= width; col++) cells.push(cellText(row.getCell(col)));
    table.push({ row: rowNumber, cells });
  });
  return toRecords(table);
}

const isZip = (buffer: Buffer): boolean => buffer.length > 3 && buffer[0] === 0x50 && buffer[1] === 0x4b;

/** Parses an uploaded inventory; the format comes from the content (XLSX is a zip), then the name. */
export async function readImportFile(file: { buffer: Buffer; originalname?: string }): Promise<ImportRecord[]> {
  const name = (file.originalname ?? '').toLowerCase();
  if (isZip(file.buffer) || name.endsWith('.xlsx')) return readXlsx(file.buffer);
  if (name && !name.endsWith('.csv') && !name.endsWith('.txt')) {
    throw new AppError('VALIDATION_ERROR', 'unsupported file type: upload a .csv or .xlsx file');
  }
  const text = file.buffer.toString('utf8');
  if (text.includes('\u0000')) throw new AppError('VALIDATION_ERROR', 'the file is not a text CSV');
  return toRecords(parseCsv(text).map((cells, i) => ({ row: i + 1, cells })));
}
