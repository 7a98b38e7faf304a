/** Passwords never reach a message: the one redaction over many URL shapes (issue 10 item 5). */
import * as assert from 'assert';
import { maskUrl, redactSecrets } from '../../../src/core/redact';

/** [input, expected]; the secret in each is a word starting with "Secret" or "pa" so leaks are easy to spot. */
const CASES: [string, string][] = [
  ['postgres://u:Secret1@h/db', 'postgres://u:***@h/db'],
  ['postgresql://u:Secret1@h:5432/db?schema=x', 'postgresql://u:***@h:5432/db?schema=x'],
  ['POSTGRES://u:Secret1@h/db', 'POSTGRES://u:***@h/db'],
  ['postgres://u:pa/ss@h/db', 'postgres://u:***@h/db'],
  ['postgres://u:pa/ss/x@h:5432/db', 'postgres://u:***@h:5432/db'],
  ['postgres://u:pa@ss@h/db', 'postgres://u:***@h/db'],
  ['postgres://u:pa:ss@h/db', 'postgres://u:***@h/db'],
  ['postgres://u:pa%2Fss%40x@h/db', 'postgres://u:***@h/db'],
  ['postgres://u:pa?ss#x@h/db', 'postgres://u:***@h/db'],
  ['postgres://:Secret1@h/db', 'postgres://:***@h/db'],
  ['postgres://u:Secret1@[::1]:5432/db', 'postgres://u:***@[::1]:5432/db'],
  ['postgres://u:Secret1@[fe80::1%25eth0]/db', 'postgres://u:***@[fe80::1%25eth0]/db'],
  ['mysql://u:Secret1@h/db', 'mysql://u:***@h/db'],
  ['https://u:Secret1@example.com/x', 'https://u:***@example.com/x'],
  ['redis://default:Secret1@cache:6379', 'redis://default:***@cache:6379'],
  ['x+y.z-1://u:Secret1@h', 'x+y.z-1://u:***@h'],
  ['u:Secret1@h/db', 'u:***@h/db'],
  ['u:Secret1@localhost:5432/db', 'u:***@localhost:5432/db'],
  ['u:pa/ss@h', 'u:***@h'],
  ['u:Secret1@[::1]:5432', 'u:***@[::1]:5432'],
  ["Store URL 'mysql://u:Secret1@h/db' must start with 'sqlite:'", "Store URL 'mysql://u:***@h/db' must start with 'sqlite:'"],
  ['could not open the store "postgres://u:pa/ss@h/db": refused', 'could not open the store "postgres://u:***@h/db": refused'],
  ["'u:Secret1@h/db'", "'u:***@h/db'"],
  ['(postgres://u:Secret1@h/db)', '(postgres://u:***@h/db)'],
  ['a postgres://u:Secret1@h/db and b mysql://v:Secret2@k/e', 'a postgres://u:***@h/db and b mysql://v:***@k/e'],
  ['postgres://u:Secret1@h/db,mysql://v:Secret2@k/e', 'postgres://u:***@h/db,mysql://v:***@k/e'],
  ['--store=postgres://u:Secret1@h/db', '--store=postgres://u:***@h/db'],
  ['host=h user=u password=Secret1 dbname=d', 'host=h user=u password=*** dbname=d'],
  ["password='Secret 1' dbname=d", 'password=*** dbname=d'],
  ['postgres://u@h/db?password=Secret1&sslmode=require', 'postgres://u@h/db?password=***&sslmode=require'],
  ['PGPASSWORD=Secret1 appsierra trades', 'PGPASSWORD=*** appsierra trades'],
  // Nothing secret: unchanged.
  ['postgres://u@h:5432/db', 'postgres://u@h:5432/db'],
  ['postgres://h/db', 'postgres://h/db'],
  ['postgres://[::1]:5432/db', 'postgres://[::1]:5432/db'],
  ['sqlite:/home/me/appsierra.db', 'sqlite:/home/me/appsierra.db'],
  ['sqlite:C:\\Users\\me\\appsierra.db', 'sqlite:C:\\Users\\me\\appsierra.db'],
  ['mail me@example.com at 10:30', 'mail me@example.com at 10:30'],
  ['2026-12-02T10:30:00.000Z Sim1 MESZ5 -12.50', '2026-12-02T10:30:00.000Z Sim1 MESZ5 -12.50'],
  ['', ''],
];

describe('redactSecrets: every URL-like password is hidden', () => {
  for (const [input, expected] of CASES) {
    it(`${JSON.stringify(input)}`, () => {
      assert.strictEqual(redactSecrets(input), expected);
      assert.strictEqual(redactSecrets(expected), expected, 'redacting twice changes nothing');
      for (const secret of ['Secret1', 'Secret2', 'pa/ss', 'pa@ss', 'pa:ss', 'pa%2F', 'pa?ss', 'Secret 1']) {
        assert.ok(!redactSecrets(input).includes(secret), `${secret} leaked`);
      }
    });
  }

  it('maskUrl (store URLs) is the same function', () => {
    for (const [input, expected] of CASES) assert.strictEqual(maskUrl(input), expected);
  });
});
