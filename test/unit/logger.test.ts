import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';

describe('structured logs', () => {
  it('never print credentials or secrets, wherever they sit in a logged object', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info(
      { req: { headers: { authorization: 'Bearer hk_live_SECRETKEY' } }, webhook: { secret: 'whsec_TOPSECRET' }, key: { token: 'hk_live_TOKEN' }, headers: { 'webhook-signature': 'v1,SIG' } },
      'something happened',
    );
    const line = JSON.parse(out.trim());
    expect(line.msg).toBe('something happened');
    expect(out).not.toMatch(/SECRETKEY|TOPSECRET|hk_live_TOKEN|v1,SIG/);
    expect(line.webhook.secret).toBe('[redacted]');
  });
});
