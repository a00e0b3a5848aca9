import { describe, expect, it } from 'vitest';
import { RouteTable, type Route } from './route-table.js';

const noop = () => {};
const routes: Route[] = [
  { method: 'GET', path: '/api/bans', auth: true, handler: noop },
  { method: 'POST', path: '/api/bans', auth: true, handler: noop },
  { method: 'DELETE', path: '/api/bans/{address}', auth: true, handler: noop },
  { method: 'GET', path: '/api/events/{id}/raw', auth: true, handler: noop },
];

describe('RouteTable', () => {
  const table = new RouteTable(routes);
  it('matches templates and decodes path parameters', () => {
    const m = table.match('DELETE', '/api/bans/10.0.0.0%2F8');
    expect(m).toMatchObject({ kind: 'found', params: { address: '10.0.0.0/8' } });
    expect(table.match('GET', '/api/events/12/raw')).toMatchObject({ kind: 'found', params: { id: '12' } });
    expect(table.match('HEAD', '/api/bans')).toMatchObject({ kind: 'found' });
  });
  it('tells a wrong method from no route, and refuses bad percent-encoding', () => {
    expect(table.match('PUT', '/api/bans')).toEqual({ kind: 'wrong-method', allowed: ['GET', 'POST'] });
    expect(table.match('GET', '/api/bansx')).toEqual({ kind: 'none' });
    expect(table.match('GET', '/api/events/1/2/raw')).toEqual({ kind: 'none' });
    expect(table.match('DELETE', '/api/bans/%E0%A4%A')).toEqual({ kind: 'bad-path' });
  });
});
