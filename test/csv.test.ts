/** The CSV reader of data and design files: RFC 4180 quoting, line numbers, and what it forgives. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CsvError, CsvFeed, decimalNumber, eachCsvRecord, parseCsv } from '../src/scenario/csv.js';

const rows = (text: string) => parseCsv(text).rows.map((r) => [r.line, r.values]);

test('quoted fields hold commas, doubled quotes and line breaks; lines are counted inside them', () => {
  assert.equal(rows('a,b\n"x,1","say ""hi"""\n"two\nlines",3\nlast,4'), [
    [2, { a: 'x,1', b: 'say "hi"' }],
    [3, { a: 'two\nlines', b: '3' }],
    [5, { a: 'last', b: '4' }],
  ]);
});

test('a byte-order mark, CRLF line ends, blank lines and spaces around fields are forgiven', () => {
  assert.equal(parseCsv('\uFEFF a , b \r\n\r\n 1 ,2\r\n').header, ['a', 'b']);
  assert.equal(rows('\uFEFFa,b\r\n\r\n 1 ,2\r\n'), [[3, { a: '1', b: '2' }]]);
});

test('a quote inside an unquoted field is text; text after a closing quote joins the field', () => {
  assert.equal(rows('a,b\nx"y,"q"z\n'), [[2, { a: 'x"y', b: 'qz' }]]);
});

test('errors name the line: a quote left open, a row of the wrong width, an empty file', () => {
  const error = (text: string) => {
    try {
      parseCsv(text);
    } catch (e) {
      return e instanceof CsvError ? `${e.line}: ${e.message}` : String(e);
    }
    return 'no error';
  };
  assert.is(error('a,b\n1,2\n"open,3\n'), '3: a quoted field is not closed');
  assert.is(error('a,b\n1,2\n1,2,3\n'), '3: 3 fields; expected 2 (a,b)');
  assert.is(error('a,b\n1\n'), '2: 1 field; expected 2 (a,b)');
  assert.is(error('\n\n'), '1: empty; expected a header row');
});

test('fed in pieces cut anywhere, the records are those of the whole text, with their lines', () => {
  // quotes that open fields, close them, double inside them, stand inside unquoted fields, and hold line breaks
  // and a field that starts with U+FEFF, which is text there, not a byte order mark
  const text = '\uFEFFa,b\r\n"x,1","say ""hi"""\n"two\nlines",3\n\nx"y,"q"z\n"\n",""\n"""",4\n\uFEFFz,6\nlast,"5"';
  const whole: string[] = [];
  eachCsvRecord(text, (fields, line) => whole.push(`${line}: ${JSON.stringify(fields)}`));
  assert.is(whole.length, 8);
  for (let a = 0; a <= text.length; a++)
    for (const b of [a, a + 1, a + 3, text.length]) {
      const fed: string[] = [];
      const feed = new CsvFeed((fields, line) => fed.push(`${line}: ${JSON.stringify(fields)}`));
      for (const piece of [text.slice(0, a), text.slice(a, Math.max(a, b)), text.slice(Math.max(a, b))]) feed.write(piece);
      feed.end();
      assert.equal(fed, whole, `cut at ${a} and ${b}`);
    }
  const empty = new CsvFeed(() => {});
  empty.write('\n\n');
  assert.throws(() => empty.end(), (e: unknown) => e instanceof CsvError && e.message === 'empty; expected a header row');
});

test('numbers are read as decimal numbers, as pandas and R read them; hexadecimal, octal, binary and blanks are not numbers', () => {
  for (const [text, value] of [['0.5', 0.5], ['-2', -2], ['+.25', 0.25], ['1e-3', 0.001], ['5.', 5], [' 7 ', 7], ['0', 0], ['007', 7]] as const)
    assert.is(decimalNumber(text), value, text);
  // Number() reads each of these as a number: 16, 1, 7, 31, 0 and 0
  for (const text of ['0x10', '0b1', '0o7', ' 0X1F', '', '  ']) assert.ok(Number.isNaN(decimalNumber(text)), JSON.stringify(text));
  for (const text of ['abc', '1,5', 'Infinity', 'NaN']) assert.ok(!Number.isFinite(decimalNumber(text)), text);
});

test.run();
