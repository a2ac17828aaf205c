import { httpRequestLabels } from './http-metrics';

describe('httpRequestLabels', () => {
  it('labels a request by its route template, never its URL, so ids do not make new series', () => {
    expect(httpRequestLabels({ method: 'GET', routeOptions: { url: '/accounts/:accountId' } }, 200)).toEqual({ route: '/accounts/:accountId', method: 'GET', status: '200' });
  });

  it('puts every unknown path under one route and every unknown method under one method', () => {
    expect(httpRequestLabels({ method: 'BREW', routeOptions: {} }, 404)).toEqual({ route: 'unmatched', method: '_OTHER', status: '404' });
  });
});
