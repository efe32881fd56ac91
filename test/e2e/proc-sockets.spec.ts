// Unit checks of the /proc parsing the security spec relies on; no browser needed.
import { expect, test } from '@playwright/test';
import { descendants, parseNetTable, parseStat, socketInode, TCP_LISTEN } from './proc-sockets';

test('parseStat reads pid and ppid even when comm holds spaces and parens', () => {
  expect(parseStat('4242 (chromium) S 17 4242 17 0 -1 4194560 1 0')).toEqual({ pid: 4242, ppid: 17, comm: 'chromium' });
  expect(parseStat('7 (a b) c)) R 3 7 7 0')).toEqual({ pid: 7, ppid: 3, comm: 'a b) c)' });
  expect(parseStat('garbage')).toBeNull();
});

test('parseNetTable reads state and inode of each row', () => {
  const tcp = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31337 1 0000000000000000 100 0 0 10 0',
    '   1: 0100007F:A1B2 0100007F:07E8 01 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 20 4 30 10 -1',
    '',
  ].join('\n');
  const rows = parseNetTable('tcp', tcp);
  expect(rows).toHaveLength(2);
  expect(rows[0]).toMatchObject({ proto: 'tcp', local: '00000000:07E8', state: TCP_LISTEN, inode: 31337 });
  expect(rows[1]).toMatchObject({ state: '01', inode: 4242 });
});

test('socketInode accepts only socket links', () => {
  expect(socketInode('socket:[98765]')).toBe(98765);
  expect(socketInode('pipe:[98765]')).toBeNull();
  expect(socketInode('/dev/null')).toBeNull();
});

test('descendants follows ppid links to every depth and ignores other trees', () => {
  const e = (pid: number, ppid: number) => ({ pid, ppid, comm: String(pid) });
  const tree = descendants(10, [e(1, 0), e(10, 1), e(11, 10), e(12, 11), e(13, 12), e(20, 1), e(21, 20)]);
  expect(tree.map((p) => p.pid).sort()).toEqual([10, 11, 12, 13]);
});
