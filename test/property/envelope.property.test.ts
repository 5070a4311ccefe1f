import fc from 'fast-check';
import { bodyFor, envelope } from '../../src/delivery/request';
import { payloadJson } from '../../src/domain/payload-json';

/** The body a receiver gets is exactly JSON.stringify of the envelope, though the payload's text is shared. */
describe('delivery body (property)', () => {
  const event = fc.record({
    id: fc.uuid(),
    type: fc.string({ minLength: 1, maxLength: 40 }),
    occurredAt: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
    // Payloads are JSON objects (publish refuses anything else).
    payload: fc.dictionary(fc.string(), fc.jsonValue()) as fc.Arbitrary<Record<string, unknown>>,
  });

  it('envelope() equals JSON.stringify({ id, type, timestamp, data }) for any payload', () => {
    fc.assert(
      fc.property(event, (e) => {
        const expected = JSON.stringify({ id: e.id, type: e.type, timestamp: e.occurredAt.toISOString(), data: e.payload });
        // Twice: the second call reads the payload's cached text.
        expect(envelope(e)).toBe(expected);
        expect(envelope(e)).toBe(expected);
        expect(JSON.parse(envelope(e))).toEqual(JSON.parse(expected));
      }),
      { numRuns: 500 },
    );
  });

  it('a DATA webhook gets JSON.stringify of the payload itself', () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(bodyFor(e, 'DATA')).toBe(JSON.stringify(e.payload));
        expect(payloadJson(e.payload)).toBe(JSON.stringify(e.payload));
      }),
      { numRuns: 200 },
    );
  });
});
